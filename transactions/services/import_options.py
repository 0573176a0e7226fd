"""Import settings as JSON (in the batch) and remembered per account and file layout."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError

from transactions.importing import Detection, ImportFileError, ImportLimits, ImportOptions, detect
from transactions.models import FinancialAccount

REMEMBERED_LAYOUTS = 5


def import_limits() -> ImportLimits:
    return ImportLimits(max_bytes=settings.IMPORT_MAX_BYTES, max_rows=settings.IMPORT_MAX_ROWS)


def options_to_json(options: ImportOptions) -> dict:
    def plain(value):
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {k: plain(v) for k, v in dataclasses.asdict(options).items() if v is not None}


def options_from_json(data: dict | None) -> ImportOptions:
    """ImportOptions from JSON (unknown keys are ignored; lists become the tuples the parser expects)."""
    known = {f.name for f in dataclasses.fields(ImportOptions)}
    values = {k: v for k, v in (data or {}).items() if k in known}
    if isinstance(values.get("columns"), dict):
        values["columns"] = {
            role: tuple(spec) if isinstance(spec, list) else spec for role, spec in values["columns"].items()
        }
    if isinstance(values.get("direction_debit_values"), list):
        values["direction_debit_values"] = tuple(values["direction_debit_values"])
    return ImportOptions(**values)


def layout_key(detection: Detection) -> str:
    """What identifies "the same kind of file" for remembering the user's choices: format and header."""
    return f"{detection.format}:{'|'.join(detection.header)}"


def remembered_options(account: FinancialAccount, detection: Detection) -> ImportOptions | None:
    saved = (account.import_options or {}).get(layout_key(detection))
    return options_from_json(saved) if saved else None


def remember_options(account: FinancialAccount, detection: Detection, options: ImportOptions) -> None:
    """Keep the user's choice for this account and layout (the few most recent layouts)."""
    saved = {k: v for k, v in (account.import_options or {}).items() if k != layout_key(detection)}
    saved[layout_key(detection)] = options_to_json(options)
    account.import_options = dict(list(saved.items())[-REMEMBERED_LAYOUTS:])
    account.save(update_fields=["import_options"])


def detect_or_refuse(data: bytes, filename: str, options: ImportOptions | None) -> Detection:
    """detect(), with a file that cannot be imported at all as a ValidationError on `file`."""
    try:
        return detect(data, filename, options, limits=import_limits())
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from None


def detect_for_account(account: FinancialAccount, data: bytes, filename: str) -> tuple[Detection, bool]:
    """Detect the file's layout, applying what the user chose last time for this account and layout.

    Returns the detection and whether remembered choices were applied.
    """
    detection = detect_or_refuse(data, filename, None)
    remembered = remembered_options(account, detection)
    if remembered is None:
        return detection, False
    try:
        return detect(data, filename, remembered, limits=import_limits()), True
    except ImportFileError:
        return detection, False

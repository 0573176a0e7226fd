"""`import_transactions FILE --user E --account NAME [--json]`: import a CSV/OFX/QFX/QIF file into an account
(created when missing). `--json` prints {"imported", "duplicates", "skipped", "errors", "net", "first_date",
"last_date"}: counts, `errors` as [{"line", "reason"}], `net` the decimal sum of the imported rows, ISO dates of the
first and last imported row (null when nothing was new)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.selectors import household_for_user
from transactions.models import ImportBatch
from transactions.services.accounts import account_get_or_create
from transactions.services.imports import import_file


def batch_summary(batch: ImportBatch) -> dict:
    return {
        "imported": batch.imported,
        "duplicates": batch.duplicates,
        "skipped": batch.skipped,
        "errors": [{"line": e.get("line"), "reason": e.get("reason")} for e in batch.errors],
        "net": format(batch.net, "f"),
        "first_date": batch.first_date.isoformat() if batch.first_date else None,
        "last_date": batch.last_date.isoformat() if batch.last_date else None,
    }


class Command(BaseCommand):
    help = "Import a bank file (CSV, OFX/QFX or QIF) into one of a user's accounts."
    # Batch commands skip the system checks (half a second of URL and model inspection per run); `manage.py check`
    # and every deployment run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the bank file")
        parser.add_argument("--user", required=True, help="e-mail of the user whose household gets the rows")
        parser.add_argument("--account", required=True, help="account name (created as a checking account if new)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, file: str, user: str, account: str, json: bool = False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        size = path.stat().st_size
        if size > settings.IMPORT_MAX_BYTES:
            raise CommandError(f"{file} is {size / 1e6:.1f} MB; the limit is {settings.IMPORT_MAX_BYTES / 1e6:.0f} MB")
        person = User.objects.filter(email__iexact=user.strip()).first()
        if person is None:
            raise CommandError(f"no user with the e-mail {user}")
        household = household_for_user(person)
        if household is None:
            raise CommandError(f"{user} does not belong to a household")
        if not account.strip():
            raise CommandError("--account must name an account")
        target, _ = account_get_or_create(household=household, name=account)
        try:
            batch = import_file(
                household=household, user=person, account=target, data=path.read_bytes(), filename=path.name
            )
        except ValidationError as error:
            raise CommandError(f"{path.name}: {' '.join(error.messages)}") from None
        summary = batch_summary(batch)
        if json:
            self.stdout.write(_dumps(summary))
            return
        self.stdout.write(
            f"{path.name} → {target.name}: {batch.imported:,} imported, {batch.duplicates:,} duplicates, "
            f"{batch.skipped:,} skipped, {batch.error_count:,} errors (net {summary['net']})"
        )
        for error in batch.errors[:20]:
            self.stderr.write(f"  {error['reason']}")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)

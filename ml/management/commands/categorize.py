"""`categorize [--json]`: TSV `description<TAB>amount` (with that header) on stdin → one JSON object per line on
stdout: `description`, `amount`, `category` (primary code), `confidence` (0–1). Uses the global model.

Rows are predicted in batches as they stream in. A row that cannot be read is reported on stderr with its line
number and skipped; the command then exits with status 1 after writing every good row.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from fincoach.money import to_money
from ml.services.categorizing import categorizer

HEADER = ("description", "amount")
BATCH = 5000
# "2,450.00": thousands separators are dropped; a lone comma is never guessed to be a decimal point.
_THOUSANDS = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$")


class RowError(ValueError):
    pass


def parse_row(line: str, number: int) -> tuple[str, Decimal]:
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != 2:
        raise RowError(f"line {number}: expected 2 tab-separated fields (description, amount), found {len(fields)}")
    description, raw_amount = fields[0].strip(), fields[1].strip()
    if not description:
        raise RowError(f"line {number}: the description is empty")
    try:
        return description, to_money(raw_amount.replace(",", "") if _THOUSANDS.match(raw_amount) else raw_amount)
    except ValueError:
        raise RowError(f"line {number}: amount {raw_amount!r} is not a number like -12.50") from None


class Command(BaseCommand):
    help = "Categorise TSV rows (description<TAB>amount, with a header) from stdin; writes JSON lines."
    # Batch commands skip the system checks (half a second of URL and model inspection per run); `manage.py check`
    # and every deployment run them.
    requires_system_checks: list[str] = []
    stealth_options = ("stdin",)  # tests pass a file object to call_command

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="JSON lines (the only output format; accepted)")

    def handle(self, *args, **options):
        stdin = options.get("stdin") or sys.stdin
        lines = enumerate(stdin, start=1)
        first = next(lines, None)
        if first is None:
            raise CommandError("no input: expected a header line 'description<TAB>amount'")
        header = tuple(field.strip().lower() for field in first[1].lstrip("\ufeff").rstrip("\r\n").split("\t"))
        if header != HEADER:
            raise CommandError(f"line 1: expected the header 'description<TAB>amount', found {first[1].strip()!r}")
        model = categorizer()
        errors = 0
        for batch in _batches(lines):
            rows = []
            for number, line in batch:
                if not line.strip():
                    continue
                try:
                    rows.append(parse_row(line, number))
                except RowError as error:
                    errors += 1
                    self.stderr.write(str(error))
            if rows:
                # The contract carries no account type: the model treats it as unknown.
                predictions = model.predict([d for d, _ in rows], [float(a) for _, a in rows])
                self.stdout.write(
                    "\n".join(
                        json.dumps(
                            {
                                "description": description,
                                "amount": str(amount),
                                "category": prediction.category,
                                "confidence": round(float(prediction.confidence), 3),
                            }
                        )
                        for (description, amount), prediction in zip(rows, predictions, strict=True)
                    )
                )
        if errors:
            raise CommandError(f"{errors} row(s) could not be read (see above); the other rows were categorised")


def _batches(lines: Iterator[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    while batch := list(islice(lines, BATCH)):
        yield batch

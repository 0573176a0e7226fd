"""What every ML batch command shares: `--household ID` (repeatable; all households when omitted), `--json` for a
machine-readable summary, and a human one-liner otherwise."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError


class BatchCommand(BaseCommand):
    """Subclasses set `help` and `service = staticmethod(<service of the household ids → summary dict>)`, and may
    override `describe` for the human summary."""

    service: Callable[[list[int] | None], dict]
    takes_households = True

    def add_arguments(self, parser):
        if self.takes_households:
            parser.add_argument(
                "--household", type=int, action="append", dest="households", metavar="ID",
                help="only this household (repeatable); default: every household",
            )  # fmt: skip
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, **options):
        households = options.get("households")
        if households:
            from accounts.models import Household

            missing = sorted(
                set(households) - set(Household.objects.filter(pk__in=households).values_list("pk", flat=True))
            )
            if missing:
                raise CommandError(f"no household with id {', '.join(map(str, missing))}")
        summary = self.run(options)
        if options["json"]:
            self.stdout.write(json.dumps(summary, default=str, sort_keys=True))
        else:
            self.stdout.write(self.describe(summary))

    def run(self, options: dict) -> dict:
        return self.service(options.get("households"))

    def describe(self, summary: dict) -> str:
        return ", ".join(f"{key}: {value}" for key, value in summary.items() if not isinstance(value, dict | list))

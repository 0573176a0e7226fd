"""`generate_insights [--household ID] [--user EMAIL] [--json]`: run the coach now (the morning beat's work) for
every household, one household or one person; `--json` prints a summary."""

from __future__ import annotations

import json
import time
from collections import Counter

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Household
from insights.services.generation import insights_generate_for_household, insights_generate_for_user


class Command(BaseCommand):
    help = "Generate insights now for every household (or one household, or one person)."

    def add_arguments(self, parser):
        parser.add_argument("--household", type=int, help="only this household (id)")
        parser.add_argument("--user", help="only this person (e-mail address)")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, household: int | None = None, user: str | None = None, json: bool = False, **options):
        started = time.monotonic()
        if user:
            person = get_user_model().objects.filter(email__iexact=user.strip()).first()
            if person is None:
                raise CommandError(f"no user with the e-mail address {user!r}")
            results = [insights_generate_for_user(person, trigger="command")]
            households = 1
        else:
            queryset = Household.objects.order_by("pk")
            if household is not None:
                queryset = queryset.filter(pk=household)
                if not queryset.exists():
                    raise CommandError(f"no household with id {household}")
            results = []
            households = 0
            for each in queryset.iterator(chunk_size=200):
                households += 1
                results.extend(insights_generate_for_household(each, trigger="command"))
        kinds = Counter(i.kind for r in results for i in r.created)
        summary = {
            "households": households,
            "users": len(results),
            "created": sum(kinds.values()),
            "by_kind": dict(sorted(kinds.items())),
            "repeats": sum(r.repeats for r in results),
            "over_cap": sum(r.over_cap for r in results),
            "failed_rules": sorted({name for r in results for name in r.failed_rules}),
            "seconds": round(time.monotonic() - started, 2),
        }
        if json:
            self.stdout.write(_dumps(summary))
            return
        self.stdout.write(
            f"{summary['created']} insights for {summary['users']} people in {summary['households']} households "
            f"({summary['repeats']} repeats skipped, {summary['over_cap']} over the daily cap) "
            f"in {summary['seconds']}s."
        )
        for name in summary["failed_rules"]:
            self.stderr.write(f"rule failed (see the log): {name}")


def _dumps(value) -> str:
    return json.dumps(value, sort_keys=True)

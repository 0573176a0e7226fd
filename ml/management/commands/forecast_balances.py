"""`forecast_balances [--household ID]... [--as-of YYYY-MM-DD] [--json]`: 90-day balance forecasts (nightly)."""

import datetime as dt

from django.core.management.base import CommandError

from ml.management.batch import BatchCommand
from ml.services.forecasts import balance_forecasts_refresh


class Command(BatchCommand):
    help = "Forecast each household's balances (per cash account and in total) for the next 90 days."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--as-of", help="forecast from this day (default: today), e.g. 2025-06-30")

    def run(self, options: dict) -> dict:
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"--as-of {options['as_of']!r} is not a date like 2025-06-30") from None
        return balance_forecasts_refresh(options.get("households"), as_of=as_of)

    def describe(self, summary: dict) -> str:
        models = ", ".join(f"{name}: {n}" for name, n in sorted(summary["by_model"].items())) or "none"
        return (
            f"{summary['forecasts']} forecasts for {summary['households']} households (models: {models}); "
            f"{summary['not_enough_data']} without enough history; {summary['low_balance_ahead']} with a low balance "
            "ahead."
        )

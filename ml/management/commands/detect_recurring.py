"""`detect_recurring [--household ID]... [--json]`: recurring payments and subscriptions (nightly on the beat)."""

from ml.management.batch import BatchCommand
from ml.services.recurring import recurring_detect


class Command(BatchCommand):
    help = "Detect recurring payments, income and subscriptions and store them per household."
    service = staticmethod(recurring_detect)

    def describe(self, summary: dict) -> str:
        return (
            f"{summary['series']} recurring series ({summary['subscriptions']} subscriptions, {summary['income']} "
            f"income) in {summary['households']} households: {summary['created']} new, {summary['removed']} gone."
        )

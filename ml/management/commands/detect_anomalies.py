"""`detect_anomalies [--household ID]... [--json]`: unusual transactions of the latest history (nightly)."""

from ml.management.batch import BatchCommand
from ml.services.anomalies import anomalies_detect


class Command(BatchCommand):
    help = "Detect unusual transactions in each household's recent history and store them for review."
    service = staticmethod(anomalies_detect)

    def describe(self, summary: dict) -> str:
        return (
            f"{summary['flagged']} unusual transactions in {summary['households']} households "
            f"({summary['created']} new, {summary['cleared']} no longer unusual)."
        )

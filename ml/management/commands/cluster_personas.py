"""`cluster_personas [--household ID]... [--json]`: spending personas (weekly on the beat)."""

from ml.management.batch import BatchCommand
from ml.services.personas import personas_assign


class Command(BatchCommand):
    help = "Place every household in a spending persona (clustering the population when it is large enough)."
    service = staticmethod(personas_assign)

    def describe(self, summary: dict) -> str:
        silhouette = summary["silhouette"]
        quality = f", silhouette {silhouette:.2f}" if silhouette is not None else ""
        return (
            f"{summary['assigned']} households placed with the {summary['model'] or 'no'} model (k={summary['k']}"
            f"{quality}); {summary['changed']} changed persona, {summary['not_enough_data']} need more history."
        )

"""`train_categorizer [--from-scratch] [--seed N] [--json]`: retrain the global categoriser with the households'
corrections (weekly on the beat schedule), or rebuild the reproducible artefact from the generated corpus."""

from __future__ import annotations

from ml.management.batch import BatchCommand
from ml.services.training import categorizer_train


class Command(BatchCommand):
    help = "Retrain the categoriser with the households' corrections (or --from-scratch from the corpus)."
    takes_households = False

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--from-scratch", action="store_true", help="rebuild from the generated corpus, with held-out figures"
        )
        parser.add_argument("--seed", type=int, default=0)

    def run(self, options: dict) -> dict:
        return categorizer_train(from_scratch=options["from_scratch"], seed=options["seed"])

    def describe(self, summary: dict) -> str:
        accuracy = summary.get("accuracy")
        figure = f", held-out accuracy {accuracy:.1%}" if isinstance(accuracy, float) else ""
        return (
            f"Categoriser {summary['version']} ({summary['mode']}): {summary['corrections']} corrections from "
            f"{summary['households']} households{figure}."
        )

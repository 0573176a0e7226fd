"""Training the global categoriser, and folding the households' corrections into it.

- From scratch (`train_categorizer --from-scratch`): the reproducible artefact from the generated corpus, with its
  held-out evaluation (`ml.categorizer.training.train_and_save`).
- The weekly retrain: the model in use (the install's own, else the shipped one) refitted on its own corpus plus
  every correction users made (their hand-set categories), weighted above generated examples. Without corrections
  there is nothing to learn and the run is recorded as skipped.
Either way the result is written to `settings.ML_ARTIFACT_DIR`, where every process picks it up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F

from ml.models import ModelRun
from transactions.models import Transaction

from .categorizing import artifact_path, trained_artifact_path
from .runs import model_run

# The most recent corrections kept for a retrain (bounds memory and training time on very large installs).
MAX_CORRECTIONS = 50_000


@dataclass
class Corrections:
    examples: list[tuple[str, float, str, str]]  # (description, amount, account type, category code)
    households: int  # how many households they come from


def household_corrections(limit: int = MAX_CORRECTIONS) -> Corrections:
    """The categories users set by hand, newest first, one example per distinct (description, category), from one
    query. Custom categories count as their system parent."""
    rows = (
        Transaction.objects.filter(category_source=Transaction.CategorySource.USER, category__isnull=False)
        .annotate(
            code=F("category__code"),
            parent_code=F("category__parent__code"),
            is_system=F("category__is_system"),
            kind=F("account__kind"),
        )
        .order_by("-updated_at")
        .values_list("household_id", "description", "amount", "kind", "code", "parent_code", "is_system")
    )
    seen: set[tuple[str, str]] = set()
    households: set[int] = set()
    examples = []
    for household_id, description, amount, kind, code, parent_code, is_system in rows.iterator(chunk_size=5000):
        label = code if is_system else parent_code
        if not label or (description, label) in seen:
            continue
        seen.add((description, label))
        households.add(household_id)
        examples.append((description, float(amount), kind, label))
        if len(examples) >= limit:
            break
    return Corrections(examples, len(households))


def categorizer_train(*, from_scratch: bool = False, seed: int = 0) -> dict:
    """Train or retrain the global categoriser (see the module docstring); records a ModelRun. Returns its summary."""
    from ml.categorizer import Categorizer
    from ml.categorizer.training import train_and_save

    target = trained_artifact_path()
    with model_run(ModelRun.Kind.TRAIN_CATEGORIZER) as run:
        if from_scratch:
            summary = train_and_save(target, seed=seed)
            heldout = summary["heldout"]
            run.metrics.update(
                mode="from_scratch",
                examples=summary["examples"],
                features=summary["features"],
                accuracy=heldout["accuracy"],
                per_category=heldout["per_category"],
                confidence_bands=heldout["confidence_bands"],
                size_bytes=summary["size_bytes"],
            )
        current = Categorizer.load(artifact_path())
        corrections = household_corrections()
        run.households = corrections.households
        # A model that learnt from corrections is refitted even with none left (the users undid them).
        if corrections.examples or current.training.get("corrections"):
            previous = current.version
            current = current.fit_with_corrections(corrections.examples)
            current.save(target)
            run.metrics.update(
                mode="with_corrections", previous_version=previous, examples=current.training["examples"]
            )
        elif "mode" not in run.metrics:
            run.metrics["mode"] = "skipped: no corrections to learn from"
        run.metrics["corrections"] = len(corrections.examples)
        run.model_version = current.version
        if "accuracy" not in run.metrics and isinstance(current.training.get("heldout"), dict):
            run.metrics["accuracy"] = current.training["heldout"].get("accuracy")  # of the shipped recipe
    # Every process (this one included) sees the new artefact's mtime and reloads it on its next prediction.
    return {"run_id": run.run.pk, "version": run.model_version, "households": run.households, **run.metrics}

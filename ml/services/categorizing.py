"""The categoriser inside the app: who decides a transaction's category, and learning from the household.

Authority, highest first (`transactions.authority`): the user's own edit > the household's rules > what the
household taught us (MerchantCategoryMemory, per normalised merchant) > the bank's category > the model. The model's
confidence decides what happens to its guess: applied from 0.8, applied but flagged "suggested" from 0.6, otherwise
the transaction stays uncategorised and the top guesses are offered (`ml.selectors.category_suggestions`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction as db_transaction
from django.db.models import F
from django.utils import timezone

from ml.models import MerchantCategoryMemory, SuggestionOutcome
from transactions.authority import may_set_category
from transactions.models import Category, FinancialAccount, Transaction
from transactions.services.categorising import APPLY_CONFIDENCE, SUGGEST_CONFIDENCE

if TYPE_CHECKING:  # the model code (and scikit-learn) is imported only when a prediction is needed
    from ml.categorizer import Categorizer, Prediction

Source = Transaction.CategorySource
CERTAIN = Decimal("1.000")


@dataclass(frozen=True)
class LoadedModel:
    model: Categorizer
    stamp: tuple[str, int] | None  # (path, mtime) of the artefact it came from; None for a model handed in


_model_lock = threading.Lock()
_loaded: LoadedModel | None = None
_category_ids: dict[str, int] | None = None


@dataclass(frozen=True, slots=True)
class CategoryDecision:
    """The category a transaction should get. Every decision sets a category; a transaction the model is unsure
    about (< 0.6) gets no decision and stays uncategorised."""

    category_id: int
    category_code: str
    source: str  # Transaction.CategorySource: LEARNED or MODEL
    confidence: Decimal
    suggested: bool = False


def trained_artifact_path() -> Path:
    """Where `train_categorizer` writes the install's own categoriser: `settings.ML_ARTIFACT_DIR`."""
    from ml.categorizer.model import DEFAULT_ARTIFACT

    return Path(settings.ML_ARTIFACT_DIR) / DEFAULT_ARTIFACT.name


def artifact_path() -> Path:
    """The categoriser in use: the install's own once trained, else the one shipped with the app."""
    from ml.categorizer.model import DEFAULT_ARTIFACT

    trained = trained_artifact_path()
    return trained if trained.exists() else DEFAULT_ARTIFACT


def _stamp(path: Path) -> tuple[str, int] | None:
    try:
        return str(path), path.stat().st_mtime_ns
    except FileNotFoundError:
        return None


def categorizer() -> Categorizer:
    """The global categoriser, loaded once per process and again only when its artefact changes (a retrain in
    another process): a stat per call, no reload."""
    global _loaded
    path = artifact_path()
    current = _loaded
    if current is not None and (current.stamp is None or current.stamp == _stamp(path)):
        return current.model
    from ml.categorizer import Categorizer

    with _model_lock:
        stamp = _stamp(path)
        if _loaded is None or (_loaded.stamp is not None and _loaded.stamp != stamp):
            _loaded = LoadedModel(Categorizer.load(path), stamp)
        return _loaded.model


def loaded_model_version() -> str:
    """The version of the model this process has loaded, or "" when it has not needed one yet."""
    return _loaded.model.version if _loaded is not None else ""


def system_category_ids() -> dict[str, int]:
    """System category code → id (every primary and detailed PFC code), read once per process."""
    global _category_ids
    if _category_ids is None:
        _category_ids = dict(Category.objects.filter(household__isnull=True).values_list("code", "pk"))
    return _category_ids


def forget_category_ids() -> None:
    """Drop the cached map (system categories are never recreated in production; tests that flush do)."""
    global _category_ids
    _category_ids = None


def category_for_code(code: str) -> int | None:
    return system_category_ids().get(code)


def predict_transactions(transactions: Sequence[Transaction]) -> list[Prediction]:
    """Model predictions for saved or unsaved transactions, in one batch (account kinds read in one query at most)."""
    kinds = _account_kinds(transactions)
    return categorizer().predict(
        [t.description for t in transactions],
        [float(t.amount) for t in transactions],
        [kinds.get(t.account_id, "") for t in transactions],
    )


def _account_kinds(transactions: Sequence[Transaction]) -> dict[int, str]:
    kinds = {t.account_id: t.account.kind for t in transactions if Transaction.account.is_cached(t)}
    missing = {t.account_id for t in transactions} - kinds.keys()
    if missing:
        kinds.update(FinancialAccount.objects.filter(pk__in=missing).values_list("pk", "kind"))
    return kinds


def decision_from_prediction(prediction: Prediction) -> CategoryDecision | None:
    """Apply the confidence tiers to one prediction: None when it is too unsure to apply."""
    code = (
        prediction.detailed if prediction.detailed and category_for_code(prediction.detailed) else prediction.category
    )
    return decision_for(code, prediction.confidence)


def decision_for(code: str, confidence: float) -> CategoryDecision | None:
    """The decision for the model's answer `code` (detailed or primary) at `confidence`: None below 0.6 or for a code
    the taxonomy does not have."""
    certainty = Decimal(str(round(float(confidence), 3)))
    category_id = category_for_code(code)
    if certainty < SUGGEST_CONFIDENCE or category_id is None:
        return None
    return CategoryDecision(category_id, code, Source.MODEL, certainty, suggested=certainty < APPLY_CONFIDENCE)


def categorize_transactions(household, transactions: Iterable[Transaction]) -> dict[int, CategoryDecision]:
    """Decide categories for the household's transactions (saved ones: keyed by id).

    Transactions whose category the user chose, or a rule, a memory or the bank set, keep it (the authority order
    above); the household's memory of a merchant comes next; the model decides the rest in one batch. Returns a
    decision only for transactions that should change; writing them is the caller's job.
    """
    candidates = [t for t in transactions if t.household_id == household.pk]
    decisions: dict[int, CategoryDecision] = {}
    memory = _memory_for(household) if candidates else {}
    for_model = []
    for txn in candidates:
        remembered = memory.get(txn.merchant)
        if remembered is not None and _may_set(txn, Source.LEARNED):
            if txn.category_id != remembered[0] or txn.category_source != Source.LEARNED:
                decisions[txn.pk] = CategoryDecision(remembered[0], remembered[1], Source.LEARNED, CERTAIN)
        elif _may_set(txn, Source.MODEL):
            for_model.append(txn)
    if for_model:
        for txn, prediction in zip(for_model, predict_transactions(for_model), strict=True):
            decision = decision_from_prediction(prediction)
            if decision is not None:
                decisions[txn.pk] = decision
    return decisions


def _may_set(txn: Transaction, new_source: str) -> bool:
    return may_set_category(current_source=txn.category_source, user_edited=txn.user_edited, new_source=new_source)


def _memory_for(household) -> dict[str, tuple[int, str]]:
    """merchant → (category id, category code) for every merchant this household taught us (a few hundred rows at
    most: one query, no list of merchants to send)."""
    rows = MerchantCategoryMemory.objects.for_household(household).values_list(
        "merchant", "category_id", "category__code"
    )
    return {merchant: (category_id, code) for merchant, category_id, code in rows}


@db_transaction.atomic
def category_correction_record(household, transaction: Transaction, new_category: Category | None) -> None:
    """Learn from a user changing one transaction's category. Call it before saving the change (the transaction
    still holds what was there): see `category_corrections_record`."""
    category_corrections_record(household, [transaction], new_category)


@db_transaction.atomic
def category_corrections_record(household, transactions: Sequence[Transaction], new_category: Category | None) -> int:
    """Learn from a user setting the category of these transactions (one or a bulk selection).

    - Each transaction that carried a suggestion records a SuggestionOutcome (accepted when the user kept it), so
      the acceptance rate can be followed over time.
    - With a new category, each merchant is remembered for the household at once: the next transaction of that
      merchant gets it (source "learned") before the model is asked.

    The transactions must be in their state before the change. Returns the number of merchants remembered.
    """
    if new_category is not None and new_category.household_id not in (None, household.pk):
        raise ValueError("the category belongs to another household")
    own = [t for t in transactions if t.household_id == household.pk]
    SuggestionOutcome.objects.bulk_create(
        SuggestionOutcome(
            household=household,
            transaction=t,
            suggested_id=t.category_id,
            accepted=new_category is not None and new_category.pk == t.category_id,
            model_version=loaded_model_version(),
        )
        for t in own
        if t.category_suggested and t.category_id is not None
    )
    merchants = {t.merchant for t in own if t.merchant}
    if new_category is None or not merchants:
        return 0
    remembered = MerchantCategoryMemory.objects.for_household(household).filter(merchant__in=merchants)
    known = set(remembered.values_list("merchant", flat=True))
    remembered.update(category=new_category, corrections=F("corrections") + 1, updated_at=timezone.now())
    MerchantCategoryMemory.objects.bulk_create(
        (MerchantCategoryMemory(household=household, merchant=m, category=new_category) for m in merchants - known),
        ignore_conflicts=True,
    )
    return len(merchants)

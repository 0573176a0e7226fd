"""Spending personas: behaviour features of every household from one aggregated SQL query, placed by the pure
clustering (`ml.personas`), stored as PersonaAssignment with the history of changes.

Which centroids place the households:
- a batch over at least `FIT_MIN_HOUSEHOLDS` households with enough history clusters them (k by silhouette) and
  saves that population model for later single-household runs;
- smaller installs (and subsets, until a population model exists) use the reference centroids shipped with the
  app, learnt from a synthetic population.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import Abs, ExtractWeekDay, Floor, Ln, TruncMonth
from django.utils import timezone

from ml.models import ModelRun, PersonaAssignment, RecurringSeries
from ml.personas import FEATURES, NOT_SPENDING, SHARE_PRIMARIES, PersonaModel, features_frame
from ml.selectors import PER_MONTH
from transactions.models import Transaction

from .reading import chunks, households_to_run
from .runs import model_run

WINDOW_DAYS = 183  # the behaviour of the last six months
MIN_SPENDING = 20  # spending transactions in the window before a persona means anything
MIN_DAYS = 28
FIT_MIN_HOUSEHOLDS = 200  # below this, the reference centroids place households better than a tiny population
BUCKETS_PER_E = 4  # ticket-size histogram resolution: bucket edges 28 % apart (for the median ticket)
POPULATION_ARTIFACT = "personas-population-v1.joblib"
WEEKEND_DAYS = (6, 7, 1)  # Friday, Saturday, Sunday in the database's week_day numbering (1 = Sunday)
# Households read per aggregated query: the features query is one statement per this many households.
HOUSEHOLDS_PER_QUERY = 2000


@dataclass
class PersonaTally:
    households: int = 0
    assigned: int = 0
    changed: int = 0  # new history rows
    not_enough_data: int = 0
    model: str = ""
    k: int = 0
    silhouette: float | None = None


# --- features ----------------------------------------------------------------------------------------------------


def _cells(ids: Sequence[int], since: dt.date) -> pd.DataFrame:
    """Spending and income of the households since `since`, aggregated in the database by (household, month,
    primary category, weekday, ticket-size bucket): one query, a few hundred rows per household at most."""
    spending = Q(amount__lt=0) & ~Q(category__primary_code__in=NOT_SPENDING)
    income = Q(amount__gt=0, category__primary_code="INCOME")
    rows = (
        Transaction.objects.filter(household_id__in=ids, pending=False, transfer_pair__isnull=True, date__gte=since)
        .filter(spending | income)
        .values(
            "household_id",
            month=TruncMonth("date"),
            primary=F("category__primary_code"),
            weekday=ExtractWeekDay("date"),
            bucket=Floor(Ln(Abs("amount")) * BUCKETS_PER_E),
        )
        .annotate(n=Count("id"), total=Sum("amount"), first=Min("date"), last=Max("date"))
        .order_by()
    )
    frame = pd.DataFrame.from_records(list(rows))
    if frame.empty:
        return frame
    frame["total"] = frame["total"].astype(float)
    frame["bucket"] = frame["bucket"].astype(int)
    frame["month"] = pd.to_datetime(frame["month"]).dt.to_period("M")
    return frame


def _median_from_histogram(buckets: pd.DataFrame) -> float:
    """The median ticket from counts per log-size bucket (geometric interpolation inside the middle bucket)."""
    counts = buckets.groupby("bucket")["n"].sum().sort_index()
    cumulative = counts.cumsum().to_numpy()
    half = cumulative[-1] / 2
    i = int(np.searchsorted(cumulative, half))
    below = cumulative[i - 1] if i else 0
    fraction = (half - below) / counts.iloc[i]
    return float(np.exp((counts.index[i] + fraction) / BUCKETS_PER_E))


def _household_row(cells: pd.DataFrame, subscriptions_monthly: float) -> dict[str, float] | None:
    """The `ml.personas.FEATURES` row of one household from its cells (None when its history is too thin)."""
    is_income = cells["primary"] == "INCOME"
    spend, income = cells[~is_income], float(cells.loc[is_income, "total"].sum())
    days = (cells["last"].max() - cells["first"].min()).days + 1
    count, total = int(spend["n"].sum()), float(-spend["total"].sum())
    if count < MIN_SPENDING or days < MIN_DAYS or total <= 0:
        return None
    months = days / 30.44
    by_primary = spend.groupby("primary")["total"].sum()
    monthly = -spend.groupby("month")["total"].sum()
    row = {
        "avg_ticket": total / count,
        "median_ticket": _median_from_histogram(spend),
        "txn_per_month": count / months,
        "weekend_share": float(-spend.loc[spend["weekday"].isin(WEEKEND_DAYS), "total"].sum()) / total,
        "evening_share": float("nan"),  # no time of day is recorded: the model fills in the population's
        **{f"share_{p.lower()}": float(-by_primary.get(p, 0.0)) / total for p in SHARE_PRIMARIES},
        "volatility": float(monthly.std(ddof=0) / monthly.mean()) if len(monthly) > 1 else 0.0,
        "savings_rate": float(np.clip((income - total) / income, -1, 1)) if income > 0 else -1.0,
    }
    monthly_income = income / months
    row["subscription_load"] = float(np.clip(subscriptions_monthly / monthly_income, 0, 1)) if monthly_income else 0.0
    return row


def _subscriptions_monthly(ids: Sequence[int]) -> dict[int, float]:
    """Monthly cost of each household's live subscriptions, from the stored recurring series (one query)."""
    rows = (
        RecurringSeries.objects.filter(
            household_id__in=ids,
            is_subscription=True,
            user_marked_not_subscription=False,
            is_income=False,
            status=RecurringSeries.Status.ACTIVE,
        )
        .values("household_id", "cadence")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    monthly: dict[int, float] = {}
    for row in rows:
        cost = abs(row["total"]) * PER_MONTH[row["cadence"]]
        monthly[row["household_id"]] = monthly.get(row["household_id"], 0.0) + float(cost)
    return monthly


def persona_features(ids: Sequence[int], since: dt.date) -> pd.DataFrame:
    """Feature rows (index: household id) of the households with enough history since `since`."""
    rows, index = [], []
    for chunk in chunks(ids, HOUSEHOLDS_PER_QUERY):
        cells = _cells(chunk, since)
        if cells.empty:
            continue
        subscriptions = _subscriptions_monthly(chunk)
        for household_id, group in cells.groupby("household_id", sort=True):
            row = _household_row(group, subscriptions.get(household_id, 0.0))
            if row is not None:
                rows.append(row)
                index.append(int(household_id))
    return features_frame(rows, index) if rows else pd.DataFrame()


# --- placement ---------------------------------------------------------------------------------------------------


def _population_path() -> Path:
    return Path(settings.ML_ARTIFACT_DIR) / POPULATION_ARTIFACT


def _filled_from_reference(features: pd.DataFrame) -> pd.DataFrame:
    """A feature nobody has (evening share: no times recorded) takes the reference population's typical value, so
    it is constant here and does not steer the clustering."""
    missing = [name for name in FEATURES if features[name].isna().all()]
    if not missing:
        return features
    typical = dict(zip(FEATURES, PersonaModel.load().typical, strict=True))
    return features.fillna({name: typical[name] for name in missing})


def _model_for(features: pd.DataFrame, whole_install: bool, tally: PersonaTally):
    """Fit on the population when it is big enough (whole-install runs), else the saved population model, else the
    shipped reference centroids."""
    if whole_install and len(features) >= FIT_MIN_HOUSEHOLDS:
        model = PersonaModel.fit(_filled_from_reference(features))
        model.version = f"population-{len(features)}"
        model.save(_population_path())
        tally.model = "population"
    elif _population_path().exists():
        model = PersonaModel.load(_population_path())
        tally.model = "population (saved)"
    else:
        model = PersonaModel.load()
        tally.model = "reference"
    tally.k, tally.silhouette = model.k, model.silhouette
    return model


def personas_assign(household_ids: Iterable[int] | None = None, *, as_of: dt.date | None = None) -> dict:
    """Place the households (all when None) in a persona from their last six months; records a ModelRun.

    A household keeps its current PersonaAssignment while the persona stays the same (its figures are refreshed);
    a change adds a row and keeps the old one as history. Households with too little history get none.
    """
    ids = households_to_run(household_ids)
    tally = PersonaTally(households=len(ids))
    since = (as_of or timezone.localdate()) - dt.timedelta(days=WINDOW_DAYS)
    with model_run(ModelRun.Kind.PERSONAS) as run:
        features = persona_features(ids, since)
        tally.not_enough_data = len(ids) - len(features)
        if len(features):
            model = _model_for(features, whole_install=household_ids is None, tally=tally)
            _store(features, model.place(features), tally)
            run.model_version = model.version
        run.households = len(ids)
        run.metrics.update(vars(tally))
    return {"run_id": run.run.pk, **vars(tally)}


def _json_number(value: float) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), 4)


@transaction.atomic
def _store(features: pd.DataFrame, placements: list, tally: PersonaTally) -> None:
    current = {
        p.household_id: p
        for p in PersonaAssignment.objects.filter(household_id__in=list(features.index), is_current=True)
    }
    refreshed, new = [], []
    for household_id, values, placement in zip(features.index, features.to_dict("records"), placements, strict=True):
        fields = {
            "name": placement.name,
            "description": placement.description,
            "confidence": placement.confidence,
            "top_features": [
                {
                    "feature": f.feature,
                    "label": f.label,
                    "value": f.value,
                    "typical": f.typical,
                    "direction": f.direction,
                }
                for f in placement.top_features
            ],
            "tips": list(placement.tips),
            "features": {name: _json_number(value) for name, value in values.items()},
        }
        row = current.get(household_id)
        if row is not None and row.persona == placement.persona:
            for name, value in fields.items():
                setattr(row, name, value)
            refreshed.append(row)
        else:
            new.append(PersonaAssignment(household_id=household_id, persona=placement.persona, **fields))
    # The old current rows of households whose persona changed become history before the new ones are written.
    changed = [h.household_id for h in new if h.household_id in current]
    PersonaAssignment.objects.filter(household_id__in=changed, is_current=True).update(is_current=False)
    PersonaAssignment.objects.bulk_update(
        refreshed, ["name", "description", "confidence", "top_features", "tips", "features"]
    )
    PersonaAssignment.objects.bulk_create(new)
    tally.assigned += len(refreshed) + len(new)
    tally.changed += len(new)

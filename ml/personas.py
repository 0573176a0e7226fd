"""Spending personas: cluster households on behaviour features, name clusters by persona prototypes.

Input: one row per household with the columns of `FEATURES` (computed by one SQL query on the Django side;
`household_features` is the reference implementation on a transactions frame). Definitions, over the
period considered (e.g. the last 6 months):

- spending = money out whose primary category is not INCOME, TRANSFER_IN, TRANSFER_OUT or LOAN_PAYMENTS
  (card payments would count card purchases twice; loans are financing, not behaviour);
- `avg_ticket`, `median_ticket`: mean and median absolute spending amount;
- `txn_per_month`: spending transactions per 30.44 days;
- `weekend_share`: share of spending amount on Friday to Sunday (ISO weekday 5-7);
- `evening_share`: share of spending transactions with a known time between 18:00 and 23:59
  (NULL when the bank gives no times: filled with the population mean);
- `share_<primary>`: share of spending amount per primary category, for the primaries in `SHARE_PRIMARIES`;
- `volatility`: coefficient of variation (std / mean) of spending per calendar month;
- `savings_rate`: (income - spending) / income, income = money in with primary INCOME; clipped to [-1, 1]
  (-1 without income);
- `subscription_load`: monthly cost of subscriptions (recurring series flagged `is_subscription`,
  converted to a monthly amount) / monthly income, clipped to [0, 1].

Features are transformed (log for amounts and counts), standardised, and clustered with KMeans; k is
chosen by silhouette score. Each centroid is compared with persona prototypes (points in the standardised
space) and clusters get personas by minimum total distance (Hungarian assignment), so names follow what
centroids show rather than per-household if/else. A household's confidence is its margin between the
nearest and the second nearest centroid; the features that pull it most towards its own centroid rather
than the runner-up explain the placement.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from ml.frames import validate_transactions
from ml.recurring import BY_NAME, detect_recurring

SHARE_PRIMARIES = (
    "FOOD_AND_DRINK",
    "GENERAL_MERCHANDISE",
    "ENTERTAINMENT",
    "TRAVEL",
    "TRANSPORTATION",
    "PERSONAL_CARE",
    "HOME_IMPROVEMENT",
    "MEDICAL",
    "GENERAL_SERVICES",
    "RENT_AND_UTILITIES",
)
FEATURES: tuple[str, ...] = (
    "avg_ticket",
    "median_ticket",
    "txn_per_month",
    "weekend_share",
    "evening_share",
    *(f"share_{p.lower()}" for p in SHARE_PRIMARIES),
    "volatility",
    "savings_rate",
    "subscription_load",
)
LABELS = {
    "avg_ticket": "average purchase",
    "median_ticket": "typical purchase",
    "txn_per_month": "purchases per month",
    "weekend_share": "weekend spending",
    "evening_share": "evening spending",
    "volatility": "month-to-month swings",
    "savings_rate": "savings rate",
    "subscription_load": "subscriptions vs income",
    **{f"share_{p.lower()}": f"share spent on {p.replace('_', ' ').lower()}" for p in SHARE_PRIMARIES},
}
LOG_FEATURES = frozenset({"avg_ticket", "median_ticket", "txn_per_month"})
# Standardised features are multiplied by these weights before clustering. Category shares are many, small
# and noisy (one trip moves `share_travel` a lot); at full weight they split households by what their last
# big purchase happened to be rather than by how they spend.
SHARE_WEIGHT = 0.5
WEIGHTS = np.array([SHARE_WEIGHT if name.startswith("share_") else 1.0 for name in FEATURES])
NOT_SPENDING = frozenset({"INCOME", "TRANSFER_IN", "TRANSFER_OUT", "LOAN_PAYMENTS"})
K_RANGE = range(3, 9)
OTHER_FEATURE_WEIGHT = 0.3
SILHOUETTE_SAMPLE = 4000
ARTIFACT_FORMAT = 1
DEFAULT_ARTIFACT = Path(__file__).resolve().parent / "artifacts" / f"personas-v{ARTIFACT_FORMAT}.joblib"


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    description: str
    prototype: dict[str, float]  # standardised feature values of the typical member; others are 0
    tips: tuple[str, ...]


PERSONAS: tuple[Persona, ...] = (
    Persona(
        "balanced",
        "Balanced planner",
        "Spending close to the middle on every measure, nothing stands out.",
        {},
        (
            "Keep an emergency fund of three months of essential costs.",
            "Review your budget categories once a quarter; small drifts add up.",
        ),
    ),
    Persona(
        "frugal_saver",
        "Frugal saver",
        "Saves a large share of income and spends rarely and modestly.",
        {"savings_rate": 1.6, "txn_per_month": -0.8, "share_entertainment": -0.4, "avg_ticket": -0.2},
        (
            "Put savings above your emergency fund to work: a low-cost index fund or a higher-rate account.",
            "Budget a little guilt-free spending: saving is easier to sustain with some room to enjoy.",
        ),
    ),
    Persona(
        "weekend_spender",
        "Weekend spender",
        "Much of the spending happens on weekends and evenings, going out.",
        {
            "weekend_share": 1.6,
            "evening_share": 1.2,
            "share_entertainment": 0.8,
            "share_food_and_drink": 0.4,
            "savings_rate": -0.5,
        },
        (
            "Set a weekend budget and check it on Friday afternoon.",
            "Move savings out on payday, before the weekend starts.",
        ),
    ),
    Persona(
        "big_ticket_buyer",
        "Big-ticket buyer",
        "Buys rarely but in large amounts: electronics, furniture, trips.",
        {
            "avg_ticket": 1.6,
            "median_ticket": 0.6,
            "volatility": 1.2,
            "txn_per_month": -0.6,
            "share_travel": 0.6,
            "share_general_merchandise": 0.4,
        },
        (
            "Wait 48 hours before any purchase over a set amount; many lose their appeal.",
            "Open a sinking fund for planned big purchases so they do not hit one month.",
        ),
    ),
    Persona(
        "frequent_small_spender",
        "Frequent small spender",
        "Many small purchases: coffee, snacks, convenience.",
        {
            "txn_per_month": 1.6,
            "median_ticket": -1.2,
            "avg_ticket": -0.9,
            "share_food_and_drink": 0.6,
            "savings_rate": -0.4,
        },
        (
            "Small daily purchases add up: total your coffee and snacks for one month.",
            "Try a weekly cash or card limit for small purchases.",
        ),
    ),
    Persona(
        "subscription_heavy",
        "Subscription collector",
        "A large share of income goes to recurring subscriptions.",
        {"subscription_load": 2.0, "share_entertainment": 0.4, "share_general_services": 0.4},
        (
            "List every subscription and cancel the ones you did not use last month.",
            "Share family plans, or rotate streaming services instead of keeping all at once.",
        ),
    ),
)
BY_KEY = {p.key: p for p in PERSONAS}


@dataclass(frozen=True)
class FeatureContribution:
    feature: str
    label: str
    value: float  # the household's raw value
    typical: float  # the population median
    direction: str  # higher | lower (than typical)


@dataclass(frozen=True)
class PersonaPlacement:
    persona: str  # key
    name: str
    description: str
    confidence: float
    cluster: int
    top_features: tuple[FeatureContribution, ...]
    tips: tuple[str, ...]


# -- features -----------------------------------------------------------------------------------------------


def household_features(frame: pd.DataFrame, subscriptions_monthly: float | None = None) -> dict[str, float]:
    """One household's feature row from its transactions (contract frame); reference for the SQL query.

    `subscriptions_monthly` (positive, account currency) is taken from stored recurring series when given;
    otherwise recurring series are detected here.
    """
    data = validate_transactions(frame)
    if data.empty:
        raise ValueError("no transactions: a household needs history before it has a persona")
    primary = data["category"]
    spend = data[(data["amount"] < 0) & ~primary.isin(NOT_SPENDING)]
    income = data.loc[(data["amount"] > 0) & (primary == "INCOME"), "amount"].sum()
    days = max((data["date"].max() - data["date"].min()).days + 1, 1)
    months = days / 30.44
    amounts = spend["amount"].abs()
    total = float(amounts.sum())
    row: dict[str, float] = {
        "avg_ticket": float(amounts.mean()) if len(spend) else 0.0,
        "median_ticket": float(amounts.median()) if len(spend) else 0.0,
        "txn_per_month": len(spend) / months,
        "weekend_share": float(amounts[spend["date"].dt.day_of_week >= 4].sum() / total) if total else 0.0,
    }
    timed = spend["hour"].dropna()
    row["evening_share"] = float((timed >= 18).mean()) if len(timed) else float("nan")
    for p in SHARE_PRIMARIES:
        row[f"share_{p.lower()}"] = float(amounts[spend["category"] == p].sum() / total) if total else 0.0
    monthly = amounts.groupby(spend["date"].dt.to_period("M")).sum()
    row["volatility"] = float(monthly.std(ddof=0) / monthly.mean()) if len(monthly) > 1 and monthly.mean() else 0.0
    row["savings_rate"] = float(np.clip((income - total) / income, -1, 1)) if income > 0 else -1.0
    if subscriptions_monthly is None:
        subscriptions_monthly = sum(
            abs(float(s.typical_amount)) * 30.44 / BY_NAME[s.cadence].days
            for s in detect_recurring(data)
            if s.is_subscription and s.status == "active"
        )
    monthly_income = income / months
    row["subscription_load"] = float(np.clip(subscriptions_monthly / monthly_income, 0, 1)) if monthly_income else 0.0
    return row


def features_frame(
    rows: pd.DataFrame | Sequence[dict[str, float]], index: Sequence[object] | None = None
) -> pd.DataFrame:
    """A features DataFrame with exactly `FEATURES` as columns, as floats (missing columns are an error).

    `index` (e.g. household ids) labels the rows when they are given as dicts.
    """
    if isinstance(rows, pd.DataFrame):
        frame = rows
    else:
        frame = pd.DataFrame(list(rows), index=list(index) if index is not None else None)
    missing = [f for f in FEATURES if f not in frame.columns]
    if missing:
        raise ValueError(f"persona features missing: {', '.join(missing)}")
    return frame.loc[:, list(FEATURES)].astype(float)


def _transform(frame: pd.DataFrame) -> np.ndarray:
    values = frame.loc[:, list(FEATURES)].to_numpy(dtype=float).copy()
    for j, name in enumerate(FEATURES):
        if name in LOG_FEATURES:
            values[:, j] = np.log1p(np.maximum(values[:, j], 0))
    return values


def _typical(values: np.ndarray) -> np.ndarray:
    """Population median per feature (0 for a feature no household has)."""
    known = ~np.isnan(values).all(axis=0)
    typical = np.zeros(values.shape[1])
    typical[known] = np.nanmedian(values[:, known], axis=0)
    return typical


# -- model --------------------------------------------------------------------------------------------------


@dataclass
class PersonaModel:
    mean: np.ndarray  # of transformed features (missing values are filled with it)
    scale: np.ndarray
    centroids: np.ndarray  # (k, d) in standardised, weighted space
    cluster_personas: tuple[str, ...]  # persona key per cluster
    typical: np.ndarray  # population median of raw features
    silhouette: float
    population: int
    version: str = "personas-v1"

    @property
    def k(self) -> int:
        return len(self.centroids)

    def standardise(self, frame: pd.DataFrame) -> np.ndarray:
        values = _transform(features_frame(frame))
        values = np.where(np.isnan(values), self.mean, values)
        return (values - self.mean) / self.scale * WEIGHTS

    @classmethod
    def fit(cls, frame: pd.DataFrame, seed: int = 0, k_range: range = K_RANGE) -> PersonaModel:
        """Cluster a population of households (rows of `FEATURES`), choosing k by silhouette."""
        data = features_frame(frame)
        if len(data) < max(k_range) * 5:
            raise ValueError(f"need at least {max(k_range) * 5} households to learn personas, got {len(data)}")
        raw = _transform(data)
        # A feature no household has (no bank gave times, so no evening share) is neutral: 0 for everyone.
        known = ~np.isnan(raw).all(axis=0)
        mean = np.zeros(raw.shape[1])
        mean[known] = np.nanmean(raw[:, known], axis=0)
        filled = np.where(np.isnan(raw), mean, raw)
        scale = filled.std(axis=0)
        scale[scale == 0] = 1.0
        z = (filled - mean) / scale * WEIGHTS
        rng = np.random.default_rng(seed)
        sample = z[rng.choice(len(z), min(len(z), SILHOUETTE_SAMPLE), replace=False)]
        best: tuple[float, KMeans] | None = None
        for k in k_range:
            model = KMeans(n_clusters=k, n_init=4, random_state=seed).fit(z)
            score = float(silhouette_score(sample, model.predict(sample)))
            if best is None or score > best[0]:
                best = (score, model)
        assert best is not None
        score, kmeans = best
        centroids = kmeans.cluster_centers_
        return cls(
            mean,
            scale,
            centroids,
            assign_personas(centroids),
            _typical(data.to_numpy(dtype=float)),
            round(score, 4),
            len(data),
        )

    def place(self, frame: pd.DataFrame) -> list[PersonaPlacement]:
        """Place households (rows of `FEATURES`) against the centroids."""
        z = self.standardise(frame)
        raw = features_frame(frame).to_numpy(dtype=float)
        distances = np.linalg.norm(z[:, None, :] - self.centroids[None, :, :], axis=2)
        order = np.argsort(distances, axis=1)
        placements = []
        for i in range(len(z)):
            first, second = order[i, 0], order[i, 1]
            d1, d2 = distances[i, first], distances[i, second]
            persona = BY_KEY[self.cluster_personas[first]]
            pull = (z[i] - self.centroids[second]) ** 2 - (z[i] - self.centroids[first]) ** 2
            top = [
                FeatureContribution(
                    FEATURES[j],
                    LABELS[FEATURES[j]],
                    round(float(np.nan_to_num(raw[i, j])), 4),
                    round(float(self.typical[j]), 4),
                    "higher" if z[i, j] >= 0 else "lower",
                )
                for j in np.argsort(-pull)[:3]
                if pull[j] > 0
            ]
            placements.append(
                PersonaPlacement(
                    persona.key,
                    persona.name,
                    persona.description,
                    round(float(1 - d1 / d2) if d2 > 0 else 1.0, 4),
                    int(first),
                    tuple(top),
                    persona.tips,
                )
            )
        return placements

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": ARTIFACT_FORMAT,
            "features": FEATURES,
            **{
                name: getattr(self, name)
                for name in (
                    "mean",
                    "scale",
                    "centroids",
                    "cluster_personas",
                    "typical",
                    "silhouette",
                    "population",
                    "version",
                )
            },
        }
        joblib.dump(payload, target, compress=("zlib", 6))
        return target

    @classmethod
    def load(cls, path: str | Path | None = None) -> PersonaModel:
        """Load reference centroids (default: the artefact shipped in ml/artifacts)."""
        source = Path(path) if path is not None else DEFAULT_ARTIFACT
        if not source.exists():
            raise FileNotFoundError(f"no persona artefact at {source}; run `manage.py cluster_personas`")
        payload = joblib.load(source)
        if not isinstance(payload, dict) or payload.get("format") != ARTIFACT_FORMAT:
            raise ValueError(f"{source} is not a persona artefact of format {ARTIFACT_FORMAT}")
        if tuple(payload["features"]) != FEATURES:
            raise ValueError(f"{source} was trained on other features; retrain it")
        return cls(
            *(
                payload[name]
                for name in (
                    "mean",
                    "scale",
                    "centroids",
                    "cluster_personas",
                    "typical",
                    "silhouette",
                    "population",
                    "version",
                )
            )
        )


def _prototype_matrix() -> np.ndarray:
    index = {name: j for j, name in enumerate(FEATURES)}
    matrix = np.zeros((len(PERSONAS), len(FEATURES)))
    for i, persona in enumerate(PERSONAS):
        for name, value in persona.prototype.items():
            matrix[i, index[name]] = value
    return matrix * WEIGHTS


def prototype_distances(centroids: np.ndarray) -> np.ndarray:
    """(clusters x personas) distance of each centroid to each prototype.

    Features a prototype names count fully; the others are expected near average and count with weight
    `OTHER_FEATURE_WEIGHT`, so a cluster is not denied a persona for a trait the persona says nothing about.
    """
    prototypes = _prototype_matrix()
    named = np.array([[name in p.prototype for name in FEATURES] for p in PERSONAS], dtype=float)
    weights = named + OTHER_FEATURE_WEIGHT * (1 - named)
    diff = centroids[:, None, :] - prototypes[None, :, :]
    return np.sqrt((weights[None, :, :] * diff**2).sum(axis=2))


def assign_personas(centroids: np.ndarray) -> tuple[str, ...]:
    """Persona key per centroid: distinct personas by minimum total distance, nearest for any extra cluster."""
    cost = prototype_distances(centroids)
    rows, cols = linear_sum_assignment(cost)
    keys = [PERSONAS[int(np.argmin(cost[i]))].key for i in range(len(centroids))]
    for r, c in zip(rows, cols, strict=True):
        keys[r] = PERSONAS[c].key
    return tuple(keys)


# -- synthetic reference population ---------------------------------------------------------------------------


def synthetic_population_features(n: int = 600, seed: int = 0, months: int = 6) -> pd.DataFrame:
    """Feature rows of `n` synthetic households (with the archetype they were generated from)."""
    from ml.synthetic import generate_household  # local import: synthetic data is for building references

    rows, archetypes = [], []
    for i in range(n):
        household = generate_household(seed * 100_003 + i, months=months, descriptors=False, anomalies=0)
        rows.append(household_features(household.frame()))
        archetypes.append(household.profile.archetype)
    frame = features_frame(rows)
    frame["archetype"] = archetypes
    return frame


def train_reference(path: str | Path | None = None, n: int = 600, seed: int = 0) -> dict[str, object]:
    """Learn reference centroids from a synthetic population and save them; returns a summary."""
    population = synthetic_population_features(n, seed)
    model = PersonaModel.fit(population.drop(columns="archetype"), seed)
    target = model.save(path if path is not None else DEFAULT_ARTIFACT)
    placed = model.place(population.drop(columns="archetype"))
    agreement = float(np.mean([p.persona == a for p, a in zip(placed, population["archetype"], strict=True)]))
    return {
        "path": str(target),
        "households": n,
        "k": model.k,
        "silhouette": model.silhouette,
        "personas": list(model.cluster_personas),
        "archetype_agreement": round(agreement, 4),
    }

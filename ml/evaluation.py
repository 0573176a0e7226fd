"""One report on every model's quality (for `manage.py ml_report` and the admin). Takes about a minute.

- categoriser: trained on the training split, scored on the held-out corpus (unseen merchants and formats),
  split into unseen brands, unseen local businesses and unseen bank phrases, plus known merchants in
  unseen formats; per-category precision/recall;
- forecasts: 30-day hold-out MAE of naive, cash-flow, Prophet and the chosen model on synthetic households;
- personas: silhouette of a fresh clustering of a synthetic population, and agreement with the archetypes
  the households were generated from;
- anomalies: precision and recall on injected anomalies;
- recurring: precision and recall on generated series.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ml.anomalies import anomaly_quality
from ml.categorizer.training import heldout_evaluation
from ml.forecasting.quality import forecast_quality
from ml.personas import PersonaModel, synthetic_population_features
from ml.recurring import recurring_quality


def _timed(task: Callable[[], dict[str, object]]) -> dict[str, object]:
    started = time.perf_counter()
    result = task()
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _categorizer(seed: int) -> dict[str, object]:
    model, metrics = heldout_evaluation(seed)
    measures = "a model trained on the training split, on merchants and formats it never saw (not the shipped model)"
    return {"version": model.version, "measures": measures, **metrics}


def _personas(seed: int, households: int = 300) -> dict[str, object]:
    population = synthetic_population_features(households, seed=seed + 7)
    archetypes = population.pop("archetype")
    model = PersonaModel.fit(population, seed)
    placed = model.place(population)
    agreement = sum(p.persona == a for p, a in zip(placed, archetypes, strict=True)) / len(placed)
    return {
        "households": households,
        "k": model.k,
        "silhouette": model.silhouette,
        "personas": list(model.cluster_personas),
        "archetype_agreement": round(agreement, 4),
    }


def evaluate_all(seed: int = 0) -> dict[str, object]:
    """Quality figures of every model, as a JSON-ready dict."""
    return {
        "seed": seed,
        "categorizer": _timed(lambda: _categorizer(seed)),
        "forecast": _timed(lambda: forecast_quality(20, seed)),
        "personas": _timed(lambda: _personas(seed)),
        "anomalies": _timed(lambda: anomaly_quality(20, seed)),
        "recurring": _timed(lambda: recurring_quality(20, seed)),
    }

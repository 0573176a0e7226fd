"""Personas: feature definitions, prototype naming, placement and explanations, the shipped centroids."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from ml.frames import transactions_frame
from ml.personas import (
    DEFAULT_ARTIFACT,
    FEATURES,
    PERSONAS,
    WEIGHTS,
    PersonaModel,
    _prototype_matrix,
    assign_personas,
    features_frame,
    household_features,
    synthetic_population_features,
)


def test_household_features_follow_their_definitions():
    start = date(2024, 1, 1)  # a Monday
    rows = [
        {"date": start, "amount": 3000.0, "category": "INCOME", "merchant": "Acme"},
        {"date": start + timedelta(days=31), "amount": 3000.0, "category": "INCOME", "merchant": "Acme"},
    ]
    for week in range(8):
        monday, saturday = start + timedelta(days=7 * week), start + timedelta(days=7 * week + 5)
        rows.append({"date": monday, "amount": -10.0, "category": "FOOD_AND_DRINK", "merchant": "Cafe", "hour": 8})
        rows.append({"date": saturday, "amount": -30.0, "category": "ENTERTAINMENT", "merchant": "Kino", "hour": 20})
    rows.append({"date": start + timedelta(days=3), "amount": -500.0, "category": "TRANSFER_OUT", "merchant": "Sav"})
    row = household_features(transactions_frame(rows), subscriptions_monthly=60.0)
    assert row["avg_ticket"] == pytest.approx(20.0) and row["median_ticket"] == pytest.approx(20.0)
    assert row["weekend_share"] == pytest.approx(240 / 320)
    assert row["evening_share"] == pytest.approx(0.5)
    assert row["share_food_and_drink"] == pytest.approx(80 / 320)
    assert row["share_entertainment"] == pytest.approx(240 / 320)
    assert row["savings_rate"] == pytest.approx((6000 - 320) / 6000)
    days = 55  # 1 January to 24 February, inclusive
    assert row["txn_per_month"] == pytest.approx(16 / (days / 30.44))
    assert row["subscription_load"] == pytest.approx(60.0 / (6000 / (days / 30.44)))


def test_features_frame_names_missing_columns():
    with pytest.raises(ValueError, match="missing: avg_ticket"):
        features_frame([{name: 0.0 for name in FEATURES if name != "avg_ticket"}])


def test_centroids_at_the_prototypes_get_those_personas():
    prototypes = _prototype_matrix()
    shuffled = prototypes[[3, 0, 5, 1, 4, 2]]
    assert assign_personas(shuffled) == tuple(PERSONAS[i].key for i in (3, 0, 5, 1, 4, 2))


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return synthetic_population_features(60, seed=2, months=4)


def test_fitting_a_population_and_placing_its_households(population):
    features = population.drop(columns="archetype")
    model = PersonaModel.fit(features, seed=0, k_range=range(3, 6))
    assert 3 <= model.k <= 5 and -1 <= model.silhouette <= 1
    assert len(set(model.cluster_personas)) == model.k  # distinct names while personas last
    placements = model.place(features)
    assert len(placements) == len(features)
    for p in placements:
        assert 0 <= p.confidence <= 1 and p.tips and p.name
        assert all(f.direction in ("higher", "lower") for f in p.top_features)
    again = PersonaModel.fit(features, seed=0, k_range=range(3, 6))
    assert np.allclose(again.centroids, model.centroids)


def test_a_feature_no_household_has_is_neutral_when_fitting(population):
    features = population.drop(columns="archetype").assign(evening_share=np.nan)  # no bank gave times
    model = PersonaModel.fit(features, seed=0, k_range=range(3, 6))
    evening = FEATURES.index("evening_share")
    assert np.isfinite(model.centroids).all() and np.allclose(model.centroids[:, evening], 0.0)
    assert model.mean[evening] == 0.0 and model.typical[evening] == 0.0
    placements = model.place(features)
    assert len(placements) == len(features)
    assert all(f.feature != "evening_share" for p in placements for f in p.top_features)


def test_a_household_at_a_centroid_is_placed_there_with_full_confidence(population):
    features = population.drop(columns="archetype")
    model = PersonaModel.fit(features, seed=0, k_range=range(3, 6))
    target = model.centroids[1] / WEIGHTS * model.scale + model.mean  # back to transformed units
    raw = target.copy()
    for j, name in enumerate(FEATURES):
        if name in ("avg_ticket", "median_ticket", "txn_per_month"):
            raw[j] = np.expm1(target[j])
    [placement] = model.place(pd.DataFrame([raw], columns=list(FEATURES)))
    assert placement.cluster == 1 and placement.persona == model.cluster_personas[1]
    assert placement.confidence == pytest.approx(1.0, abs=1e-6)


def test_fit_refuses_a_tiny_population(population):
    with pytest.raises(ValueError, match="need at least 40 households"):
        PersonaModel.fit(population.drop(columns="archetype").iloc[:10])


@pytest.mark.skipif(not DEFAULT_ARTIFACT.exists(), reason="reference centroids not built")
def test_reference_centroids_place_one_household(population, tmp_path):
    reference = PersonaModel.load()
    [placement] = reference.place(population.drop(columns="archetype").iloc[:1])
    assert placement.persona in {p.key for p in PERSONAS}
    copy = PersonaModel.load(reference.save(tmp_path / "p.joblib"))
    assert np.array_equal(copy.centroids, reference.centroids) and copy.cluster_personas == reference.cluster_personas

"""Personas: features from one aggregated query, placement, and the history of changes."""

from __future__ import annotations

import datetime as dt
import io
import json

import pandas as pd
import pytest
from django.core.management import call_command

from accounts.tests.factories import HouseholdFactory
from ml.models import ModelRun, PersonaAssignment
from ml.personas import FEATURES, PERSONAS, household_features
from ml.services import personas as service
from ml.services.personas import WINDOW_DAYS, persona_features, personas_assign
from ml.services.reading import transaction_frame
from ml.services.recurring import recurring_detect
from ml.tests.factories import synthetic_household_in_db
from transactions.tests.factories import TransactionFactory

pytestmark = pytest.mark.django_db
PERSONA_KEYS = {p.key for p in PERSONAS}


@pytest.fixture
def synthetic(household):
    return synthetic_household_in_db(household, seed=21, months=9)


def test_sql_features_match_the_reference_definition(household, synthetic, django_assert_num_queries):
    recurring_detect([household.pk])  # the subscription load comes from the stored series
    since = synthetic.end - dt.timedelta(days=WINDOW_DAYS)
    with django_assert_num_queries(2):  # the aggregated transactions, the subscriptions
        ours = persona_features([household.pk], since).loc[household.pk]
    frame = transaction_frame(household)
    reference = household_features(frame[frame["date"] >= pd.Timestamp(since)])
    for name in FEATURES:
        if name == "evening_share":
            assert pd.isna(ours[name])  # no time of day is recorded
        elif name == "median_ticket":  # estimated from a histogram of ticket sizes
            assert ours[name] == pytest.approx(reference[name], rel=0.06)
        else:
            assert ours[name] == pytest.approx(reference[name], rel=1e-6, abs=1e-9), name


def test_one_household_is_placed_with_the_reference_centroids(household, synthetic):
    summary = personas_assign([household.pk], as_of=synthetic.end)

    assert (summary["assigned"], summary["changed"], summary["model"]) == (1, 1, "reference")
    persona = PersonaAssignment.objects.get(household=household, is_current=True)
    assert persona.persona in PERSONA_KEYS and persona.name and persona.description
    assert 0 <= persona.confidence <= 1 and persona.tips
    assert {f["direction"] for f in persona.top_features} <= {"higher", "lower"}
    assert set(persona.features) == set(FEATURES) and persona.features["evening_share"] is None
    run = ModelRun.objects.get(pk=summary["run_id"])
    assert run.kind == "cluster_personas" and run.metrics["k"] == summary["k"] > 1


def test_history_keeps_one_row_per_change(household, synthetic):
    personas_assign([household.pk], as_of=synthetic.end)
    personas_assign([household.pk], as_of=synthetic.end)
    assert PersonaAssignment.objects.for_household(household).count() == 1

    first = PersonaAssignment.objects.get(household=household)
    other = next(key for key in PERSONA_KEYS if key != first.persona)
    PersonaAssignment.objects.filter(pk=first.pk).update(persona=other)  # as if it had been another persona
    summary = personas_assign([household.pk], as_of=synthetic.end)

    rows = list(PersonaAssignment.objects.for_household(household).order_by("assigned_at", "pk"))
    assert summary["changed"] == 1
    assert [(r.persona, r.is_current) for r in rows] == [(other, False), (first.persona, True)]


def test_too_little_history_gets_no_persona(household):
    TransactionFactory(household=household, date=dt.date.today())
    summary = personas_assign([household.pk])
    assert (summary["assigned"], summary["not_enough_data"]) == (0, 1)
    assert not PersonaAssignment.objects.exists()


def test_a_large_install_learns_its_own_centroids(settings, tmp_path, monkeypatch, household, synthetic):
    settings.ML_ARTIFACT_DIR = tmp_path
    monkeypatch.setattr(service, "FIT_MIN_HOUSEHOLDS", 40)
    for seed in range(100, 139):
        synthetic_household_in_db(HouseholdFactory(), seed=seed, months=9, descriptors=False)

    summary = personas_assign(as_of=synthetic.end)

    assert (summary["model"], summary["assigned"]) == ("population", 40)
    assert summary["k"] > 2 and 0 < summary["silhouette"] < 1
    assert (tmp_path / service.POPULATION_ARTIFACT).exists()
    assert personas_assign([household.pk], as_of=synthetic.end)["model"] == "population (saved)"


def test_command_json(household, synthetic):
    out = io.StringIO()
    call_command("cluster_personas", "--household", str(household.pk), "--json", stdout=out)
    summary = json.loads(out.getvalue())
    # the last six months from today: the generated history is older, so there is honestly nothing to place
    assert (summary["households"], summary["assigned"], summary["not_enough_data"]) == (1, 0, 1)

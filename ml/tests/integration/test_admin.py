"""The operators' view: model runs with their quality figures, and every ML model's list page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from accounts.tests.otp import enable_mfa, password_step, totp_code
from ml.models import (
    Anomaly,
    BalanceForecast,
    DismissedAnomalyPattern,
    MerchantCategoryMemory,
    ModelRun,
    PersonaAssignment,
    RecurringSeries,
    SuggestionOutcome,
)
from ml.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, password):
    staff = UserFactory(password=password, is_staff=True, is_superuser=True)
    device, _ = enable_mfa(staff)
    password_step(client, staff.email, password)
    client.post(reverse("account_login_otp"), {"code": totp_code(device, steps_ahead=1)})
    return client


@pytest.mark.parametrize(
    "model",
    [ModelRun, MerchantCategoryMemory, SuggestionOutcome, RecurringSeries, Anomaly, DismissedAnomalyPattern,
     PersonaAssignment, BalanceForecast],
)  # fmt: skip
def test_list_pages(staff_client, model):
    factory = next(f for f in vars(factories).values() if getattr(getattr(f, "_meta", None), "model", None) is model)
    factory()
    url = reverse(f"admin:ml_{model._meta.model_name}_changelist")
    assert staff_client.get(url).status_code == 200


def test_run_list_and_page_show_the_metrics(staff_client):
    run = factories.ModelRunFactory(
        kind=ModelRun.Kind.TRAIN_CATEGORIZER,
        model_version="cat1-abc",
        metrics={"accuracy": 0.9312, "corrections": 14, "per_category": {"TRAVEL": {"precision": 0.88}}},
    )
    html = staff_client.get(reverse("admin:ml_modelrun_changelist")).content.decode()
    assert "accuracy: <b>0.931</b>" in html and "corrections: <b>14</b>" in html
    page = staff_client.get(reverse("admin:ml_modelrun_change", args=[run.pk])).content.decode()
    assert "per_category" in page and "&quot;precision&quot;: 0.88" in page
    assert "No suggestions decided yet." in page

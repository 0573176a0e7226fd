"""The command-line contract of the foundation: createsuperuser with a household, seed_demo and
setup_periodic_tasks (both idempotent), and the Celery app's configuration."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from accounts.models import Household, Membership, User
from fincoach.celery import app
from fincoach.management.commands.seed_demo import DEMO_EMAIL
from fincoach.management.commands.setup_periodic_tasks import collect_specs

pytestmark = pytest.mark.django_db


def _run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_createsuperuser_noinput_gives_the_admin_a_household(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "an-operator-secret-99")

    _run("createsuperuser", "--noinput", "--email", "ops@example.com")

    user = User.objects.get(email="ops@example.com")
    assert user.is_superuser and user.is_staff and user.check_password("an-operator-secret-99")
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER


def test_seed_demo_prints_the_login_and_is_idempotent():
    first = _run("seed_demo", "--months", "2")
    households = Household.objects.count()
    second = _run("seed_demo", "--months", "2")

    assert f"Demo login: {DEMO_EMAIL} / password: {settings.FINCOACH_DEMO_PASSWORD}" in first
    assert "Demo login" in second
    assert Household.objects.count() == households
    demo = User.objects.get(email=DEMO_EMAIL)
    assert demo.check_password(settings.FINCOACH_DEMO_PASSWORD)
    assert demo.membership.household.name == "Demo household"
    assert demo.emailaddress_set.get().verified


def test_setup_periodic_tasks_is_idempotent():
    first = json.loads(_run("setup_periodic_tasks", "--json"))
    second = json.loads(_run("setup_periodic_tasks", "--json"))

    specs = collect_specs()
    assert first["created"] == len(specs)
    assert second == {"created": 0, "updated": len(specs), "total": first["total"]}
    assert set(PeriodicTask.objects.values_list("name", flat=True)) >= {spec.name for spec in specs}


def test_celery_app_configuration():
    app.loader.import_default_modules()  # what a worker does at start: autodiscovers every app's tasks.py
    conf = app.conf
    assert (conf.task_serializer, conf.result_serializer, list(conf.accept_content)) == ("json", "json", ["json"])
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.task_time_limit > conf.task_soft_time_limit > 0
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert "insights.send_notification_email" in app.tasks

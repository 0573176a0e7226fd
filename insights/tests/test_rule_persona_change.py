from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from insights.rules import persona_change
from ml.models import PersonaAssignment
from ml.tests.factories import PersonaAssignmentFactory

pytestmark = pytest.mark.django_db


def _assigned(assignment, day):
    PersonaAssignment.objects.filter(pk=assignment.pk).update(
        assigned_at=timezone.make_aware(datetime.combine(day, datetime.min.time()))
    )


def test_a_new_persona_is_announced_with_its_tip(household, make_ctx, today):
    old = PersonaAssignmentFactory(
        household=household, persona="weekend_spender", name="Weekend spender", is_current=False
    )
    _assigned(old, today - timedelta(days=40))
    new = PersonaAssignmentFactory(
        household=household,
        persona="frugal_saver",
        name="Frugal saver",
        description="You keep spending low and save a large share of income.",
        tips=["Put the surplus to work in a goal."],
    )
    _assigned(new, today - timedelta(days=1))

    [candidate] = persona_change.evaluate(make_ctx())

    assert candidate.title == "Your spending persona is now Frugal saver"
    assert candidate.message == (
        "Recent months moved you from Weekend spender to Frugal saver. You keep spending low and save a large "
        "share of income. Tip: Put the surplus to work in a goal."
    )
    assert candidate.dedupe_key == f"persona:{new.pk}"
    assert candidate.data["previous"] == "weekend_spender"


def test_first_persona_is_introduced(household, make_ctx, today):
    _assigned(PersonaAssignmentFactory(household=household, name="Balanced spender"), today)
    [candidate] = persona_change.evaluate(make_ctx())
    assert candidate.title == "Meet your spending persona: Balanced spender"


def test_same_persona_again_or_an_old_assignment_gives_nothing(household, make_ctx, today):
    _assigned(
        PersonaAssignmentFactory(household=household, persona="balanced", is_current=False), today - timedelta(days=60)
    )
    _assigned(PersonaAssignmentFactory(household=household, persona="balanced"), today)
    assert persona_change.evaluate(make_ctx()) == []

    PersonaAssignment.objects.filter(household=household).delete()
    _assigned(PersonaAssignmentFactory(household=household, persona="frugal_saver"), today - timedelta(days=30))
    assert persona_change.evaluate(make_ctx()) == []

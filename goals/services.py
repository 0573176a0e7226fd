"""Writes for goals: create, update, delete, contributions, and once-only milestone celebrations."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from budgets.clock import HouseholdClock, household_clock
from fincoach.money import format_money, to_money
from insights.models import Notification
from insights.notifications import notify_household
from transactions.models import Transaction

from .models import MILESTONES, Goal, GoalContribution, GoalMilestone
from .selectors import GoalProgress, goal_with_progress, goals_with_progress

EDITABLE_FIELDS = (
    "name",
    "kind",
    "target_amount",
    "target_date",
    "priority",
    "status",
    "linked_account",
    "apr",
    "minimum_payment",
    "notes",
    "started_on",
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown goal fields: {', '.join(sorted(unknown))}")


def _validated(goal: Goal) -> Goal:
    account = goal.linked_account
    if account is not None and account.household_id != goal.household_id:
        raise ValidationError({"linked_account": "Choose one of your own accounts."})
    if not goal.is_debt:
        goal.apr = None
        goal.minimum_payment = None
    goal.target_amount = to_money(goal.target_amount)
    goal.full_clean(exclude=["household"])
    return goal


@transaction.atomic
def goal_create(*, household, name: str, target_amount: Decimal | str, **fields) -> Goal:
    """A new goal; its pace is measured from today unless `started_on` says otherwise."""
    _check_fields(fields)
    fields.setdefault("started_on", household_clock(household).today)
    goal = _validated(Goal(household=household, name=name, target_amount=target_amount, **fields))
    goal.save()
    # A linked account may already be part-way there: those milestones are not news, so they are noted silently.
    transaction.on_commit(lambda: goal_milestones_check(goal, announce=False))
    return goal


@transaction.atomic
def goal_update(goal: Goal, **fields) -> Goal:
    """Change a goal. Completing it stamps `completed_at`; reopening clears it (milestones stay celebrated)."""
    _check_fields(fields)
    for name, value in fields.items():
        setattr(goal, name, value)
    if goal.status == Goal.Status.COMPLETED and goal.completed_at is None:
        goal.completed_at = timezone.now()
    elif goal.status != Goal.Status.COMPLETED:
        goal.completed_at = None
    _validated(goal).save()
    transaction.on_commit(lambda: goal_milestones_check(goal))
    return goal


@transaction.atomic
def goal_delete(goal: Goal) -> None:
    goal.delete()


@transaction.atomic
def goal_contribute(
    goal: Goal,
    *,
    amount: Decimal | str | None = None,
    day: date | None = None,
    note: str = "",
    linked_transaction: Transaction | None = None,
    user=None,
) -> GoalContribution:
    """Put money toward a goal (a negative amount takes some back out). Linked to a transaction, the amount and
    date default to the transaction's."""
    if linked_transaction is not None:
        if linked_transaction.household_id != goal.household_id:
            raise ValidationError({"transaction": "Choose one of your own transactions."})
        if GoalContribution.objects.filter(goal=goal, transaction=linked_transaction).exists():
            raise ValidationError({"transaction": "This transaction already counts toward this goal."})
        amount = abs(linked_transaction.amount) if amount in (None, "") else amount
        day = day or linked_transaction.date
    if amount in (None, ""):
        raise ValidationError({"amount": "Say how much to put toward the goal."})
    amount = to_money(amount)
    if amount == 0:
        raise ValidationError({"amount": "A contribution cannot be zero."})
    contribution = GoalContribution.objects.create(
        household=goal.household,
        goal=goal,
        amount=amount,
        date=day or household_clock(goal.household).today,
        note=note[:200],
        transaction=linked_transaction,
        created_by=user,
    )
    transaction.on_commit(lambda: goal_milestones_check(goal))
    return contribution


@transaction.atomic
def goal_contribution_delete(contribution: GoalContribution) -> None:
    contribution.delete()


# --- milestones ----------------------------------------------------------------------------------------------------


def goal_milestones_check(
    goal: Goal, *, clock: HouseholdClock | None = None, announce: bool = True
) -> list[GoalMilestone]:
    """Record and celebrate the milestones an active goal has newly reached; each is celebrated once.

    When several are passed at once (a big deposit), only the highest is announced; reaching 100% completes the
    goal with a celebration. With `announce=False` they are recorded without a notification.
    """
    goal.refresh_from_db(fields=["status"])
    if goal.status != Goal.Status.ACTIVE:
        return []
    return _celebrate(goal_with_progress(goal, clock=clock or household_clock(goal.household)), announce=announce)


def goals_milestones_check_household(household, *, clock: HouseholdClock | None = None) -> list[GoalMilestone]:
    """The milestone check for every active goal of a household (progress read in a fixed number of queries)."""
    reached = []
    for progress in goals_with_progress(household, clock=clock or household_clock(household)):
        if progress.goal.status == Goal.Status.ACTIVE:
            reached.extend(_celebrate(progress))
    return reached


def _celebrate(progress: GoalProgress, announce: bool = True) -> list[GoalMilestone]:
    goal = progress.goal
    new = [m for m in (_record_milestone(goal, p) for p in MILESTONES if progress.percent >= p) if m is not None]
    if not new:
        return []
    highest = new[-1].percent
    if highest == 100:
        _complete(goal)
    if announce:
        _notify(progress, highest)
    return new


def _record_milestone(goal: Goal, percent: int) -> GoalMilestone | None:
    try:
        with transaction.atomic():
            milestone, created = GoalMilestone.objects.get_or_create(
                goal=goal, percent=percent, defaults={"household": goal.household}
            )
    except IntegrityError:  # a concurrent check recorded it first
        return None
    return milestone if created else None


def _complete(goal: Goal) -> None:
    Goal.objects.filter(pk=goal.pk, status=Goal.Status.ACTIVE).update(
        status=Goal.Status.COMPLETED, completed_at=timezone.now()
    )


_MILESTONE_TITLES = {
    25: "A quarter of the way to {name}",
    50: "Halfway to {name}",
    75: "Three quarters of the way to {name}",
    100: "🎉 You reached {name}!",
}


def _notify(progress: GoalProgress, percent: int) -> None:
    goal = progress.goal
    currency = goal.household.currency
    saved, target = format_money(progress.saved, currency), format_money(progress.target, currency)
    body = f"{saved} of {target} {'paid off' if goal.is_debt else 'saved'}."
    if percent == 100:
        body += " Goal complete — well done!"
    notify_household(
        goal.household,
        kind="goal_completed" if percent == 100 else "goal_milestone",
        title=_MILESTONE_TITLES[percent].format(name=goal.name),
        body=body,
        link=reverse("goals:detail", kwargs={"goal_id": goal.pk}),
        priority=Notification.Priority.HIGH if percent == 100 else Notification.Priority.NORMAL,
        dedupe_key=f"goal:{goal.pk}:milestone:{percent}",
    )

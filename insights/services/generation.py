"""Generating insights: run the rules for a person, drop repeats, respect their caps and frequency, rank by what
they found helpful, word it in their tone (optionally through the language model), store, and notify.

The network (the language model) is used before the database lock; storing re-checks repeats under a lock on the
person's preferences row, so the morning run and an import finishing at the same moment cannot both send one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.utils import timezone

from accounts.models import Membership, Preferences

from .. import links
from ..facts.periods import local_today
from ..llm.client import llm_enabled
from ..models import Insight
from ..notifications import notify_user
from ..rules import EVENT_RULES, RULES
from ..rules.base import Candidate, RuleContext
from . import caps, llm_coach, ranking
from .tone import apply_tone, tone_of

logger = logging.getLogger(__name__)

TRIGGERS = ("daily", "event", "command", "demo")


@dataclass
class GenerationResult:
    user_id: int
    candidates: int = 0
    created: list[Insight] = field(default_factory=list)
    repeats: int = 0
    over_cap: int = 0
    failed_rules: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "user_id": self.user_id,
            "candidates": self.candidates,
            "created": len(self.created),
            "kinds": sorted({i.kind for i in self.created}),
            "repeats": self.repeats,
            "over_cap": self.over_cap,
            "failed_rules": self.failed_rules,
        }


@dataclass
class _Chosen:
    candidate: Candidate
    score: float
    title: str
    message: str
    wording: str


def run_rules(ctx: RuleContext, names: tuple[str, ...] | None = None) -> tuple[list[Candidate], list[str]]:
    """Every rule's candidates; a failing rule is logged and skipped, never stopping the others."""
    candidates, failed = [], []
    for name in names or tuple(RULES):
        try:
            candidates.extend(RULES[name].evaluate(ctx))
        except Exception:
            logger.exception("insight rule %s failed for household %s", name, ctx.household.pk)
            failed.append(name)
    return candidates, failed


def _repeats(user, candidates: list[Candidate], now) -> set[str]:
    """Keys of candidates already given inside their window (one query)."""
    keys = {c.dedupe_key for c in candidates}
    given: dict[str, object] = {}
    for key, created in (
        Insight.objects.for_user(user).filter(dedupe_key__in=keys).values_list("dedupe_key", "created_at")
    ):
        given[key] = max(created, given.get(key, created))
    repeated = set()
    for candidate in candidates:
        last = given.get(candidate.dedupe_key)
        if last is not None and (candidate.window is None or now - last < candidate.window):
            repeated.add(candidate.dedupe_key)
    return repeated


def _choose(user, candidates: list[Candidate], *, today: date, result: GenerationResult) -> list[_Chosen]:
    """Alerts and undelivered records all pass; delivered coaching is ranked and cut to the person's allowance."""
    weights = ranking.feedback_weights(user)
    scored = sorted(
        (
            (ranking.score(priority=c.priority, relevance=c.relevance, weight=weights.get(c.kind, 1.0)), c)
            for c in candidates
        ),
        key=lambda pair: (-pair[0], pair[1].dedupe_key),
    )
    allowance = caps.coaching_allowance(user, today=today)
    chosen, seen_keys = [], set()
    for value, candidate in scored:
        if candidate.dedupe_key in seen_keys:
            continue
        seen_keys.add(candidate.dedupe_key)
        capped = candidate.deliver and not candidate.is_alert
        if capped:
            if allowance <= 0:
                result.over_cap += 1
                continue
            allowance -= 1
        chosen.append(_Chosen(candidate, value, candidate.title, candidate.message, candidate.wording))
    return chosen


def _word(household, user, chosen: list[_Chosen]) -> None:
    """The person's tone: the language model's rewording when it is on and valid, else the tone templates."""
    tone = tone_of(user)
    rewrites = {}
    if llm_enabled():
        originals = {
            str(i): llm_coach.Wording(c.title, c.message)
            for i, c in enumerate(chosen)
            if c.wording == Insight.Wording.TEMPLATE
        }
        rewrites = llm_coach.rewrite_in_tone(household, items=originals, tone=tone)
    for index, item in enumerate(chosen):
        if item.wording == Insight.Wording.LLM:
            continue
        rewrite = rewrites.get(str(index))
        if rewrite is not None:
            item.title, item.message, item.wording = rewrite.title, rewrite.message, Insight.Wording.LLM
        else:
            item.message = apply_tone(item.message, tone=tone, sentiment=item.candidate.sentiment)


def _store(household, user, chosen: list[_Chosen], *, trigger: str, result: GenerationResult) -> None:
    now = timezone.now()
    with transaction.atomic():
        # Serialise generation per person (see the module docstring).
        Preferences.objects.select_for_update().filter(user=user).first()
        repeated = _repeats(user, [c.candidate for c in chosen], now)
        for item in chosen:
            candidate = item.candidate
            if candidate.dedupe_key in repeated:
                result.repeats += 1
                continue
            insight = Insight.objects.create(
                household=household,
                user=user,
                kind=candidate.kind,
                priority=candidate.priority,
                sentiment=candidate.sentiment,
                is_alert=candidate.is_alert,
                title=item.title,
                message=item.message,
                data=candidate.data,
                action_url=candidate.action_url or links.insights_page(),
                action_label=candidate.action_label or "See insights",
                wording=item.wording,
                score=item.score,
                dedupe_key=candidate.dedupe_key,
                trigger=trigger,
                delivered=candidate.deliver,
                created_at=now,
                expires_at=candidate.expires_at,
            )
            if candidate.deliver:
                insight.notification = notify_user(
                    user,
                    household=household,
                    kind="insight",
                    title=insight.title,
                    body=insight.message,
                    link=links.insight_open(insight.pk),
                    priority=insight.priority,
                    dedupe_key=f"insight:{insight.pk}",
                )
                insight.save(update_fields=["notification"])
            result.created.append(insight)


def insights_generate_for_user(
    user, *, household=None, trigger: str = "daily", today: date | None = None, rules: tuple[str, ...] | None = None
) -> GenerationResult:
    """Generate, choose, word, store and deliver today's insights for one person."""
    from accounts.selectors import household_for_user

    household = household or household_for_user(user)
    result = GenerationResult(user_id=user.pk)
    if household is None:
        return result
    today = today or local_today(user)
    prefs = getattr(user, "preferences", None)
    ctx = RuleContext(household=household, user=user, today=today, week_start=getattr(prefs, "week_start", 0))
    candidates, result.failed_rules = run_rules(ctx, rules)
    if trigger in ("daily", "command"):
        candidates.extend(llm_coach.daily_insights(household, user, today=today, tone=tone_of(user)))
    result.candidates = len(candidates)
    repeated = _repeats(user, candidates, timezone.now())
    result.repeats = len(repeated)
    fresh = [c for c in candidates if c.dedupe_key not in repeated]
    chosen = _choose(user, fresh, today=today, result=result)
    if chosen:
        _word(household, user, chosen)
        _store(household, user, chosen, trigger=trigger, result=result)
    return result


def insights_generate_for_household(
    household, *, trigger: str = "daily", today: date | None = None, rules: tuple[str, ...] | None = None
) -> list[GenerationResult]:
    """Every member of the household gets their own insights (their tone, caps and feedback)."""
    if trigger == "event" and rules is None:
        rules = EVENT_RULES
    members = Membership.objects.filter(household=household).select_related("user__preferences", "household")
    return [
        insights_generate_for_user(m.user, household=household, trigger=trigger, today=today, rules=rules)
        for m in members
        if m.user.is_active
    ]


# --- entry points for tasks and commands --------------------------------------------------------------------------


def generate_for_household_id(household_id: int, *, trigger: str) -> list[dict]:
    from accounts.models import Household

    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        return []
    return [r.as_dict() for r in insights_generate_for_household(household, trigger=trigger)]


def generate_for_user_id(user_id: int, *, trigger: str) -> dict:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.select_related("preferences").filter(pk=user_id, is_active=True).first()
    if user is None:
        return {"user_id": user_id, "created": 0}
    return insights_generate_for_user(user, trigger=trigger).as_dict()


def users_at_morning_hour(now=None):
    """Active users for whom it is now the morning hour (settings.INSIGHTS_MORNING_HOUR) in their own time zone."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from ..facts.periods import zone_named

    now = now or timezone.now()
    hour = getattr(settings, "INSIGHTS_MORNING_HOUR", 7)
    zones = set(Preferences.objects.values_list("timezone", flat=True).distinct()) | {"UTC"}
    morning = [name for name in zones if now.astimezone(zone_named(name)).hour == hour]
    users = get_user_model().objects.filter(is_active=True, membership__isnull=False)
    if "UTC" in morning:
        return users.filter(models.Q(preferences__timezone__in=morning) | models.Q(preferences__isnull=True))
    return users.filter(preferences__timezone__in=morning)

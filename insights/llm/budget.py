"""The daily token budget per household (settings.LLM_DAILY_TOKEN_BUDGET), kept in `LLMUsage` rows."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import LLMUsage


def tokens_used_today(household) -> int:
    usage = LLMUsage.objects.for_household(household).filter(day=timezone.localdate()).first()
    return usage.total_tokens if usage else 0


def tokens_left_today(household) -> int:
    return max(settings.LLM_DAILY_TOKEN_BUDGET - tokens_used_today(household), 0)


def can_spend(household, tokens: int) -> bool:
    return tokens <= tokens_left_today(household)


@transaction.atomic
def record_usage(
    household, *, prompt_tokens: int = 0, completion_tokens: int = 0, requests: int = 1, failed: bool = False
) -> None:
    """Add one request's tokens to today's row (atomic increments: concurrent requests do not lose counts)."""
    usage, _ = LLMUsage.objects.get_or_create(household=household, day=timezone.localdate())
    LLMUsage.objects.filter(pk=usage.pk).update(
        prompt_tokens=F("prompt_tokens") + max(prompt_tokens, 0),
        completion_tokens=F("completion_tokens") + max(completion_tokens, 0),
        requests=F("requests") + requests,
        failures=F("failures") + (1 if failed else 0),
    )


def estimate_tokens(text: str) -> int:
    """A cautious estimate (about four characters a token) used before a request, to respect the budget."""
    return len(text) // 3 + 1

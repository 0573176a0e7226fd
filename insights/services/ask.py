"""Ask the coach: decline product picks, try the language model when it is on, else (or when it fails) the
deterministic engine; keep the exchange for the page's history."""

from __future__ import annotations

import logging

from django.db import transaction

from ..coach import engine, parsing
from ..coach.llm_engine import answer_with_llm
from ..coach.safety import DECLINE, asks_for_products
from ..coach.tools import ToolContext
from ..facts.periods import local_today
from ..llm.client import LLMError, llm_enabled, record_rejection
from ..llm.privacy import PrivacyError
from ..llm.schema import LLMInvalid
from ..models import CoachExchange

logger = logging.getLogger(__name__)

MAX_QUESTION = 500


class QuestionError(ValueError):
    """A question the coach cannot take (empty or too long)."""


def _custom_categories(household) -> dict[str, parsing.CategoryMatch]:
    """The household's own category names (and renames), so "how much on Kids' activities?" works too."""
    from transactions.models import Category, CategoryPreference

    words = {
        c.name.lower(): parsing.CategoryMatch(c.name, frozenset({c.code}))
        for c in Category.objects.for_household(household).filter(household=household)
    }
    for pref in CategoryPreference.objects.for_household(household).exclude(custom_name="").select_related("category"):
        words[pref.custom_name.lower()] = parsing.CategoryMatch(pref.custom_name, frozenset({pref.category.code}))
    return words


def coach_answer(user, household, question: str) -> engine.Answer:
    """Answer without storing (the API and the page both go through `coach_ask`)."""
    question = " ".join((question or "").split())
    if not question:
        raise QuestionError("Ask a question about your money.")
    if len(question) > MAX_QUESTION:
        raise QuestionError(f"Questions can be at most {MAX_QUESTION} characters.")
    if asks_for_products(question):
        return engine.Answer(DECLINE, intent="products", engine="declined")
    today = local_today(user)
    prefs = getattr(user, "preferences", None)
    if llm_enabled():
        ctx = ToolContext(household, user, today, share_merchants=bool(getattr(prefs, "llm_share_merchants", False)))
        try:
            return answer_with_llm(ctx, question)
        except PrivacyError as exc:
            logger.warning("coach question not sent to the model: it would have contained %s", exc)
        except LLMInvalid as exc:
            record_rejection(household)
            logger.info("LLM answer rejected, answering deterministically: %s", exc)
        except LLMError as exc:
            logger.info("LLM unavailable, answering deterministically: %s", exc)
    parsed = parsing.parse(question, today, extra_categories=_custom_categories(household))
    return engine.answer(parsed, ToolContext(household, user, today))


@transaction.atomic
def coach_ask(user, household, question: str) -> tuple[CoachExchange, engine.Answer]:
    answer = coach_answer(user, household, question)
    exchange = CoachExchange.objects.create(
        household=household,
        user=user,
        question=" ".join(question.split())[:MAX_QUESTION],
        answer=answer.text,
        engine=answer.engine,
        intent=answer.intent,
        tools_used=answer.tools_used,
    )
    return exchange, answer

"""The language model as a writer: it rewords rule insights in the person's tone and adds daily insights, from an
aggregate snapshot only. Whatever goes wrong — disabled, over budget, timeout, malformed JSON, a number that is
not in the data — the rules' deterministic wording stands.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import Preferences

from ..facts.periods import end_of_local_day
from ..llm import schema
from ..llm.client import LLMError, chat, llm_enabled, record_rejection
from ..llm.payload import household_snapshot
from ..llm.privacy import PrivacyError, Redactor, dumps
from ..models import Insight

logger = logging.getLogger(__name__)

TONE_GUIDE = {
    Preferences.Tone.GENTLE: "gentle and encouraging, never scolding",
    Preferences.Tone.DIRECT: "direct and brief, facts first, no filler",
    Preferences.Tone.CHEERFUL: "cheerful and upbeat, one emoji at most",
}

SYSTEM = (
    "You are fincoach, a personal-finance coach for one household. You only see aggregates of their own data. "
    "Write in plain English, in a {tone} tone. Use only numbers that appear in the data you are given — never "
    "compute new ones, never guess. Do not recommend specific securities, funds or financial products. "
    "Answer with one JSON object and nothing else."
)


@dataclass(frozen=True)
class Wording:
    title: str
    message: str


def _system(tone: str) -> dict:
    return {"role": "system", "content": SYSTEM.format(tone=TONE_GUIDE.get(tone, TONE_GUIDE["gentle"]))}


def rewrite_in_tone(household, *, items: dict[str, Wording], tone: str) -> dict[str, Wording]:
    """New wording for some of `items` (keyed by an id of the caller's), each validated on its own: fits the
    lengths and uses only the numbers of its original. Items missing from the answer keep their wording."""
    if not items or not llm_enabled():
        return {}
    redactor = Redactor(household)
    request = {
        "task": "Rewrite each insight in the requested tone. Keep every amount and date exactly as written.",
        "answer_format": {"rewrites": [{"id": "the item's id", "title": "≤ 60 characters", "message": "≤ 240"}]},
        "insights": [{"id": key, "title": w.title, "message": w.message} for key, w in items.items()],
    }
    try:
        content = dumps(request)
        redactor.assert_private(content)
        answer = chat([_system(tone), {"role": "user", "content": content}], household=household, json_mode=True)
        document = schema.parse(answer.content, schema.REWRITES)
    except PrivacyError as exc:
        logger.warning("insight rewrite not sent: it would have contained %s", exc)
        return {}
    except schema.LLMInvalid as exc:
        record_rejection(household)
        logger.info("LLM rewrite rejected: %s", exc)
        return {}
    except LLMError as exc:
        logger.info("LLM rewrite unavailable: %s", exc)
        return {}
    out = {}
    for item in document["rewrites"]:
        original = items.get(item["id"])
        if original is None:
            continue
        allowed = schema.allowed_numbers(f"{original.title} {original.message}")
        invented = schema.invented_numbers(f"{item['title']} {item['message']}", allowed)
        if invented:
            logger.info("LLM rewrite of %s dropped: numbers not in the original: %s", item["id"], invented)
            continue
        out[item["id"]] = Wording(item["title"].strip(), item["message"].strip())
    return out


def daily_insights(household, user, *, today: date, tone: str):
    """Up to two insights written by the model from the household snapshot, as rule candidates (empty when the
    model is off, over budget, or its answer fails the schema or uses a number that is not in the snapshot)."""
    from ..rules.base import Candidate, Kind, Priority

    if not llm_enabled():
        return []
    redactor = Redactor(household)
    snapshot = household_snapshot(household, user, today=today, redactor=redactor)
    request = {
        "task": (
            "Write at most two short, specific, useful insights for today from this data. Each needs a topic, a "
            "sentiment, a title and a message. Only use numbers that appear in the data."
        ),
        "answer_format": {
            "insights": [
                {
                    "topic": "|".join(schema.TOPICS),
                    "sentiment": "|".join(schema.SENTIMENTS),
                    "title": "≤ 60 characters",
                    "message": "≤ 240 characters",
                }
            ]
        },
        "data": snapshot,
    }
    try:
        content = dumps(request)
        redactor.assert_private(content)
        answer = chat([_system(tone), {"role": "user", "content": content}], household=household, json_mode=True)
        document = schema.parse(answer.content, schema.DAILY_INSIGHTS)
        allowed = schema.allowed_numbers(dumps(snapshot))
        for item in document["insights"]:
            schema.require_known_numbers(f"{item['title']} {item['message']}", allowed)
    except PrivacyError as exc:
        logger.warning("daily insights not requested: the payload would have contained %s", exc)
        return []
    except schema.LLMInvalid as exc:
        record_rejection(household)
        logger.info("LLM daily insights rejected: %s", exc)
        return []
    except LLMError as exc:
        logger.info("LLM daily insights unavailable: %s", exc)
        return []
    return [
        Candidate(
            kind=Kind.DAILY_TIP,
            title=item["title"].strip(),
            message=item["message"].strip(),
            priority=Priority.LOW,
            sentiment=item["sentiment"],
            dedupe_key=f"daily_tip:{today.isoformat()}:{index}",
            expires_at=end_of_local_day(user, today + timedelta(days=1)),
            relevance=0.5,
            data={"topic": item["topic"]},
            wording=Insight.Wording.LLM,
        )
        for index, item in enumerate(document["insights"])
    ]

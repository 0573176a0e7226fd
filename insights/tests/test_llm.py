"""The optional language model, against a local OpenAI-compatible server driven through the real `openai` client:
valid answers, malformed JSON, numbers that do not match, timeouts, the privacy of the request body and the daily
token budget. Whatever fails, the deterministic wording stands."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest

from accounts.models import Preferences
from goals.tests.factories import GoalFactory
from insights.facts.periods import local_today
from insights.llm.budget import tokens_used_today
from insights.models import Insight, LLMUsage
from insights.services import insights_generate_for_user
from insights.services.ask import coach_answer
from insights.services.llm_coach import daily_insights

from .coach_factories import account, coaching_candidate, txn
from .llm_server import content_reply, json_reply, slow_reply, tool_call_reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def money(member, household):
    """A household whose sensitive details must never reach the model."""
    household.name = "Smith family"
    household.save()
    member.display_name = "Annabel"
    member.save()
    today = local_today(member)
    account(household, "Joint Checking 4821", mask="4821")
    first = today.replace(day=1)
    txn(
        household,
        first,
        "4200.00",
        "INCOME_WAGES",
        account_name="Joint Checking 4821",
        description="ACH DEPOSIT ACME CORP PAYROLL 000123456789",
        merchant="Acme Corp",
    )
    txn(
        household,
        first,
        "-312.40",
        "FOOD_AND_DRINK_GROCERIES",
        account_name="Joint Checking 4821",
        description="POS DEBIT 0412 WHOLEFDS MKT #10234 OAKLAND CA",
        merchant="Whole Foods",
    )
    txn(
        household,
        first,
        "-58.10",
        "FOOD_AND_DRINK_RESTAURANT",
        account_name="Joint Checking 4821",
        description="SQ *BLUE BOTTLE COFFEE OAKLAND CA",
        merchant="Blue Bottle Coffee",
    )
    GoalFactory(household=household, name="Annabel's bike", target_amount=Decimal("900.00"))
    return today


def _usage(household) -> LLMUsage:
    return LLMUsage.objects.get(household=household)


# --- rewriting rule insights ------------------------------------------------------------------------------------


def test_rule_insight_is_rewritten_in_tone_when_the_numbers_match(member, household, rules, llm_server):
    rules(pace=[coaching_candidate("pace")])  # "You spent $120.00 on pace."
    llm_server.script(
        json_reply(
            {"rewrites": [{"id": "0", "title": "A quick spending check", "message": "Psst: $120.00 went on pace."}]}
        )
    )

    [insight] = insights_generate_for_user(member, trigger="event").created

    assert insight.wording == Insight.Wording.LLM
    assert insight.title == "A quick spending check"
    assert insight.message == "Psst: $120.00 went on pace."
    [request] = llm_server.requests
    assert request["model"] == "test-model"
    assert request["response_format"] == {"type": "json_object"}
    assert "gentle" in request["messages"][0]["content"]
    assert llm_server.headers[0]["authorization"] == "Bearer test-key"
    assert _usage(household).total_tokens == 70


def test_a_rewrite_with_a_number_not_in_the_original_is_dropped(member, rules, llm_server):
    rules(pace=[coaching_candidate("pace")])
    llm_server.script(
        json_reply({"rewrites": [{"id": "0", "title": "Spending", "message": "You spent $150.00 on pace."}]})
    )

    [insight] = insights_generate_for_user(member, trigger="event").created

    assert insight.wording == Insight.Wording.TEMPLATE
    assert insight.message == "A gentle heads-up: You spent $120.00 on pace. Small steps add up."


@pytest.mark.parametrize(
    "answer",
    [
        content_reply("Sure! Here are your rewrites: {rewrites: [oops"),
        json_reply({"rewrites": [{"id": "0", "title": "x" * 61, "message": "You spent $120.00 on pace."}]}),
        json_reply({"items": []}),
    ],
    ids=["malformed-json", "title-too-long", "wrong-shape"],
)
def test_invalid_answers_fall_back_to_the_deterministic_wording(member, household, rules, llm_server, answer):
    rules(pace=[coaching_candidate("pace")])
    llm_server.script(answer)

    [insight] = insights_generate_for_user(member, trigger="event").created

    assert insight.wording == Insight.Wording.TEMPLATE
    assert insight.message == "A gentle heads-up: You spent $120.00 on pace. Small steps add up."
    assert _usage(household).failures == 1


def test_a_timeout_falls_back_quickly(member, household, rules, llm_server, settings):
    settings.LLM_TIMEOUT_SECONDS = 0.5
    rules(pace=[coaching_candidate("pace")])
    llm_server.script(slow_reply(3, json_reply({"rewrites": []})))

    started = time.monotonic()
    [insight] = insights_generate_for_user(member, trigger="event").created

    assert time.monotonic() - started < 2.5
    assert insight.wording == Insight.Wording.TEMPLATE
    assert _usage(household).failures == 1


# --- daily insights written by the model ------------------------------------------------------------------------


def test_daily_insights_are_validated_against_the_data(member, rules, llm_server, money):
    rules()
    llm_server.script(
        json_reply(
            {
                "insights": [
                    {
                        "topic": "spending",
                        "sentiment": "neutral",
                        "title": "Food and drink leads this month",
                        "message": "Food and drink is your biggest cost so far: $370.50 of $4,200.00 income.",
                    }
                ]
            }
        )
    )

    [insight] = insights_generate_for_user(member, trigger="daily").created

    assert insight.kind == Insight.Kind.DAILY_TIP
    assert insight.wording == Insight.Wording.LLM
    assert insight.message == "Food and drink is your biggest cost so far: $370.50 of $4,200.00 income."
    assert insight.data == {"topic": "spending"}


def test_daily_insights_with_invented_numbers_are_dropped(member, household, rules, llm_server, money):
    rules()
    llm_server.script(
        json_reply(
            {
                "insights": [
                    {
                        "topic": "savings",
                        "sentiment": "positive",
                        "title": "Save more",
                        "message": "You could save $9,999.00 this month.",
                    }
                ]
            }
        )
    )

    assert insights_generate_for_user(member, trigger="daily").created == []
    assert _usage(household).failures == 1


def test_the_request_carries_aggregates_only(member, household, llm_server, money):
    llm_server.script(json_reply({"insights": []}), json_reply({"insights": []}))

    daily_insights(household, member, today=money, tone="gentle")

    sent = llm_server.bodies_text()
    assert "Food and drink" in sent and "370.50" in sent and "4200.00" in sent  # category totals, income
    for secret in (
        "4821",
        "Joint Checking",
        "WHOLEFDS",
        "POS DEBIT",
        "PAYROLL",
        "000123456789",
        member.email,
        "Annabel",
        "Smith family",
        "Whole Foods",
        "Blue Bottle",
    ):
        assert secret not in sent, secret
    assert "[redacted]'s bike" in sent  # the goal is there, the person's name is not

    Preferences.objects.filter(user=member).update(llm_share_merchants=True)
    member.refresh_from_db()
    daily_insights(household, member, today=money, tone="gentle")

    allowed = json.dumps(llm_server.requests[-1], ensure_ascii=False)
    assert "Whole Foods" in allowed and "Blue Bottle Coffee" in allowed  # merchant names, now that it is allowed
    for secret in ("4821", "WHOLEFDS", "POS DEBIT", member.email, "Annabel"):
        assert secret not in allowed, secret


# --- the daily token budget -------------------------------------------------------------------------------------


def test_no_request_once_the_daily_token_budget_is_spent(member, household, rules, llm_server, settings):
    settings.LLM_DAILY_TOKEN_BUDGET = 1000
    LLMUsage.objects.create(household=household, day=local_today(member), prompt_tokens=900, completion_tokens=50)
    rules(pace=[coaching_candidate("pace")])

    [insight] = insights_generate_for_user(member, trigger="event").created

    assert llm_server.requests == []
    assert insight.wording == Insight.Wording.TEMPLATE


def test_tokens_are_counted_per_household_per_day(member, household, rules, llm_server):
    rules(pace=[coaching_candidate("pace")])
    llm_server.script(json_reply({"rewrites": []}, prompt_tokens=300, completion_tokens=40))

    insights_generate_for_user(member, trigger="event")

    assert tokens_used_today(household) == 340
    usage = _usage(household)
    assert (usage.requests, usage.failures) == (1, 0)


# --- ask the coach through the model ----------------------------------------------------------------------------


def _answer_from_tool_result(request: dict) -> dict:
    result = json.loads(request["messages"][-1]["content"])
    return content_reply(f"You spent ${Decimal(result['spent']):,.2f} on groceries this month.")


def test_ask_calls_our_tools_and_answers_from_their_results(member, household, llm_server, money):
    start = money.replace(day=1).isoformat()
    llm_server.script(
        tool_call_reply("spending", {"start": start, "end": money.isoformat(), "category": "groceries"}),
        _answer_from_tool_result,
    )

    answer = coach_answer(member, household, "How much did we spend on groceries this month?")

    assert answer.engine == "llm"
    assert answer.text == "You spent $312.40 on groceries this month."
    assert answer.tools_used == ["spending"]
    assert answer.disclaimer == "Educational information from your own data, not financial advice."
    first, second = llm_server.requests
    assert {t["function"]["name"] for t in first["tools"]} >= {"spending", "affordability", "budgets"}
    assert second["messages"][-1]["role"] == "tool"
    assert "WHOLEFDS" not in llm_server.bodies_text() and "Whole Foods" not in llm_server.bodies_text()


def test_an_answer_with_invented_numbers_falls_back_to_the_deterministic_engine(member, household, llm_server, money):
    # A figure no date can produce either (dates are allowed as their parts: on the 5th, "5" is in the data).
    llm_server.script(content_reply("You spent about $9,876.54 on groceries."))

    answer = coach_answer(member, household, "How much did we spend on groceries this month?")

    assert answer.engine == "rules"
    assert answer.text.startswith("You spent $312.40 on groceries this month.")


def test_product_requests_are_declined_without_asking_the_model(member, household, llm_server):
    answer = coach_answer(member, household, "Which stocks should I buy with my savings?")

    assert answer.engine == "declined"
    assert "can't recommend specific investments" in answer.text
    assert llm_server.requests == []


def test_tool_errors_go_back_to_the_model(member, household, llm_server, money):
    llm_server.script(
        tool_call_reply("spending", {"start": "yesterday", "end": "today"}),
        lambda request: content_reply("I could not read those dates."),
    )

    answer = coach_answer(member, household, "How much did we spend?")

    assert answer.engine == "llm"
    assert "does not match" in llm_server.requests[1]["messages"][-1]["content"]
    assert (money - timedelta(days=1)).isoformat() not in answer.text

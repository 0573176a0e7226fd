"""The rule engine without a database: conditions, order, actions and respect for hand edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transactions.rule_engine import RulePatternError, RuleSpec, TransactionFacts, compile_rules, effects_for


def facts(description="SQ *BLUE BOTTLE COFFEE", merchant="Blue Bottle Coffee", amount="-4.50", **kwargs):
    return TransactionFacts(
        id=kwargs.pop("id", 1),
        description=description,
        merchant=merchant,
        amount=Decimal(amount),
        account_id=kwargs.pop("account_id", 10),
        **kwargs,
    )


def rule(match_type="contains", value="coffee", field="description", **kwargs):
    kwargs.setdefault("set_category_id", 100)
    return RuleSpec(id=kwargs.pop("id", 1), match_field=field, match_type=match_type, match_value=value, **kwargs)


@pytest.mark.parametrize(
    ("spec", "matches"),
    [
        (rule("contains", "BLUE bottle"), True),
        (rule("contains", "tea"), False),
        (rule("equals", "blue bottle coffee", field="merchant"), True),
        (rule("equals", "blue bottle", field="merchant"), False),
        (rule("starts_with", "sq *"), True),
        (rule("starts_with", "blue"), False),
        (rule("regex", r"^sq \*\w+"), True),
        (rule("regex", r"coffee$", field="merchant"), True),
        (rule("contains", "coffee", amount_min=Decimal("-5"), amount_max=Decimal("-1")), True),
        (rule("contains", "coffee", amount_max=Decimal("-5")), False),
        (rule("contains", "coffee", account_id=11), False),
    ],
)
def test_conditions(spec, matches):
    assert bool(effects_for(compile_rules([spec]), [facts()])) is matches


def test_first_matching_rule_wins():
    rules = compile_rules([rule(id=1, value="coffee", set_category_id=1), rule(id=2, value="blue", set_category_id=2)])
    (effect,) = effects_for(rules, [facts()])
    assert (effect.rule_id, effect.category_id) == (1, 1)


def test_actions_and_what_they_leave_alone():
    spec = rule(set_category_id=7, set_merchant="Blue Bottle", add_tag_id=3, mark_excluded=True)
    edited = facts(user_edited=("category", "merchant"), category_id=9, category_source="user")
    (effect,) = effects_for(compile_rules([spec]), [edited])
    assert (effect.category_id, effect.merchant, effect.tag_id, effect.excluded) == (None, None, 3, True)


def test_a_rule_does_not_override_a_users_category_but_does_override_the_model():
    spec = rule(set_category_id=7)
    by_user = facts(id=1, category_id=9, category_source="user")
    by_model = facts(id=2, category_id=9, category_source="model")
    assert [e.transaction_id for e in effects_for(compile_rules([spec]), [by_user, by_model])] == [2]


def test_nothing_to_do_is_no_effect():
    spec = rule(set_category_id=7, add_tag_id=3)
    done = facts(category_id=7, category_source="rule", tag_ids=frozenset({3}))
    assert effects_for(compile_rules([spec]), [done]) == []


def test_mark_transfer_uses_the_direction_of_the_money():
    spec = rule(value="transfer", set_category_id=None, mark_transfer=True)
    rules = compile_rules([spec])
    out_effect, in_effect = effects_for(
        rules,
        [
            facts(id=1, description="TRANSFER TO SAVINGS", amount="-50"),
            facts(id=2, description="TRANSFER FROM CHECKING", amount="50"),
        ],
        transfer_categories=(21, 22),
    )
    assert (out_effect.category_id, in_effect.category_id) == (21, 22)


def test_bad_patterns_are_reported_and_skipped():
    with pytest.raises(RulePatternError, match="not a valid pattern"):
        rule("regex", "([unclosed").compile()
    assert compile_rules([rule("regex", "([unclosed"), rule(id=2)])[0].spec.id == 2


def test_literal_text_is_not_a_pattern():
    assert effects_for(compile_rules([rule("contains", "*blue")]), [facts(description="SQ *BLUE BOTTLE")])
    assert not effects_for(compile_rules([rule("contains", "b.ue")]), [facts(description="SQ *BLUE BOTTLE")])

"""The generated categoriser corpus: coverage, disjoint held-out split, determinism, data validation."""

from __future__ import annotations

import random

import pytest

from ml.corpus import build_holdout_corpus, build_training_corpus, corpus_fingerprint, merchant_split
from ml.corpus.generator import finish, generate_example
from ml.corpus.merchants import CorpusDataError, brand_merchants, name_pools
from ml.corpus.templates import BY_CHANNEL
from transactions.taxonomy import PRIMARY_CODES


def test_merchant_list_covers_every_primary_on_both_sides():
    split = merchant_split()
    assert len(brand_merchants()) >= 500
    assert {m.primary for m in split.train} == set(PRIMARY_CODES)
    assert {m.primary for m in split.holdout} == set(PRIMARY_CODES)


def test_held_out_merchants_names_and_formats_are_unseen_in_training():
    split = merchant_split()
    train_units = {(m.name, m.descriptors[0]) for m in split.train}
    assert not any((m.name, m.descriptors[0]) in train_units for m in split.holdout)
    train_brands = {m.name for m in split.train if m.origin == "brand"}
    assert not train_brands & {m.name for m in split.holdout if m.origin == "brand"}
    pools = name_pools()
    assert not set(pools["train"].surnames) & set(pools["holdout"].surnames)
    assert not set(pools["train"].us_cities) & set(pools["holdout"].us_cities)
    for templates in BY_CHANNEL.values():
        train = {t.pattern for t in templates if not t.holdout}
        held = {t.pattern for t in templates if t.holdout}
        assert train and held and not train & held


def test_corpora_are_deterministic_and_differ_by_seed():
    first = build_training_corpus(seed=3, scale=0.02)
    again = build_training_corpus(seed=3, scale=0.02)
    other = build_training_corpus(seed=4, scale=0.02)
    assert corpus_fingerprint(first) == corpus_fingerprint(again)
    assert corpus_fingerprint(first) != corpus_fingerprint(other)
    assert len(build_holdout_corpus(seed=3, scale=0.02)) > 100


def test_examples_carry_the_merchant_and_a_sign_that_follows_the_category():
    split = merchant_split()
    rng = random.Random(1)
    payroll = next(m for m in split.train if m.category == "INCOME_WAGES")
    rent = next(m for m in split.train if m.category == "RENT_AND_UTILITIES_RENT")
    for _ in range(20):
        assert generate_example(payroll, rng, "train").amount > 0
        example = generate_example(rent, rng, "train")
        assert example.amount < 0 and example.category == "RENT_AND_UTILITIES_RENT"


def test_column_width_cuts_after_the_merchant_name_never_into_it():
    rng = random.Random(5)
    text = "POS DEBIT STARBUCKS STORE SEATTLE WA"
    for width in (10, 22, 25):
        finished = finish(text, "upper", width, rng, name="STARBUCKS STORE")
        assert finished.replace("  ", " ").startswith("POS DEBIT STARBUCKS STORE")
    assert finish(text, "lower", 40, rng, name="STARBUCKS STORE").replace("  ", " ") == text.lower()


def test_a_malformed_merchant_file_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "merchants.csv"
    bad.write_text(
        "name,category,regions,channel,descriptors\nAcme,FOOD_AND_DRINK_GROCERIES,US,store,ACME\n"
        "Bad,NOT_A_CATEGORY,US,store,BAD\n",
        encoding="utf-8",
    )
    with pytest.raises(CorpusDataError, match="line 3: unknown category 'NOT_A_CATEGORY'"):
        brand_merchants.__wrapped__(bad)

"""The categoriser: predictions, calibration fields, determinism, persistence, corrections (small corpora)."""

from __future__ import annotations

import numpy as np
import pytest

from ml.categorizer import DEFAULT_ARTIFACT, Categorizer
from ml.categorizer.features import FeatureSpace, SeenDescriptions, hashed_features, normalise_batch
from ml.categorizer.training import HELDOUT_GROUPS, categorizer_metrics, heldout_evaluation
from ml.corpus import CorpusSpec, LabelledExample, build_holdout_corpus, build_training_corpus

SMALL = CorpusSpec("train", seed=0, scale=0.1)


@pytest.fixture(scope="module")
def model() -> Categorizer:
    return Categorizer.train(SMALL, seed=0)


def _predict(model: Categorizer, rows: list[tuple[str, float, str]]):
    descriptions, amounts, kinds = zip(*rows, strict=True)
    return model.predict(list(descriptions), list(amounts), list(kinds))


def test_recognises_typical_transactions(model):
    # Merchants and phrases of the training split (the small model is trained on that split only).
    rows = [
        ("DUNKIN #345 BOSTON MA", -5.4, "credit_card"),
        ("ACME LOGISTICS INC PAYROLL PPD ID: 1234567890", 3120.0, "checking"),
        ("ATM CASH WITHDRAWAL 004411 1200 MAIN ST BOSTON MA", -100.0, "checking"),
        ("NETFLIX.COM 866-579-7172 CA", -15.49, "credit_card"),
        ("MONTHLY SERVICE FEE", -12.0, "checking"),
        ("CHEVRON 0203456 HOUSTON TX", -48.1, "credit_card"),
        ("PAYMENT THANK YOU-MOBILE", 850.0, "credit_card"),
    ]
    assert [p.category for p in _predict(model, rows)] == [
        "FOOD_AND_DRINK",
        "INCOME",
        "TRANSFER_OUT",
        "ENTERTAINMENT",
        "BANK_FEES",
        "TRANSPORTATION",
        "LOAN_PAYMENTS",
    ]


def test_amount_sign_separates_transfers_in_and_out(model):
    out, into = _predict(
        model, [("ZELLE PAYMENT TO JOHN SMITH", -60.0, "checking"), ("ZELLE RECEIVED JOHN SMITH", 60.0, "checking")]
    )
    assert (out.category, into.category) == ("TRANSFER_OUT", "TRANSFER_IN")


def test_predictions_are_well_formed(model):
    holdout = build_holdout_corpus(seed=0, scale=0.05)
    predictions = model.predict(
        [e.description for e in holdout], [e.amount for e in holdout], [e.account_type for e in holdout]
    )
    for p in predictions:
        assert 0.0 <= p.confidence <= 1.0
        assert len(p.alternatives) == 3 and p.alternatives[0] == (p.category, p.confidence)
        assert [prob for _, prob in p.alternatives] == sorted((prob for _, prob in p.alternatives), reverse=True)
        assert p.detailed is None or p.detailed.startswith(p.category + "_")


def test_unseen_merchants_are_mostly_right_and_confidence_tracks_accuracy(model):
    metrics = categorizer_metrics(model, build_holdout_corpus(seed=0, scale=0.1))
    assert metrics["accuracy"] >= 0.65
    bands = {b["confidence"]: b["accuracy"] for b in metrics["confidence_bands"]}
    assert bands["0.9-1.0"] > bands["0.0-0.5"] + 0.3


def test_heldout_report_names_what_it_measures():
    _, report = heldout_evaluation(seed=0, scale=0.1)
    groups = report["groups"]
    assert set(groups) == set(HELDOUT_GROUPS.values())  # every held-out example belongs to a named group
    assert sum(g["examples"] for g in groups.values()) == report["examples"]
    overall = sum(g["accuracy"] * g["examples"] for g in groups.values()) / report["examples"]
    assert overall == pytest.approx(report["accuracy"], abs=1e-3)
    # Independents carry a category word; unseen brands carry none, which is what makes them the hard group.
    assert groups["unseen_local_businesses"]["accuracy"] > groups["unseen_brands"]["accuracy"]
    # Unseen brands are split by lexicon coverage, so coverage is never mistaken for generalisation.
    brands = groups["unseen_brands"]
    parts = [brands["in_lexicon"], brands["not_in_lexicon"]]
    assert sum(p["examples"] for p in parts) == brands["examples"]
    assert sum(p["merchants"] for p in parts) == brands["merchants"]
    assert all(p["merchants"] > 0 for p in parts)
    assert "in_lexicon" not in groups["unseen_local_businesses"]
    assert report["meets_target"] == (report["accuracy"] >= report["target_accuracy"])
    assert report["known_merchants_new_formats"]["examples"] > 0
    assert set(report["per_category"]) >= {"FOOD_AND_DRINK", "INCOME"}


def test_training_is_reproducible_and_the_version_names_the_data(model):
    again = Categorizer.train(SMALL, seed=0)
    assert again.version == model.version and model.version.startswith("cat1-")
    assert np.array_equal(again.primary.weights, model.primary.weights)
    other = Categorizer.train(CorpusSpec("train", seed=1, scale=0.1), seed=1)
    assert other.version != model.version


def test_saved_artefact_predicts_the_same(model, tmp_path):
    path = model.save(tmp_path / "cat.joblib")
    loaded = Categorizer.load(path)
    rows = [("WALGREENS #0423 AUSTIN TX", -23.1, "checking"), ("DIRECT DEBIT THAMES WATER", -41.0, "checking")]
    assert _predict(loaded, rows) == _predict(model, rows)
    assert loaded.version == model.version and loaded.training["corpus"] == SMALL.as_dict()


def test_load_explains_missing_or_foreign_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="train_categorizer"):
        Categorizer.load(tmp_path / "missing.joblib")
    foreign = tmp_path / "foreign.joblib"
    __import__("joblib").dump({"format": 99}, foreign)
    with pytest.raises(ValueError, match="not a categoriser artefact"):
        Categorizer.load(foreign)


def test_corrections_teach_a_merchant_the_corpus_does_not_know():
    examples = build_training_corpus(seed=0, scale=0.05)
    base = Categorizer.train(examples, seed=0)
    row = [("ZQXV HOLDINGS 4411", -80.0, "checking")]
    corrections = [("ZQXV HOLDINGS 4411", -80.0, "checking", "MEDICAL_DENTAL_CARE")] * 3
    corrected = base.fit_with_corrections(corrections)
    assert corrected.version != base.version and corrected.training["corrections"] == 3
    assert _predict(corrected, row)[0].category == "MEDICAL"


def test_bad_input_gets_a_specific_error(model):
    with pytest.raises(ValueError, match="2 descriptions but 1 amounts"):
        model.predict(["A", "B"], [1.0], ["checking", "checking"])
    with pytest.raises(ValueError, match="amount #0 is not a number"):
        model.predict(["A"], ["ten"], ["checking"])
    with pytest.raises(ValueError, match="unknown category 'SHOES'"):
        model.fit_with_corrections([("A", -1.0, "checking", "SHOES")])
    assert model.predict([], [], []) == []


def test_features_ignore_digits_and_case():
    assert normalise_batch(["SQ *Cafe  #1234", "x"]) == "sq *cafe #0\x00x"
    a, b = hashed_features(["STARBUCKS STORE 1234"]), hashed_features(["starbucks store 9"])
    assert sorted(a[1].tolist()) == sorted(b[1].tolist())
    space = FeatureSpace.fit(["coffee shop", "coffee bar", "tea shop"], min_df=2)
    assert space.transform(["coffee"], [-3.0], ["checking"]).shape == (1, space.dim)


@pytest.mark.skipif(not DEFAULT_ARTIFACT.exists(), reason="shipped artefact not built")
def test_shipped_artefact_is_small_fast_to_load_and_knows_brands():
    assert DEFAULT_ARTIFACT.stat().st_size < 8_000_000
    shipped = Categorizer.load()
    rows = [
        ("WHOLEFDS MKT 10234 AUSTIN TX", -64.0, "credit_card"),
        ("UBER *TRIP", -18.2, "credit_card"),
        ("TESCO STORES 3456 LEEDS GB", -31.0, "checking"),
    ]
    assert [p.category for p in _predict(shipped, rows)] == ["FOOD_AND_DRINK", "TRANSPORTATION", "FOOD_AND_DRINK"]


def test_examples_accept_tuples_mappings_and_dataclasses(model):
    corrections = [
        ("SMALLTOWN PHARMACY", -9.0, "checking", "MEDICAL"),
        {"description": "SMALLTOWN PHARMACY", "amount": -9.0, "account_type": "checking", "category": "MEDICAL"},
        LabelledExample("SMALLTOWN PHARMACY", -9.0, "checking", "MEDICAL"),
    ]
    assert model.fit_with_corrections(corrections).training["corrections"] == 3


def test_report_line_names_each_group_of_unseen_merchants():
    from ml.management.commands.ml_report import _categorizer_line

    report = {
        "accuracy": 0.79,
        "examples": 8868,
        "groups": {"unseen_brands": {"accuracy": 0.462}, "unseen_local_businesses": {"accuracy": 0.97}},
        "known_merchants_new_formats": {"accuracy": 0.99},
    }
    assert _categorizer_line(report) == (
        "Categoriser: 79.0% top-1 accuracy on 8,868 held-out examples "
        "(unseen brands 46.2%; unseen local businesses 97.0%; known merchants in unseen formats 99.0%)"
    )


def test_the_lean_batch_answer_matches_the_full_prediction(model):
    """`decide` (imports) and `predict` agree row by row, repeated descriptions included (featurised once)."""
    descriptions = ["STARBUCKS STORE 1234", "SHELL OIL 57442", "STARBUCKS STORE 1234", "NETFLIX.COM", "SHELL OIL 57442"]
    amounts = [-4.5, -40.0, 250.0, -15.49, -61.2]
    kinds = ["checking", "credit_card", "checking", "credit_card", "checking"]

    codes, confidences = model.decide(descriptions, amounts, kinds)
    predictions = model.predict(descriptions, amounts, kinds)

    assert codes == [p.detailed or p.category for p in predictions]
    assert [round(float(c), 4) for c in confidences] == [p.confidence for p in predictions]
    empty_codes, empty_confidences = model.decide([], [], [])
    assert (empty_codes, len(empty_confidences)) == ([], 0)


def test_descriptions_seen_in_earlier_batches_give_the_same_features(model):
    """An import's chunks share one `SeenDescriptions`: the cached rows are exactly the freshly computed ones, and a
    different model (a retrain mid-import) never reuses another's rows."""
    corpus = build_holdout_corpus(seed=3, scale=0.05)
    descriptions = [ex.description for ex in corpus][:300]
    amounts = [ex.amount for ex in corpus][:300]
    kinds = [ex.account_type for ex in corpus][:300]
    seen = SeenDescriptions(limit=150)  # small: the cache also forgets and refills on the way
    for start in range(0, 300, 60):
        batch = slice(start, start + 60)
        # each batch repeats descriptions of the one before
        batch_descriptions = descriptions[batch] + descriptions[max(0, start - 20) : start]
        batch_amounts = amounts[batch] + amounts[max(0, start - 20) : start]
        batch_kinds = kinds[batch] + kinds[max(0, start - 20) : start]
        fresh = model.space.transform(batch_descriptions, batch_amounts, batch_kinds)
        cached = model.space.transform(batch_descriptions, batch_amounts, batch_kinds, seen)
        assert fresh.shape == cached.shape
        assert abs(fresh - cached).max() == 0
        assert (
            model.decide(batch_descriptions, batch_amounts, batch_kinds, seen)[0]
            == model.decide(batch_descriptions, batch_amounts, batch_kinds)[0]
        )
    other = FeatureSpace(
        model.space.columns[: len(model.space.columns) // 2], model.space.idf[: len(model.space.columns) // 2]
    )
    assert other.transform(descriptions[:5], amounts[:5], kinds[:5], seen).shape == (5, other.dim)


def test_report_line_splits_unseen_brands_by_lexicon_coverage():
    from ml.management.commands.ml_report import _categorizer_line

    brands = {
        "accuracy": 0.63,
        "in_lexicon": {"accuracy": 0.786, "merchants": 136},
        "not_in_lexicon": {"accuracy": 0.457, "merchants": 123},
    }
    report = {"accuracy": 0.835, "examples": 8868, "groups": {"unseen_brands": brands}}
    assert _categorizer_line(report) == (
        "Categoriser: 83.5% top-1 accuracy on 8,868 held-out examples "
        "(unseen brands 63.0% [in lexicon 78.6% of 136, not in lexicon 45.7% of 123])"
    )

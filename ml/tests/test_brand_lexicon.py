"""The brand lexicon (built from a tiny fake NSI file), its matcher, and its effect on the categoriser."""

from __future__ import annotations

import json

import pytest

from ml.categorizer import Categorizer
from ml.categorizer import features as features_module
from ml.categorizer.lexicon import LEXICON_DIM, LexiconMatcher, default_matcher
from ml.corpus.brand_lexicon import (
    LEXICON_PATH,
    NSI_CATEGORIES,
    build_from_file,
    build_lexicon,
    load_lexicon,
    name_tokens,
    read_lexicon,
    write_lexicon,
)
from ml.corpus.generator import LabelledExample
from transactions.taxonomy import BY_CODE


def _item(name: str, *, where=("us",), match_names=(), **tags) -> dict:
    return {
        "displayName": name,
        "locationSet": {"include": list(where)},
        "matchNames": list(match_names),
        "tags": {"brand": name, "name": name, **tags},
    }


def _category(items: list[dict], generic: tuple[str, ...] = ()) -> dict:
    return {"properties": {"exclude": {"generic": list(generic)}}, "items": items}


FAKE_NSI = {
    "_meta": {"version": "0.0.test"},
    "nsi": {
        "brands/shop/clothes": _category(
            [
                _item("Zorblax Fashion", match_names=("Zorblax Apparel", "Zorbo")),
                _item("Express"),
                _item("Boutique"),  # an NSI generic word
                _item("Modehaus"),  # generic in this category's own exclude list
                _item("Tokyo Only", where=("jp",)),  # outside our regions
                _item("ユニ"),  # not Latin script
                _item("Kix"),  # a single token too short to trust
                _item("Twin Name"),
            ],
            generic=("^modehaus$",),
        ),
        "brands/shop/supermarket": _category([_item("Freshgrub", where=("gb",)), _item("Twin Name")]),
        "brands/amenity/fuel": _category([_item("Twin Name", where=("001",))]),
        "brands/amenity/fast_food": _category([_item("Burgerix", where=("de",))]),
        "brands/amenity/restaurant": _category([_item("Burgerix", where=("de",))]),
        "brands/amenity/bank": _category([_item("American Express")]),  # a key we do not map
        "operators/amenity/school": _category([_item("Some District")]),  # an operator key we do not map
        "transit/route/bus": _category([_item("Busco")]),
    },
}
GENERIC_WORDS = ["^(barn|bou?tique|building)$"]


@pytest.fixture(scope="module")
def fake_lexicon() -> dict[str, tuple[str, ...]]:
    return {e.name: e.codes for e in build_lexicon(FAKE_NSI, GENERIC_WORDS)}


def test_every_mapped_nsi_key_names_a_detailed_code():
    for key, code in NSI_CATEGORIES.items():
        assert key.startswith(("brands/", "operators/"))
        assert code in BY_CODE and BY_CODE[code].primary != code, key


def test_nsi_categories_map_to_our_detailed_codes(fake_lexicon):
    clothing = ("GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",)
    assert fake_lexicon["zorblax fashion"] == clothing
    assert fake_lexicon["zorblaxfashion"] == clothing  # the joined form banks print
    assert fake_lexicon["zorblax apparel"] == clothing  # NSI's alternative names of several words count
    assert fake_lexicon["express"] == clothing
    assert fake_lexicon["freshgrub"] == ("FOOD_AND_DRINK_GROCERIES",)
    # Two detailed codes of one primary are both kept.
    assert fake_lexicon["burgerix"] == ("FOOD_AND_DRINK_FAST_FOOD", "FOOD_AND_DRINK_RESTAURANT")
    # Known to NSI only under a key we do not map: kept without a category (it still blocks "express").
    assert fake_lexicon["american express"] == ()
    assert "some district" not in fake_lexicon and "busco" not in fake_lexicon


def test_generic_short_and_foreign_names_are_dropped(fake_lexicon):
    for dropped in ("boutique", "modehaus", "tokyo only", "kix", "zorbo"):
        assert dropped not in fake_lexicon, dropped
    assert not any(not name.isascii() for name in fake_lexicon)


def test_a_name_shared_by_brands_of_several_primaries_keeps_every_code(fake_lexicon):
    # "Twin Name" is a clothes shop, a supermarket and a filling station (a chain with forecourts, say).
    shared = (
        "FOOD_AND_DRINK_GROCERIES",
        "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
        "TRANSPORTATION_GAS",
    )
    assert fake_lexicon["twin name"] == shared and fake_lexicon["twinname"] == shared
    matcher = LexiconMatcher(fake_lexicon)
    found = dict(matcher.found("POS TWIN NAME #44 LEEDS"))
    assert set(found["twin name"]) == {*shared, "FOOD_AND_DRINK", "GENERAL_MERCHANDISE", "TRANSPORTATION"}


def test_lexicon_file_round_trips_and_is_reproducible(tmp_path):
    nsi_file = tmp_path / "nsi.json"
    nsi_file.write_text(json.dumps(FAKE_NSI), encoding="utf-8")
    (tmp_path / "genericWords.json").write_text(json.dumps({"genericWords": GENERIC_WORDS}), encoding="utf-8")
    first = build_from_file(nsi_file, tmp_path / "a.tsv.gz")
    build_from_file(nsi_file, tmp_path / "b.tsv.gz")
    assert (tmp_path / "a.tsv.gz").read_bytes() == (tmp_path / "b.tsv.gz").read_bytes()
    assert first["nsi_version"] == "0.0.test" and first["names"] == first["categorised"] + first["uncategorised"]
    written = read_lexicon(tmp_path / "a.tsv.gz")
    assert written == {e.name: e.codes for e in build_lexicon(FAKE_NSI, GENERIC_WORDS)}
    write_lexicon([], tmp_path / "empty.tsv.gz")
    assert read_lexicon(tmp_path / "empty.tsv.gz") == {}


def test_committed_lexicon_loads_and_holds_only_known_codes():
    assert LEXICON_PATH.exists() and LEXICON_PATH.with_name("NSI-LICENSE.md").exists()
    lexicon = load_lexicon()
    assert len(lexicon) > 10_000
    for name, codes in lexicon.items():
        assert name == " ".join(name_tokens(name))
        assert all(BY_CODE[c].primary != c for c in codes), name  # detailed codes only
    # Chains with several kinds of outlet are in it, with the codes of each kind.
    assert {"FOOD_AND_DRINK_GROCERIES", "TRANSPORTATION_GAS"} <= set(lexicon["kroger"])


def test_name_tokens_fold_case_accents_and_apostrophes():
    assert name_tokens("McDonald's") == ("mcdonalds",)
    assert name_tokens("7-Eleven") == ("7", "eleven")
    assert name_tokens("Café  Nero") == ("cafe", "nero")


MATCHER = LexiconMatcher(
    {
        "max": ("GENERAL_MERCHANDISE_ELECTRONICS",),
        "coffee": ("FOOD_AND_DRINK_COFFEE",),
        "blue bottle coffee": ("FOOD_AND_DRINK_COFFEE",),
        "express": ("GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",),
        "american express": (),
        "mcdonalds": ("FOOD_AND_DRINK_FAST_FOOD",),
        "red hut": ("FOOD_AND_DRINK_RESTAURANT",),
    }
)


def test_matching_respects_word_boundaries():
    assert MATCHER.found("MAXIMUM GAINS 1234") == []
    assert MATCHER.found("SMAX 55") == []
    assert MATCHER.found("POS MAX #123 AUSTIN TX") == [
        ("max", ("GENERAL_MERCHANDISE_ELECTRONICS", "GENERAL_MERCHANDISE"))
    ]
    assert [name for name, _ in MATCHER.found("MCDONALD'S F1234")] == ["mcdonalds"]


def test_longest_match_wins():
    assert [name for name, _ in MATCHER.found("SQ *BLUE BOTTLE COFFEE OAKLAND")] == ["blue bottle coffee"]
    assert MATCHER.found("AMERICAN EXPRESS ACH PMT") == [("american express", ())]  # "express" is inside it
    assert [name for name, _ in MATCHER.found("EXPRESS #0412 COFFEE")] == ["express", "coffee"]


def test_matches_never_cross_descriptions():
    docs, _ = MATCHER.match(["PAID RED", "HUT 123", "RED HUT 9"])
    assert docs.tolist() == [2]
    X = MATCHER.matrix(["PAID RED", "HUT 123", "RED HUT 9", ""])
    assert X.shape == (4, LEXICON_DIM)
    assert X.getnnz(axis=1).tolist() == [0, 0, 2, 0]  # the detailed code and its primary


def test_committed_lexicon_matches_fast_enough():
    matcher = default_matcher()
    assert matcher.found("POS PURCHASE MAXIMUM CORP") == []
    rows = [f"POS PURCHASE STORE {i} SPRINGFIELD IL" for i in range(2000)]
    assert matcher.matrix(rows).shape == (2000, LEXICON_DIM)


def _corpus() -> list[LabelledExample]:
    """Brands the test lexicon knows (and one it does not), each with a category word-free name."""
    brands = {
        "FOOD_AND_DRINK_FAST_FOOD": ["QUORBITO", "VELMINKA", "TRASKADO", "PELUNAR"],
        "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES": ["FROSKEL", "GANTRIVO", "MIRBELLA", "OSKALUN"],
        "TRANSPORTATION_GAS": ["DURVANO", "KESSLIN", "BRONTAVI", "WELMORE"],
    }
    rows = []
    for category, names in brands.items():
        amount = {"FOOD_AND_DRINK_FAST_FOOD": -9.5, "TRANSPORTATION_GAS": -45.0}.get(category, -60.0)
        for name in names:
            for i in range(12):
                rows.append(
                    LabelledExample(f"{name} {1000 + i * 7} SPRINGFIELD IL", amount, "checking", category, name)
                )
    return rows


def test_the_lexicon_moves_an_unseen_brand(monkeypatch):
    corpus = _corpus()
    known = {e.merchant.lower(): (e.category,) for e in corpus}
    monkeypatch.setattr(features_module, "default_matcher", lambda: LexiconMatcher(known))
    model = Categorizer.train(corpus, seed=0)
    unseen = ["ZIMPLOQ 4410 SPRINGFIELD IL"]

    without = model.predict(unseen, [-30.0], ["checking"])[0]
    monkeypatch.setattr(
        features_module,
        "default_matcher",
        lambda: LexiconMatcher(known | {"zimploq": ("TRANSPORTATION_GAS",)}),
    )
    with_lexicon = model.predict(unseen, [-30.0], ["checking"])[0]
    assert with_lexicon.category == "TRANSPORTATION"
    probability = dict(with_lexicon.alternatives)["TRANSPORTATION"]
    assert probability > dict(without.alternatives).get("TRANSPORTATION", 0.0) + 0.2

"""The merchant list: named brands from `merchants.csv` and invented local businesses.

`merchant_split()` divides everything into training and held-out merchants:
- brands are split per detailed category (so each category keeps training merchants),
- structural "merchants" (bank phrases such as ATM WITHDRAWAL or OVERDRAFT FEE) are split per phrase,
- local businesses are invented separately for each side from disjoint pools of names and cities.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from ml.corpus import places
from ml.corpus.local_businesses import LOCAL_KINDS, LocalKind, keywords_for_region
from ml.corpus.split import split_items, split_pool
from ml.corpus.templates import BY_CHANNEL, REGIONS
from transactions.taxonomy import BY_CODE

MERCHANTS_CSV = Path(__file__).with_name("merchants.csv")

# Channels whose "merchants" are bank phrases rather than businesses: each phrase is its own unit.
STRUCTURAL_CHANNELS = frozenset({"transfer_out", "transfer_in", "atm", "fee", "bank_credit", "payment_received"})

# How many local businesses to invent per (kind, region) on each side of the split.
LOCALS_PER_KIND_REGION = {"train": 12, "holdout": 4}


class CorpusDataError(ValueError):
    """The merchant data file is malformed (message names the line)."""


@dataclass(frozen=True)
class Merchant:
    name: str  # normalised merchant name, as shown to the user
    category: str  # detailed category code
    regions: tuple[str, ...]
    channel: str
    descriptors: tuple[str, ...]  # how banks spell it
    origin: str = "brand"  # brand | phrase | local

    @property
    def primary(self) -> str:
        return BY_CODE[self.category].primary


def _parse_row(row: dict[str, str], line: int) -> Merchant:
    category = (row.get("category") or "").strip()
    if category not in BY_CODE:
        raise CorpusDataError(f"{MERCHANTS_CSV.name} line {line}: unknown category {category!r}")
    regions = tuple((row.get("regions") or "").split())
    if not regions or any(r not in REGIONS for r in regions):
        raise CorpusDataError(f"{MERCHANTS_CSV.name} line {line}: regions must be among {REGIONS}, got {regions}")
    channel = (row.get("channel") or "").strip()
    if channel not in BY_CHANNEL:
        raise CorpusDataError(f"{MERCHANTS_CSV.name} line {line}: unknown channel {channel!r}")
    descriptors = tuple(d.strip() for d in (row.get("descriptors") or "").split("|") if d.strip())
    name = (row.get("name") or "").strip()
    if not name or not descriptors:
        raise CorpusDataError(f"{MERCHANTS_CSV.name} line {line}: a name and at least one descriptor are required")
    origin = "phrase" if channel in STRUCTURAL_CHANNELS else "brand"
    return Merchant(name, category, regions, channel, descriptors, origin)


@cache
def brand_merchants(path: Path = MERCHANTS_CSV) -> tuple[Merchant, ...]:
    """All rows of the merchant list, validated."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        merchants = tuple(_parse_row(row, line) for line, row in enumerate(reader, start=2))
    names = [m.name for m in merchants]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CorpusDataError(f"{path.name}: duplicate merchant names {duplicates}")
    return merchants


def _phrase_units(merchant: Merchant) -> list[Merchant]:
    """A structural merchant split into one unit per bank phrase (the phrases are what varies)."""
    return [replace(merchant, descriptors=(phrase,)) for phrase in merchant.descriptors]


@dataclass(frozen=True)
class NamePools:
    """Name parts for one side of the split."""

    surnames: tuple[str, ...]
    first_names: tuple[str, ...]
    place_words: tuple[str, ...]
    company_words: tuple[str, ...]
    us_cities: tuple[tuple[str, str], ...]
    uk_towns: tuple[str, ...]
    eu_cities: tuple[tuple[str, str], ...]

    def city(self, rng: random.Random, region: str) -> tuple[str, str]:
        """A (city, state-or-country) pair for `region`."""
        if region == "US":
            return rng.choice(self.us_cities)
        if region == "UK":
            return rng.choice(self.uk_towns), "GB"
        return rng.choice(self.eu_cities)


@cache
def name_pools() -> dict[str, NamePools]:
    """Disjoint name pools for the 'train' and 'holdout' sides."""
    parts = {
        "surnames": split_pool(places.SURNAMES, "surnames"),
        "first_names": split_pool(places.FIRST_NAMES, "first_names"),
        "place_words": split_pool(places.PLACE_WORDS, "place_words"),
        "company_words": split_pool(places.COMPANY_WORDS, "company_words"),
        "us_cities": split_pool(places.US_CITIES, "us_cities"),
        "uk_towns": split_pool(places.UK_TOWNS, "uk_towns"),
        "eu_cities": split_pool(places.EU_CITIES, "eu_cities"),
    }
    return {
        side: NamePools(**{field: pair[index] for field, pair in parts.items()})
        for index, side in enumerate(("train", "holdout"))
    }


def _local_name(kind: LocalKind, keyword: str, region: str, pools: NamePools, rng: random.Random) -> str:
    surname, surname2 = rng.sample(pools.surnames, 2)
    city, _ = pools.city(rng, region)
    fields = {
        "kw": keyword,
        "surname": surname,
        "surname2": surname2,
        "first": rng.choice(pools.first_names),
        "place": rng.choice(pools.place_words),
        "company": rng.choice(pools.company_words),
        "city": city,
        "corp": rng.choice(places.CORPORATE_SUFFIXES[region]),
        "bank": rng.choice(places.BANK_NAMES[region]),
    }
    return rng.choice(kind.patterns).format(**fields)


def invent_local_merchants(side: str) -> tuple[Merchant, ...]:
    """Local businesses for one side of the split ('train' or 'holdout'), the same on every run.

    Training businesses use every keyword at least once (a keyword never seen in training could not be
    learnt); held-out businesses draw keywords at random.
    """
    pools = name_pools()[side]
    rng = random.Random(f"local-merchants:{side}")
    merchants: dict[str, Merchant] = {}
    for kind in LOCAL_KINDS:
        for region in REGIONS:
            keywords = keywords_for_region(kind, region)
            if not keywords:
                continue
            count = LOCALS_PER_KIND_REGION[side]
            drawn = list(keywords) if side == "train" else []
            drawn += [rng.choice(keywords) for _ in range(max(0, count - len(drawn)))]
            for keyword in drawn:
                business = _local_name(kind, keyword, region, pools, rng)
                if business not in merchants:
                    merchants[business] = Merchant(
                        business.title(), kind.category, (region,), kind.channel, (business,), "local"
                    )
    return tuple(merchants.values())


@dataclass(frozen=True)
class MerchantSplit:
    train: tuple[Merchant, ...]
    holdout: tuple[Merchant, ...]


@cache
def merchant_split() -> MerchantSplit:
    """Training and held-out merchants: disjoint brands, phrases and local businesses."""
    by_category: dict[str, list[Merchant]] = defaultdict(list)
    for merchant in brand_merchants():
        units = _phrase_units(merchant) if merchant.origin == "phrase" else [merchant]
        by_category[merchant.category].extend(units)
    train: list[Merchant] = []
    holdout: list[Merchant] = []
    for category in sorted(by_category):
        kept, held = split_items(by_category[category], key=lambda m: f"{m.name}|{m.descriptors[0]}", salt="brands")
        train.extend(kept)
        holdout.extend(held)
    train.extend(invent_local_merchants("train"))
    # Bank names are shared by both sides ("CHASE MORTGAGE"): drop an invented name that training also has.
    known = {m.name for m in train}
    holdout.extend(m for m in invent_local_merchants("holdout") if m.name not in known)
    return MerchantSplit(tuple(train), tuple(holdout))

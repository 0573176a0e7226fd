"""A brand lexicon from OpenStreetMap's name-suggestion-index (NSI): brand name -> our detailed category codes.

A brand name alone ("UNIQLO", "AMC THEATRES") carries no category signal without world knowledge; NSI lists
tens of thousands of real brands with the OpenStreetMap tags of their shops (shop=supermarket,
amenity=fast_food, office=insurance ...). `build_lexicon` reads NSI's `dist/json/nsi.json`, maps each NSI
category key (`brands/shop/clothes`) to one of our detailed codes with the explicit table `NSI_CATEGORIES`, and
writes `brand_lexicon.tsv.gz`, which is committed: categorising never needs the network or NSI itself.

The lexicon is built from NSI alone (never from our merchant list, never checked against the held-out
merchants): it is external knowledge, like a merchant database a real product would license.

Rebuild (NSI is the npm package `name-suggestion-index`, BSD-3-Clause; its licence ships as NSI-LICENSE.md):
    npm pack name-suggestion-index && tar xzf name-suggestion-index-*.tgz
    .venv/bin/python -m ml.corpus.brand_lexicon package/dist/json/nsi.json

Rules:
- only `brands/*` and a few `operators/*` keys listed in `NSI_CATEGORIES`; other keys are not mapped;
- only brands present in our regions (US, UK, EU, plus Canada and world-wide brands), Latin-script names;
- names are NSI's displayName, name, brand, operator (and their `:en` forms) and, when longer than one word,
  NSI's alternative `matchNames`; all normalised by `name_tokens`;
- dropped: NSI's generic words (genericWords.json and each category's `exclude.generic` patterns), single
  tokens shorter than `MIN_SINGLE_TOKEN` characters, words banks print on every statement (`DESCRIPTOR_WORDS`),
  names longer than `MAX_TOKENS` tokens;
- a name whose brands are of several primaries keeps all their codes: a chain with supermarkets and filling
  stations ("Kroger", "Morrisons"), or an oil company with forecourt shops and car washes ("Shell"). Dropping
  such names lost the biggest chains; the model learns from the training merchants how much a shared name is
  worth;
- a name known to NSI only under keys we do not map (a bank, an ATM network) is kept with no category, so that
  "AMERICAN EXPRESS" is recognised as a whole and does not match the clothing brand "Express".
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LEXICON_PATH = Path(__file__).with_name("brand_lexicon.tsv.gz")
MAX_TOKENS = 4
MIN_SINGLE_TOKEN = 4

# NSI category key -> our detailed code (transactions.taxonomy). Keys not listed are dropped. Ambiguous kinds
# of business are deliberately left out: banks and ATMs (a bank's name prints on transfers, fees, loan
# payments), charity shops (purchase or donation), car dealers (purchase or car payment), money lenders, and
# delivery depots and parcel lockers (nobody pays at one, and their brand is often a retailer's: "Amazon").
NSI_CATEGORIES: dict[str, str] = {
    # food and drink
    "brands/amenity/fast_food": "FOOD_AND_DRINK_FAST_FOOD",
    "brands/amenity/restaurant": "FOOD_AND_DRINK_RESTAURANT",
    "brands/amenity/pub": "FOOD_AND_DRINK_RESTAURANT",
    "brands/amenity/bar": "FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR",
    "brands/amenity/cafe": "FOOD_AND_DRINK_COFFEE",
    "brands/amenity/ice_cream": "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK",
    "brands/shop/supermarket": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/greengrocer": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/butcher": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/frozen_food": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/health_food": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/dairy": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/cheese": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/seafood": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/spices": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/nuts": "FOOD_AND_DRINK_GROCERIES",
    "brands/shop/bakery": "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK",
    "brands/shop/pastry": "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK",
    "brands/shop/confectionery": "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK",
    "brands/shop/chocolate": "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK",
    "brands/shop/deli": "FOOD_AND_DRINK_OTHER_FOOD_AND_DRINK",
    "brands/shop/alcohol": "FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR",
    "brands/shop/wine": "FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR",
    "brands/shop/beverages": "FOOD_AND_DRINK_BEER_WINE_AND_LIQUOR",
    "brands/shop/coffee": "FOOD_AND_DRINK_COFFEE",
    "brands/shop/tea": "FOOD_AND_DRINK_COFFEE",
    # shopping
    "brands/shop/convenience": "GENERAL_MERCHANDISE_CONVENIENCE_STORES",
    "brands/shop/kiosk": "GENERAL_MERCHANDISE_CONVENIENCE_STORES",
    "brands/shop/newsagent": "GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS",
    "brands/shop/books": "GENERAL_MERCHANDISE_BOOKSTORES_AND_NEWSSTANDS",
    "brands/shop/clothes": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/shoes": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/bag": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/fashion_accessories": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/jewelry": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/watches": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/leather": "GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES",
    "brands/shop/department_store": "GENERAL_MERCHANDISE_DEPARTMENT_STORES",
    "brands/shop/variety_store": "GENERAL_MERCHANDISE_DISCOUNT_STORES",
    "brands/shop/wholesale": "GENERAL_MERCHANDISE_SUPERSTORES",
    "brands/shop/general": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/catalogue": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/baby_goods": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/craft": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/fabric": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/art": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/frame": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/model": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/photo": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/music": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/musical_instrument": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/country_store": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/agrarian": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/second_hand": "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE",
    "brands/shop/electronics": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/computer": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/mobile_phone_accessories": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/hifi": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/camera": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/appliance": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/printer_ink": "GENERAL_MERCHANDISE_ELECTRONICS",
    "brands/shop/gift": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/party": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/candles": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/anime": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/toys": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/games": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/florist": "GENERAL_MERCHANDISE_GIFTS_AND_NOVELTIES",
    "brands/shop/stationery": "GENERAL_MERCHANDISE_OFFICE_SUPPLIES",
    "brands/shop/copyshop": "GENERAL_MERCHANDISE_OFFICE_SUPPLIES",
    "brands/shop/pet": "GENERAL_MERCHANDISE_PET_SUPPLIES",
    "brands/shop/sports": "GENERAL_MERCHANDISE_SPORTING_GOODS",
    "brands/shop/outdoor": "GENERAL_MERCHANDISE_SPORTING_GOODS",
    "brands/shop/bicycle": "GENERAL_MERCHANDISE_SPORTING_GOODS",
    "brands/shop/fishing": "GENERAL_MERCHANDISE_SPORTING_GOODS",
    "brands/shop/tobacco": "GENERAL_MERCHANDISE_TOBACCO_AND_VAPE",
    "brands/shop/e-cigarette": "GENERAL_MERCHANDISE_TOBACCO_AND_VAPE",
    # home
    "brands/shop/doityourself": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/hardware": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/paint": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/trade": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/tiles": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/flooring": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/doors": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/electrical": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/garden_centre": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/glaziery": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/power_tools": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/tool_hire": "HOME_IMPROVEMENT_HARDWARE",
    "brands/shop/furniture": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/bed": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/interior_decoration": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/houseware": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/household_linen": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/kitchen": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/bathroom_furnishing": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/carpet": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/curtain": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/lighting": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/window_blind": "HOME_IMPROVEMENT_FURNITURE",
    "brands/shop/locksmith": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/shop/pest_control": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/craft/plumber": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/craft/electrician": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/craft/carpenter": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/craft/painter": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/craft/window_construction": "HOME_IMPROVEMENT_REPAIR_AND_MAINTENANCE",
    "brands/office/security": "HOME_IMPROVEMENT_SECURITY",
    # medical and personal care
    "brands/amenity/pharmacy": "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
    "brands/shop/chemist": "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
    "brands/shop/nutrition_supplements": "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
    "brands/shop/herbalist": "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
    "brands/amenity/dentist": "MEDICAL_DENTAL_CARE",
    "brands/shop/optician": "MEDICAL_EYE_CARE",
    "brands/amenity/clinic": "MEDICAL_PRIMARY_CARE",
    "brands/amenity/doctors": "MEDICAL_PRIMARY_CARE",
    "brands/amenity/hospital": "MEDICAL_PRIMARY_CARE",
    "brands/amenity/veterinary": "MEDICAL_VETERINARY_SERVICES",
    "brands/healthcare/laboratory": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/sample_collection": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/physiotherapist": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/rehabilitation": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/counselling": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/alternative": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/audiologist": "MEDICAL_OTHER_MEDICAL",
    "brands/healthcare/dialysis": "MEDICAL_OTHER_MEDICAL",
    "brands/shop/hearing_aids": "MEDICAL_OTHER_MEDICAL",
    "brands/shop/medical_supply": "MEDICAL_OTHER_MEDICAL",
    "brands/leisure/fitness_centre": "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
    "brands/leisure/sports_centre": "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
    "brands/shop/hairdresser": "PERSONAL_CARE_HAIR_AND_BEAUTY",
    "brands/shop/hairdresser_supply": "PERSONAL_CARE_HAIR_AND_BEAUTY",
    "brands/shop/beauty": "PERSONAL_CARE_HAIR_AND_BEAUTY",
    "brands/shop/cosmetics": "PERSONAL_CARE_HAIR_AND_BEAUTY",
    "brands/shop/perfumery": "PERSONAL_CARE_HAIR_AND_BEAUTY",
    "brands/shop/laundry": "PERSONAL_CARE_LAUNDRY_AND_DRY_CLEANING",
    "brands/shop/dry_cleaning": "PERSONAL_CARE_LAUNDRY_AND_DRY_CLEANING",
    "brands/shop/massage": "PERSONAL_CARE_OTHER_PERSONAL_CARE",
    "brands/leisure/sauna": "PERSONAL_CARE_OTHER_PERSONAL_CARE",
    # entertainment
    "brands/amenity/cinema": "ENTERTAINMENT_TV_AND_MOVIES",
    "brands/shop/video": "ENTERTAINMENT_TV_AND_MOVIES",
    "brands/shop/video_games": "ENTERTAINMENT_VIDEO_GAMES",
    "brands/amenity/casino": "ENTERTAINMENT_CASINOS_AND_GAMBLING",
    "brands/amenity/gambling": "ENTERTAINMENT_CASINOS_AND_GAMBLING",
    "brands/leisure/adult_gaming_centre": "ENTERTAINMENT_CASINOS_AND_GAMBLING",
    "brands/shop/bookmaker": "ENTERTAINMENT_CASINOS_AND_GAMBLING",
    "brands/shop/lottery": "ENTERTAINMENT_CASINOS_AND_GAMBLING",
    "brands/tourism/theme_park": "ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS",
    "brands/leisure/bowling_alley": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    "brands/leisure/amusement_arcade": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    "brands/leisure/escape_game": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    "brands/leisure/indoor_play": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    "brands/leisure/trampoline_park": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    "brands/leisure/miniature_golf": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    "brands/amenity/karaoke_box": "ENTERTAINMENT_OTHER_ENTERTAINMENT",
    # services
    "brands/office/insurance": "GENERAL_SERVICES_INSURANCE",
    "brands/office/insurance_adjuster": "GENERAL_SERVICES_INSURANCE",
    "brands/office/tax_advisor": "GENERAL_SERVICES_ACCOUNTING_AND_FINANCIAL_PLANNING",
    "brands/office/financial_advisor": "GENERAL_SERVICES_ACCOUNTING_AND_FINANCIAL_PLANNING",
    "brands/office/lawyer": "GENERAL_SERVICES_CONSULTING_AND_LEGAL",
    "brands/office/consulting": "GENERAL_SERVICES_CONSULTING_AND_LEGAL",
    "brands/amenity/car_wash": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/amenity/vehicle_inspection": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/shop/car_repair": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/shop/car_parts": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/shop/tyres": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/shop/truck_repair": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/shop/motorcycle_repair": "GENERAL_SERVICES_AUTOMOTIVE",
    "brands/amenity/childcare": "GENERAL_SERVICES_CHILDCARE",
    "brands/amenity/kindergarten": "GENERAL_SERVICES_CHILDCARE",
    "brands/amenity/college": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/university": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/school": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/prep_school": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/language_school": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/music_school": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/driving_school": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/training": "GENERAL_SERVICES_EDUCATION",
    "brands/amenity/post_office": "GENERAL_SERVICES_POSTAGE_AND_SHIPPING",
    "brands/office/logistics": "GENERAL_SERVICES_POSTAGE_AND_SHIPPING",
    "operators/amenity/post_office": "GENERAL_SERVICES_POSTAGE_AND_SHIPPING",
    "brands/shop/storage_rental": "GENERAL_SERVICES_STORAGE",
    "brands/office/moving_company": "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
    "brands/shop/funeral_directors": "GENERAL_SERVICES_OTHER_GENERAL_SERVICES",
    # government
    "brands/office/government": "GOVERNMENT_AND_NON_PROFIT_GOVERNMENT_DEPARTMENTS_AND_AGENCIES",
    # transportation and travel
    "brands/amenity/fuel": "TRANSPORTATION_GAS",
    "brands/amenity/charging_station": "TRANSPORTATION_OTHER_TRANSPORTATION",
    "brands/man_made/charge_point": "TRANSPORTATION_OTHER_TRANSPORTATION",
    "brands/amenity/parking": "TRANSPORTATION_PARKING",
    "operators/amenity/parking": "TRANSPORTATION_PARKING",
    "brands/amenity/bicycle_rental": "TRANSPORTATION_BIKES_AND_SCOOTERS",
    "brands/amenity/car_rental": "TRAVEL_RENTAL_CARS",
    "brands/amenity/car_sharing": "TRAVEL_RENTAL_CARS",
    "brands/tourism/hotel": "TRAVEL_LODGING",
    "brands/tourism/motel": "TRAVEL_LODGING",
    "brands/tourism/hostel": "TRAVEL_LODGING",
    "brands/tourism/caravan_site": "TRAVEL_LODGING",
    "brands/shop/travel_agency": "TRAVEL_OTHER_TRAVEL",
    # bills
    "brands/shop/mobile_phone": "RENT_AND_UTILITIES_TELEPHONE",
    "brands/office/telecommunication": "RENT_AND_UTILITIES_TELEPHONE",
    "brands/shop/telecommunication": "RENT_AND_UTILITIES_INTERNET_AND_CABLE",
    "operators/office/energy_supplier": "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
    "operators/office/water_utility": "RENT_AND_UTILITIES_WATER",
    "brands/office/mortgage": "LOAN_PAYMENTS_MORTGAGE_PAYMENT",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words every bank statement prints around merchant names (formats, processors, corporate suffixes): as a whole
# lexicon name they would fire on most descriptions. Written from general knowledge of bank exports.
DESCRIPTOR_WORDS = _words(
    """
    pos atm ach card debit credit purchase payment payments online store stores shop shops market bank direct
    transfer visa mastercard paypal square recurring bill billing web www com net org inc llc ltd limited plc
    gmbh corp company services service center centre international group the and of for new city
    contactless purchase authorized checkcard pending refund return deposit withdrawal fee fees autopay
    """
)

# ISO 3166 countries (and UN M49 regions) whose brands are kept: our regions are US, UK and EU (plus Canada,
# whose chains cross the border); "001" is NSI's "world-wide".
REGION_CODES = _words(
    """
    001 150 151 154 155 039 021 019 eu us ca gb ie uk
    at be bg hr cy cz dk ee fi fr fx de gr hu it lv lt lu mt nl pl pt ro sk si es se ch no is li mc ad sm
    """
)

_APOSTROPHES = re.compile(r"['\u2019`\u00b4]")
_TOKEN = re.compile(r"[a-z0-9]+")


def name_tokens(text: str) -> tuple[str, ...]:
    """Lower-case ASCII tokens of a name or description: accents folded, apostrophes dropped ("McDonald's" ->
    "mcdonalds"), every other non-alphanumeric character a separator ("7-Eleven" -> "7 eleven")."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return tuple(_TOKEN.findall(_APOSTROPHES.sub("", text.lower())))


def _is_latin(text: str) -> bool:
    """True when every letter of `text` is Latin (accents allowed)."""
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def _in_regions(item: Mapping[str, object]) -> bool:
    include = (item.get("locationSet") or {}).get("include") or []  # type: ignore[union-attr]
    for code in include:
        if isinstance(code, str):
            country = code.lower().removesuffix(".geojson").split("-")[0]
            if country in REGION_CODES:
                return True
    return False


def _item_names(item: Mapping[str, object]) -> Iterator[tuple[str, bool]]:
    """(name, canonical) pairs: the brand's own names, then NSI's alternative `matchNames`."""
    tags = item.get("tags") or {}
    yield str(item.get("displayName") or ""), True
    for key in ("name", "brand", "operator", "name:en", "brand:en", "operator:en"):
        if key in tags:  # type: ignore[operator]
            yield str(tags[key]), True  # type: ignore[index]
    yield from ((str(n), False) for n in item.get("matchNames") or [])  # type: ignore[union-attr]


def _compile(patterns: Iterable[str]) -> list[re.Pattern[str]]:
    out = []
    for pattern in patterns:
        try:
            out.append(re.compile(pattern, re.IGNORECASE))
        except re.error:  # NSI's patterns are JavaScript regular expressions; skip any Python cannot read
            continue
    return out


@dataclass(frozen=True)
class LexiconEntry:
    name: str  # normalised tokens joined by one space
    codes: tuple[str, ...]  # detailed codes (of one or more primaries); empty = a known brand with no category of ours


def build_lexicon(nsi: Mapping[str, object], generic_words: Iterable[str] = ()) -> list[LexiconEntry]:
    """The lexicon entries from a parsed nsi.json (and NSI's genericWords patterns), sorted by name."""
    from transactions.taxonomy import BY_CODE

    for key, code in NSI_CATEGORIES.items():
        if code not in BY_CODE or BY_CODE[code].primary == code:
            raise ValueError(f"NSI_CATEGORIES[{key!r}] = {code!r} is not a detailed category code")
    generic = _compile(generic_words)
    codes: dict[str, set[str]] = defaultdict(set)
    known: set[str] = set()
    categories = nsi.get("nsi", nsi)
    for key, category in sorted(categories.items()):  # type: ignore[union-attr]
        if not key.startswith(("brands/", "operators/")) or not isinstance(category, Mapping):
            continue
        code = NSI_CATEGORIES.get(key)
        if code is None and not key.startswith("brands/"):
            continue
        exclude = (category.get("properties") or {}).get("exclude") or {}
        local_generic = _compile(exclude.get("generic") or [])
        for item in category.get("items") or []:
            if not _in_regions(item):
                continue
            for raw, canonical in _item_names(item):
                raw = raw.strip()
                if not raw or not _is_latin(raw) or any(p.search(raw) for p in generic + local_generic):
                    continue
                tokens = name_tokens(raw)
                if len(tokens) == 1 and not canonical:
                    continue  # a one-word alternative spelling ("Home", "Mobile") is too often a plain word
                for name in _name_forms(tokens):
                    if code is None:
                        known.add(name)
                    else:
                        codes[name].add(code)
    return [LexiconEntry(name, tuple(sorted(codes.get(name, ())))) for name in sorted(set(codes) | known)]


def _name_forms(tokens: tuple[str, ...]) -> list[str]:
    """The lexicon keys of one name: its tokens, and the tokens joined without spaces ("whole foods" ->
    "wholefoods", as banks often print it); generic forms are dropped."""
    if not tokens or len(tokens) > MAX_TOKENS:
        return []
    forms = [" ".join(tokens)]
    if len(tokens) > 1:
        forms.append("".join(tokens))
    return [f for f in forms if _specific(f)]


def _specific(name: str) -> bool:
    tokens = name.split(" ")
    if all(t in DESCRIPTOR_WORDS or t.isdigit() for t in tokens):
        return False
    return len(tokens) > 1 or (len(name) >= MIN_SINGLE_TOKEN and not name.isdigit())


def write_lexicon(entries: Iterable[LexiconEntry], path: Path = LEXICON_PATH, source: str = "") -> Path:
    """Write the entries as gzipped TSV `name<TAB>codes` (codes joined by `|`; empty for a known, uncategorised
    brand). The gzip header carries no timestamp, so the same entries give the same bytes."""
    lines = [f"# brand lexicon from OpenStreetMap name-suggestion-index {source}".rstrip(), "# name\tcodes"]
    lines += [f"{e.name}\t{'|'.join(e.codes)}" for e in entries]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
        handle.write(data)
    return path


def read_lexicon(path: Path = LEXICON_PATH) -> dict[str, tuple[str, ...]]:
    """name -> detailed codes, from a written lexicon file."""
    out: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            name, _, codes = line.rstrip("\n").partition("\t")
            out[name] = tuple(codes.split("|")) if codes else ()
    return out


@cache
def load_lexicon() -> dict[str, tuple[str, ...]]:
    """The committed lexicon (read once per process)."""
    return read_lexicon(LEXICON_PATH)


def lexicon_fingerprint(path: Path = LEXICON_PATH) -> str:
    """A short SHA-256 of the lexicon file: recorded in a trained model so its features can be traced."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def build_from_file(nsi_path: str | Path, out: Path = LEXICON_PATH) -> dict[str, object]:
    """Read nsi.json (and genericWords.json beside it, when present), write the lexicon; a summary."""
    nsi_file = Path(nsi_path)
    nsi = json.loads(nsi_file.read_text(encoding="utf-8"))
    generic_file = nsi_file.with_name("genericWords.json")
    generic = json.loads(generic_file.read_text(encoding="utf-8"))["genericWords"] if generic_file.exists() else []
    entries = build_lexicon(nsi, generic)
    version = str((nsi.get("_meta") or {}).get("version") or "")
    write_lexicon(entries, out, source=version)
    categorised = [e for e in entries if e.codes]
    return {
        "path": str(out),
        "nsi_version": version,
        "names": len(entries),
        "categorised": len(categorised),
        "uncategorised": len(entries) - len(categorised),
        "bytes": out.stat().st_size,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the brand lexicon from NSI's dist/json/nsi.json.")
    parser.add_argument("nsi", help="path to name-suggestion-index's dist/json/nsi.json")
    parser.add_argument("--out", default=str(LEXICON_PATH), help=f"output file (default {LEXICON_PATH})")
    args = parser.parse_args(argv)
    print(json.dumps(build_from_file(args.nsi, Path(args.out))))


if __name__ == "__main__":
    main()

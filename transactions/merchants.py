"""Merchant names from bank descriptions: `SQ *BLUE BOTTLE COFFEE OAKLAND CA` → `Blue Bottle Coffee`.

Pure Python and cached: it runs on every imported row. The steps, in order:

1. drop processor and channel prefixes (`SQ *`, `TST*`, `PAYPAL *`, `CHECKCARD 0104`, `POS`,
   `PURCHASE AUTHORIZED ON 01/02`, `CARD PAYMENT TO`, `SEPA-Lastschrift`...);
2. map a few well-known spellings to one name (`AMZN MKTP US*2K4` → Amazon, `WM SUPERCENTER` → Walmart);
3. remove dates, times, phone numbers, card numbers, reference ids and web addresses;
4. cut at the store number (`#601`, `STORE 12345`, a bare number after the name): the location follows it;
5. strip a trailing country, state and known city, then legal forms (`GmbH`, `LLC`, `Ltd`);
6. title-case names written in capitals, keeping acronyms (ATM, CVS, BP) and `McDonald's`-style names;
   names the bank already wrote in mixed or lower case (`REWE Markt`, `dm-drogerie markt`) are kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

_I = re.IGNORECASE


def _words(text: str, separator: str | None = None) -> frozenset[str]:
    """A set from a long literal word list (easier to read and edit than hundreds of quoted strings)."""
    return frozenset(word.strip() for word in text.split(separator) if word.strip())


# 1. Prefixes, removed repeatedly from the start. Each alternative is a whole prefix.
_PREFIX = re.compile(
    r"^(?:"
    r"(?:recurring\s+)?(?:payment|purchase)(?:\s+return)?\s+authori[sz]ed\s+on\s+\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|check\s?card\s+\d{4}"
    r"|(?:debit|credit|check|visa)\s+card\s+(?:purchase|payment)(?:\s+-)?"
    r"|card\s+(?:purchase|payment)(?:\s+with\s+pin)?(?:\s+to)?"
    r"|pos\s+(?:purchase|debit|withdrawal)|pos|purchase\s+\d{4}|purchase|dbt\s+crd\s+\d{4}"
    r"|visa\s+dda\s+pur|dda\s+purchase|debit\s+purchase|point\s+of\s+sale"
    r"|ach\s+(?:debit|credit|pmt|payment|withdrawal|deposit|dep)|ach"
    r"|(?:apple|google|samsung)\s?pay|aplpay|gpay"
    r"|direct\s+debit(?:\s+payment)?(?:\s+to)?|dd|so|bgc|fpo|fpi|deb|contactless(?:\s+payment)?"
    r"|(?:sepa[\s-])?(?:folge|erst)?lastschrift|kartenzahlung|gutschrift|[üu]e?berweisung|girocard"
    r"|bea,?|gea,?|betaalpas"
    r"|paiement\s+(?:par\s+)?(?:cb|carte)(?:\s+\d{4})?|achat\s+cb|cb|carte\s+\d{2}/\d{2}|prlv(?:\s+sepa)?"
    r"|compra(?:\s+en)?|pago(?:\s+en)?|tarjeta\s+\d+"
    r"|(?:sq|squ|tst|paypal|pp|sp|iz|izi|zettle_?|sumup|google|fs|py|eb|dnh|wpy|cko|bt|ls|clv|toast|in|pos)\s?\*"
    r")[\s:,*-]*",
    _I,
)

# 2. Well-known merchants whose descriptions vary: matched at the start after the prefixes.
_ALIASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, _I), name)
    for pattern, name in (
        (r"amzn\s?(?:mktp|mktplace|marketplace|digital)\b|amazon\s?(?:mktp|mktpl|mktplace|marketplace)\b", "Amazon"),
        (r"amazon\s?prime\b|amzn\s?prime\b|prime\s?video\b", "Amazon Prime"),
        (r"amazon(?:\.com|\.co\.uk|\.de|\.fr|\.es|\.nl)?\b|amzn\b", "Amazon"),
        (r"wm\s?supercenter\b|wal-?mart\b|walmart(?:\.com)?\b", "Walmart"),
        (r"wholefds\b|whole\s?foods\b", "Whole Foods Market"),
        (r"costco\s?(?:whse|wholesale|gas)?\b", "Costco"),
        (r"apple\.com/bill\b|apple\.com\b|itunes\.com\b", "Apple"),
        (r"mcdonald'?s\b", "McDonald's"),
        (r"sbux\b|starbucks\b", "Starbucks"),
    )
)

# 3. Noise anywhere in the text.
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
_NOISE = re.compile(
    r"\bon\s+\d{1,2}\s+" + _MONTH + r"\b"  # Barclays: ON 03 JAN
    r"|\b\d{1,2}" + _MONTH + r"\d{0,4}\b"  # 03JAN, 03JAN25
    r"|\b\d{4}-\d{2}-\d{2}(?:T[\d:.]+)?"  # ISO dates and timestamps
    r"|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?(?:/\d{1,2}[:.]\d{2})?\b"  # 01/02, 03.01.25, 03.01.25/12.34
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b"  # times
    r"|(?:\+|\b00)\d{1,3}[\s-]?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"  # international phone numbers
    r"|(?:\b1[-. ])?\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b"  # US phone numbers
    r"|\b(?:card|cd|crd)\s*(?:no\.?\s*)?[x*#]*\d{4}\b"  # card numbers
    r"|[x*#]{4,}\d{4}\b|\bx+\d{2,4}\b"
    r"|\b(?:ppd|web|ccd|co|tel)\s+id:?\s*\S+"  # ACH ids
    r"|\b(?:ref|reference|trace|conf|confirmation|auth|txn|trn|inv|invoice|order|seq|indn|mandat|nr|pas)"
    r"(?:\s*(?:no|nr|#|:)\.?)?[:#.]?\s*[\w-]*\d[\w-]*"  # labelled references
    r"|\b(?:https?://|www\.)\S+"
    r"|(?<=\s)[\w.-]+\.(?:com|net|org|co\.uk|gov\.uk|de|nl|fr|co)(?:/\S*)?",  # web addresses after the name
    _I,
)
_ID_TOKEN = re.compile(r"\b[a-z]*\d[a-z]*\d[a-z]*\d\w*", _I)  # three or more digits mixed with letters
# 4. The store number; everything after it is location.
_STORE_NUMBER = re.compile(r"(?<=[a-z'.)&])\s*(?:#\s*\d+|\b(?:store|str|nr|no\.?|#)\s*#?\s*\d+|\s\d{2,}\b).*$", _I)
_STAR_ID = re.compile(r"\*\s*\S*\d\S*")  # AMAZON MKTPL*2K4AB1CD2: the part after * is an order id
_LEFTOVER_PUNCTUATION = re.compile(r"^[\s*#/.,:;_-]+|[\s*#/.,:;_-]+$")
_SPLIT_WORDS = re.compile(r"[\s,]+")
_TLD = re.compile(r"\.(?:com|net|org|co\.uk|de|nl|fr)$", _I)

# 5. Trailing location and legal forms.
# UK banks append a payment-type code: BCC card, DDR direct debit, BGC bank giro credit...
_PAYMENT_CODES = _words("BCC BGC DDR DD SO STO FPO FPI TFR CPT DEB CHQ")
_COUNTRIES = _words(
    "US USA GB GBR UK DE DEU NL NLD FR FRA IE IRL ES ESP IT ITA BE BEL AT AUT CH CHE LU LUX PT PRT DK DNK SE "
    "SWE NO NOR FI FIN PL POL CA CAN AU AUS"
)
_STATES = _words(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY"
)
# Codes that are also everyday words: only dropped when a known city precedes them.
_WORDLIKE_CODES = _words("IN OR ME OK HI AT BE IT NO SO CO DE")
_CITIES = _words(
    """
    NEW YORK|LOS ANGELES|CHICAGO|HOUSTON|PHOENIX|PHILADELPHIA|SAN ANTONIO|SAN DIEGO|DALLAS|SAN JOSE|AUSTIN|
    JACKSONVILLE|FORT WORTH|COLUMBUS|CHARLOTTE|SAN FRANCISCO|INDIANAPOLIS|SEATTLE|DENVER|WASHINGTON|BOSTON|
    EL PASO|NASHVILLE|DETROIT|OKLAHOMA CITY|PORTLAND|LAS VEGAS|MEMPHIS|LOUISVILLE|BALTIMORE|MILWAUKEE|
    ALBUQUERQUE|TUCSON|FRESNO|SACRAMENTO|KANSAS CITY|MESA|ATLANTA|OMAHA|COLORADO SPRINGS|RALEIGH|MIAMI|
    LONG BEACH|VIRGINIA BEACH|OAKLAND|MINNEAPOLIS|TULSA|TAMPA|ARLINGTON|NEW ORLEANS|WICHITA|CLEVELAND|
    BAKERSFIELD|AURORA|ANAHEIM|HONOLULU|SANTA ANA|RIVERSIDE|CORPUS CHRISTI|LEXINGTON|STOCKTON|ST LOUIS|
    SAINT LOUIS|SAINT PAUL|ST PAUL|PITTSBURGH|CINCINNATI|ANCHORAGE|GREENSBORO|PLANO|NEWARK|LINCOLN|ORLANDO|
    IRVINE|TOLEDO|JERSEY CITY|CHULA VISTA|DURHAM|FORT WAYNE|ST PETERSBURG|LAREDO|BUFFALO|MADISON|LUBBOCK|
    CHANDLER|SCOTTSDALE|RENO|GLENDALE|GILBERT|NORFOLK|CHESAPEAKE|GARLAND|IRVING|HIALEAH|FREMONT|BOISE|
    RICHMOND|BATON ROUGE|SPOKANE|DES MOINES|TACOMA|SAN BERNARDINO|MODESTO|FONTANA|SANTA CLARITA|BIRMINGHAM|
    OXNARD|FAYETTEVILLE|ROCHESTER|MORENO VALLEY|SALT LAKE CITY|HUNTINGTON BEACH|YONKERS|AMARILLO|GLENDALE|
    LITTLE ROCK|PROVIDENCE|BROOKLYN|BRONX|QUEENS|MANHATTAN|STATEN ISLAND|CAMBRIDGE|SOMERVILLE|BERKELEY|
    PALO ALTO|MOUNTAIN VIEW|SUNNYVALE|SANTA CLARA|CUPERTINO|MENLO PARK|REDWOOD CITY|SAN MATEO|LOS GATOS|
    SANTA MONICA|PASADENA|HOBOKEN|BELLEVUE|REDMOND|KIRKLAND|EVANSTON|ANN ARBOR|BOULDER|SPRINGFIELD|
    LONDON|MANCHESTER|LIVERPOOL|LEEDS|BRISTOL|SHEFFIELD|EDINBURGH|GLASGOW|CARDIFF|BELFAST|NOTTINGHAM|
    LEICESTER|COVENTRY|BRIGHTON|OXFORD|READING|YORK|BATH|NEWCASTLE|SOUTHAMPTON|PORTSMOUTH|MILTON KEYNES|
    BERLIN|HAMBURG|MUENCHEN|MUNCHEN|MÜNCHEN|MUNICH|KOELN|KOLN|KÖLN|COLOGNE|FRANKFURT|FRANKFURT AM MAIN|
    STUTTGART|DUESSELDORF|DUSSELDORF|DÜSSELDORF|DORTMUND|ESSEN|LEIPZIG|BREMEN|DRESDEN|HANNOVER|NUERNBERG|
    NURNBERG|NÜRNBERG|BONN|MANNHEIM|KARLSRUHE|AUGSBURG|WIESBADEN|MUENSTER|MÜNSTER|FREIBURG|HEIDELBERG|
    AMSTERDAM|ROTTERDAM|DEN HAAG|THE HAGUE|UTRECHT|EINDHOVEN|GRONINGEN|TILBURG|ALMERE|BREDA|NIJMEGEN|HAARLEM|
    LEIDEN|PARIS|MARSEILLE|LYON|TOULOUSE|NICE|NANTES|STRASBOURG|BORDEAUX|LILLE|MADRID|BARCELONA|VALENCIA|
    SEVILLA|SEVILLE|MALAGA|BILBAO|ROMA|ROME|MILANO|MILAN|NAPOLI|TORINO|FIRENZE|WIEN|VIENNA|ZURICH|ZÜRICH|
    GENEVE|GENEVA|BRUSSEL|BRUXELLES|BRUSSELS|ANTWERPEN|DUBLIN|LISBOA|LISBON|PORTO|KOBENHAVN|COPENHAGEN|
    STOCKHOLM|OSLO|HELSINKI|WARSZAWA|WARSAW|PRAHA|PRAGUE
    """,
    separator="|",
)
_CITY_WORDS = max(len(city.split()) for city in _CITIES)
_LEGAL_FORM = re.compile(
    r"[\s,]+(?:inc|llc|l\.l\.c|ltd|limited|plc|corp|corporation|co|company|gmbh(?:\s*&\s*co\.?\s*kg)?|ag|kg|"
    r"ohg|ug|e\.?\s?k|e\.?\s?v|b\.?v|n\.?v|s\.?a|s\.?a\.?s|sarl|s\.?r\.?l|s\.?p\.?a|s\.?l|oy|ab|as)\.?$",
    _I,
)

# 6. Casing.
ACRONYMS = _words(
    "ATM ATT AT&T BP CVS KFC IHOP HBO HSBC RBS TSB NHS DVLA HMRC TFL EE O2 USPS UPS DHL IKEA H&M TJ TJX "
    "REWE DM OBI BMW VW ADAC DB BVG MVG HVV SNCF RATP KLM NS ING ABN AMRO BBC ITV AMC GNC AAA AARP NYC "
    "LA SF USA UK EU DMV IRS ESPN NFL NBA MLB TV PC GMBH QT CKE BJ BJS AJ ARCO EDF SNCB RWE EON AOK"
)
_SMALL_WORDS = _words("a an and the of for to at on in by de la le du des van der den und y et")
_VOWELS = frozenset("AEIOUY")
_LETTERS = re.compile(r"[^\W\d_]+")
_LONE_S = re.compile(r"(?<=[^\W\d_]{2}) S(?= |$)", _I)


@lru_cache(maxsize=65536)
def normalize_merchant(description: str) -> str:
    """The merchant's name from a raw bank description; falls back to the tidied description."""
    text = " ".join(description.split())
    if not text:
        return ""
    stripped = _strip_prefixes(text)
    if " - " in stripped:
        stripped = stripped.split(" - ", 1)[0]
    for pattern, name in _ALIASES:
        if pattern.match(stripped):
            return name
    name = _STAR_ID.sub(" ", stripped)
    name = _NOISE.sub(" ", name)
    name = _STORE_NUMBER.sub("", " ".join(name.split()))
    name = _ID_TOKEN.sub(" ", name).replace("*", " ")
    name = _strip_location(" ".join(name.split()))
    name = _strip_legal_form(name)
    name = _TLD.sub("", _LEFTOVER_PUNCTUATION.sub("", name))
    if not any(ch.isalpha() for ch in name):
        name = _LEFTOVER_PUNCTUATION.sub("", stripped) or text
    return _tidy_case(name)


def _strip_prefixes(text: str) -> str:
    for _ in range(4):  # `POS DEBIT CHECKCARD 0104 SQ *` stacks several
        shorter = _PREFIX.sub("", text, count=1)
        if shorter == text or not shorter:
            break
        text = shorter
    return text


def _strip_location(name: str) -> str:
    """Drop a trailing payment code, country, state and known city (`... OAKLAND CA`, `... LONDON GB`)."""
    words = name.split(" ")
    stripped_code = False
    for codes in (_PAYMENT_CODES, _COUNTRIES, _STATES):
        last = words[-1].upper().strip(".,")
        if len(words) > 1 and last in codes and (last not in _WORDLIKE_CODES or _ends_with_city(words[:-1])):
            words.pop()
            stripped_code = True
    city = _ends_with_city(words)
    if city and len(words) > city and words[-city - 1].upper() != "OF":
        del words[-city:]
    elif stripped_code and len(words) >= 4:
        words.pop()  # `BLUE BOTTLE COFFEE SPRINGFIELD CA`: the word before a state is the town
    return " ".join(words)


def _ends_with_city(words: list[str]) -> int:
    """How many trailing words form a known city (0 if none)."""
    for size in range(min(_CITY_WORDS, len(words) - 1), 0, -1):
        if " ".join(words[-size:]).upper().replace(".", "") in _CITIES:
            return size
    return 0


def _strip_legal_form(name: str) -> str:
    for _ in range(2):
        shorter = _LEGAL_FORM.sub("", name)
        if shorter == name or not shorter.strip():
            break
        name = shorter
    return name


def _tidy_case(name: str) -> str:
    """Title-case an all-capitals name, keeping acronyms; a name with lower-case letters is kept as written."""
    if any(ch.islower() for ch in name):
        return name
    name = _LONE_S.sub("'S", name)  # Chase writes TRADER JOE S for Trader Joe's
    words = name.split(" ")
    return " ".join(_title_word(word, first=index == 0) for index, word in enumerate(words))


def _title_word(word: str, *, first: bool) -> str:
    upper = word.upper()
    if upper in ACRONYMS:
        return upper
    if not first and word.lower() in _SMALL_WORDS:
        return word.lower()

    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        start = match.start()
        before = word[start - 1] if start else ""
        run_upper = run.upper()
        if before == "'" and len(run) <= 2 and start >= 2:  # JOE'S, WE'LL
            return run.lower()
        if before == "." and start:  # .com
            return run.lower()
        if run_upper in ACRONYMS or (len(run) <= 3 and not _VOWELS & set(run_upper) and len(word) <= 4):
            return run_upper
        if run_upper.startswith("MC") and len(run) > 3:
            return "Mc" + run[2:].capitalize()
        return run.capitalize()

    return _LETTERS.sub(fix, word)

"""Dates as banks print them. The format is inferred from a whole column, never from one value.

Known formats are matched by regular expression and cached per distinct string (a 100k-row file has a few
hundred distinct dates); any other strptime format the user types falls back to datetime.strptime.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januar", "janv", "jänner"),
            ("feb", "february", "februar", "fev", "févr"),
            ("mar", "march", "märz", "maerz", "mär", "mrz", "mars"),
            ("apr", "april", "avr"),
            ("may", "mai"),
            ("jun", "june", "juni", "juin"),
            ("jul", "july", "juli", "juil"),
            ("aug", "august", "aout", "août"),
            ("sep", "sept", "september"),
            ("oct", "october", "okt", "oktober"),
            ("nov", "november"),
            ("dec", "december", "dez", "dezember", "déc"),
        ),
        start=1,
    )
    for name in names
}

# A time of day after the date (Revolut, some ISO exports); it is accepted and ignored.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[AaPp][Mm])?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?"
_D = r"(?P<d>\d{1,2})"
_M = r"(?P<m>\d{1,2})"
_Y4 = r"(?P<y>\d{4})"
_Y2 = r"(?P<y>\d{2})"
_B = r"(?P<b>[^\W\d_]{3,9})\.?"


@dataclass(frozen=True)
class _KnownFormat:
    fmt: str
    pattern: re.Pattern[str]
    day_first: bool | None  # None when the order is not in question (ISO, month names)


def _known(fmt: str, body: str, day_first: bool | None = None) -> _KnownFormat:
    return _KnownFormat(fmt, re.compile(body + _TIME), day_first)


KNOWN_FORMATS: tuple[_KnownFormat, ...] = (
    _known("%Y-%m-%d", rf"{_Y4}-{_M}-{_D}"),
    _known("%Y/%m/%d", rf"{_Y4}/{_M}/{_D}"),
    _known("%Y.%m.%d", rf"{_Y4}\.{_M}\.{_D}"),
    _known("%Y%m%d", r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    _known("%m/%d/%Y", rf"{_M}/{_D}/{_Y4}", day_first=False),
    _known("%d/%m/%Y", rf"{_D}/{_M}/{_Y4}", day_first=True),
    _known("%m/%d/%y", rf"{_M}/{_D}/{_Y2}", day_first=False),
    _known("%d/%m/%y", rf"{_D}/{_M}/{_Y2}", day_first=True),
    _known("%m-%d-%Y", rf"{_M}-{_D}-{_Y4}", day_first=False),
    _known("%d-%m-%Y", rf"{_D}-{_M}-{_Y4}", day_first=True),
    _known("%m-%d-%y", rf"{_M}-{_D}-{_Y2}", day_first=False),
    _known("%d-%m-%y", rf"{_D}-{_M}-{_Y2}", day_first=True),
    _known("%d.%m.%Y", rf"{_D}\.{_M}\.{_Y4}"),
    _known("%d.%m.%y", rf"{_D}\.{_M}\.{_Y2}"),
    _known("%d %b %Y", rf"{_D} {_B} {_Y4}"),
    _known("%d-%b-%Y", rf"{_D}-{_B}-{_Y4}"),
    _known("%d %b %y", rf"{_D} {_B} {_Y2}"),
    _known("%d-%b-%y", rf"{_D}-{_B}-{_Y2}"),
    _known("%b %d, %Y", rf"{_B} {_D},? {_Y4}"),
)
_BY_FORMAT = {known.fmt: known for known in KNOWN_FORMATS}
# Formats that can never be read two ways (ISO, dotted day-first, month names): a value in one of these is
# accepted whatever the column's format, as Quicken files and hand-edited CSVs mix them in.
_UNAMBIGUOUS = tuple(known for known in KNOWN_FORMATS if known.day_first is None)
_TIME_DIRECTIVES = re.compile(r"[ T]?%[HIMSfpzZ].*$")
FORMAT_LABELS = {
    "%m/%d/%Y": "MM/DD/YYYY",
    "%d/%m/%Y": "DD/MM/YYYY",
    "%m/%d/%y": "MM/DD/YY",
    "%d/%m/%y": "DD/MM/YY",
    "%Y-%m-%d": "YYYY-MM-DD",
    "%Y%m%d": "YYYYMMDD",
    "%d.%m.%Y": "DD.MM.YYYY",
    "%d.%m.%y": "DD.MM.YY",
}


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # strptime's %y pivot: 69-99 are the 1900s
        year += 1900 if year >= 69 else 2000
    return year


def _match_known(known: _KnownFormat, text: str) -> dt.date | None:
    match = known.pattern.fullmatch(text)
    if match is None:
        return None
    parts = match.groupdict()
    month = _MONTHS.get(parts["b"].lower()) if parts.get("b") else int(parts["m"])
    if month is None:
        return None
    try:
        return dt.date(_year(parts["y"]), month, int(parts["d"]))
    except ValueError:
        return None


class DateParser:
    """Parses one column's dates in a fixed format; raises ValueError with a readable reason."""

    _CACHE_LIMIT = 8192

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        date_part = _TIME_DIRECTIVES.sub("", fmt)
        known = _BY_FORMAT.get(date_part)
        self._known = known
        # Readers may look dates up here directly; a miss (or a cached None) means "call the parser".
        self.cache: dict[str, dt.date | None] = {}

    def __call__(self, text: str) -> dt.date:
        try:
            value = self.cache[text]
        except KeyError:
            if len(self.cache) >= self._CACHE_LIMIT:
                self.cache.clear()  # timestamps are all distinct; keep memory flat
            value = self.cache[text] = self._parse_uncached(text.strip())
        if value is None:
            raise ValueError(f"date {text!r} does not match the format {describe_format(self.fmt)}")
        return value

    def _parse_uncached(self, text: str) -> dt.date | None:
        if self._known is not None:
            value = _match_known(self._known, text)
        else:
            try:
                value = dt.datetime.strptime(text, self.fmt).date()
            except ValueError:
                value = None
        if value is None:
            for known in _UNAMBIGUOUS:
                value = _match_known(known, text)
                if value is not None:
                    break
        return value


def describe_format(fmt: str) -> str:
    """A human label for a strptime format: `%d/%m/%Y` → `DD/MM/YYYY`."""
    return FORMAT_LABELS.get(fmt, fmt)


def is_valid_format(fmt: str) -> bool:
    """True when fmt is a usable strptime format naming a year and a month (or a day of the year)."""
    has_year = "%Y" in fmt or "%y" in fmt
    has_month = any(code in fmt for code in ("%m", "%b", "%B", "%j"))
    if not (has_year and has_month):
        return False
    try:
        dt.datetime.now().strftime(fmt)
    except ValueError:
        return False
    return True


def looks_like_date(text: str) -> bool:
    """True when the text is a date in any known format (used to infer header-less columns)."""
    text = text.strip()
    return any(_match_known(known, text) for known in KNOWN_FORMATS)


@dataclass(frozen=True)
class DateInference:
    """The outcome of reading a date column: the winning format and whether the column left a choice."""

    format: str | None
    candidates: tuple[str, ...]
    ambiguous: bool


class DateColumnTally:
    """Counts, per known format, how many of a column's values it reads; the format reading most wins.

    A single `13/01/2025` rules out month-first for the column; stray unreadable values (a footer, one
    typo) do not veto a format that reads everything else.
    """

    def __init__(self, formats: Iterable[str] | None = None) -> None:
        chosen = set(formats) if formats is not None else None
        self._formats = tuple(k for k in KNOWN_FORMATS if chosen is None or k.fmt in chosen)
        self.fits: Counter[str] = Counter()
        self.values = 0

    def add(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        self.values += 1
        for known in self._formats:
            if _match_known(known, text):
                self.fits[known.fmt] += 1

    def add_all(self, values: Iterable[str]) -> None:
        for value in values:
            self.add(value)

    def leaders(self) -> tuple[str, ...]:
        """The formats that read the most values (several when the column is ambiguous)."""
        if not self.fits:
            return ()
        best = max(self.fits.values())
        return tuple(fmt for fmt, count in self.fits.items() if count == best)

    def decide(self, preferred: str | None, day_first_default: bool) -> DateInference:
        """Pick the leading format; break ties with the preferred (profile) format, then the locale."""
        leaders = self.leaders()
        if not leaders:
            return DateInference(preferred, (), ambiguous=False)
        if len(leaders) == 1:
            return DateInference(leaders[0], leaders, ambiguous=False)
        if preferred in leaders:
            return DateInference(preferred, leaders, ambiguous=True)
        ordered = [fmt for fmt in leaders if _BY_FORMAT[fmt].day_first is day_first_default] or list(leaders)
        return DateInference(ordered[0], leaders, ambiguous=True)

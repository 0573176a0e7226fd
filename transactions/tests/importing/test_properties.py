"""Property tests: whatever the bytes, the importer answers with rows, row errors or ImportFileError."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transactions.importing import ImportFileError, ParsedRow, RowError, detect, parse

# IMPORTER_PROPERTY_EXAMPLES=5000 for a longer hunt.
SETTINGS = settings(
    max_examples=int(os.environ.get("IMPORTER_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FILENAMES = st.sampled_from(["upload.csv", "upload.ofx", "upload.qfx", "upload.qif", "upload.txt", ""])


def check_contract(data: bytes, filename: str) -> None:
    """detect() and parse() either raise ImportFileError or produce only well-formed rows and errors."""
    try:
        detect(data, filename)
    except ImportFileError as error:
        assert str(error)
    try:
        stream = parse(data, filename)
        items = list(stream)
    except ImportFileError as error:
        assert str(error)
        return
    last_line = 0
    for item in items:
        assert type(item) in (ParsedRow, RowError)
        assert item.line >= 1
        if isinstance(item, ParsedRow):
            assert isinstance(item.date, dt.date)
            assert isinstance(item.amount, Decimal) and item.amount.is_finite()
            assert isinstance(item.description, str)
        else:
            assert item.reason.startswith(f"line {item.line}")
        if filename.endswith(".csv"):
            assert item.line >= last_line  # CSV rows come in file order
            last_line = item.line
    summary = stream.summary
    assert summary.rows + summary.errors == len(items)


@SETTINGS
@given(data=st.binary(max_size=3000), filename=FILENAMES)
def test_random_bytes_never_raise_anything_else(data, filename):
    check_contract(data, filename)


CELL = st.one_of(
    st.sampled_from(["", " ", "-", "*", "Total", "Kontostand", "Beginning balance as of 01/01/2025", "REVERTED"]),
    st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).flatmap(
        lambda d: st.sampled_from(
            [d.strftime(f) for f in ("%m/%d/%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%y", "%Y%m%d", "%d %b %Y")]
        )
    ),
    st.decimals(min_value=-(10**7), max_value=10**7, places=2, allow_nan=False).flatmap(
        lambda a: st.sampled_from(
            [
                str(a),
                f"{a:,}",
                f"({abs(a)})",
                f"{a:,}".replace(",", "X").replace(".", ",").replace("X", "."),
                f"${a}",
                f"{abs(a)}-",
            ]
        )
    ),
    st.text(max_size=30),
)
HEADER_CELL = st.one_of(
    st.sampled_from(
        [
            "Date",
            "Datum",
            "Amount",
            "Betrag",
            "Debit",
            "Credit",
            "Soll",
            "Haben",
            "Description",
            "Af Bij",
            "Status",
            "Balance",
            "Currency",
            "Transaction Date",
            "Post Date",
            "Fee",
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def random_csv(draw) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(1, 7))
    lines = []
    if draw(st.booleans()):
        lines.append([draw(HEADER_CELL) for _ in range(width)])
    for _ in range(draw(st.integers(0, 25))):
        lines.append([draw(CELL) for _ in range(draw(st.integers(max(1, width - 1), width + 1)))])

    def quote(cell: str) -> str:
        if any(ch in cell for ch in (delimiter, '"', "\n", "\r")) or draw(st.booleans()):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    text = "\n".join(delimiter.join(quote(cell) for cell in line) for line in lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
    return text.encode(encoding, errors="replace")


@SETTINGS
@given(data=random_csv())
def test_random_csv_files_never_raise_anything_else(data):
    check_contract(data, "statement.csv")


OFX_TAG = st.sampled_from(
    [
        "STMTTRN",
        "/STMTTRN",
        "DTPOSTED",
        "DTUSER",
        "TRNAMT",
        "FITID",
        "NAME",
        "MEMO",
        "CURDEF",
        "BANKTRANLIST",
        "/BANKTRANLIST",
        "CURSYM",
        "OFX",
        "/OFX",
    ]
)
OFX_VALUE = st.one_of(
    st.sampled_from(["20250103", "20250103120000[-5:EST]", "-12.50", "1,5", "USD", "&amp;", ""]), st.text(max_size=15)
)


@SETTINGS
@given(tags=st.lists(st.tuples(OFX_TAG, OFX_VALUE), max_size=40), sgml=st.booleans())
def test_random_ofx_never_raises_anything_else(tags, sgml):
    body = "\n".join(f"<{tag}>{value}" + ("" if sgml or tag.startswith("/") else f"</{tag}>") for tag, value in tags)
    check_contract(("OFXHEADER:100\n\n<OFX>\n" + body).encode("utf-8", errors="replace"), "x.ofx")


QIF_LINE = st.one_of(
    st.sampled_from(
        [
            "^",
            "!Type:Bank",
            "!Type:CCard",
            "!Type:Invst",
            "!Account",
            "!Option:AutoSwitch",
            "D01/03'25",
            "D1/3/2025",
            "D2025-01-03",
            "D31/12/2024",
            "D 1/ 3' 5",
            "T-1,234.56",
            "U12.00",
            "T1.234,56",
            "PPAYEE",
            "MMemo",
            "N1001",
            "Tabc",
            "D",
            "T",
        ]
    ),
    st.text(max_size=20),
)


@SETTINGS
@given(lines=st.lists(QIF_LINE, max_size=40))
def test_random_qif_never_raises_anything_else(lines):
    check_contract(("!Type:Bank\n" + "\n".join(lines)).encode(), "x.qif")

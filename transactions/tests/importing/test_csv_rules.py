"""The CSV parsing rules, one behaviour per test, on small files built in the test."""

from __future__ import annotations

import codecs
import datetime as dt
import io
from decimal import Decimal

import pytest

from transactions.importing import ImportFileError, ImportLimits, ImportOptions, ParsedRow, RowError, detect, parse

from .helpers import parse_all

D = dt.date


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


# --- encodings -------------------------------------------------------------------------------------------

GERMAN = "Datum;Empfänger;Verwendungszweck;Betrag\n02.01.2025;Bäckerei Größe;Brötchen €;-3,80\n"


@pytest.mark.parametrize(
    ("encoded", "expected_encoding"),
    [
        (GERMAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + GERMAN.encode("utf-8"), "utf-8-sig"),
        (GERMAN.encode("utf-16"), "utf-16"),  # with BOM, native order
        (codecs.BOM_UTF16_BE + GERMAN.encode("utf-16-be"), "utf-16"),
        (GERMAN.encode("utf-16-le"), "utf-16-le"),  # no BOM: recognised by its zero bytes
        (GERMAN.encode("utf-16-be"), "utf-16-be"),
        (GERMAN.encode("cp1252"), "cp1252"),  # € is 0x80, only defined in Windows-1252
        (GERMAN.replace("€", "EUR").encode("iso-8859-1"), "iso-8859-1"),
    ],
)
def test_encodings_are_detected_and_umlauts_survive(encoded, expected_encoding):
    detection = detect(encoded, "umsaetze.csv")
    assert detection.encoding == expected_encoding
    rows, errors, _ = parse_all(encoded)
    assert errors == []
    assert rows[0].description.startswith("Bäckerei Größe - Brötchen")
    assert rows[0].amount == Decimal("-3.80")
    assert rows[0].line == 2


def test_chosen_encoding_overrides_detection():
    data = "Date,Description,Amount\n2025-01-02,Café,-3.00\n".encode()
    rows, _, _ = parse_all(data, options=ImportOptions(encoding="latin-1"))
    assert rows[0].description == "CafÃ©"  # what the user asked for, mojibake and all


# --- delimiters, preambles, headers ----------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiter_is_detected(delimiter):
    text = delimiter.join(["Date", "Description", "Amount"]) + "\n"
    text += delimiter.join(["2025-01-02", "Corner shop", "-3.50"]) + "\n"
    text += delimiter.join(["2025-01-03", "Salary", "1200.00"]) + "\n"
    detection = detect(text.encode(), "x.csv")
    assert detection.delimiter == delimiter
    rows, _, _ = parse_all(text.encode())
    assert [(r.description, r.amount) for r in rows] == [
        ("Corner shop", Decimal("-3.50")),
        ("Salary", Decimal("1200.00")),
    ]


def test_semicolon_file_with_decimal_commas_is_not_mistaken_for_commas():
    text = "Datum;Omschrijving;Bedrag\n03-01-2025;Koffie, taart;-4,50\n04-01-2025;Boeken, kranten;-12,95\n"
    detection = detect(text.encode(), "x.csv")
    assert (detection.delimiter, detection.decimal_comma) == (";", True)


def test_generic_preamble_before_the_header_is_skipped():
    text = (
        "Account statement\n"
        "Account;NL00 BANK 0123 4567 89\n"
        "Period;01-01-2025 - 31-01-2025\n"
        "\n"
        "Date;Description;Amount\n"
        "31-01-2025;Rent;-950,00\n"
    )
    detection = detect(text.encode(), "x.csv")
    assert detection.header_row == 5
    rows, _, _ = parse_all(text.encode())
    assert [(r.line, r.date, r.amount) for r in rows] == [(6, D(2025, 1, 31), Decimal("-950.00"))]


def test_header_synonyms_in_five_languages_map_columns():
    headers = {
        "en": "Date,Payee,Memo,Debit,Credit",
        "de": "Buchungstag,Empfänger,Verwendungszweck,Soll,Haben",
        "fr": "Date,Bénéficiaire,Libellé,Débit,Crédit",
        "es": "Fecha,Beneficiario,Concepto,Cargo,Abono",
        "nl": "Datum,Naam,Omschrijving,Af,Bij",
    }
    for language, header in headers.items():
        data = f"{header}\n2025-01-02,Shop,Bread,3.20,\n2025-01-03,Employer,Salary,,100.00\n".encode()
        detection = detect(data, "x.csv")
        assert detection.sign == "debit_credit", language
        rows, _, _ = parse_all(data)
        assert [(r.amount, r.description) for r in rows] == [
            (Decimal("-3.20"), "Shop - Bread"),
            (Decimal("100.00"), "Employer - Salary"),
        ], language


def test_header_currency_in_parentheses_becomes_the_row_currency():
    rows, _, _ = parse_all(b"Date,Description,Amount (GBP)\n2025-01-02,Tea,-2.00\n")
    assert rows[0].currency == "GBP"


def test_headerless_file_columns_are_inferred_from_content():
    text = "2025-01-02;KAUFLAND 1234;-23,17;1.012,33\n2025-01-04;GEHALT;2.400,00;3.412,33\n"
    detection = detect(text.encode(), "export.csv")
    assert detection.header_row == 0
    assert detection.columns == {"date": 0, "amount": 2, "balance": 3, "description": 1}
    rows, _, _ = parse_all(text.encode())
    assert [(r.line, r.amount, r.balance) for r in rows] == [
        (1, Decimal("-23.17"), Decimal("1012.33")),
        (2, Decimal("2400.00"), Decimal("3412.33")),
    ]


def test_repeated_header_rows_from_concatenated_exports_are_skipped():
    text = "Date,Description,Amount\n2025-01-02,A,-1.00\nDate,Description,Amount\n2025-01-03,B,-2.00\n"
    rows, _, summary = parse_all(text.encode())
    assert [r.description for r in rows] == ["A", "B"]
    assert [(s.line, s.reason) for s in summary.skipped] == [(3, "repeated header")]


# --- amounts ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "decimal_style", "expected"),
    [
        ('"1,234.56"', "Date,Description,Amount", "1234.56"),
        ('"$1,234.56"', "Date,Description,Amount", "1234.56"),
        ('"(45.10)"', "Date,Description,Amount", "-45.10"),
        ('"-$5.00"', "Date,Description,Amount", "-5.00"),
        ("1.234,56", "Date;Description;Amount", "1234.56"),
        ("12,50-", "Date;Description;Amount", "-12.50"),
        ("€ -7,99", "Date;Description;Amount", "-7.99"),
        ('"1 234,56"', "Date;Description;Amount", "1234.56"),
    ],
)
def test_amount_styles(cell, decimal_style, expected):
    delimiter = decimal_style[4]
    text = f"{decimal_style}\n2025-01-02{delimiter}Thing{delimiter}{cell}\n2025-01-03{delimiter}Other{delimiter}2,50\n"
    if delimiter == ",":
        text = text.replace(",2,50", ',"2.50"')
    rows, errors, _ = parse_all(text.encode())
    assert errors == []
    assert rows[0].amount == Decimal(expected)


def test_decimal_comma_option_overrides_detection():
    text = "Date;Description;Amount\n2025-01-02;Thing;1.234\n"
    rows, _, _ = parse_all(text.encode(), options=ImportOptions(decimal_comma=False))
    assert rows[0].amount == Decimal("1.234")
    rows, _, _ = parse_all(text.encode(), options=ImportOptions(decimal_comma=True))
    assert rows[0].amount == Decimal("1234")


def test_bad_amount_is_a_row_error_and_the_other_rows_still_come_through():
    text = "Date,Description,Amount\n2025-01-02,Good,-1.00\n2025-01-03,Bad,abc\n2025-01-04,Also good,2.00\n"
    rows, errors, summary = parse_all(text.encode())
    assert [r.description for r in rows] == ["Good", "Also good"]
    assert errors == [RowError(3, "line 3: amount 'abc' is not a number")]
    assert (summary.rows, summary.errors) == (2, 1)


def test_amount_in_the_wrong_decimal_style_is_explained():
    text = 'Date,Description,Amount\n2025-01-02,A,-1.00\n2025-01-03,B,"12,5"\n2025-01-04,C,2.25\n'
    _, errors, _ = parse_all(text.encode())
    assert errors == [RowError(3, "line 3: amount '12,5' does not fit the file's decimal point (1,234.56) style")]


# --- dates -----------------------------------------------------------------------------------------------


def _dated_file(dates: list[str], delimiter: str = ",") -> bytes:
    lines = [delimiter.join(["Date", "Description", "Amount"])]
    lines += [delimiter.join([value, f"Row {i}", "-1"]) for i, value in enumerate(dates)]
    return ("\n".join(lines) + "\n").encode()


def test_one_day_over_twelve_anywhere_in_the_column_makes_it_day_first():
    # 300 ambiguous dates, then the only telling one beyond the detection sample.
    dates = [f"{(i % 12) + 1:02d}/{(i % 12) + 1:02d}/2024" for i in range(300)] + ["13/01/2025"]
    data = _dated_file(dates)
    detection = detect(data, "x.csv")
    assert (detection.date_format, detection.date_format_ambiguous) == ("%d/%m/%Y", False)
    rows, errors, _ = parse_all(data)
    assert errors == []
    assert rows[-1].date == D(2025, 1, 13)


def test_month_over_twelve_in_the_second_field_makes_it_month_first():
    data = _dated_file(["03/04/2025", "02/05/2025", "01/28/2025"])
    detection = detect(data, "x.csv")
    assert detection.date_format == "%m/%d/%Y"
    rows, _, _ = parse_all(data)
    assert [r.date for r in rows] == [D(2025, 3, 4), D(2025, 2, 5), D(2025, 1, 28)]


def test_ambiguous_column_falls_back_to_the_locale_and_says_so():
    us = detect(_dated_file(["03/04/2025", "02/05/2025"]), "x.csv")
    european = detect(_dated_file(["03/04/2025", "02/05/2025"], delimiter=";"), "x.csv")
    assert (us.date_format, us.date_format_ambiguous) == ("%m/%d/%Y", True)
    assert (european.date_format, european.date_format_ambiguous) == ("%d/%m/%Y", True)
    assert any("MM/DD/YYYY and DD/MM/YYYY" in note for note in us.notes)


def test_date_format_option_overrides_inference():
    data = _dated_file(["03/04/2025"])
    rows, _, _ = parse_all(data, options=ImportOptions(date_format="%d/%m/%Y"))
    assert rows[0].date == D(2025, 4, 3)


@pytest.mark.parametrize(
    ("values", "expected_format", "expected_first"),
    [
        (["20250103", "20250131"], "%Y%m%d", D(2025, 1, 3)),
        (["3.1.2025", "31.1.2025"], "%d.%m.%Y", D(2025, 1, 3)),
        (["03.01.25", "31.01.25"], "%d.%m.%y", D(2025, 1, 3)),
        (["2025-01-03 12:34:56", "2025-01-31 08:00:00"], "%Y-%m-%d", D(2025, 1, 3)),
        (["2025-01-03T12:34:56Z", "2025-01-31T08:00:00+01:00"], "%Y-%m-%d", D(2025, 1, 3)),
        (["03 Jan 2025", "31 Jan 2025"], "%d %b %Y", D(2025, 1, 3)),
        (["1/3/2025", "1/31/2025"], "%m/%d/%Y", D(2025, 1, 3)),
    ],
)
def test_date_formats(values, expected_format, expected_first):
    data = _dated_file(values, delimiter=";")
    assert detect(data, "x.csv").date_format == expected_format
    rows, errors, _ = parse_all(data)
    assert errors == []
    assert rows[0].date == expected_first


def test_unreadable_date_is_a_row_error_with_the_format():
    data = _dated_file(["2025-01-02", "2025-02-30", "2025-01-04"])
    rows, errors, _ = parse_all(data)
    assert len(rows) == 2
    assert errors == [RowError(3, "line 3: date '2025-02-30' does not match the format YYYY-MM-DD")]


# --- signs -----------------------------------------------------------------------------------------------


def test_inverted_sign_option_for_issuers_exporting_charges_as_positive():
    data = b"Date,Description,Amount\n2025-01-02,Charge,25.00\n2025-01-03,Payment,-100.00\n"
    rows, _, _ = parse_all(data, options=ImportOptions(sign="inverted"))
    assert [r.amount for r in rows] == [Decimal("-25.00"), Decimal("100.00")]


def test_debit_credit_columns_accept_signed_values():
    data = b"Date,Description,Debit,Credit\n2025-01-02,Charge,-25.00,\n2025-01-03,Refund,,+5.00\n"
    rows, _, _ = parse_all(data)
    assert [r.amount for r in rows] == [Decimal("-25.00"), Decimal("5.00")]


def test_direction_column_with_user_debit_values():
    data = b"Date,Description,Amount,Kind\n2025-01-02,Card,25.00,OUT\n2025-01-03,Wage,900.00,SALARY\n"
    options = ImportOptions(sign="direction", columns={"direction": "Kind"}, direction_debit_values=("out",))
    rows, _, _ = parse_all(data, options=options)
    assert [r.amount for r in rows] == [Decimal("-25.00"), Decimal("900.00")]


def test_unknown_direction_value_is_a_row_error():
    data = b"Date;Description;Amount;Af Bij\n20250102;Card;25,00;Af\n20250103;Odd;1,00;Sideways\n"
    rows, errors, _ = parse_all(data)
    assert [r.amount for r in rows] == [Decimal("-25.00")]
    assert errors[0].line == 3
    assert "direction 'Sideways' is neither debit" in errors[0].reason


# --- rows that are not transactions ----------------------------------------------------------------------


def test_balance_summary_empty_and_amountless_rows_are_skipped_with_reasons():
    text = (
        "Date,Description,Amount,Balance\n"
        "2025-01-01,Opening balance,,100.00\n"
        "2025-01-02,Coffee,-3.00,97.00\n"
        ",,,\n"
        "\n"
        "2025-01-03,Pending hold,,97.00\n"
        "Total,,-3.00,\n"
        "Closing balance,,,97.00\n"
    )
    rows, errors, summary = parse_all(text.encode())
    assert [r.description for r in rows] == ["Coffee"]
    assert errors == []
    assert [(s.line, s.reason) for s in summary.skipped] == [
        (2, "balance line"),
        (4, "empty row"),
        (5, "empty row"),
        (6, "no amount"),
        (7, "summary line"),
        (8, "balance line"),
    ]
    assert summary.skipped_count == 6


# --- options, detection and preview ----------------------------------------------------------------------


def test_preview_is_exactly_what_parse_yields():
    data = _dated_file([f"2025-01-{day:02d}" for day in range(1, 29)])
    detection = detect(data, "x.csv")
    assert len(detection.preview) == 10
    assert detection.preview == list(parse(data, "x.csv"))[:10]


def test_detected_options_round_trip_through_parse():
    data = b"Booking;Text;Amount;Saldo\n03.01.2025;Miete;-950,00;1.050,00\n04.01.2025;Lohn;2.000,00;3.050,00\n"
    detection = detect(data, "x.csv")
    options = detection.to_options()
    assert options.columns == {"date": "Booking", "amount": "Amount", "balance": "Saldo", "description": "Text"}
    assert list(parse(data, "x.csv", options)) == list(parse(data, "x.csv"))


def test_columns_by_index_and_header_row_option():
    data = b"some title\n02/01/2025|x|-1.00|A shop\n"
    options = ImportOptions(
        header_row=0, delimiter="|", columns={"date": 0, "amount": 2, "description": 3}, date_format="%d/%m/%Y"
    )
    rows, _, _ = parse_all(data, options=options)
    assert [(r.line, r.date, r.amount, r.description) for r in rows] == [(2, D(2025, 1, 2), Decimal("-1.00"), "A shop")]


def test_generic_profile_option_turns_off_bank_recognition():
    data = b"Date,Description,Amount,Extended Details,Appears On Your Statement As\n01/02/2025,Shop,5.00,,\n"
    assert detect(data, "x.csv").profile == "amex"
    rows, _, _ = parse_all(data, options=ImportOptions(profile="generic"))
    assert rows[0].amount == Decimal("5.00")  # no Amex sign inversion


def test_missing_columns_are_reported_by_detect_and_refused_by_parse():
    data = b"When,What,Note\n2025-01-02,Coffee,\n"
    detection = detect(data, "x.csv")
    assert detection.columns == {"date": "When", "description": "What"}  # unknown header: read from content
    assert (detection.ready, detection.missing, detection.preview) == (False, ("amount",), [])
    with pytest.raises(ImportFileError, match="could not find the amount"):
        parse(data, "x.csv")
    _, errors, _ = parse_all(data, options=ImportOptions(columns={"amount": "What"}))
    assert errors == [RowError(2, "line 2: amount 'Coffee' is not a number")]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (ImportOptions(profile="nope"), "Unknown bank profile 'nope'"),
        (ImportOptions(sign="sideways"), "Unknown sign convention"),  # type: ignore[arg-type]
        (ImportOptions(delimiter=";;"), "single character"),
        (ImportOptions(delimiter='"'), "other than a quote"),
        (ImportOptions(date_format="dd/mm"), "is not a date format"),
        (ImportOptions(date_format="%H:%M"), "is not a date format"),
        (ImportOptions(columns={"colour": 1}), "Unknown column roles"),
        (ImportOptions(header_row=99), "Line 99 is not the start of a row"),
    ],
)
def test_invalid_options_are_file_errors(options, message):
    with pytest.raises(ImportFileError, match=message):
        parse(b"Date,Description,Amount\n2025-01-02,A,1.00\n", "x.csv", options)


# --- input kinds, limits and hopeless files --------------------------------------------------------------


class OneWayStream(io.RawIOBase):
    """A non-seekable upload stream."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_file_objects_seekable_or_not_parse_like_bytes():
    data = _dated_file(["2025-01-02", "2025-01-03"])
    expected = list(parse(data, "x.csv"))
    assert list(parse(io.BytesIO(data), "x.csv")) == expected
    assert list(parse(io.BufferedReader(OneWayStream(data)), "x.csv")) == expected


def test_text_mode_file_is_refused():
    with pytest.raises(ImportFileError, match="binary mode"):
        parse(io.StringIO("Date,Amount\n"), "x.csv")  # type: ignore[arg-type]


def test_size_limit():
    data = _dated_file(["2025-01-02"] * 50)
    with pytest.raises(ImportFileError, match="the limit is"):
        parse(data, "x.csv", limits=ImportLimits(max_bytes=100))
    with pytest.raises(ImportFileError, match="more than"):
        parse(io.BufferedReader(OneWayStream(data)), "x.csv", limits=ImportLimits(max_bytes=100))


def test_row_limit_is_checked_before_any_row():
    data = _dated_file(["2025-01-02"] * 30)
    with pytest.raises(ImportFileError, match="The file has 30 rows; the limit is 29"):
        parse(data, "x.csv", limits=ImportLimits(max_rows=29))
    assert len(list(parse(data, "x.csv", limits=ImportLimits(max_rows=30)))) == 30


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
        (b"\x00\x01\x02\x03\x04\x05\x06\x07" * 20, "does not look like a text file"),
        (b"\n\n \n", "no rows"),
    ],
)
def test_hopeless_files_raise_before_any_row(data, message):
    with pytest.raises(ImportFileError, match=message):
        parse(data, "statement.csv")


def test_crlf_line_endings_and_quoted_newlines_keep_physical_line_numbers():
    data = b'Date,Description,Amount\r\n2025-01-02,"Two\r\nlines",-1.00\r\n2025-01-03,One,-2.00\r\n'
    rows, _, _ = parse_all(data)
    assert [(r.line, r.description) for r in rows] == [(2, "Two lines"), (4, "One")]


def test_every_item_is_a_parsed_row_or_row_error():
    data = _dated_file(["2025-01-02", "nonsense", "2025-01-03"])
    assert {type(item) for item in parse(data, "x.csv")} == {ParsedRow, RowError}


@pytest.mark.parametrize("encoding", ["klingon", "base64", "rot13"])
def test_unknown_or_non_text_encodings_are_file_errors(encoding):
    with pytest.raises(ImportFileError, match=f"Unknown text encoding '{encoding}'"):
        parse(b"Date,Amount\n", "x.csv", ImportOptions(encoding=encoding))


def test_column_positions_beyond_every_row_are_reported_missing():
    detection = detect(b"Date,Description,Amount\n2025-01-02,A,1.00\n", "x.csv", ImportOptions(columns={"amount": 9}))
    assert detection.missing == ("amount",)


def test_non_western_eight_bit_text_falls_back_to_charset_detection():
    text = "Дата;Описание;Сумма\n02.01.2025;Магазин продукты;-3,50\n05.01.2025;Зарплата за декабрь;1500,00\n"
    data = text.encode("cp1251")
    assert detect(data, "x.csv").encoding == "cp1251"
    rows, _, _ = parse_all(data)
    assert [(r.description, r.amount) for r in rows] == [
        ("Магазин продукты", Decimal("-3.50")),
        ("Зарплата за декабрь", Decimal("1500.00")),
    ]


def test_unknown_bank_with_preamble_pound_amounts_and_month_names():
    # Nationwide's layout: a key/value preamble, quoted cells, "£" amounts in Paid out / Paid in, "03 Jan 2025".
    text = (
        '"Account Name:","FlexAccount ****12345"\n'
        '"Account Balance:","£1,234.56"\n'
        '"Available Balance: ","£1,234.56"\n'
        "\n"
        '"Date","Transaction type","Description","Paid out","Paid in","Balance"\n'
        '"03 Jan 2025","Visa purchase","TESCO STORES 3297","£12.34","","£1,222.22"\n'
        '"31 Jan 2025","Bank credit","ACME LTD SALARY","","£2,100.00","£3,322.22"\n'
    )
    data = text.encode("cp1252")
    detection = detect(data, "Statement Download.csv")
    assert (detection.profile, detection.encoding, detection.header_row) == ("generic", "iso-8859-1", 5)
    assert (detection.sign, detection.date_format) == ("debit_credit", "%d %b %Y")
    rows, errors, _ = parse_all(data)
    assert errors == []
    assert [(r.line, r.date, r.amount, r.balance, r.description) for r in rows] == [
        (6, D(2025, 1, 3), Decimal("-12.34"), Decimal("1222.22"), "TESCO STORES 3297"),
        (7, D(2025, 1, 31), Decimal("2100.00"), Decimal("3322.22"), "ACME LTD SALARY"),
    ]

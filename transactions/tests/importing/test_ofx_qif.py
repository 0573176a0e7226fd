"""OFX 1.x SGML, OFX 2.x XML and QIF files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from transactions.importing import ImportFileError, ImportLimits, ImportOptions, RowError, detect, parse

from .helpers import fixture_bytes, parse_all

D = dt.date


def test_ofx1_sgml_without_closing_tags():
    data = fixture_bytes("bank_ofx1_sgml.ofx")
    detection = detect(data, "bank.ofx")
    assert (detection.format, detection.profile) == ("ofx", "ofx")
    rows, errors, summary = parse_all(data, "bank.ofx")
    assert [(r.line, r.date, r.amount, r.description, r.external_id, r.currency) for r in rows] == [
        (39, D(2025, 1, 3), Decimal("-45.67"), "STARBUCKS STORE 12345 - SEATTLE WA", "202501031", "USD"),
        (47, D(2025, 1, 6), Decimal("2200.00"), "ACME CORP PAYROLL", "202501061", "USD"),
        (55, D(2025, 1, 8), Decimal("-12.50"), "CAFÉ DU MONDE & CO", None, "USD"),  # no FITID; 1252 + entity
    ]
    assert rows[1].authorized_date == D(2025, 1, 5)
    assert errors == [
        RowError(61, "line 61: DTPOSTED '2025011' is not an OFX date (YYYYMMDD...)"),
        RowError(68, "line 68: TRNAMT amount 'abc' is not a number"),
    ]
    assert (summary.rows, summary.errors) == (3, 2)


def test_ofx2_xml_credit_card_with_decimal_comma_and_transaction_currency():
    rows, errors, _ = parse_all(fixture_bytes("card_ofx2.qfx"), "card.qfx")
    assert errors == []
    assert [(r.date, r.amount, r.description, r.currency, r.external_id) for r in rows] == [
        (D(2025, 1, 3), Decimal("-23.45"), "Lidl sagt Danke Berlin", "EUR", "TX-0001"),
        (D(2025, 1, 10), Decimal("100.00"), "Zahlung danke", "USD", "TX-0002"),
    ]


def test_ofx_on_one_line_and_a_missing_closing_tag():
    data = (
        b"OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>GBP<BANKTRANLIST>"
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102<TRNAMT>-1.00<NAME>ONE"
        b"<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250103<TRNAMT>-2.00<NAME>TWO</STMTTRN>"
        b"</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
    )
    rows, errors, _ = parse_all(data, "x.ofx")
    assert errors == []
    assert [(r.line, r.description, r.amount, r.currency) for r in rows] == [
        (4, "ONE", Decimal("-1.00"), "GBP"),
        (4, "TWO", Decimal("-2.00"), "GBP"),
    ]


def test_ofx_transaction_without_amount_is_a_row_error():
    data = b"<OFX><BANKTRANLIST>\n<STMTTRN>\n<DTPOSTED>20250102\n<NAME>X\n</STMTTRN>\n</BANKTRANLIST></OFX>"
    _, errors, _ = parse_all(data, "x.ofx")
    assert errors == [RowError(2, "line 2: the transaction has no TRNAMT amount")]


def test_ofx_named_file_that_is_not_ofx():
    with pytest.raises(ImportFileError, match="named like an OFX file"):
        parse(b"Date,Amount\n2025-01-02,1.00\n", "statement.qfx")


def test_ofx_header_without_body_is_refused():
    with pytest.raises(ImportFileError, match="no <OFX> element"):
        parse(b"OFXHEADER:100\nDATA:OFXSGML\n\nnothing here\n", "x.ofx")


def test_ofx_row_limit():
    transaction = b"<STMTTRN><DTPOSTED>20250102<TRNAMT>-1.00<NAME>X</STMTTRN>\n"
    data = b"<OFX><BANKTRANLIST>\n" + transaction * 5 + b"</BANKTRANLIST></OFX>"
    with pytest.raises(ImportFileError, match="has 5 rows; the limit is 4"):
        parse(data, "x.ofx", limits=ImportLimits(max_rows=4))


def test_qif_bank_dates_in_several_styles():
    rows, errors, _ = parse_all(fixture_bytes("bank.qif"), "bank.qif")
    assert [(r.line, r.date, r.amount, r.description) for r in rows] == [
        (2, D(2025, 1, 3), Decimal("-45.67"), "STARBUCKS STORE 12345 - Coffee with Sam"),
        (8, D(2025, 1, 13), Decimal("2200.00"), "ACME CORP PAYROLL"),
        (12, D(2025, 1, 13), Decimal("-1250.00"), "LANDLORD LLC"),
        (19, D(2025, 1, 20), Decimal("-9.99"), "SPOTIFY"),
    ]
    assert rows[2].raw["number"] == "1044"
    assert rows[2].raw["category"] == "Housing:Rent"
    assert errors == [RowError(23, "line 23: date '13/45/2025' is not a QIF date like 01/31/2025 or 1/31'25")]


def test_qif_day_first_file_with_account_block_and_crlf():
    data = fixture_bytes("card_day_first.qif")
    assert detect(data, "card.qif").date_format == "%d/%m/%Y"
    rows, errors, _ = parse_all(data, "card.qif")
    assert errors == []
    assert [(r.line, r.date, r.amount) for r in rows] == [
        (6, D(2025, 1, 3), Decimal("-4.95")),
        (10, D(2025, 1, 14), Decimal("-7.80")),
        (14, D(2025, 1, 20), Decimal("250.00")),
    ]


def test_qif_ambiguous_dates_default_to_month_first_unless_told():
    data = b"!Type:Cash\nD01/02/2025\nT-1.00\nPA\n^\n"
    assert parse_all(data, "x.qif")[0][0].date == D(2025, 1, 2)
    rows, _, _ = parse_all(data, "x.qif", ImportOptions(date_format="%d/%m/%Y"))
    assert rows[0].date == D(2025, 2, 1)


def test_qif_record_without_amount_and_unsupported_sections():
    data = b"!Type:Bank\nD01/02/2025\nPNO AMOUNT\n^\n!Type:Cat\nNFood\n^\n!Type:Bank\nD01/03/2025\nT1.00\n"
    rows, errors, summary = parse_all(data, "x.qif")
    assert errors == [RowError(2, "line 2: the record has no amount (T line)")]
    assert [(r.line, r.amount) for r in rows] == [(9, Decimal("1.00"))]  # the last record needs no ^
    assert [(s.line, s.reason) for s in summary.skipped] == [(6, "category list record")]


def test_qif_investment_only_file_is_refused():
    with pytest.raises(ImportFileError, match=r"no bank, cash or credit-card transactions \(sections: investment\)"):
        parse(b"!Type:Invst\nD01/02/2025\nNBuy\n^\n", "x.qif")

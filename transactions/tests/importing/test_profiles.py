"""Every built-in bank profile against a fixture file in that bank's real layout."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from transactions.importing import PROFILES, ImportOptions, detect, parse

from .helpers import fixture_bytes, parse_all

D = dt.date

# file → (profile, [(line, date, amount, description)], {skip reason: count})
EXPECTED = {
    "chase_checking.csv": (
        "chase_checking",
        [
            (2, D(2025, 1, 17), "-6.50", "SQ *BLUE BOTTLE COFFEE OAKLAND CA 01/16"),
            (3, D(2025, 1, 16), "-14.27", "CHECKCARD 0115 PANERA BREAD #601 PHILADELPHIA PA 24431065015000012345678"),
            (4, D(2025, 1, 15), "2450.00", "ACME CORP PAYROLL PPD ID: 9876543210"),
            (5, D(2025, 1, 14), "-120.00", "CHECK 1042"),
            (6, D(2025, 1, 13), "-45.00", "ZELLE PAYMENT TO JOHN SMITH JPM99A1B2C3D"),
        ],
        {},
    ),
    "chase_card.csv": (
        "chase_card",
        [
            (2, D(2025, 1, 15), "-54.21", "TRADER JOE S #123"),
            (3, D(2025, 1, 14), "-15.49", "NETFLIX.COM"),
            (4, D(2025, 1, 10), "812.33", "Payment Thank You-Mobile"),
            (5, D(2025, 1, 11), "23.99", "AMAZON MKTPL*ZX1AB2CD3"),
        ],
        {},
    ),
    "chase_card_legacy.csv": (
        "chase_card_legacy",
        [
            (2, D(2024, 12, 29), "-41.02", "SHELL OIL 57442 HOUSTON TX"),
            (3, D(2024, 12, 29), "-18.75", "UBER *TRIP HELP.UBER.COM CA"),
            (4, D(2024, 12, 20), "500.00", "AUTOMATIC PAYMENT - THANK"),
        ],
        {},
    ),
    "bofa_checking.csv": (
        "bank_of_america",
        [
            (9, D(2025, 1, 2), "-87.45", "WHOLEFDS MKT 10234 AUSTIN TX"),
            (10, D(2025, 1, 3), "3100.00", "ACME CORP DES:PAYROLL ID:XXXXX12345 INDN:DOE,JANE CO ID:XXXXX98765 PPD"),
            (11, D(2025, 1, 5), "-1800.00", "RENT PAYMENT WEB ID: 1234567890"),
            (12, D(2025, 1, 21), "-30.97", "BKOFAMERICA ATM 01/21 #000004821 WITHDRWL AUSTIN TX"),
        ],
        {"balance line": 1},
    ),
    "wells_fargo.csv": (
        "wells_fargo",
        [
            (
                1,
                D(2025, 1, 3),
                "-45.67",
                "PURCHASE AUTHORIZED ON 01/02 STARBUCKS STORE 12345 SEATTLE WA S385002345678901 CARD 4821",
            ),
            (2, D(2025, 1, 6), "2200.00", "ACME CORP PAYROLL 250106 1234567 DOE JANE"),
            (3, D(2025, 1, 8), "-120.00", "CHECK # 1043"),
            (
                4,
                D(2025, 1, 21),
                "-64.10",
                "RECURRING PAYMENT AUTHORIZED ON 01/20 COMCAST CABLE COMM 800-266-2278 PA S305020123456789 CARD 4821",
            ),
        ],
        {},
    ),
    "amex.csv": (
        "amex",
        [
            (2, D(2025, 1, 16), "-6.50", "BLUE BOTTLE COFFEE"),
            (6, D(2025, 1, 14), "-412.80", "DELTA AIR LINES"),
            (9, D(2025, 1, 12), "1250.00", "AUTOPAY PAYMENT - THANK YOU"),
        ],
        {},
    ),
    "amex_uk.csv": (
        "amex_uk",
        [
            (2, D(2025, 1, 3), "-4.95", "PRET A MANGER LONDON"),
            (4, D(2025, 1, 14), "-7.80", "TFL TRAVEL CH"),
            (5, D(2025, 1, 20), "250.00", "PAYMENT RECEIVED - THANK YOU"),
        ],
        {},
    ),
    "capital_one.csv": (
        "capital_one",
        [
            (2, D(2025, 1, 15), "-63.18", "KROGER #482"),
            (3, D(2025, 1, 13), "450.00", "CAPITAL ONE ONLINE PYMT"),
            (4, D(2025, 1, 11), "-11.99", "SPOTIFY USA"),
        ],
        {},
    ),
    "citi.csv": (
        "citi",
        [
            (2, D(2025, 1, 14), "-182.44", "COSTCO WHSE #0123 SAN JOSE CA"),
            (3, D(2025, 1, 10), "600.00", "ONLINE PAYMENT, THANK YOU"),
            (4, D(2025, 1, 18), "-12.85", "CHIPOTLE 1234 DENVER CO"),
        ],
        {},
    ),
    "discover.csv": (
        "discover",
        [
            (2, D(2025, 1, 14), "-48.92", "TARGET 00012345 MINNEAPOLIS MN"),
            (3, D(2025, 1, 5), "300.00", "INTERNET PAYMENT - THANK YOU"),
            (4, D(2025, 1, 20), "12.40", "CASHBACK BONUS REDEMPTION PYMT/STMT CRDT"),
        ],
        {},
    ),
    "us_bank.csv": (
        "us_bank",
        [
            (2, D(2025, 1, 15), "-72.19", "CUB FOODS #1234 SAINT PAUL MN"),
            (3, D(2025, 1, 16), "1980.00", "ELECTRONIC DEPOSIT ACME CORP"),
            (4, D(2025, 1, 17), "-88.40", "XCEL ENERGY-MN"),
        ],
        {},
    ),
    "monzo.csv": (
        "monzo",
        [
            (2, D(2025, 1, 3), "-4.95", "Pret A Manger"),
            (3, D(2025, 1, 5), "250.00", "Jane Doe"),
            (4, D(2025, 1, 6), "-18.40", "Carrefour"),
            (5, D(2025, 1, 7), "-100.00", "Savings pot"),  # Name is empty: the Description column stands in
        ],
        {},
    ),
    "revolut.csv": (
        "revolut",
        [
            (2, D(2025, 1, 4), "-23.45", "Lidl"),
            (3, D(2025, 1, 2), "1000.00", "Top-Up by *1234"),
            (6, D(2025, 1, 7), "-100.50", "Exchanged to USD"),
            (7, D(2025, 1, 8), "-13.99", "Netflix"),
        ],
        {"state REVERTED": 1, "state DECLINED": 1},
    ),
    "n26.csv": (
        "n26",
        [
            (2, D(2025, 1, 2), "-34.50", "REWE Markt GmbH"),
            (3, D(2025, 1, 3), "650.00", "Max Mustermann - Miete Januar"),
            (4, D(2025, 1, 15), "-10.99", "Spotify AB - P2F1A2B3C4 Spotify"),
        ],
        {},
    ),
    "n26_legacy.csv": (
        "n26_legacy",
        [
            (2, D(2021, 3, 1), "-23.10", "EDEKA CENTER 1234"),
            (3, D(2021, 3, 2), "2400.0", "Arbeitgeber GmbH - Gehalt Maerz"),
        ],
        {},
    ),
    "ing_nl.csv": (
        "ing_nl",
        [
            (2, D(2025, 1, 3), "-23.45", "Albert Heijn 1234 AMSTERDAM"),
            (3, D(2025, 1, 5), "2450.00", "Werkgever B.V."),
            (4, D(2025, 1, 6), "-4.60", "NS GROEP IZ NS REIZIGERS"),
        ],
        {},
    ),
    "ing_de.csv": (
        "ing_de",
        [
            (16, D(2025, 1, 28), "-3.80", "Bäckerei Müller - Kartenzahlung Brötchen"),
            (17, D(2025, 1, 15), "2850.00", "Arbeitgeber GmbH - Gehalt Januar 2025"),
            (18, D(2025, 1, 2), "-1034.50", "REWE Markt GmbH - REWE SAGT DANKE 43176022"),
        ],
        {},
    ),
    "barclays.csv": (
        "barclays",
        [
            (2, D(2025, 1, 3), "-4.95", "PRET A MANGER ON 02 JAN BCC"),
            (3, D(2025, 1, 6), "-64.20", "BRITISH GAS 0123456789 DDR"),
            (4, D(2025, 1, 31), "2100.00", "ACME LTD SALARY BGC"),
        ],
        {},
    ),
    "lloyds.csv": (
        "lloyds",
        [
            (2, D(2025, 1, 28), "-23.41", "MORRISONS 1234 CD 5678"),
            (3, D(2025, 1, 25), "400.00", "JANE DOE RENT SHARE"),
            (4, D(2025, 1, 13), "-38.50", "THAMES WATER"),
        ],
        {},
    ),
    "deutsche_bank.csv": (
        "deutsche_bank",
        [
            (5, D(2025, 1, 3), "-7.40", "Bäckerei Schäfer - Brötchen und Kaffee „to go“"),
            (6, D(2025, 1, 15), "3120.00", "Arbeitgeber AG - Gehalt Januar"),
            (7, D(2025, 1, 20), "-1296.21", "Telekom Deutschland GmbH - Rechnung 01/2025 Kd-Nr 123456789"),
        ],
        {"balance line": 1},
    ),
    "sparkasse_camt.csv": (
        "sparkasse_camt",
        [
            (2, D(2025, 1, 30), "-42.17", "EDEKA Südstadt - 2025-01-29T18:22 Debitk.1 2026-12"),
            (3, D(2025, 1, 15), "2640.00", "Arbeitgeber GmbH - Lohn Januar"),
            (4, D(2025, 1, 31), "-29.90", "Fitnessstudio Aktiv - Beitrag 02/2025"),
        ],
        {},
    ),
}


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_profile_fixture_is_recognised_and_parsed(filename):
    profile, expected_rows, expected_skips = EXPECTED[filename]
    data = fixture_bytes(filename)

    assert detect(data, filename).profile == profile
    rows, errors, summary = parse_all(data, filename)

    assert errors == []
    assert [(r.line, r.date, r.amount, r.description) for r in rows] == [
        (line, date, Decimal(amount), description) for line, date, amount, description in expected_rows
    ]
    assert dict(summary.skipped_by_reason) == expected_skips
    assert summary.profile == profile
    assert summary.rows == len(expected_rows)


@pytest.mark.parametrize("filename", sorted(EXPECTED))
def test_detected_settings_remembered_as_json_give_the_same_rows(filename):
    data = fixture_bytes(filename)
    remembered = json.loads(json.dumps(detect(data, filename).to_options().to_dict()))
    options = ImportOptions.from_dict(remembered)
    assert list(parse(data, filename, options)) == list(parse(data, filename))


def test_every_built_in_profile_has_a_fixture():
    covered = {profile for profile, _, _ in EXPECTED.values()}
    assert covered | {"fincoach"} == {profile.name for profile in PROFILES}


def test_chase_checking_trailing_field_and_blank_balance():
    rows, _, _ = parse_all(fixture_bytes("chase_checking.csv"))
    assert rows[0].balance == Decimal("2841.17")
    assert rows[2].balance is None  # Balance was a single space
    assert rows[0].raw["Details"] == "DEBIT"
    assert "column 8" not in rows[0].raw  # the extra trailing field is empty


def test_chase_card_post_date_is_the_date_and_transaction_date_is_authorised():
    rows, _, _ = parse_all(fixture_bytes("chase_card.csv"))
    assert (rows[0].date, rows[0].authorized_date) == (D(2025, 1, 15), D(2025, 1, 14))


def test_amex_multiline_fields_keep_line_numbers_and_strip_reference_quotes():
    rows, _, _ = parse_all(fixture_bytes("amex.csv"))
    assert [r.line for r in rows] == [2, 6, 9]
    assert rows[0].external_id == "320250160123456789"
    assert rows[0].raw["Address"] == "300 WEBSTER ST\nSUITE 2"


def test_amex_uk_dates_are_day_first_and_currency_is_pounds():
    detection = detect(fixture_bytes("amex_uk.csv"), "activity.csv")
    assert detection.date_format == "%d/%m/%Y"
    assert not detection.date_format_ambiguous  # 14/01/2025 settles it
    rows, _, _ = parse_all(fixture_bytes("amex_uk.csv"))
    assert {r.currency for r in rows} == {"GBP"}


def test_citi_pending_status_and_negative_credits():
    rows, _, _ = parse_all(fixture_bytes("citi.csv"))
    assert [r.pending for r in rows] == [False, False, True]
    assert rows[1].amount == Decimal("600.00")  # "-600.00" in the Credit column is money in


def test_revolut_pending_row_without_completed_date_uses_start_date():
    rows, _, _ = parse_all(fixture_bytes("revolut.csv"))
    netflix = rows[-1]
    assert netflix.pending is True
    assert netflix.date == netflix.authorized_date == D(2025, 1, 8)
    assert {r.currency for r in rows} == {"EUR"}


def test_revolut_fee_is_deducted():
    rows, _, _ = parse_all(fixture_bytes("revolut.csv"))
    exchange = next(r for r in rows if r.description == "Exchanged to USD")
    assert exchange.amount == Decimal("-100.50")


def test_monzo_ambiguous_dates_use_the_profile_and_say_so():
    detection = detect(fixture_bytes("monzo.csv"), "monzo.csv")
    assert detection.date_format == "%d/%m/%Y"
    assert detection.date_format_ambiguous
    assert any("DD/MM/YYYY" in note for note in detection.notes)
    rows, _, _ = parse_all(fixture_bytes("monzo.csv"))
    assert rows[0].external_id == "tx_0000AbCdEf123"
    assert rows[0].currency == "GBP"


def test_ing_nl_direction_column_decides_the_sign():
    detection = detect(fixture_bytes("ing_nl.csv"), "NL91INGB.csv")
    assert (detection.sign, detection.delimiter, detection.decimal_comma) == ("direction", ";", True)
    assert detection.date_format == "%Y%m%d"
    rows, _, _ = parse_all(fixture_bytes("ing_nl.csv"))
    assert rows[1].balance == Decimal("4426.55")


def test_ing_de_latin1_preamble_and_duplicate_currency_columns():
    data = fixture_bytes("ing_de.csv")
    detection = detect(data, "Umsatzanzeige.csv")
    assert detection.encoding == "iso-8859-1"
    assert detection.header_row == 15
    rows, _, _ = parse_all(data)
    assert rows[0].currency == "EUR"
    assert rows[0].raw["Währung"] == "EUR" and rows[0].raw["Währung (2)"] == "EUR"
    assert rows[2].balance == Decimal("-1611.64")


def test_deutsche_bank_cp1252_soll_haben_and_trailing_kontostand():
    data = fixture_bytes("deutsche_bank.csv")
    detection = detect(data, "Kontoumsaetze.csv")
    assert detection.encoding == "cp1252"
    assert (detection.header_row, detection.sign) == (4, "debit_credit")
    _, _, summary = parse_all(data)
    assert [(s.line, s.reason) for s in summary.skipped] == [(8, "balance line")]


def test_sparkasse_two_digit_years_and_pending_info():
    rows, _, _ = parse_all(fixture_bytes("sparkasse_camt.csv"))
    assert detect(fixture_bytes("sparkasse_camt.csv"), "x.csv").date_format == "%d.%m.%y"
    assert [r.pending for r in rows] == [False, False, True]  # "Umsatz vorgemerkt"


def test_wells_fargo_has_no_header():
    detection = detect(fixture_bytes("wells_fargo.csv"), "Checking1.csv")
    assert detection.header_row == 0
    assert detection.columns == {"date": 0, "amount": 1, "description": 4}

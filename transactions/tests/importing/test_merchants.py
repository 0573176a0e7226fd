"""Merchant names from raw bank descriptions (US, UK and European styles)."""

from __future__ import annotations

import pytest

from transactions.merchants import normalize_merchant

US = [
    ("SQ *BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"),
    ("CHECKCARD 0104 PANERA BREAD #601 PHILADELPHIA PA 24431065004000012345678", "Panera Bread"),
    ("PURCHASE AUTHORIZED ON 01/02 STARBUCKS STORE 12345 SEATTLE WA S385002345678901 CARD 1234", "Starbucks"),
    (
        "RECURRING PAYMENT AUTHORIZED ON 01/20 COMCAST CABLE COMM 800-266-2278 PA S305020123456789 CARD 4821",
        "Comcast Cable Comm",
    ),
    ("TST* SHAKE SHACK 123 NEW YORK NY", "Shake Shack"),
    ("TST*SHAKE SHACK NEW YORK NY", "Shake Shack"),
    ("PAYPAL *SPOTIFY 35314369001", "Spotify"),
    ("PAYPAL *NETFLIX", "Netflix"),
    ("POS DEBIT CVS/PHARMACY #1234 BOSTON MA", "CVS/Pharmacy"),
    ("DEBIT CARD PURCHASE - CHIPOTLE 1234 DENVER CO", "Chipotle"),
    ("NETFLIX.COM 866-579-7172 CA", "Netflix"),
    ("UBER *TRIP HELP.UBER.COM CA", "Uber Trip"),
    ("AMZN MKTP US*2K4AB1CD2 AMZN.COM/BILL WA", "Amazon"),
    ("AMAZON.COM*MK1AB2CD3 AMZN.COM/BILL WA", "Amazon"),
    ("AMAZON PRIME*2K4AB1CD2 AMZN.COM/BILL WA", "Amazon Prime"),
    ("WM SUPERCENTER #1234 DALLAS TX", "Walmart"),
    ("WHOLEFDS MKT 10234 AUSTIN TX", "Whole Foods Market"),
    ("COSTCO WHSE #0123 SAN JOSE CA", "Costco"),
    ("APPLE.COM/BILL 866-712-7753 CA", "Apple"),
    ("MCDONALD'S F12345 CHICAGO IL", "McDonald's"),
    ("SHELL OIL 57442 HOUSTON TX", "Shell Oil"),
    ("TRADER JOE S #123 SAN FRANCISCO CA", "Trader Joe's"),
    ("ATM WITHDRAWAL 004512 5TH AVE NEW YORK NY", "ATM Withdrawal"),
    ("BP#1234567 SPRINGFIELD IL", "BP"),
    ("KFC #4521 LOUISVILLE KY", "KFC"),
    ("PURCHASE 0412 IHOP #1234 ORLANDO FL", "IHOP"),
    ("ZELLE PAYMENT TO JOHN SMITH 12345678901", "Zelle Payment to John Smith"),
    ("ACME CORP PAYROLL PPD ID: 1234567890", "Acme Corp Payroll"),
    ("7-ELEVEN 12345 AUSTIN TX", "7-Eleven"),
    ("O'REILLY AUTO PARTS 1234 DALLAS TX", "O'Reilly Auto Parts"),
    ("THE HOME DEPOT #6543 ATLANTA GA", "The Home Depot"),
    ("STARBUCKS 800-782-7282", "Starbucks"),
    ("GOOGLE *YOUTUBE PREMIUM G.CO/HELPPAY#", "Youtube Premium"),
    ("TARGET 00012345 MINNEAPOLIS MN", "Target"),
    ("CUB FOODS #1234 SAINT PAUL MN", "Cub Foods"),
    ("KROGER #482", "Kroger"),
    ("SPOTIFY USA", "Spotify"),
    ("BLUE BOTTLE COFFEE SPRINGFIELD CA", "Blue Bottle Coffee"),
    ("CVS", "CVS"),
]
UK = [
    ("CARD PAYMENT TO TESCO STORES 3297 ON 03 JAN", "Tesco Stores"),
    ("TESCO STORES 3297 LONDON GB", "Tesco Stores"),
    ("PRET A MANGER LONDON GB", "Pret a Manger"),
    ("PRET A MANGER ON 02 JAN BCC", "Pret a Manger"),
    ("BRITISH GAS 0123456789 DDR", "British Gas"),
    ("DIRECT DEBIT PAYMENT TO BRITISH GAS REF 123456789", "British Gas"),
    ("DD THAMES WATER", "Thames Water"),
    ("CONTACTLESS PAYMENT COSTA COFFEE 41234 MANCHESTER", "Costa Coffee"),
    ("AMAZON.CO.UK*AB12CD34E", "Amazon"),
    ("MORRISONS 1234 CD 5678", "Morrisons"),
    ("SAINSBURYS S/MKT LEEDS GBR", "Sainsburys S/Mkt"),
    ("JOHN LEWIS PLC", "John Lewis"),
]
EUROPE = [
    ("REWE Markt GmbH", "REWE Markt"),
    ("SumUp *Cafe Einstein Berlin DE", "Cafe Einstein"),
    ("EDEKA CENTER 1234 BERLIN DE", "Edeka Center"),
    ("ALBERT HEIJN 1234 AMSTERDAM NLD", "Albert Heijn"),
    ("SEPA-Lastschrift Telekom Deutschland GmbH", "Telekom Deutschland"),
    ("Kartenzahlung dm-drogerie markt Berlin", "dm-drogerie markt"),
    ("CARREFOUR CITY PARIS 15 FR", "Carrefour City"),
    ("PAIEMENT CB 0301 MONOPRIX PARIS", "Monoprix"),
    ("PRLV SEPA EDF", "EDF"),
    ("COMPRA EN MERCADONA MADRID ES", "Mercadona"),
    ("BEA, Betaalpas JUMBO 4521 UTRECHT", "Jumbo"),
    ("Lidl sagt Danke", "Lidl sagt Danke"),
    ("Werkgever B.V.", "Werkgever"),
    ("Bäckerei Müller - Kartenzahlung Brötchen", "Bäckerei Müller"),
    ("ZARA ESPAÑA SA MADRID", "Zara España"),
]


@pytest.mark.parametrize(("description", "merchant"), US + UK + EUROPE)
def test_normalize_merchant(description, merchant):
    assert normalize_merchant(description) == merchant


@pytest.mark.parametrize(("description", "merchant"), [("", ""), ("   ", ""), ("12345", "12345"), ("#", "#")])
def test_descriptions_without_a_name_fall_back_to_the_text(description, merchant):
    assert normalize_merchant(description) == merchant


def test_normalizing_twice_changes_nothing():
    for description, merchant in US + UK + EUROPE:
        assert normalize_merchant(merchant) == merchant, description

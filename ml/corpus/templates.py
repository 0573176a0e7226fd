"""Bank descriptor formats, per payment channel, as printed by US, UK and EU banks.

Each template is marked for the training corpus (`T`) or for the held-out corpus only (`H`): the held-out
evaluation then measures the categoriser on formats it never saw, not only on unseen merchants.

Fields (filled by `ml.corpus.generator`): name, city, st (US state), cc (country code), store, phone, web, ref,
num3/num4/num6/num10/num11/num15, mmdd, mm_dd, yymmdd, dd, mm, yy, yyyy, mon, hh, mi, last4, person, acct,
bank, street, billkind.
"""

from __future__ import annotations

from dataclasses import dataclass

REGIONS = ("US", "UK", "EU")


@dataclass(frozen=True)
class Template:
    pattern: str
    regions: tuple[str, ...]
    holdout: bool
    # Only for merchants of these primaries (Toast's "TST*" prints only for restaurants); empty = any.
    primaries: tuple[str, ...] = ()


def _parse(rows: str) -> tuple[Template, ...]:
    """Rows are `T|US UK|pattern` or `H|ANY|pattern`, optionally `|PRIMARY,PRIMARY` at the end."""
    out = []
    for raw in rows.strip().splitlines():
        split, regions, pattern, *rest = raw.strip().split("|")
        region_tuple = REGIONS if regions == "ANY" else tuple(regions.split())
        primaries = tuple(rest[0].split(",")) if rest else ()
        out.append(Template(pattern, region_tuple, split == "H", primaries))
    return tuple(out)


STORE = _parse("""
T|US|{name} #{store} {city} {st}
T|US|{name} {store} {city} {st}
T|US|POS DEBIT {name} {city} {st}
T|US|CHECKCARD {mmdd} {name} {city} {st} {num15}
T|US|DEBIT CARD PURCHASE {name} {city} {st}
T|US|PURCHASE AUTHORIZED ON {mm_dd} {name} {city} {st} S{num15} CARD {last4}
T|US|SQ *{name} {city} {st}
T|US UK|SQ *{name}
T|US|TST* {name} {city} {st}|FOOD_AND_DRINK
T|UK|{name} {city} GB
T|UK|{name}          {city}
T|UK|CONTACTLESS {name} {city} GB
T|UK|CARD PAYMENT TO {name} ON {dd}-{mm}-{yyyy}
T|EU|{name} {city} {cc}
T|EU|KARTENZAHLUNG {name} {city}
T|EU|CB {name} {dd}/{mm} {city}
T|EU|BEA, BETAALPAS {name},PAS{num3} NR:{ref}, {dd}.{mm}.{yy}/{hh}:{mi} {city}
T|ANY|{name}
T|ANY|{name} {city}
H|US|POS PURCHASE {name} {store} {city} {st}
H|US|{name} {city} {st} {mmdd}
H|US|VISA DDA PUR {num6} {name} {city} * {st}
H|US|CARD PURCHASE WITH PIN {mm_dd} {name} {city} {st} CARD {last4}
H|US|POS {mm_dd} {name} #{store}
H|UK|{name} ON {dd} {mon} CLP
H|UK|POS {last4} {dd}{mon}{yy} {name} {city} GB
H|UK EU|SUMUP *{name} {city}
H|EU|GIROCARD {name} {city}
H|EU|PAIEMENT PAR CARTE {dd}/{mm} {name} {city}
H|EU|VISA {name} {city} {cc}
H|ANY|{name} #{store}
""")

ONLINE = _parse("""
T|US|{web} {phone} {st}
T|US|{name} {phone} {st}
T|ANY|PAYPAL *{name} {phone}
T|ANY|{name}*{ref} {web}
T|US|RECURRING DEBIT CARD {name}
T|UK|{name} {web} GB
T|EU|{name} {web} {cc}
T|EU|PAYPAL *{name} {num11} LU
T|ANY|{name}
T|ANY|{web}
H|ANY|PP*{name} {ref}
H|ANY|{name} INTERNET {cc}
H|ANY|CKO*{name} {city}
H|US|ONLINE PURCHASE {name} {phone} {st}
H|UK|{name} ONLINE GB
H|EU|ONLINE-ZAHLUNG {name} {web}
""")

BILL = _parse("""
T|US|{name} {billkind} {ref} WEB ID: {num10}
T|US|ORIG CO NAME:{name} ORIG ID:{num10} DESC DATE:{yymmdd} CO ENTRY DESCR:{billkind} SEC:WEB IND NAME:{person}
T|US|{name} DES:{billkind} ID:{ref} INDN:{person} CO ID:{num10} PPD
T|US|ACH DEBIT {name} {billkind}
T|US|ACH WITHDRAWAL {name} {ref}
T|UK|DIRECT DEBIT {name} {ref}
T|UK|{name} DD
T|UK|DD {name} {ref}
T|EU|SEPA-LASTSCHRIFT {name} {ref}
T|EU|LASTSCHRIFT {name} MANDAT {ref}
T|EU|PRLV SEPA {name} {ref}
T|EU|INCASSO {name} {ref}
T|ANY|{name} {billkind}
H|US|ELECTRONIC PMT {name} {ref}
H|US|{name} AUTOPAY {mmdd}
H|US|BILL PAY {name} ON-LINE {ref} ON {mm_dd}
H|US|ONLINE PMT {name} {ref}
H|UK|D/D {name}
H|UK|{name} REF {ref} DIRECT DEBIT
H|EU|SEPA DIRECT DEBIT {name} MANDATE {ref}
H|EU|FOLGELASTSCHRIFT {name}
H|EU|PRELEVEMENT {name} REF {ref}
H|ANY|{name} {ref}
""")

PAYROLL = _parse("""
T|US|{name} PAYROLL PPD ID: {num10}
T|US|DIRECT DEP {name}
T|US|{name} DES:PAYROLL ID:{ref} INDN:{person} CO ID:{num10} PPD
T|US|ORIG CO NAME:{name} ORIG ID:{num10} DESC DATE:{yymmdd} CO ENTRY DESCR:PAYROLL SEC:PPD
T|UK|{name} SALARY
T|UK|BGC {name} SALARY
T|UK|FASTER PAYMENT {name} WAGES {mon}
T|EU|LOHN/GEHALT {name} {mon}
T|EU|GEHALT {mon} {yyyy} {name}
T|EU|VIR SEPA RECU {name} SALAIRE {mon}
T|EU|SALARIS {mon} {name}
T|ANY|{name} PAYROLL
H|US|DIRECT DEPOSIT {name} SALARY
H|US|ACH CREDIT {name} PAYROLL {ref}
H|US|{name} DIR DEP {mmdd}
H|UK|BANK GIRO CREDIT {name} WAGES
H|UK|{name} PAY {mon}
H|EU|SALAIRE {name} {mon} {yyyy}
H|EU|NOMINA {name} {mon}
H|EU|SEPA GUTSCHRIFT {name} LOHN
H|ANY|{name} SAL {ref}
""")

BENEFIT = _parse("""
T|US|{name} {ref}
T|US|{name} PPD ID: {num10}
T|US|ACH CREDIT {name}
T|UK|{name} {ref} BGC
T|EU|SEPA GUTSCHRIFT {name} {ref}
T|ANY|{name}
H|US|{name} DES:{ref} ID:{num10}
H|US|DIRECT DEP {name}
H|UK|FP {name} {ref}
H|EU|VIR SEPA RECU {name}
H|ANY|CREDIT {name} {mm_dd}
""")

BANK_CREDIT = _parse("""
T|ANY|{name}
T|ANY|{name} {mm_dd}
T|ANY|{name} {ref}
H|ANY|{name} FOR {mon} {yyyy}
H|ANY|{name} - {acct}
""")

TRANSFER = _parse("""
T|ANY|{name} {person} {ref}
T|ANY|{name} {acct} REF #{ref}
T|ANY|{name} {person}
T|ANY|{name} {mm_dd} {ref}
T|ANY|{name}
H|ANY|{name}: {person} CONF {ref}
H|ANY|{name} {acct} ON {mm_dd}
H|ANY|{name} - {person} - {ref}
""")

ATM = _parse("""
T|US|{name} {ref} {street} {city} {st}
T|US|{name} #{store} {city} {st}
T|UK|{name} {bank} {dd}{mon}
T|UK|{name} {bank} {mon}{dd} @ {hh}:{mi}
T|EU|{name} {bank} {city} {dd}.{mm}
T|ANY|{name} {mm_dd}
H|US|{name} AT {street} {city}
H|UK|{name} {city} {dd}/{mm}
H|EU|{name} {city} {cc} {ref}
H|ANY|{name} {bank}
""")

FEE = _parse("""
T|ANY|{name}
T|ANY|{name} {mm_dd}
T|ANY|{name} {ref}
H|ANY|{name} - {mon} {yyyy}
H|ANY|{name} FOR ITEM {num4}
""")

PAYMENT_RECEIVED = _parse("""
T|ANY|{name}
T|ANY|{name} {ref}
H|ANY|{name} {mm_dd}
""")

# Channel of a merchant -> the formats its transactions are printed in.
BY_CHANNEL: dict[str, tuple[Template, ...]] = {
    "store": STORE,
    "online": ONLINE,
    "bill": BILL,
    "payroll": PAYROLL,
    "benefit": BENEFIT,
    "bank_credit": BANK_CREDIT,
    "transfer_out": TRANSFER,
    "transfer_in": TRANSFER,
    "atm": ATM,
    "fee": FEE,
    "payment_received": PAYMENT_RECEIVED,
}

BILL_KINDS = (
    "PAYMENT",
    "BILL PAY",
    "AUTOPAY",
    "PMT",
    "ONLINE PMT",
    "E-PAYMENT",
    "PREMIUM",
    "MONTHLY",
    "WEB PYMT",
    "AUTO PAY",
    "RECURRING",
    "MEMBERSHIP",
)

REFUND_MARKERS = ("REFUND ", "RETURN ", "CREDIT ", "REVERSAL ")


def templates_for(channel: str, region: str, primary: str, holdout: bool) -> tuple[Template, ...]:
    """The templates of one split that fit a merchant's channel, region and primary category."""
    return tuple(
        t
        for t in BY_CHANNEL[channel]
        if t.holdout == holdout and region in t.regions and (not t.primaries or primary in t.primaries)
    )

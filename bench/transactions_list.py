"""Transactions list speed at 100,000 rows on PostgreSQL: median server time per page, and queries per page.

Seeds one household with 100,000 transactions over four years in three accounts (once; reused afterwards), then
requests the list page through Django's test client (the whole server side: middleware, selectors, templates) for
common views — first page, a search, a category, uncategorised only, an amount range sorted by amount, a deep
keyset page — and prints the median and 95th percentile of N requests each, plus the SQL query count; then the
same for the totals fragment (count and net of the matches) the page loads after rendering.

Run: .venv/bin/python bench/transactions_list.py [--rows 100000] [--repeat 15] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_100k import MERCHANTS, django_setup, ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fincoach_bench"
EMAIL = "bench-list@fincoach.local"
CATEGORIES = (
    "FOOD_AND_DRINK_COFFEE",
    "FOOD_AND_DRINK_GROCERIES",
    "TRANSPORTATION_GAS",
    "GENERAL_MERCHANDISE",
    "ENTERTAINMENT_TV_AND_MOVIES",
    "RENT_AND_UTILITIES_RENT",
    "INCOME_WAGES",
    None,
)


def seed(rows: int):
    """The bench household with `rows` transactions (created once)."""
    from accounts.models import User
    from accounts.selectors import household_for_user
    from accounts.services import household_create_for_user
    from transactions.importing import fingerprint
    from transactions.merchants import normalize_merchant
    from transactions.models import Category, Transaction
    from transactions.services.accounts import account_get_or_create

    user, _ = User.objects.get_or_create(email=EMAIL)
    household_create_for_user(user)
    household = household_for_user(user)
    have = Transaction.objects.filter(household=household).count()
    if have >= rows:
        return user, household, have
    accounts = [account_get_or_create(household=household, name=name)[0] for name in ("Checking", "Card", "Savings")]
    categories = dict(Category.objects.filter(household__isnull=True).values_list("code", "pk"))
    rng = random.Random(3)
    start = dt.date(2021, 1, 1)
    batch = []
    for n in range(have, rows):
        description = rng.choice(MERCHANTS).format(mmdd="0101", store=rng.randint(100, 999), code=f"{n:X}")
        date = start + dt.timedelta(days=rng.randint(0, 4 * 365))
        amount = Decimal(rng.randint(-30000, 4000)) / 100
        code = rng.choice(CATEGORIES)
        batch.append(
            Transaction(
                household=household,
                account=rng.choice(accounts),
                date=date,
                amount=amount,
                description=description,
                merchant=normalize_merchant(description),
                category_id=categories.get(code) if code else None,
                category_source="model" if code else "",
                fingerprint=fingerprint(date, amount, f"{description} {n}"),
            )
        )
        if len(batch) == 5000:
            Transaction.objects.bulk_create(batch)
            batch = []
    Transaction.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE transactions_transaction")  # the steady state autovacuum keeps
    return user, household, rows


def measure(client, path: str, params: dict, repeat: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, params)  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path, params)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    rows = response.content.count(b'<tr id="txn-')
    return statistics.median(times), sorted(times)[int(len(times) * 0.95) - 1], len(queries), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=os.environ.get("FINCOACH_BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    ensure_database(args.database_url)
    django_setup(args.database_url)
    from django.conf import settings
    from django.test import Client

    from transactions.models import Category, Transaction

    settings.ALLOWED_HOSTS = ["testserver"]
    user, household, count = seed(args.rows)
    client = Client()
    client.force_login(user)
    coffee = Category.objects.get(household__isnull=True, code="FOOD_AND_DRINK").pk
    deep = Transaction.objects.filter(household=household).order_by("-date", "-id")[50_000]
    from transactions.selectors.transactions import encode_cursor

    cursor = encode_cursor("-date", deep)
    views = {
        "first page (50 rows)": {},
        "first page (200 rows)": {"page_size": 200},
        "search 'coffee'": {"q": "coffee"},
        "category Food and drink": {"category": coffee},
        "uncategorised only": {"uncategorised": "on"},
        "amount -50..-10, by amount": {"amount_min": "-50", "amount_max": "-10", "sort": "amount"},
        "date range, one month": {"date_from": "2023-03-01", "date_to": "2023-03-31"},
        "page after row 50,000": {"cursor": cursor},
    }
    print(
        f"{count:,} transactions in the household; {args.repeat} requests per view; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    for name, params in views.items():
        median, p95, queries, rows = measure(client, "/transactions/", params, args.repeat)
        print(f"  {name:30} median {median:6.1f} ms   p95 {p95:6.1f} ms   {queries:2d} queries   {rows} rows")
    print("the count and net of the matches (loaded by the page after it renders):")
    for name in ("first page (50 rows)", "search 'coffee'", "category Food and drink"):
        median, p95, queries, _ = measure(client, "/transactions/totals/", views[name], args.repeat)
        print(f"  {name:30} median {median:6.1f} ms   p95 {p95:6.1f} ms   {queries:2d} queries")
    for size in (10, 50, 200):
        _, _, queries, _ = measure(client, "/transactions/", {"page_size": size}, 1)
        print(f"  queries with page_size={size}: {queries}")


if __name__ == "__main__":
    main()

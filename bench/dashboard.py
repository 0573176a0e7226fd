"""Dashboard speed for a household with 100,000 transactions.

Prints the server time of `GET /` (in-process through Django's test client: middleware, queries, template), for
  - the first request after the data changed (aggregates computed, then cached),
  - the median and 95th percentile of the following requests (what people see),
and the number of SQL queries per request (fixed, whatever the data size).

Run: .venv/bin/python bench/dashboard.py [--rows 100000] [--requests 50] [--database-url postgres://…/fincoach_bench]
Without --database-url a throw-away SQLite file is used; a PostgreSQL database is created when missing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "bench-dashboard@fincoach.local"
SPENDING_CODES = (
    "FOOD_AND_DRINK_GROCERIES",
    "FOOD_AND_DRINK_RESTAURANT",
    "FOOD_AND_DRINK_COFFEE",
    "TRANSPORTATION_GAS",
    "TRANSPORTATION_TAXIS_AND_RIDE_SHARES",
    "GENERAL_MERCHANDISE_ONLINE_MARKETPLACES",
    "ENTERTAINMENT_TV_AND_MOVIES",
    "RENT_AND_UTILITIES_GAS_AND_ELECTRICITY",
    "MEDICAL_PHARMACIES_AND_SUPPLEMENTS",
    "PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS",
    "TRAVEL_FLIGHTS",
    "GENERAL_SERVICES_INSURANCE",
)


def ensure_postgres_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str | None) -> None:
    if url is None:
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='fincoach-bench-')) / 'bench.sqlite3'}"
    elif url.startswith("postgres"):
        ensure_postgres_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fincoach.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "true"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_household(rows: int, seed: int = 7):
    """A household with `rows` transactions over three years, budgets, goals, bills and a forecast."""
    from accounts.models import User
    from accounts.services import household_create_for_user
    from budgets.models import Budget
    from goals.models import Goal, GoalContribution
    from ml.models import BalanceForecast, RecurringSeries
    from transactions.models import Category, FinancialAccount, Transaction

    User.objects.filter(email=EMAIL).delete()
    user = User.objects.create_user(EMAIL, "bench-password-123456")
    household = household_create_for_user(user, name="Bench household")
    checking = FinancialAccount.objects.create(household=household, name="Checking", opening_balance=Decimal("5000"))
    card = FinancialAccount.objects.create(household=household, name="Card", kind=FinancialAccount.Kind.CREDIT_CARD)
    FinancialAccount.objects.create(household=household, name="Savings", kind=FinancialAccount.Kind.SAVINGS)
    categories = {c.code: c for c in Category.objects.filter(household__isnull=True)}
    rng = random.Random(seed)
    today = date.today()
    start = today - timedelta(days=3 * 365)
    batch = []
    for n in range(rows):
        day = start + timedelta(days=rng.randrange((today - start).days + 1))
        if n % 40 == 0:
            code, amount, account = "INCOME_WAGES", Decimal(rng.randint(150_000, 300_000)) / 100, checking
        else:
            code = rng.choice(SPENDING_CODES)
            amount = -Decimal(rng.randint(200, 15_000)) / 100
            account = card if n % 3 else checking
        batch.append(
            Transaction(
                household=household,
                account=account,
                date=day,
                amount=amount,
                description=f"BENCH {code} {n}",
                merchant=f"Merchant {n % 500}",
                category=categories[code],
            )
        )
        if len(batch) == 5000:
            Transaction.objects.bulk_create(batch)
            batch = []
    Transaction.objects.bulk_create(batch)
    for code in ("FOOD_AND_DRINK", "TRANSPORTATION", "ENTERTAINMENT", "GENERAL_MERCHANDISE"):
        budget = Budget.objects.create(household=household, amount=Decimal("600"), start_date=start)
        budget.categories.set([categories[code]])
    for name in ("Emergency fund", "Holiday", "New car"):
        goal = Goal.objects.create(household=household, name=name, target_amount=Decimal("5000"), started_on=start)
        GoalContribution.objects.create(household=household, goal=goal, amount=Decimal("1200"), date=today)
    for name, amount in (("Rent", "-1450"), ("Internet", "-60"), ("Streaming", "-15.99")):
        RecurringSeries.objects.create(
            household=household,
            merchant=name,
            cadence="monthly",
            amount=Decimal(amount),
            last_date=today,
            next_date=today + timedelta(days=rng.randint(1, 14)),
        )
    points = [
        {"date": (today + timedelta(days=d)).isoformat(), "yhat": str(3000 - d * 10), "lower": "0", "upper": "5000"}
        for d in range(90)
    ]
    BalanceForecast.objects.create(
        household=household,
        model_name="cashflow",
        start_balance=Decimal("3000"),
        points=points,
        low_balance_threshold=Decimal("500"),
    )
    return user, household


def measure(user, household, requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from insights.facts.cache import bump_household_version

    client = Client()
    client.force_login(user)

    def timed() -> float:
        started = time.perf_counter()
        response = client.get("/")
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    timed()  # compile the templates, warm the database's own caches
    bump_household_version(household.pk)
    cold = timed()
    times = [timed() for _ in range(requests)]
    with CaptureQueriesContext(connection) as queries:
        timed()
    return {
        "transactions": household_transactions(household),
        "first_request_ms": round(cold, 1),
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(sorted(times)[int(len(times) * 0.95) - 1], 1),
        "queries_per_request": len(queries.captured_queries),
        "database": connection.vendor,
    }


def household_transactions(household) -> int:
    from transactions.models import Transaction

    return Transaction.objects.for_household(household).count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    django_setup(args.database_url)
    started = time.perf_counter()
    user, household = build_household(args.rows)
    built = time.perf_counter() - started
    result = measure(user, household, args.requests) | {"setup_seconds": round(built, 1)}
    if args.json:
        print(json.dumps(result))
        return
    print(f"dashboard, {result['transactions']:,} transactions on {result['database']} (setup {built:.1f}s)")
    print(f"  first request after a change: {result['first_request_ms']} ms (aggregates computed and cached)")
    print(f"  median of {args.requests} requests: {result['median_ms']} ms   p95: {result['p95_ms']} ms")
    print(f"  SQL queries per request: {result['queries_per_request']}")


if __name__ == "__main__":
    main()

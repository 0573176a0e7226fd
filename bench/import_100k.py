"""Import speed and memory on PostgreSQL: `import_transactions` of a 100,000-row bank CSV.

Prints, for a fresh account (every row new) and a re-import (every row a duplicate):
  - the import service in-process (parse → keys → categories → COPY → INSERT … ON CONFLICT → pipeline): wall
    time, this process's CPU and the PostgreSQL backend's CPU (CPU figures hold on a busy machine, wall does not);
    the import alone, with the ML categoriser, and with the other apps' reactions (hooks) as the command runs them;
  - the `manage.py import_transactions … --json` command end to end (a new process: Django start-up included);
  - peak RSS of the command for 20,000 vs 100,000 rows (flat = the rows stream, never all in memory).

Run: .venv/bin/python bench/import_100k.py [--rows 100000] [--database-url postgres://…/fincoach_bench]
The database is created and migrated when missing. Set FINCOACH_BENCH_KEEP=1 to keep the bench rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/fincoach_bench"
EMAIL = "bench-import@fincoach.local"

MERCHANTS = (
    "SQ *BLUE BOTTLE COFFEE OAKLAND CA",
    "CHECKCARD {mmdd} PANERA BREAD #{store} PHILADELPHIA PA",
    "STARBUCKS STORE {store} SEATTLE WA",
    "TST* SHAKE SHACK {store} NEW YORK NY",
    "AMZN MKTP US*{code}",
    "UBER *TRIP HELP.UBER.COM CA",
    "NETFLIX.COM 866-579-7172 CA",
    "SHELL OIL {store} HOUSTON TX",
    "TRADER JOE'S #{store} SAN FRANCISCO CA",
    "WHOLEFDS MKT {store} AUSTIN TX",
    "COSTCO WHSE #{store} SAN JOSE CA",
    "ATM WITHDRAWAL {store} 1ST AVE NEW YORK NY",
    "CVS/PHARMACY #{store} BOSTON MA",
    "ONLINE TRANSFER TO SAV XXXXXX{store}",
    "ACME CORP PAYROLL PPD ID: 9876543210",
    "COMCAST CABLE COMM 800-266-2278 PA",
)


def generate_csv(rows: int, seed: int = 11) -> bytes:
    """A Chase checking export over ~4 years: realistic descriptions, the bank's trailing empty field."""
    rng = random.Random(seed)
    lines = ["Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #"]
    balance = Decimal("25000.00")
    for _ in range(rows):
        year, month, day = rng.randint(2021, 2024), rng.randint(1, 12), rng.randint(1, 28)
        description = rng.choice(MERCHANTS).format(
            mmdd=f"{month:02d}{day:02d}", store=rng.randint(100, 999), code=f"{rng.randint(0, 36**4):X}"
        )
        amount = Decimal(rng.randint(-30000, 4000)) / 100
        balance += amount
        kind = "CREDIT" if amount > 0 else "DEBIT"
        lines.append(f'{kind},{month:02d}/{day:02d}/{year},"{description}",{amount},ACH,{balance},,')
    return ("\n".join(lines) + "\n").encode()


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fincoach.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_user():
    from accounts.models import User
    from accounts.services import household_create_for_user

    user, _ = User.objects.get_or_create(email=EMAIL)
    household_create_for_user(user)
    from accounts.selectors import household_for_user

    return user, household_for_user(user)


def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (from /proc: same machine only)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vacuum() -> None:
    """Rewrite the table without the rows earlier runs deleted, so every run inserts into a table and indexes of the
    same size (a plain VACUUM leaves the files at their largest, and a bloated table inserts ~40 % slower)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL ANALYZE transactions_transaction")


def service_run(label: str, household, user, account, data: bytes) -> None:
    from transactions.services.imports import import_file

    before = backend_cpu()
    batch, wall, cpu = timed(
        lambda: import_file(household=household, user=user, account=account, data=data, filename="chase.csv")
    )
    print(
        f"service, {label:28} {wall:6.2f} s wall, {cpu:5.2f} s CPU here + {backend_cpu() - before:5.2f} s "
        f"PostgreSQL  (imported {batch.imported:,}, duplicates {batch.duplicates:,}, errors {batch.error_count})"
    )
    return batch


def run_command(path: Path, account: str, url: str) -> tuple[dict, float, float]:
    """The CLI in a fresh process: (JSON summary, wall seconds, peak RSS MB)."""
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    code = (
        "import resource, runpy, sys; sys.argv = sys.argv[1:]; "
        "exec(\"try:\\n runpy.run_path('manage.py', run_name='__main__')\\nfinally:\\n "
        'print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)")'
    )
    command = [
        sys.executable,
        "-c",
        code,
        "manage.py",
        "import_transactions",
        str(path),
        "--user",
        EMAIL,
        "--account",
        account,
        "--json",
    ]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    rss_mb = int(done.stderr.strip().splitlines()[-1]) / 1024
    return json.loads(done.stdout), wall, rss_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=os.environ.get("FINCOACH_BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("this bench measures PostgreSQL: give a postgres:// --database-url")
    ensure_database(args.database_url)
    django_setup(args.database_url)

    from transactions.models import FinancialAccount
    from transactions.services import import_categoriser
    from transactions.services.accounts import account_create

    user, household = bench_user()
    vacuum()
    data = generate_csv(args.rows)
    stamp = int(time.time())
    print(
        f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB CSV, PostgreSQL {args.database_url.rsplit('/', 1)[1]}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )

    import fincoach.hooks

    real_categoriser, real_hooks = import_categoriser.ml_service, fincoach.hooks._run
    with_model = real_categoriser("categorize_transactions") is not None

    def variant(label: str, *, categoriser: bool, hooks: bool, account=None):
        import_categoriser.ml_service = real_categoriser if categoriser else (lambda name: None)
        fincoach.hooks._run = real_hooks if hooks else (lambda *args, **kwargs: None)
        account = account or account_create(household=household, name=f"bench-{stamp}-{len(label)}-{categoriser}")
        return account, service_run(label, household, user, account, data)

    # The import alone, then with the ML categoriser (the ML engine's speed), then with the other apps' reactions
    # to 100,000 new transactions (budgets, anomalies… run inline here: embedded mode has no Celery worker).
    _, plain = variant("new rows, import only", categoriser=False, hooks=False)
    if with_model:
        variant("new rows + categoriser", categoriser=True, hooks=False)
    full, _ = variant("new rows + all (as the CLI)", categoriser=True, hooks=True)
    variant("all duplicates", categoriser=True, hooks=True, account=full)
    from transactions.services.imports import import_undo

    removed, wall, cpu = timed(lambda: import_undo(plain))
    print(f"undo of a 100,000-row batch: {wall:6.2f} s wall, {cpu:5.2f} s CPU ({removed:,} removed)")

    with tempfile.TemporaryDirectory() as folder:
        full, small = Path(folder, "chase_full.csv"), Path(folder, "chase_small.csv")
        full.write_bytes(data)
        small.write_bytes(generate_csv(max(args.rows // 5, 1), seed=5))
        summary, wall, rss = run_command(full, f"bench-{stamp}-cli", args.database_url)
        print(
            f"command end to end, new:  {wall:6.2f} s wall, peak RSS {rss:4.0f} MB  "
            f"(imported {summary['imported']:,}, net {summary['net']})"
        )
        summary, wall, rss_again = run_command(full, f"bench-{stamp}-cli", args.database_url)
        print(
            f"command end to end, dups: {wall:6.2f} s wall, peak RSS {rss_again:4.0f} MB  "
            f"(duplicates {summary['duplicates']:,})"
        )
        summary, wall, rss_small = run_command(small, f"bench-{stamp}-small", args.database_url)
        print(
            f"memory: peak RSS {rss_small:4.0f} MB for {summary['imported']:,} rows vs {rss:4.0f} MB for "
            f"{args.rows:,} rows"
        )
    _, startup_wall, _ = timed(
        lambda: subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "DATABASE_URL": args.database_url},
        )
    )
    print(f"(Django start-up alone, `manage.py check`: {startup_wall:.2f} s wall)")

    if os.environ.get("FINCOACH_BENCH_KEEP") != "1":
        FinancialAccount.objects.filter(household=household, name__startswith="bench-").delete()
        vacuum()
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()

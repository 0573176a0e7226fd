from fincoach.registry import PeriodicTaskSpec

PERIODIC_TASKS = [
    PeriodicTaskSpec(
        name="Plaid: sync every linked bank",
        task="plaid.sync_all",
        crontab="0 */4 * * *",
        description="Runs /transactions/sync for every connected Plaid item (webhooks bring changes sooner).",
    ),
    PeriodicTaskSpec(
        name="Plaid: purge old raw sync pages",
        task="plaid.purge_records",
        crontab="40 3 * * *",
        description="Deletes raw sync pages, runs and webhook events past their retention.",
    ),
]

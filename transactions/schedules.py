from fincoach.registry import PeriodicTaskSpec

PERIODIC_TASKS = [
    PeriodicTaskSpec(
        name="Expire abandoned import drafts",
        task="transactions.expire_import_drafts",
        crontab="17 3 * * *",
        description="Deletes uploaded files whose import was never confirmed.",
    ),
]

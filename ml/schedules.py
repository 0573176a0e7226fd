"""The ML batches on the beat schedule (installed by `manage.py setup_periodic_tasks`; editable in the admin).

Nightly, in dependency order: recurring series first (the forecast uses them), then anomalies and forecasts.
Weekly: personas, and a retrain of the categoriser that folds in the households' corrections.
"""

from fincoach.registry import PeriodicTaskSpec

PERIODIC_TASKS = [
    PeriodicTaskSpec(
        name="ml: detect recurring payments",
        task="ml.detect_recurring",
        crontab="10 2 * * *",
        description="Nightly: recurring series and subscriptions for every household.",
    ),
    PeriodicTaskSpec(
        name="ml: detect anomalies",
        task="ml.detect_anomalies",
        crontab="30 2 * * *",
        description="Nightly: unusual transactions for every household.",
    ),
    PeriodicTaskSpec(
        name="ml: forecast balances",
        task="ml.forecast_balances",
        crontab="0 3 * * *",
        description="Nightly: 90-day balance forecasts per account and household.",
    ),
    PeriodicTaskSpec(
        name="ml: cluster personas",
        task="ml.cluster_personas",
        crontab="30 3 * * 0",
        description="Weekly (Sunday): spending personas for every household.",
    ),
    PeriodicTaskSpec(
        name="ml: retrain categoriser",
        task="ml.train_categorizer",
        crontab="0 4 * * 0",
        description="Weekly (Sunday): retrain the categoriser with the households' corrections.",
    ),
]

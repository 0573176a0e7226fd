"""The coach's beat schedule (installed by `manage.py setup_periodic_tasks`)."""

from fincoach.registry import PeriodicTaskSpec

PERIODIC_TASKS = [
    PeriodicTaskSpec(
        name="insights: morning coaching",
        task="insights.generate_morning",
        crontab="5 * * * *",
        description="Every hour: daily insights for everyone whose local time is the morning hour "
        "(settings.INSIGHTS_MORNING_HOUR, 7 by default).",
    ),
]

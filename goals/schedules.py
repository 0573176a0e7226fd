from fincoach.registry import PeriodicTaskSpec

PERIODIC_TASKS = [
    PeriodicTaskSpec(
        name="Goal milestones from account balances",
        task="goals.check_all_milestones",
        crontab="30 6 * * *",
        description="Celebrates milestones reached through bank balance updates that bring no new transactions.",
    ),
]

"""Extension points discovered in each installed app, so features plug in without editing shared files.

- `<app>/demo.py` may define `DEMO_ORDER: int` and `seed_demo(context: DemoContext) -> dict` (counts to print).
- `<app>/schedules.py` may define `PERIODIC_TASKS: list[PeriodicTaskSpec]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import apps


@dataclass(frozen=True)
class PeriodicTaskSpec:
    name: str  # unique, human: shown in the admin
    task: str  # registered Celery task name
    crontab: str | None = None  # "minute hour day_of_month month_of_year day_of_week"
    every_seconds: int | None = None
    kwargs: dict = field(default_factory=dict)
    description: str = ""


def app_modules(module_name: str) -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        dotted = f"{config.name}.{module_name}"
        try:
            found.append(import_module(dotted))
        except ModuleNotFoundError as exc:
            if exc.name != dotted:
                raise
    return found

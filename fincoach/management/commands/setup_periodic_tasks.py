"""`setup_periodic_tasks`: creates/updates the beat schedule from every app's `schedules.PERIODIC_TASKS`.

Idempotent. Schedules an operator edited in the admin are kept unless `--reset` is given.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from fincoach.registry import PeriodicTaskSpec, app_modules


def collect_specs() -> list[PeriodicTaskSpec]:
    specs: list[PeriodicTaskSpec] = []
    for module in app_modules("schedules"):
        specs.extend(getattr(module, "PERIODIC_TASKS", []))
    names = [s.name for s in specs]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise ValueError(f"periodic task names must be unique: {sorted(duplicates)}")
    return specs


def _schedule_fields(spec: PeriodicTaskSpec) -> dict:
    if spec.crontab:
        minute, hour, dom, month, dow = spec.crontab.split()
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_month=dom, month_of_year=month, day_of_week=dow, timezone="UTC"
        )
        return {"crontab": crontab, "interval": None}
    if spec.every_seconds:
        interval, _ = IntervalSchedule.objects.get_or_create(every=spec.every_seconds, period=IntervalSchedule.SECONDS)
        return {"interval": interval, "crontab": None}
    raise ValueError(f"{spec.name}: give a crontab or every_seconds")


@transaction.atomic
def sync_periodic_tasks(reset: bool = False) -> dict:
    created = updated = 0
    for spec in collect_specs():
        task = PeriodicTask.objects.filter(name=spec.name).first()
        values = {"task": spec.task, "kwargs": json.dumps(spec.kwargs), "description": spec.description}
        if task is None:
            PeriodicTask.objects.create(name=spec.name, **values, **_schedule_fields(spec))
            created += 1
            continue
        for key, value in values.items():
            setattr(task, key, value)
        if reset:
            for key, value in _schedule_fields(spec).items():
                setattr(task, key, value)
            task.enabled = True
        task.save()
        updated += 1
    return {"created": created, "updated": updated, "total": PeriodicTask.objects.count()}


class Command(BaseCommand):
    help = "Create or update the Celery beat schedule (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="also reset schedules edited in the admin")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, reset: bool, json: bool = False, **options):
        result = sync_periodic_tasks(reset=reset)
        if json:
            import json as _json

            self.stdout.write(_json.dumps(result))
        else:
            self.stdout.write(
                f"Beat schedule: {result['created']} created, {result['updated']} updated, {result['total']} in all."
            )

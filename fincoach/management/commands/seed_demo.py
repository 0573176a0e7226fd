"""`seed_demo [--households N] [--months M]`: realistic demo data; prints the demo login. Idempotent."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.services import household_create_for_user
from fincoach.demo import DemoContext
from fincoach.registry import app_modules

DEMO_EMAIL = "demo@fincoach.local"


def _demo_email(index: int) -> str:
    return DEMO_EMAIL if index == 0 else f"demo{index + 1}@fincoach.local"


class Command(BaseCommand):
    help = "Create demo households with realistic data (idempotent) and print the demo login."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=1, help="how many demo households (default 1)")
        parser.add_argument("--months", type=int, default=12, help="months of history (default 12)")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, households: int, months: int, json: bool = False, **options):
        started = time.monotonic()
        hooks = sorted(
            (m for m in app_modules("demo") if hasattr(m, "seed_demo")),
            key=lambda m: getattr(m, "DEMO_ORDER", 50),
        )
        summary: dict[str, dict] = {}
        for index in range(max(households, 1)):
            email = _demo_email(index)
            with transaction.atomic():
                user, created = User.objects.get_or_create(email=email, defaults={"display_name": "Demo"})
                if created:
                    user.set_password(settings.FINCOACH_DEMO_PASSWORD)
                    user.save(update_fields=["password"])
                    self._verify_email(user)
                household = household_create_for_user(user, name="Demo household" if index == 0 else None)
            context = DemoContext(household=household, user=user, months=months, index=index, seed=1000 + index)
            counts = {}
            for hook in hooks:
                counts[hook.__name__.split(".")[0]] = hook.seed_demo(context) or {}
            summary[email] = counts
        elapsed = time.monotonic() - started
        if json:
            self.stdout.write(_json_dumps({"households": summary, "seconds": round(elapsed, 2)}))
            return
        for email, counts in summary.items():
            details = ", ".join(f"{app}: {c}" for app, c in counts.items() if c)
            self.stdout.write(f"  {email}  {details}")
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f}s."))
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_EMAIL} / password: {settings.FINCOACH_DEMO_PASSWORD}"))

    @staticmethod
    def _verify_email(user) -> None:
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def _json_dumps(value) -> str:
    return json.dumps(value, default=str)

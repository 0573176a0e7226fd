"""`rotate_encryption_keys [--json]`: re-encrypt stored secrets with the newest FIELD_ENCRYPTION_KEYS key.

Rotation: put the new key first in FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this command,
then drop the old keys.
"""

from __future__ import annotations

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from ...services import encrypted_fields_rotate


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field (Plaid access tokens…) with the first key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, json: bool, **options):
        try:
            rotated = encrypted_fields_rotate()
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(jsonlib.dumps({"rotated": rotated, "total": sum(rotated.values())}))
            return
        for name, count in rotated.items():
            self.stdout.write(f"{name}: {count} re-encrypted")
        self.stdout.write(f"{sum(rotated.values())} secret(s) re-encrypted with the newest key.")

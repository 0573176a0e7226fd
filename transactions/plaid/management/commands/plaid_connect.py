"""`plaid_connect --user E --public-token T [--json]`: link a bank from a Plaid Link public token."""

from __future__ import annotations

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User

from ...client import PlaidError
from ...conf import plaid_is_configured
from ...services import plaid_item_connect


class Command(BaseCommand):
    help = "Exchange a Plaid Link public token and link the bank to the user's household (the first sync follows)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="e-mail of the household member linking the bank")
        parser.add_argument("--public-token", required=True, dest="public_token")
        parser.add_argument("--json", action="store_true", help="print a JSON summary")

    def handle(self, *args, user: str, public_token: str, json: bool, **options):
        if not plaid_is_configured():
            raise CommandError("Plaid is not configured: set PLAID_CLIENT_ID and PLAID_SECRET")
        person = User.objects.filter(email__iexact=user).first()
        if person is None:
            raise CommandError(f"no user with e-mail {user}")
        try:
            result = plaid_item_connect(person, public_token)
        except PlaidError as exc:
            raise CommandError(f"linking failed: {exc.describe()}") from None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(jsonlib.dumps(result.as_dict()))
            return
        summary = result.as_dict()
        self.stdout.write(
            f"Linked {summary['institution'] or 'the bank'} as item {summary['item']}: "
            f"{summary['accounts_created']} new account(s), {summary['accounts_adopted']} already here."
        )

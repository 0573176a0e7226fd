"""`export_transactions --user E [--account NAME] [--format csv]`: the household's transactions as fincoach CSV on
stdout (formula-safe; importing it back adds nothing)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.selectors import household_for_user
from transactions.models import Transaction
from transactions.selectors.accounts import account_by_name
from transactions.services.exporting import transactions_export_csv


class Command(BaseCommand):
    help = "Write a household's transactions to stdout as CSV."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="e-mail of a member of the household")
        parser.add_argument("--account", help="only this account (by name)")
        parser.add_argument("--format", default="csv", choices=["csv"], help="output format (csv)")

    def handle(self, *args, user: str, account: str | None = None, **options):
        person = User.objects.filter(email__iexact=user.strip()).first()
        if person is None:
            raise CommandError(f"no user with the e-mail {user}")
        household = household_for_user(person)
        if household is None:
            raise CommandError(f"{user} does not belong to a household")
        queryset = Transaction.objects.for_household(household)
        if account:
            target = account_by_name(household=household, name=account)
            if target is None:
                raise CommandError(f"{user}'s household has no account called {account!r}")
            queryset = queryset.filter(account=target)
        transactions_export_csv(household=household, queryset=queryset, stream=self.stdout)

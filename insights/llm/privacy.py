"""What may leave the server for the language model: aggregates, category names, budget and goal status, dates —
and merchant names only when the person allowed it. Never account numbers or masks, account names, raw bank
descriptions, e-mail addresses or people's names.

`Redactor` knows the household's sensitive strings and scrubs any free text (a goal called "Anna's bike") before it
is sent; `assert_private` is the last check on the exact JSON that goes out.
"""

from __future__ import annotations

import json
import re

from accounts.models import Membership
from transactions.models import FinancialAccount

REDACTED = "[redacted]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Five or more digits in a row (account and card numbers, references), possibly grouped by spaces or dashes.
LONG_NUMBER = re.compile(r"\b\d(?:[ -]?\d){4,}\b")
# A mask as banks print it: ••1234, x1234, *1234, #1234, "ending 1234".
MASK = re.compile(r"(?:[•*xX#]{1,4}\s?\d{2,4}\b|\bending(?: in)? \d{2,4}\b)")


class PrivacyError(Exception):
    """Something sensitive was about to leave the server."""


class Redactor:
    def __init__(self, household):
        members = Membership.objects.filter(household=household).select_related("user")
        names: set[str] = {household.name}
        for membership in members:
            user = membership.user
            names.update({user.email, user.display_name, user.email.split("@")[0]})
        self.masks: set[str] = set()
        for name, mask in FinancialAccount.objects.for_household(household).values_list("name", "mask"):
            names.add(name)
            if mask:
                self.masks.add(mask.strip())
        # Longest first, so "Anna Smith" goes before "Anna"; very short strings would erase ordinary words.
        self.secrets = sorted((n.strip() for n in names if n and len(n.strip()) >= 3), key=len, reverse=True)
        self._secret_pattern = (
            re.compile("|".join(rf"(?<!\w){re.escape(s)}(?!\w)" for s in self.secrets), re.IGNORECASE)
            if self.secrets
            else None
        )

    def text(self, value: str) -> str:
        """Free text written by people (goal and budget names, merchant names): scrubbed of anything personal."""
        value = EMAIL.sub(REDACTED, value)
        value = MASK.sub(REDACTED, value)
        value = LONG_NUMBER.sub(REDACTED, value)
        for mask in self.masks:
            value = re.sub(rf"(?<!\w){re.escape(mask)}(?!\w)", REDACTED, value)
        if self._secret_pattern is not None:
            value = self._secret_pattern.sub(REDACTED, value)
        return value

    def assert_private(self, text: str) -> None:
        """Raise if an e-mail address or a known name (a person's, the household's, an account's) is in the text
        about to be sent. Amounts and dates are digits too, so numbers are kept out by construction: free text
        goes through `text()`, and nothing else in a payload is free text."""
        if EMAIL.search(text):
            raise PrivacyError("an e-mail address")
        if self._secret_pattern is not None:
            match = self._secret_pattern.search(text)
            if match:
                raise PrivacyError("a household secret (a name or an account)")


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)

"""The account kinds the models know (FinancialAccount.Kind's values), in feature order. Its own module so the
categoriser's import path does not load pandas."""

ACCOUNT_TYPES: tuple[str, ...] = ("checking", "savings", "credit_card", "loan", "investment", "cash")

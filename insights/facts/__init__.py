"""What the coach reads about a household: selectors over transactions, the ML results, budgets and goals.

Every function takes `household=` (the security boundary) and returns plain dataclasses with `Decimal` money, so
rules, pages, the LLM payload and the ask-the-coach tools share one definition of "spending" and "income".
"""

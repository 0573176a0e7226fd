"""What the coach will not do: recommend securities or financial products. And the note on every answer."""

from __future__ import annotations

import re

DISCLAIMER = "Educational information from your own data, not financial advice."

DECLINE = (
    "I can't recommend specific investments, securities or financial products — a licensed financial adviser is "
    "the right person for that. I can help with your own numbers: what you spend, what you could set aside each "
    "month, and how your budgets and goals are doing."
)

_PRODUCT_WORDS = (
    r"stocks?|shares?|equities|etfs?|index funds?|mutual funds?|funds?|bonds?|crypto(?:currency|currencies)?|"
    r"bitcoin|ethereum|dogecoin|coins?|tokens?|options|brokers?|brokerages?|robo.?advisers?|annuit(?:y|ies)|"
    r"credit cards?|insurance (?:policy|policies|plans?|providers?)|mortgages?|loans?|banks?|savings accounts?|ira|"
    r"401\(?k\)?|isas?"
)
_ASKS = [
    # "which stock should I buy", "what ETF is best", "recommend a credit card"
    rf"\b(?:which|what)\s+(?:\w+\s+){{0,2}}(?:{_PRODUCT_WORDS})\b.*\b(?:buy|sell|pick|choose|get|best|invest|open)\b",
    rf"\b(?:best|top|good|recommended?)\s+(?:\w+\s+){{0,2}}(?:{_PRODUCT_WORDS})\b",
    rf"\brecommend\b.*\b(?:{_PRODUCT_WORDS})\b",
    # "should I buy Tesla", "should we invest in bitcoin", "is it time to sell my shares"
    r"\bshould\s+(?:i|we)\s+(?:buy|sell|short|invest\s+in|put\s+(?:my|our)\s+money\s+in(?:to)?)\b",
    r"\b(?:buy|sell|short)\s+(?:some\s+)?(?:stocks?|shares?|bitcoin|crypto|ethereum|etfs?)\b",
    # ticker symbols: $TSLA, $AAPL
    r"\$[A-Z]{1,5}\b",
]
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in _ASKS[:-1]] + [re.compile(_ASKS[-1])]


def asks_for_products(question: str) -> bool:
    """True when the question asks which security, fund, coin or financial product to choose."""
    return any(p.search(question) for p in _PATTERNS)

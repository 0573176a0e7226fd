"""Writes of the coach: generating insights, feedback on them, and the language-model writer."""

from .feedback import insight_dismiss, insight_open, insight_set_helpful
from .generation import GenerationResult, insights_generate_for_household, insights_generate_for_user

__all__ = [
    "GenerationResult",
    "insight_dismiss",
    "insight_open",
    "insight_set_helpful",
    "insights_generate_for_household",
    "insights_generate_for_user",
]

"""Writes of the ML engine, one module per concern. Re-exported here: what other apps call on their hot paths
(categorising, learning from corrections, the user's marks). The batches are imported from their modules
(`recurring.recurring_detect`, `anomalies.anomalies_detect`, `personas.personas_assign`,
`forecasts.balance_forecasts_refresh`, `training.categorizer_train`) so the model code loads only where they run."""

from .categorizing import (
    CategoryDecision,
    categorize_transactions,
    category_correction_record,
    category_corrections_record,
)
from .marks import (
    anomaly_confirm,
    anomaly_dismiss,
    recurring_series_mark_cancelled,
    recurring_series_mark_not_subscription,
    recurring_series_rename,
)
from .row_categorizing import row_categorizer

__all__ = [
    "CategoryDecision",
    "anomaly_confirm",
    "anomaly_dismiss",
    "categorize_transactions",
    "category_correction_record",
    "category_corrections_record",
    "recurring_series_mark_cancelled",
    "recurring_series_mark_not_subscription",
    "recurring_series_rename",
    "row_categorizer",
]

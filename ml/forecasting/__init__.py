"""Daily balance forecasts: `forecast_balance(frame, current_balance, horizon=...)`."""

from ml.forecasting.forecast import HORIZONS, ForecastPoint, ForecastResult, forecast_balance
from ml.forecasting.history import SeriesMarks

__all__ = ["HORIZONS", "ForecastPoint", "ForecastResult", "SeriesMarks", "forecast_balance"]

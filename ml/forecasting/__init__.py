"""Daily balance forecasts: `forecast_balance(frame, current_balance, horizon=...)`."""

from ml.forecasting.forecast import HORIZONS, ForecastPoint, ForecastResult, forecast_balance

__all__ = ["HORIZONS", "ForecastPoint", "ForecastResult", "forecast_balance"]

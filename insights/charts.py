"""Chart data for the coach's pages, as JSON-ready dicts (amounts as decimal strings; the browser draws them)."""

from __future__ import annotations

from .facts.dashboard import Dashboard
from .facts.ml_results import ForecastPoint, ForecastView


def category_chart(board: Dashboard, currency: str) -> dict:
    categories = board.history.categories
    return {
        "currency": currency,
        "labels": [c.name for c in categories],
        "values": [str(c.amount) for c in categories],
        "colours": [c.colour for c in categories],
    }


def trend_chart(board: Dashboard, currency: str) -> dict:
    trend = board.history.trend
    return {
        "currency": currency,
        "labels": [f"{m.month:%b %y}" for m in trend],
        "income": [str(m.income) for m in trend],
        "spending": [str(m.spending) for m in trend],
    }


def forecast_chart(
    forecast: ForecastView, points: list[ForecastPoint], low: ForecastPoint | None, currency: str, *, sparkline: bool
) -> dict:
    with_interval = not sparkline and all(p.lower is not None and p.upper is not None for p in points)
    return {
        "currency": currency,
        "sparkline": sparkline,
        "labels": [p.day.isoformat() for p in points],
        "expected": [str(p.expected) for p in points],
        "lower": [str(p.lower) for p in points] if with_interval else None,
        "upper": [str(p.upper) for p in points] if with_interval else None,
        "threshold": str(forecast.threshold),
        "low_date": low.day.isoformat() if low else None,
    }

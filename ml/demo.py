"""Demo findings for `seed_demo`: after the money is in (transactions, order 10), run the household's models so
the subscriptions, anomalies, persona and forecast pages show what its data really says. Idempotent: every
detection upserts."""

from __future__ import annotations

from fincoach.demo import DemoContext

DEMO_ORDER = 20


def seed_demo(context: DemoContext) -> dict:
    from .services.anomalies import anomalies_detect
    from .services.forecasts import balance_forecasts_refresh
    from .services.personas import personas_assign
    from .services.recurring import recurring_detect

    ids = [context.household.pk]
    recurring = recurring_detect(ids)  # first: the forecast uses the series
    anomalies = anomalies_detect(ids)
    persona = personas_assign(ids)
    forecasts = balance_forecasts_refresh(ids)
    return {
        "recurring series": recurring["series"],
        "anomalies": anomalies["flagged"],
        "persona": persona["assigned"],
        "forecasts": forecasts["forecasts"],
    }

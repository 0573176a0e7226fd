"""`ml_report [--seed N] [--json]`: every model's quality on held-out and generated data (about a minute):
categoriser accuracy and per-category scores, forecast MAE of each model and of the chosen one, persona
silhouette, anomaly precision on injected anomalies, recurring precision/recall on generated series."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Measure the quality of every model (categoriser, forecasts, personas, anomalies, recurring)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--json", action="store_true", help="print the whole report as JSON")

    def handle(self, *args, seed: int, json: bool = False, **options):
        from ml.evaluation import evaluate_all

        report = evaluate_all(seed)
        if json:
            self.stdout.write(_dumps(report))
            return
        for line in summary_lines(report):
            self.stdout.write(line)


def summary_lines(report: dict) -> list[str]:
    categorizer, forecast = report["categorizer"], report["forecast"]
    personas, anomalies, recurring = report["personas"], report["anomalies"], report["recurring"]
    return [
        _categorizer_line(categorizer),
        "Forecast 30-day MAE: " + ", ".join(f"{name} {value:,.2f}" for name, value in forecast["mae"].items()),
        f"Personas: k={personas['k']}, silhouette {personas['silhouette']:.3f}",
        f"Anomalies: precision {anomalies['precision']}, recall {anomalies['recall']}",
        f"Recurring: precision {recurring['precision']}, recall {recurring['recall']}",
    ]


def _categorizer_line(categorizer: dict) -> str:
    """Overall held-out accuracy, then each group of unseen merchants and known merchants in unseen formats."""
    line = f"Categoriser: {categorizer['accuracy']:.1%} top-1 accuracy on {categorizer['examples']:,} held-out examples"
    parts = []
    for name, g in categorizer.get("groups", {}).items():
        part = f"{name.replace('_', ' ')} {g['accuracy']:.1%}"
        split = [
            f"{key.replace('_', ' ')} {g[key]['accuracy']:.1%} of {g[key]['merchants']}"
            for key in ("in_lexicon", "not_in_lexicon")
            if isinstance(g.get(key), dict) and g[key].get("accuracy") is not None
        ]
        parts.append(part + (f" [{', '.join(split)}]" if split else ""))
    if "known_merchants_new_formats" in categorizer:
        parts.append(f"known merchants in unseen formats {categorizer['known_merchants_new_formats']['accuracy']:.1%}")
    return line + (f" ({'; '.join(parts)})" if parts else "")


def _dumps(report: dict) -> str:
    return json.dumps(report, default=str, sort_keys=True)

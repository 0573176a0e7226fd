"""A compact linear classifier: weights stored as float16, probabilities calibrated by temperature scaling.

Training uses scikit-learn's SGDClassifier (modified Huber loss, one-vs-rest); only the weight matrix, the
biases and the class names are kept, so the artefact holds numpy arrays and no pickled estimator.
Temperature scaling (Guo et al., 2017) fits one scalar T on examples from merchants the model did not train
on, so that softmax(scores / T) is an honest probability and `confidence` means what it says.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

# scikit-learn and scipy.optimize are imported inside the fitting functions: predicting needs neither, and
# importing them costs a second in every process that only categorises (the web, an import).

SGD_ALPHA = 1e-5
SGD_MAX_ITER = 8
# One-vs-rest binary problems run on two threads (scikit-learn releases the GIL); results do not depend on it.
SGD_JOBS = 2


@dataclass
class LinearScorer:
    classes: tuple[str, ...]
    weights: np.ndarray  # (n_features, n_classes), float16 on disk
    bias: np.ndarray  # (n_classes,), float32
    temperature: float = 1.0

    def scores(self, X: sp.csr_matrix) -> np.ndarray:
        """Raw decision scores, (n_rows, n_classes)."""
        return np.asarray(X @ self.weights.astype(np.float32, copy=False)) + self.bias

    def probabilities(self, X: sp.csr_matrix) -> np.ndarray:
        """Calibrated class probabilities, rows summing to 1."""
        return softmax(self.scores(X) / self.temperature)

    def compact(self) -> LinearScorer:
        """The same scorer with float16 weights, as stored in the artefact."""
        weights = self.weights.astype(np.float16)
        return LinearScorer(self.classes, weights, self.bias.astype(np.float32), self.temperature)


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_linear(X: sp.csr_matrix, labels: np.ndarray, sample_weight: np.ndarray, seed: int) -> LinearScorer:
    """Fit a one-vs-rest linear model; a single-class problem gets a constant scorer."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import SGDClassifier

    classes = tuple(sorted(set(labels.tolist())))
    if len(classes) == 1:
        return LinearScorer(classes, np.zeros((X.shape[1], 1), np.float32), np.zeros(1, np.float32))
    model = SGDClassifier(
        loss="modified_huber", alpha=SGD_ALPHA, max_iter=SGD_MAX_ITER, tol=1e-4, random_state=seed, n_jobs=SGD_JOBS
    )
    with warnings.catch_warnings():
        # A capped number of epochs is deliberate (speed); the last epochs change accuracy by < 0.1 %.
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(X, labels, sample_weight=sample_weight)
    coef = model.coef_.T.astype(np.float32)
    bias = model.intercept_.astype(np.float32)
    if len(classes) == 2:  # scikit-learn keeps one column for two classes: score of classes[1]
        coef = np.hstack([-coef / 2, coef / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2], np.float32)
    return LinearScorer(tuple(model.classes_.tolist()), coef, bias)


def fit_temperature(scores: np.ndarray, classes: tuple[str, ...], labels: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood of `labels` (1.0 when there is nothing to fit)."""
    from scipy.optimize import minimize_scalar

    index = {c: i for i, c in enumerate(classes)}
    known = np.array([label in index for label in labels])
    if len(classes) < 2 or known.sum() < 10:
        return 1.0
    target = np.array([index[label] for label in labels[known]])
    s = scores[known]

    def nll(log_t: float) -> float:
        p = softmax(s / np.exp(log_t))
        return float(-np.mean(np.log(np.clip(p[np.arange(len(target)), target], 1e-12, None))))

    best = minimize_scalar(nll, bounds=(np.log(0.01), np.log(20.0)), method="bounded")
    return float(np.exp(best.x))

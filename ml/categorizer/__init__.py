"""Transaction categoriser: `Categorizer.load()` then `.predict(descriptions, amounts, account_types)`."""

from ml.categorizer.model import DEFAULT_ARTIFACT, Categorizer, Prediction

__all__ = ["DEFAULT_ARTIFACT", "Categorizer", "Prediction"]

"""Fixtures of the ML integration tests: the categoriser they run against."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ml.categorizer import Prediction
from ml.services import categorizing
from transactions.taxonomy import primary_of


@dataclass
class ScriptedCategorizer:
    """A categoriser whose answers the test chooses (description → (code, confidence)): the tiers and the
    authority order are about what the app does with a confidence, not about the model's quality."""

    answers: dict[str, tuple[str, float]]
    version: str = "scripted-1"

    def predict(self, descriptions, amounts, account_types=None) -> list[Prediction]:
        out = []
        for description in descriptions:
            code, confidence = self.answers.get(description, ("GENERAL_MERCHANDISE", 0.3))
            primary = primary_of(code)
            rest = round((1 - confidence) / 2, 4)
            runners_up = [c for c in ("GENERAL_SERVICES", "TRAVEL", "BANK_FEES") if c != primary][:2]
            alternatives = [(primary, confidence), *((c, rest) for c in runners_up)]
            out.append(Prediction(primary, code if code != primary else None, confidence, alternatives))
        return out


@pytest.fixture
def scripted_categorizer(monkeypatch):
    """Install a ScriptedCategorizer as the process's categoriser; the test fills `.answers`."""
    model = ScriptedCategorizer(answers={})
    monkeypatch.setattr(categorizing, "_loaded", categorizing.LoadedModel(model, stamp=None))
    return model


@pytest.fixture(scope="session")
def trained_categorizer(tmp_path_factory):
    """A real categoriser trained on a small generated corpus (once per test session)."""
    from ml.categorizer import Categorizer
    from ml.corpus.build import CorpusSpec

    return Categorizer.train(CorpusSpec(scale=0.05))


@pytest.fixture
def real_categorizer(monkeypatch, trained_categorizer):
    monkeypatch.setattr(categorizing, "_loaded", categorizing.LoadedModel(trained_categorizer, stamp=None))
    return trained_categorizer

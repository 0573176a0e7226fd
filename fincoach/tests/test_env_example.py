""".env.example documents every environment variable settings.py reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _read_by_settings() -> set[str]:
    source = (ROOT / "fincoach" / "settings.py").read_text()
    return set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]*)["']""", source))


def _documented() -> dict[str, str]:
    """Variable name → the comment block above it (one block may describe several variables in a row)."""
    documented: dict[str, str] = {}
    comment: list[str] = []
    after_variable = False
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=", line)
        if match:
            documented[match.group(1)] = " ".join(comment)
            after_variable = True
        elif line.startswith("#"):
            if after_variable:
                comment, after_variable = [], False
            comment.append(line.lstrip("# "))
        else:
            comment, after_variable = [], False
    return documented


def test_the_settings_read_the_variables_we_expect():
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS"} <= _read_by_settings()


def test_every_variable_is_listed_with_a_comment():
    documented = _documented()

    missing = sorted(_read_by_settings() - set(documented))
    assert not missing, f".env.example lacks {missing}"
    uncommented = sorted(name for name in _read_by_settings() if not documented[name].strip())
    assert not uncommented, f"no comment above {uncommented} in .env.example"

"""The ML app's services, when it provides them. Money in works without them: until the categoriser exists,
uncategorised is an honest state and corrections are simply not learnt from."""

from __future__ import annotations

import importlib
from collections.abc import Callable


def ml_service(name: str) -> Callable | None:
    """`ml.services.<name>` if that module and function exist, else None (a broken ML module still raises)."""
    try:
        module = importlib.import_module("ml.services")
    except ModuleNotFoundError as error:
        if error.name not in ("ml", "ml.services"):
            raise
        return None
    function = getattr(module, name, None)
    return function if callable(function) else None

"""Project-wide pytest setup: test settings, service requirements, a live ASGI server and the browser."""

from __future__ import annotations

import os

os.environ.setdefault("FINCOACH_TESTING", "1")

pytest_plugins = ["fincoach.testing.fixtures"]

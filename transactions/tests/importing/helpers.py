"""Helpers for the importer tests: fixture files and parsing them into plain lists."""

from __future__ import annotations

from pathlib import Path

from transactions.importing import ImportOptions, ParsedRow, RowError, parse

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse_all(data: bytes, filename: str = "upload.csv", options: ImportOptions | None = None):
    """(rows, errors, summary) for a whole file."""
    stream = parse(data, filename, options)
    items = list(stream)
    rows = [item for item in items if isinstance(item, ParsedRow)]
    errors = [item for item in items if isinstance(item, RowError)]
    assert len(rows) + len(errors) == len(items)
    return rows, errors, stream.summary

"""CSV records with the physical line number each one starts on."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

DELIMITERS = (",", ";", "\t", "|")


class MalformedCsv(Exception):
    """The csv module gave up at a line; carries that line number."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def iter_records(text: TextIO, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, cells) per CSV record; quoted fields may span lines.

    A field beyond the csv module's size limit (128 KiB) means a stray quote swallowed the rest of the
    file; that and other unreadable input raise MalformedCsv.
    """
    reader = csv.reader(text, delimiter=delimiter, quotechar='"', doublequote=True, strict=False)
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as error:
        raise MalformedCsv(start, f"line {start}: the CSV cannot be read past this point ({error})") from None


def describe_delimiter(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(delimiter, repr(delimiter))

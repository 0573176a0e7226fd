"""Reading the uploaded bytes: size limit, re-readable source, encoding detection, text streams.

Everything works on a seekable binary stream read in chunks, so memory stays flat however large the file.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
from collections.abc import Iterator
from typing import BinaryIO

from .records import ImportFileError, ImportLimits

CHUNK = 1 << 16
HEAD_BYTES = 1 << 16

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Bytes 0x80-0x9F are printable in Windows-1252 but C1 controls in ISO-8859-1; five are unused in cp1252.
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_HIGH_BYTES = re.compile(rb"[\x80-\xff]")

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel workbook (.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
_EXPORT_HINT = "Export the transactions from your bank as CSV, OFX/QFX or QIF and upload that file."


class Source:
    """The uploaded file as a seekable binary stream that can be read several times from the start."""

    def __init__(self, data: bytes | bytearray | memoryview | BinaryIO, limits: ImportLimits) -> None:
        self._bytes: bytes | None = None
        self._stream: BinaryIO | None = None
        self._offset = 0
        if isinstance(data, bytes | bytearray | memoryview):
            self._bytes = bytes(data)
            self.size = len(self._bytes)
        else:
            self._stream, self._offset, self.size = _seekable(data, limits)
        if self.size > limits.max_bytes:
            raise ImportFileError(_too_large(self.size, limits))
        if self.size == 0:
            raise ImportFileError("The file is empty.")
        self.head = self._read_head()

    def open_binary(self) -> BinaryIO:
        """A fresh binary reader positioned at the start of the file; closing it leaves the source intact."""
        if self._bytes is not None:
            return io.BytesIO(self._bytes)
        assert self._stream is not None
        return io.BufferedReader(_SharedView(self._stream, self._offset), CHUNK)

    def open_text(self, encoding: str) -> io.TextIOWrapper:
        """A text reader over the whole file; undecodable bytes become U+FFFD, never an exception.

        newline="" keeps line endings inside quoted CSV fields as the csv module requires.
        """
        return io.TextIOWrapper(self.open_binary(), encoding=encoding, errors="replace", newline="")

    def chunks(self) -> Iterator[bytes]:
        """The raw bytes of the whole file, chunk by chunk."""
        reader = self.open_binary()
        while chunk := reader.read(CHUNK):
            yield chunk

    def _read_head(self) -> bytes:
        return self.open_binary().read(HEAD_BYTES)


class _SharedView(io.RawIOBase):
    """A read-only view of a seekable stream with its own position; closing the view keeps the stream open."""

    def __init__(self, stream: BinaryIO, offset: int) -> None:
        super().__init__()
        self._stream = stream
        self._position = offset

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        self._stream.seek(self._position)
        data = self._stream.read(len(buffer))
        if not isinstance(data, bytes | bytearray):
            raise ImportFileError("The upload must be opened in binary mode.")
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)


def _seekable(stream: BinaryIO, limits: ImportLimits) -> tuple[BinaryIO, int, int]:
    """Return (seekable stream, start offset, size), spooling a one-way stream to a temporary file."""
    try:
        seekable = stream.seekable()
    except (AttributeError, ValueError):
        seekable = False
    if seekable:
        start = stream.tell()
        size = stream.seek(0, io.SEEK_END) - start
        stream.seek(start)
        return stream, start, size
    spool = tempfile.SpooledTemporaryFile(max_size=4 * CHUNK)  # noqa: SIM115 - lives as long as the Source
    size = 0
    while chunk := stream.read(CHUNK):
        if not isinstance(chunk, bytes | bytearray):
            raise ImportFileError("The upload must be opened in binary mode.")
        size += len(chunk)
        if size > limits.max_bytes:
            raise ImportFileError(_too_large(size, limits, at_least=True))
        spool.write(chunk)
    spool.seek(0)
    return spool, 0, size  # type: ignore[return-value]


def _too_large(size: int, limits: ImportLimits, *, at_least: bool = False) -> str:
    mb = 1024 * 1024
    qualifier = "more than " if at_least else ""
    return (
        f"The file is {qualifier}{size / mb:.1f} MB; the limit is {limits.max_bytes / mb:.0f} MB. "
        "Split it into smaller date ranges and import them one after the other."
    )


def refuse_binary(source: Source, filename: str) -> None:
    """Raise a helpful ImportFileError for documents that are clearly not bank exports."""
    for signature, what in _BINARY_SIGNATURES:
        if source.head.startswith(signature):
            raise ImportFileError(f"{filename or 'The file'} is {what}, not a bank export. {_EXPORT_HINT}")


def detect_encoding(source: Source) -> str:
    """The file's text encoding: BOM, then UTF-16 byte pattern, strict UTF-8, then the 8-bit Western codes.

    charset-normalizer is consulted only when the bytes are not plausible Western-European text.
    """
    head = source.head
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    utf16 = _utf16_without_bom(head)
    if utf16:
        return utf16
    if _is_utf8(source):
        return "utf-8"
    has_c1 = False
    for chunk in source.chunks():
        if _CP1252_UNDEFINED.search(chunk):
            return _guess_with_charset_normalizer(head)
        has_c1 = has_c1 or bool(_C1_BYTES.search(chunk))
    if _mostly_high_bytes(head):
        return _guess_with_charset_normalizer(head)
    # Without 0x80-0x9F bytes both decode identically; ISO-8859-1 is then the accurate name.
    return "cp1252" if has_c1 else "iso-8859-1"


def _utf16_without_bom(head: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its zero bytes: ASCII text has a NUL in every other position."""
    sample = head[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    zeros_even = sample[0 : pairs * 2 : 2].count(0)
    zeros_odd = sample[1 : pairs * 2 : 2].count(0)
    if zeros_odd > 0.4 * pairs and zeros_even < 0.05 * pairs:
        return "utf-16-le"
    if zeros_even > 0.4 * pairs and zeros_odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _is_utf8(source: Source) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        for chunk in source.chunks():
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _mostly_high_bytes(head: bytes) -> bool:
    """Western text has the odd accented letter; a high share of 8-bit bytes suggests another script."""
    return len(_HIGH_BYTES.findall(head)) > 0.3 * max(len(head), 1)


def _guess_with_charset_normalizer(head: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best.encoding if best is not None else "iso-8859-1"


def looks_like_text(text: str) -> bool:
    """False for decoded content that is mostly control characters or replacement characters."""
    if not text:
        return True
    bad = sum(1 for ch in text if (ch < " " and ch not in "\t\r\n\f") or ch == "\ufffd")
    return bad <= 0.05 * len(text)

"""Read a disclosure file into a :class:`~kg_publisher.extract.source.SourceText`.

The reader is chosen by file suffix. Text is decoded as UTF-8 (a BOM is dropped) and
normalised to NFC; offsets of every later stage refer to that text.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ..errors import SourceError
from .source import SourceText

#: Suffix → (media type, reader). Readers get the raw bytes and return (text, page offsets).
Reader = Callable[[Path, bytes], tuple[str, tuple[tuple[int, int], ...]]]


def _decode_utf8(path: Path, data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start:exc.start + 4]!r})",
            "Convert the file to UTF-8 (e.g. `iconv -f GB18030 -t UTF-8`), or give the PDF/Word original.",
        ) from None
    if "\x00" in text:
        raise SourceError(f"{path}: contains NUL characters, so it is not a text file",
                          "Give a UTF-8 text, HTML, PDF or .docx disclosure.")
    return text


def read_plain_text(path: Path, data: bytes) -> tuple[str, tuple[tuple[int, int], ...]]:
    return _decode_utf8(path, data), ()


READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("text/plain", read_plain_text),
}


def read_source(path: str | Path) -> SourceText:
    """Read one disclosure file; raise :class:`SourceError` with what was expected."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        accepted = ", ".join(sorted(READERS))
        raise SourceError(f"{path}: unsupported file type {suffix or '(no suffix)'!r}",
                          f"Accepted file types: {accepted}.")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file", "Check the path; give a disclosure file or folder.") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory", "Give the directory to `build`, or name a file.") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror})") from None
    media_type, reader = READERS[suffix]
    text, pages = reader(path, data)
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise SourceError(f"{path}: the document is empty")
    return SourceText(
        name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        text=text,
        pages=pages,
        byte_size=len(data),
    )

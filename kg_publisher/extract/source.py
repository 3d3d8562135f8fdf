"""A source document as read: its bytes' checksum and its NFC text.

Offsets everywhere in the project are Unicode code points into :attr:`SourceText.text`
(0-based, end exclusive), i.e. Python ``str`` slicing on the NFC text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A stretch of the source text: ``text == source.text[start:end]``."""

    start: int
    end: int
    text: str
    #: 1-based page number for PDF-derived text (None for plain text, HTML, Word).
    page: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad span {self.start}-{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span {self.start}-{self.end} does not match its text {self.text!r}")


#: One cell of a ruled PDF table: (start, end) text offsets of its printed pieces, in text order.
CellPieces = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Grid:
    """A table drawn with ruling lines on a PDF page, cell by cell: empty cells are kept (no pieces),
    and a merged cell is listed at its top-left position with ``None`` at the positions it covers."""

    #: 1-based page number.
    page: int
    rows: tuple[tuple[CellPieces | None, ...], ...]


@dataclass(frozen=True)
class SourceText:
    """A document read into text."""

    #: File name as given (no directories), used in messages and titles.
    name: str
    #: SHA-256 (hex) of the file's bytes as read from disk.
    sha256: str
    #: IANA media type of the file (text/plain, text/html, application/pdf, …).
    media_type: str
    #: NFC-normalised text. For PDFs pages are joined by a form feed (U+000C).
    text: str
    #: (start, end) offsets of each page for PDFs; empty otherwise.
    pages: tuple[tuple[int, int], ...] = field(default=())
    #: Size of the file in bytes.
    byte_size: int = 0
    #: Ruled tables of a PDF, page by page (where the drawn cells show each number's column).
    grids: tuple[Grid, ...] = field(default=(), repr=False)

    def page_of(self, offset: int) -> int | None:
        for number, (start, end) in enumerate(self.pages, start=1):
            if start <= offset < end:
                return number
        return None

    def span(self, start: int, end: int) -> Span:
        """The :class:`Span` of ``text[start:end]`` (with its page for PDFs)."""
        return Span(start, end, self.text[start:end], self.page_of(start))

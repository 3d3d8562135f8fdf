"""Read a disclosure file into a :class:`~kg_publisher.extract.source.SourceText`.

The reader is chosen by file suffix:

``.txt``
    UTF-8 (a BOM is dropped), line ends ``\\r\\n`` and ``\\r`` read as ``\\n``; numbers an extractor drew
    onto a line of their own below their words are put back where certain (:mod:`kg_publisher.extract.displaced`).
``.pdf``
    pdfplumber, ``page.extract_text()`` with default options, except that characters on one baseline
    stay on one line whatever their fonts (:mod:`kg_publisher.extract.pdflines`); ruled tables are
    also read cell by cell into :attr:`SourceText.grids`; pages are joined by a line holding only a
    form feed (``"\\n\\f\\n"``) and the text ends with a newline, which is the layout of the
    corpus' text twins. ``SourceText.pages[i]`` runs from page i's first character up to page i+1's
    first character (the separator belongs to the page before it), so every offset has a page.
``.docx``
    python-docx: body paragraphs and table rows in document order; a table row is its non-empty
    cells joined by one space (the row-wise layout :mod:`kg_publisher.extract.tables` reads).
``.html`` / ``.htm``
    the visible text: block elements and ``<br>`` end lines, table cells are space-separated,
    entities are unescaped, whitespace runs are collapsed as a browser would, empty lines dropped.

Every text is normalised to NFC; offsets of every later stage refer to that text.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

from ..errors import SourceError
from .displaced import restore_displaced_digits
from .pdflines import GridRows, read_page
from .source import Grid, SourceText

Pages = tuple[tuple[int, int], ...]
#: What a reader returns: the text, page offsets (PDF) and ruled tables (PDF).
Reading = tuple[str, Pages, tuple[Grid, ...]]
#: A reader gets the path (for messages) and the raw bytes.
Reader = Callable[[Path, bytes], Reading]

#: What separates two PDF pages in the text (a line holding only a form feed).
PAGE_SEPARATOR = "\n\f\n"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


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


def read_plain_text(path: Path, data: bytes) -> Reading:
    # Windows line ends (Notepad, pypdfium2's text) read as the one line break every later stage splits on
    text = _decode_utf8(path, data).replace("\r\n", "\n").replace("\r", "\n")
    return restore_displaced_digits(text), (), ()


# -- PDF ----------------------------------------------------------------------------------------


def read_pdf(path: Path, data: bytes) -> Reading:
    # Imported here: pdfminer is slow to import and only PDF inputs need it.
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    page_texts: list[str] = []
    page_grids: list[list[GridRows]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                text, page_grid = read_page(page)
                # NFC per page, so that page offsets stay true after normalisation; a page whose length
                # normalisation changes loses its grids (their offsets would no longer point right).
                page_texts.append(_nfc(text))
                page_grids.append(page_grid if len(page_texts[-1]) == len(text) else [])
    except (PdfminerException, PDFSyntaxError) as exc:
        raise SourceError(f"{path}: not a readable PDF ({exc.__class__.__name__}: {exc})",
                          "Check that the file is a complete, unencrypted PDF (open it in a viewer).") from None
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise SourceError(f"{path}: the PDF could not be parsed ({exc.__class__.__name__}: {exc})",
                          "Check that the file is a complete, unencrypted PDF (open it in a viewer).") from None
    if not page_texts:
        raise SourceError(f"{path}: the PDF has no pages")
    if not any(text.strip() for text in page_texts):
        raise SourceError(
            f"{path}: the PDF has no text layer ({len(page_texts)} pages of images only)",
            "Run OCR on it first (e.g. `ocrmypdf --language chi_sim in.pdf out.pdf`), then give the OCR'd PDF.",
        )
    pages: list[tuple[int, int]] = []
    grids: list[Grid] = []
    offset = 0
    for number, text in enumerate(page_texts):
        end = offset + len(text) + (len(PAGE_SEPARATOR) if number < len(page_texts) - 1 else 1)
        pages.append((offset, end))
        grids += [Grid(number + 1, _shifted(rows, offset)) for rows in page_grids[number]]
        offset = end
    return PAGE_SEPARATOR.join(page_texts) + "\n", tuple(pages), tuple(grids)


def _shifted(rows: GridRows, offset: int) -> GridRows:
    return tuple(tuple(None if cell is None else tuple((start + offset, end + offset) for start, end in cell)
                       for cell in row) for row in rows)


# -- Word ---------------------------------------------------------------------------------------


def _docx_cell_text(cell: object) -> str:
    # A cell's paragraphs are line-wrapped pieces of one label or number.
    return "".join(p.text.strip() for p in cell.paragraphs)  # type: ignore[attr-defined]


def read_docx(path: Path, data: bytes) -> Reading:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(f"{path}: not a Word .docx document ({exc.__class__.__name__}: {exc})",
                          "Give a .docx file saved by Word/WPS (old .doc files must be re-saved as .docx).") from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    # Horizontally merged cells come back once per grid column: keep one.
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    text = _docx_cell_text(cell)
                    if text:
                        cells.append(text)
                if cells:
                    lines.append(" ".join(cells))
    return "\n".join(lines) + "\n", (), ()


# -- HTML ---------------------------------------------------------------------------------------

#: Elements whose start and end break the line (HTML's block-level and table elements).
_BLOCK = frozenset("""
    address article aside blockquote body caption center dd details dialog dir div dl dt fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main menu nav ol p pre section summary table
    tbody tfoot thead tr ul
""".split())
#: Elements whose content is never shown.
_HIDDEN = frozenset("head script style template noscript title iframe object svg".split())
_CELLS = frozenset(("td", "th"))
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
_COLLAPSIBLE = re.compile(r"[ \t\r\n\f]+")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0
        self.pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append("\n")
            if tag == "pre":
                self.pre_depth += 1
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden_depth = max(0, self.hidden_depth - 1)
        elif tag in _BLOCK:
            self.parts.append("\n")
            if tag == "pre":
                self.pre_depth = max(0, self.pre_depth - 1)
        elif tag in _CELLS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.hidden_depth:
            return
        self.parts.append(data if self.pre_depth else _COLLAPSIBLE.sub(" ", data))

    def text(self) -> str:
        # One line per block; empty lines (between adjacent blocks) carry nothing.
        lines = (re.sub(" {2,}", " ", line).strip(" ") for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line) + "\n"


def _decode_html(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict")
    declared = _CHARSET.search(data[:4096])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if encoding in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        encoding = "gb18030"  # a superset: pages labelled GB2312 often hold GBK characters
    try:
        return data.decode(encoding)
    except LookupError:
        raise SourceError(f"{path}: unknown character set {encoding!r} declared in <meta charset>",
                          "Re-save the page as UTF-8.") from None
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not valid {encoding} (byte {exc.start})",
                          "Re-save the page as UTF-8, or fix its <meta charset> declaration.") from None


def read_html(path: Path, data: bytes) -> Reading:
    parser = _VisibleText()
    parser.feed(_decode_html(path, data))
    parser.close()
    return parser.text(), (), ()


READERS: dict[str, tuple[str, Reader]] = {
    ".txt": ("text/plain", read_plain_text),
    ".html": ("text/html", read_html),
    ".htm": ("text/html", read_html),
    ".pdf": ("application/pdf", read_pdf),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", read_docx),
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
    text, pages, grids = reader(path, data)
    normalised = _nfc(text)
    if len(normalised) != len(text):
        grids = ()  # offsets into the text before normalisation would point wrong
    text = normalised
    if not text.strip():
        raise SourceError(f"{path}: the document is empty")
    return SourceText(
        name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        media_type=media_type,
        text=text,
        pages=pages,
        byte_size=len(data),
        grids=grids,
    )

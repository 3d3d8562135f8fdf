"""The text other tools draw from the corpus PDFs: what an unseen disclosure pasted by a user looks like.

People give us text that pdftotext, pdfplumber, pdfminer, PyMuPDF, a browser or Word drew from a PDF, each
with its own layout: lines kept whole or cut at cell boundaries, columns padded with blanks or read one
after the other, digits in another font pushed onto a line of their own. Each extractor here is one that
comes with our PDF dependency (pdfplumber brings pdfminer.six and pypdfium2), used as its documentation
shows. Texts are drawn at test time and cached under ``tests/artefacts/extracted/`` (not committed), keyed
by the PDF's checksum and the tool's version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts" / "extracted"
#: What separates pages in the texts drawn here (as in the corpus' text twins).
PAGE_BREAK = "\n\f\n"


def _plumber(pdf: Path, **options: object) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return PAGE_BREAK.join(page.extract_text(**options) or "" for page in document.pages) + "\n"


def _pdfminer(pdf: Path) -> str:
    from pdfminer.high_level import extract_text

    return str(extract_text(str(pdf)))


def _pdfium(pdf: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        return PAGE_BREAK.join(document[i].get_textpage().get_text_range() for i in range(len(document))) + "\n"
    finally:
        document.close()


def _ours(pdf: Path) -> str:
    from kg_publisher.extract.readers import read_source

    return read_source(pdf).text


#: Extractor name → (the package whose version keys the cache, how it draws the text of one PDF).
EXTRACTORS: dict[str, tuple[str, Callable[[Path], str]]] = {
    "ours": ("kg-publisher", _ours),
    "pdfplumber": ("pdfplumber", _plumber),
    "pdfplumber-layout": ("pdfplumber", lambda pdf: _plumber(pdf, layout=True)),
    "pdfminer": ("pdfminer.six", _pdfminer),
    "pypdfium2": ("pypdfium2", _pdfium),
}


def extracted(pdf: Path, extractor: str) -> Path:
    """A .txt file holding the text ``extractor`` draws from ``pdf`` (drawn once per PDF and tool version)."""
    package, draw = EXTRACTORS[extractor]
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()[:16]
    path = ARTEFACTS / f"{pdf.stem}.{digest}.{extractor}-{version(package)}.txt"
    if extractor == "ours":
        # our reader changes with the code, not with a package version: key it by the reader's sources too
        from kg_publisher import extract

        sources = b"".join(p.read_bytes() for p in sorted(Path(extract.__file__).parent.glob("*.py")))
        path = path.with_name(f"{pdf.stem}.{digest}.ours-{hashlib.sha256(sources).hexdigest()[:12]}.txt")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".part")
        temporary.write_text(draw(pdf), encoding="utf-8")
        temporary.replace(path)
    return path

"""What tools and editors do to a text without changing its words leaves every figure as it was: Windows line
ends (Notepad, pypdfium2), lines indented (pdfminer's paragraphs) or padded with blanks up to a width
(layout-keeping extractors). Every corpus text is read as saved each way, as a .txt file is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.records.parse import parse_disclosure

from ..conftest import CORPUS
from .test_pdf_twins import published

CONVENTIONS: dict[str, Callable[[str], str]] = {
    "windows line ends": lambda text: text.replace("\n", "\r\n"),
    "indented lines": lambda text: "\n".join("    " + line if line.strip() else line for line in text.split("\n")),
    "lines padded with blanks": lambda text: "\n".join(line.ljust(len(line) + 24) if line.strip() else line
                                                       for line in text.split("\n")),
}
TEXTS = ("00_panjin-xinglongtai-zwfwzx-2022-budget", "01_chongqing-jiaowei-2018-budget", "03_putuo-czj-2025-budget",
         "07_putuo-czj-2024-final", "12_putuo-wanli-2024-budget", "13_putuo-wanli-2025-budget")


@pytest.mark.parametrize("name", TEXTS)
def test_the_figures_do_not_depend_on_how_the_text_was_saved(name: str, tmp_path: Path) -> None:
    original = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    expected = published(parse_disclosure(read_source(CORPUS / f"{name}.txt")).facts)
    for convention, change in CONVENTIONS.items():
        path = tmp_path / f"{name}.txt"
        path.write_bytes(change(original).encode("utf-8"))
        assert published(parse_disclosure(read_source(path)).facts).keys() == expected.keys(), convention

"""Readers: PDF (pdfplumber), .docx, HTML — texts, page offsets and errors on bad files."""

from __future__ import annotations

import collections
import re
import unicodedata
from pathlib import Path

import docx
import pytest

from kg_publisher.errors import SourceError
from kg_publisher.extract.readers import PAGE_SEPARATOR, read_source
from kg_publisher.extract.source import SourceText

_AMOUNT = re.compile(r"\d[\d,]*\.\d+")


def test_pdf_03_equals_its_text_twin(pdf_03: SourceText, corpus_dir: Path) -> None:
    twin = (corpus_dir / "03_putuo-czj-2025-budget.txt").read_text(encoding="utf-8")
    assert pdf_03.text == unicodedata.normalize("NFC", twin)
    assert pdf_03.media_type == "application/pdf"


def test_pdf_page_offsets_cover_the_text_page_by_page(pdf_03: SourceText) -> None:
    assert len(pdf_03.pages) == 24  # the PDF's page count (facts.json: pdf_pages)
    assert pdf_03.pages[0][0] == 0 and pdf_03.pages[-1][1] == len(pdf_03.text)
    for (_, end), (start, _) in zip(pdf_03.pages, pdf_03.pages[1:], strict=False):
        assert end == start
    pieces = [pdf_03.text[start:end] for start, end in pdf_03.pages]
    assert all(piece.endswith(PAGE_SEPARATOR) for piece in pieces[:-1])
    assert all("\f" not in piece.removesuffix(PAGE_SEPARATOR) for piece in pieces)
    # The n-th form feed closes page n: a span right after it is on page n + 1.
    form_feeds = [i for i, ch in enumerate(pdf_03.text) if ch == "\f"]
    assert [pdf_03.page_of(i + 2) for i in form_feeds] == list(range(2, 25))
    title = pdf_03.text.index("\n2025年部门支出预算总表\n") + 1
    span = pdf_03.span(title, title + len("2025年部门支出预算总表"))
    assert span.page == 1 + pdf_03.text.count("\f", 0, title)


def test_pdf_07_has_the_twins_characters_in_pdfplumber_order(pdf_07: SourceText, corpus_dir: Path) -> None:
    """07's twin was made with PyMuPDF (one cell per line), not pdfplumber: the closest guarantee is
    the same characters (whitespace aside) and the same printed amounts, in another order."""
    twin = unicodedata.normalize("NFC", (corpus_dir / "07_putuo-czj-2024-final.txt").read_text(encoding="utf-8"))
    assert len(pdf_07.pages) == 25 == twin.count("\f") + 1
    assert collections.Counter(re.sub(r"\s", "", pdf_07.text)) == collections.Counter(re.sub(r"\s", "", twin))
    assert collections.Counter(_AMOUNT.findall(pdf_07.text)) == collections.Counter(_AMOUNT.findall(twin))


def test_corrupt_pdf_is_a_source_error_naming_the_file(tmp_path: Path, corpus_dir: Path) -> None:
    broken = tmp_path / "broken.pdf"
    broken.write_bytes((corpus_dir / "originals" / "03_putuo-czj-2025-budget.pdf").read_bytes()[:2000])
    with pytest.raises(SourceError, match=r"broken\.pdf"):
        read_source(broken)
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("这不是PDF", encoding="utf-8")
    with pytest.raises(SourceError, match=r"notes\.pdf"):
        read_source(not_pdf)


def _blank_pdf() -> bytes:
    """A valid one-page PDF without any text (what a scan without OCR looks like to a reader)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_pdf_without_text_layer_asks_for_ocr(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(_blank_pdf())
    with pytest.raises(SourceError, match=r"scan\.pdf.*no text layer") as caught:
        read_source(scan)
    assert "OCR" in caught.value.hint


def test_docx_paragraphs_and_table_rows_in_document_order(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("上海市普陀区财政局2025年部门预算")
    document.add_paragraph("2025年部门支出预算总表")
    table = document.add_table(rows=3, cols=5)
    for row, cells in zip(table.rows, [["201", "一般公共服务支出", "22,186,440.80", "16,093,326.00", ""],
                                       ["合计", "", "31,214,205.80", "", "6,093,114.80"],
                                       ["", "", "", "", ""]], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("二、名词解释")
    path = tmp_path / "预算.docx"
    document.save(path)
    source = read_source(path)
    assert source.text == ("上海市普陀区财政局2025年部门预算\n2025年部门支出预算总表\n"
                           "201 一般公共服务支出 22,186,440.80 16,093,326.00\n合计 31,214,205.80 6,093,114.80\n"
                           "二、名词解释\n")
    assert source.pages == ()


def test_not_a_docx_is_a_source_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SourceError, match=r"fake\.docx.*not a Word"):
        read_source(fake)
    text = tmp_path / "text.docx"
    text.write_text("纯文本", encoding="utf-8")
    with pytest.raises(SourceError, match=r"text\.docx"):
        read_source(text)


def test_html_visible_text_blocks_and_entities(tmp_path: Path) -> None:
    page = tmp_path / "budget.html"
    page.write_bytes("""<!DOCTYPE html><html><head><meta charset="gb2312"><title>标题不显示</title>
<style>p { color: red }</style><script>var x = "<p>隐藏</p>";</script></head>
<body><h1>上海市普陀区财政局&nbsp;2025年部门预算</h1><p>收入预算3,121.42万元，
其中：财政拨款收入3,121.42万元&#xFF1B;事业收入0万元&lt;测试&gt;</p>
<div>第一行<br>第二行</div>
<table><tr><th>项目</th><th>预算数</th></tr><tr><td>收入总计</td><td>31,214,205.80</td></tr></table>
</body></html>""".encode("gb18030"))
    source = read_source(page)
    assert source.media_type == "text/html"
    assert source.text == ("上海市普陀区财政局\u00a02025年部门预算\n"
                           "收入预算3,121.42万元， 其中：财政拨款收入3,121.42万元；事业收入0万元<测试>\n"
                           "第一行\n第二行\n项目 预算数\n收入总计 31,214,205.80\n")


def test_unknown_suffix_lists_the_accepted_types(tmp_path: Path) -> None:
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"x")
    with pytest.raises(SourceError, match="unsupported") as caught:
        read_source(sheet)
    assert ".docx" in caught.value.hint and ".pdf" in caught.value.hint and ".html" in caught.value.hint

"""Digits an extractor drew onto a line of their own go back where they were printed, only where certain
(kg_publisher.extract.displaced); the lines are those pdfplumber's default extract_text() gives for
07_putuo-czj-2024-final.pdf (Arial digits in FangSong text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_publisher.extract.displaced import restore_displaced_digits
from kg_publisher.extract.readers import read_source

#: Enough units standing without their number for the text to show the split (it does on every page).
ORPHANS = "合计 万元；小计 万元；其中 万元。\n"


@pytest.mark.parametrize(("printed", "restored"), [
    # prose: one number per blank, printed against the words
    ("上海市普陀区财政局 年度收入支出总计 万元。与 年度相比，收入\n2024 2995.39 2023",
     "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入"),
    # one number more than blanks, the line starting with what follows a number: the first goes in front
    ("万元，占 ；\n603.14 20.51%", "603.14万元，占20.51%；"),
    ("；\n15.16%", "15.16%；"),
    # a cover: the year before 年度
    ("年度部门决算\n2024", "2024 年度部门决算"),
    # a table row: label first, amounts apart from the words (cells are split at blanks)
    ("本年收入合计 本年支出合计\n2,946.25 2,940.05", "本年收入合计 2,946.25 本年支出合计 2,940.05"),
    ("九、卫生健康支出\n60.99", "九、卫生健康支出 60.99"),
    # quotation marks set in the digits' font go back too, an opening one at the start
    ("三公 经费财政拨款支出年初预算为 万元，支出决算为 万元，完成预算的\n“ ” 0.95 0.00",
     "“三公”经费财政拨款支出年初预算为0.95万元，支出决算为0.00万元，完成预算的"),
    # a layout-keeping text (pdfplumber layout=True): blank runs are the holes
    ("   本年收入合计          万元，其中：财政拨款收入             万元，占        ；其他      \n"
     "             2946.25                   2940.05     99.79%     ",
     "   本年收入合计2946.25万元，其中：财政拨款收入2940.05万元，占99.79%；其他"),
])
def test_numbers_go_back_into_the_line_above(printed: str, restored: str) -> None:
    assert restore_displaced_digits(ORPHANS + printed) == ORPHANS + restored


@pytest.mark.parametrize("printed", [
    "以及项目支出中合同支付进度条款等原因减少支付。\n3",  # a page number: where it stood is not shown
    "一般公共服务支出\n201 06 01 1,511.90 1,511.89 0.01 7.00",  # more numbers than places for them
    "项目决算数\n12.00 34.00 5.00",  # three numbers for a line without a blank: at most two places (start, end)
])
def test_what_is_not_certain_stays_as_printed(printed: str) -> None:
    assert restore_displaced_digits(ORPHANS + printed) == ORPHANS + printed


def test_a_text_that_does_not_show_the_split_is_unchanged() -> None:
    text = "“三公”经费预算数为1.00万元。\n合计 因公出国(境)费 公务接待费\n47.91 0 1.35\n"
    assert restore_displaced_digits(text) is text


@pytest.mark.needs_shared("corpus")
def test_the_corpus_twins_are_read_as_given(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")):
        assert read_source(path).text == path.read_text(encoding="utf-8").removeprefix("\ufeff"), path.name


def test_windows_line_ends_read_as_one_break(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("上海市普陀区财政局\r\n2024年度部门决算\r\n目录\r旧式换行\r\n".encode())
    assert read_source(path).text == "上海市普陀区财政局\n2024年度部门决算\n目录\n旧式换行\n"


def test_unit_labels_are_no_sign_of_the_split() -> None:
    text = "单位： 万元\n（ 万元）\n单位： 万元\n合计 因公出国(境)费 公务接待费\n47.91 0 1.35\n"
    assert restore_displaced_digits(text) is text


def test_a_few_blanks_left_in_unfilled_sentences_are_not_the_split() -> None:
    filled = "收入预算100.00万元，支出预算100.00万元，财政拨款100.00万元，其他收入0.00万元。\n" * 2
    text = filled + ORPHANS + "合计 因公出国(境)费 公务接待费\n47.91 0 1.35\n"
    assert restore_displaced_digits(text) is text

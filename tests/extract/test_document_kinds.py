"""Every kind of disclosure is recognised from its title or cover, an excerpt is published as incomplete, and a
text with no disclosure in it is refused saying what was looked for."""

from __future__ import annotations

import hashlib

import pytest

from kg_publisher.errors import SourceError
from kg_publisher.extract.source import SourceText
from kg_publisher.records.parse import parse_disclosure
from tests.conftest import CORPUS

BODY = ("\n一、收支预算总体情况说明\n收入预算100.00万元，其中：财政拨款收入100.00万元。支出预算100.00万元。\n"
        "二、“三公”经费预算情况说明\n“三公”经费预算数为1.00万元。\n")


def source(text: str, name: str = "case.txt") -> SourceText:
    return SourceText(name, hashlib.sha256(text.encode()).hexdigest(), "text/plain", text)


@pytest.mark.parametrize(("cover", "department", "year", "kind"), [
    ("上海市普陀区司法局2024年部门预算", "上海市普陀区司法局", 2024, "budget"),
    ("上海市普陀区司法局2024年度单位预算", "上海市普陀区司法局", 2024, "budget"),
    ("上海市普陀区司法局2023年度部门决算", "上海市普陀区司法局", 2023, "final"),
    ("上海市普陀区司法局2023年单位决算", "上海市普陀区司法局", 2023, "final"),
    ("上海市普陀区司法局2025年部门预算编制说明", "上海市普陀区司法局", 2025, "budget"),
    ("上海市普陀区司法局2025年预算公开说明", "上海市普陀区司法局", 2025, "budget"),
    ("上海市普陀区2024年区级部门预算\n预算主管部门：上海市普陀区司法局", "上海市普陀区司法局", 2024, "budget"),
    ("上海市普陀区2024年区级单位预算\n预算单位：上海市普陀区公证处", "上海市普陀区公证处", 2024, "budget"),
    ("上海市普陀区司法局\n2024年度部门决算", "上海市普陀区司法局", 2024, "final"),
    # a cover broken over lines anywhere, as PDF text gives it
    ("上海市普陀区\n司法局\n2024年\n部门预算", "上海市普陀区司法局", 2024, "budget"),
    ("上海市普陀\n区司法局2024\n年度单位决算\n2024年3月", "上海市普陀区司法局", 2024, "final"),
])
def test_title_and_cover(cover: str, department: str, year: int, kind: str) -> None:
    info = parse_disclosure(source(cover + "\n" + BODY)).info
    assert (info.department, info.year, info.kind) == (department, year, kind)
    assert "".join(info.department_span.text.split()) == department


def test_unrelated_text_is_refused_saying_what_was_looked_for() -> None:
    with pytest.raises(SourceError) as raised:
        parse_disclosure(source("今天天气很好，我们去公园散步。\n公园里有很多人在跑步。\n"))
    message = str(raised.value)
    assert "目录" in message and "三公" in message and "预算/决算" in message


@pytest.mark.needs_shared("corpus")
@pytest.mark.parametrize("name", ["12_putuo-wanli-2024-budget", "03_putuo-czj-2025-budget", "07_putuo-czj-2024-final"])
def test_an_excerpt_is_published_as_incomplete(name: str) -> None:
    path = CORPUS / f"{name}.txt"
    whole = parse_disclosure(source(path.read_text(encoding="utf-8")))
    assert not [d for d in whole.defects if d.kind == "incomplete"]
    excerpt = parse_disclosure(source(path.read_text(encoding="utf-8")[:800]))
    (incomplete,) = [d for d in excerpt.defects if d.kind == "incomplete"]
    assert "does not hold" in incomplete.message or "has no" in incomplete.message
    assert excerpt.info.department == whole.info.department and excerpt.info.year == whole.info.year


@pytest.mark.parametrize("cover", ["上海市 XX 局\n2024 年度部门决算", "××区××局2024年部门预算",
                                   "某某县教育局\n2025年单位预算"])
def test_a_blank_template_is_refused_naming_its_placeholder(cover: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse_disclosure(source(cover + "\n" + BODY))
    assert "blank disclosure template" in str(raised.value) and "filled-in disclosure" in raised.value.hint


@pytest.mark.needs_shared("corpus")
def test_the_mof_template_pdf_is_refused_with_exit_2() -> None:
    """The MoF's blank 决算 template prints every heading and table of a disclosure but no department (上海市 XX 局)
    and no figure: publishing it would invent a department, so `extract` refuses it (exit 2) saying why."""
    from click.testing import CliRunner

    from kg_publisher.cli import main

    result = CliRunner().invoke(main, ["extract", str(CORPUS / "originals" / "template_final-accounts_mof.pdf")])
    assert result.exit_code == 2, result.output
    assert "blank disclosure template" in result.output and "'XX'" in result.output


def test_a_placeholder_in_a_body_sentence_is_no_template() -> None:
    info = parse_disclosure(source("上海市普陀区司法局2024年度部门预算\n2024年度，某某部门的预算如下。\n" + BODY)).info
    assert (info.department, info.year) == ("上海市普陀区司法局", 2024)

"""Generated variants of a functional-classification table give the same facts: one row per line or
one cell per line, 元 or 万元, any title numbering. Values are compared in yuan."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from kg_publisher.extract.source import SourceText
from kg_publisher.extract.tables import find_tables
from kg_publisher.records.context import ReadingContext
from kg_publisher.records.tables import read_table_facts

#: (类, 款, 项) codes and names of the 2025 支出功能分类 as printed in the corpus.
ITEMS = (
    ("201", "一般公共服务支出", "06", "财政事务", "01", "行政运行"),
    ("201", "一般公共服务支出", "06", "财政事务", "07", "信息化建设"),
    ("208", "社会保障和就业支出", "05", "行政事业单位养老支出", "05", "机关事业单位基本养老保险缴费支出"),
    ("221", "住房保障支出", "02", "住房改革支出", "01", "住房公积金"),
)
TITLE_PREFIXES = ("", "3. ", "3．", "表3 ", "三、")
cents = st.integers(min_value=1, max_value=10**9)


def printed(yuan_cents: int, unit: str) -> str:
    value = Decimal(yuan_cents).scaleb(-2 if unit == "元" else -6)
    digits = 2 if unit == "元" else 6
    return f"{value:,.{digits}f}"


def table_text(rows: list[tuple[str, str, int, int]], unit: str, one_cell_per_line: bool, prefix: str) -> str:
    """A 支出预算总表 with columns 合计 | 基本支出 | 项目支出 (rows: printed code, name, basic, project)."""
    head = [f"{prefix}2025年部门支出预算总表", f"编制部门：某某局 单位：{unit}"]
    if one_cell_per_line:
        head += ["项目", "合计", "基本支出", "项目支出", "支出功能分类", "科目名称", "科目编码", "类", "款", "项"]
    else:
        head += ["项目 支出预算", "功能分类科目编码", "功能分类科目名称 合计 基本支出 项目支出", "类 款 项"]
    body = []
    for code, name, basic, project in rows:
        cells = [*code.split(), name, *(printed(v, unit) for v in (basic + project, basic, project))]
        body += cells if one_cell_per_line else [" ".join(cells)]
    return "\n".join(["说明", *head, *body, ""])


@st.composite
def variants(draw: st.DrawFn) -> tuple[list[tuple[str, str, int, int]], str, bool, str]:
    chosen = draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=len(ITEMS), unique=True))
    chosen.sort()
    leaves = {item: (draw(cents), draw(cents)) for item in chosen}
    rows: list[tuple[str, str, int, int]] = []
    for lei in sorted({item[0] for item in chosen}):
        in_lei = [item for item in chosen if item[0] == lei]
        rows.append((lei, in_lei[0][1], sum(leaves[i][0] for i in in_lei), sum(leaves[i][1] for i in in_lei)))
        for kuan in sorted({item[2] for item in in_lei}):
            in_kuan = [item for item in in_lei if item[2] == kuan]
            rows.append((f"{lei} {kuan}", in_kuan[0][3], sum(leaves[i][0] for i in in_kuan),
                         sum(leaves[i][1] for i in in_kuan)))
            rows += [(f"{lei} {kuan} {i[4]}", i[5], *leaves[i]) for i in in_kuan]
    rows.append(("", "合计", sum(b for b, _ in leaves.values()), sum(p for _, p in leaves.values())))
    return rows, draw(st.sampled_from(("元", "万元"))), draw(st.booleans()), draw(st.sampled_from(TITLE_PREFIXES))


@settings(max_examples=40, deadline=None)
@given(variants())
def test_table_variants_give_the_same_facts(variant: tuple[list[tuple[str, str, int, int]], str, bool, str]) -> None:
    rows, unit, one_cell_per_line, prefix = variant
    text = table_text(rows, unit, one_cell_per_line, prefix)
    source = SourceText("variant.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", text)
    facts = read_table_facts(ReadingContext(source, (), 2024, "budget"), find_tables(source)).facts
    got = {(f.functional, f.expenditure_type, f.amount.value.scaleb(f.amount.unit_multiplier + 2)) for f in facts}
    expected = {("_T" if not code else code.replace(" ", ""), kind, Decimal(value))
                for code, _, basic, project in rows
                for kind, value in (("_T", basic + project), ("BASIC", basic), ("PROJECT", project))}
    assert got == expected
    by_key = {f.key: f for f in facts}
    for fact in facts:
        parent = by_key[fact.part_of] if fact.part_of else None
        if fact.functional == "_T":
            assert parent is None
        else:
            expected_parent = fact.functional[:-2] if len(fact.functional) > 3 else "_T"
            assert parent is not None and parent.functional == expected_parent
            assert parent.expenditure_type == fact.expenditure_type

"""Issue 8 §5, findings a reader can trust: what the product reports against a source never depends on how the
source was laid out, unread text is a note (sh:Info) once per section, and the department's own short names are
not "another body".

The first test is metamorphic, like test_layout_invariance.py: every corpus text re-laid-out as another PDF would
lay it out (re-wrapped at a width, NBSPs, a blank before some units, full-width digits) must give the same
warnings and violations, on the same records: an arithmetic or count finding raised on one layout only would be
the product's misreading, not the source's fault.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import URIRef
from rdflib.namespace import SH

from kg_publisher.extract.source import SourceText
from kg_publisher.iris import IriMinter
from kg_publisher.rdf import disclosure_graph
from kg_publisher.records.crossyear import compare_years
from kg_publisher.records.model import Disclosure
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.registry import Registry
from kg_publisher.validate import validate_graph

from .test_layout_invariance import ALL, _source, relayout

BGTS = "https://w3id.org/cn-budget-kg/shapes#"
#: Two of test_layout_invariance's layouts: a narrow one, and a wider one with full-width digits.
LAYOUTS = ((7, False), (33, True))


def findings(d: Disclosure) -> Counter[tuple[str, str, str]]:
    """(shape or constraint, severity, focus node) of every result of the build's validation of ``d``."""
    org = Registry.load().resolve(d.info.department)
    data = disclosure_graph(d, IriMinter("https://w3id.org/cn-budget-kg/"), org, "test")
    results = validate_graph(data, engine="compiled").results
    rows: Counter[tuple[str, str, str]] = Counter()
    for result in results.subjects(SH.resultSeverity, None):
        constraint = results.value(result, SH.sourceConstraint)
        shape = constraint if isinstance(constraint, URIRef) else results.value(result, SH.sourceShape)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#")[-1]
        rows[(str(shape).removeprefix(BGTS), severity, str(results.value(result, SH.focusNode)))] += 1
    return rows


def _text(name: str, text: str) -> SourceText:
    return SourceText(name, hashlib.sha256(text.encode()).hexdigest(), "text/plain", text)


def _variant(source: SourceText, width: int, full_width: bool) -> SourceText:
    return _text(source.name, relayout(source, width, full_width, random.Random(f"{source.name}-{width}")))


def _damaged(source: SourceText, printed: str, damaged: str) -> tuple[str, Disclosure]:
    """The text with its first ``printed`` replaced by ``damaged``, and what is read from it."""
    assert printed in source.text
    text = source.text.replace(printed, damaged, 1)
    return text, parse_disclosure(_text(source.name, text))


@pytest.mark.parametrize("name", ALL)
def test_no_finding_comes_from_the_layout(name: str) -> None:
    """No warning or violation is raised on a re-laid-out text that the text as printed does not give: the
    product never reports its own misreading of a layout as a fault of the source. (Some faults found as printed
    are not found on every layout — a doubled phrase or a name broken over a line —: printed, not asserted.)"""
    source = _source(name)
    expected = Counter({row: n for row, n in findings(parse_disclosure(source)).items() if row[1] != "Info"})
    for width, full_width in LAYOUTS:
        got = Counter({row: n for row, n in findings(parse_disclosure(_variant(source, width, full_width))).items()
                       if row[1] != "Info"})
        assert not got - expected, f"{name}, width {width}: raised only on this layout: {sorted(got - expected)}"
        lost = Counter(shape for shape, _, _ in (expected - got).elements())
        print(f"{name}, width {width}: {sum(expected.values())} findings as printed, not found on this layout:",
              dict(lost) or "none")


@pytest.mark.parametrize("name", ["01_chongqing-jiaowei-2018-budget", "03_putuo-czj-2025-budget"])
def test_unread_text_is_one_note_per_section(name: str) -> None:
    """Text that could not be read is our limit, not the source's fault: one sh:Info per section holding any,
    however many passages it has (the records keep each passage)."""
    d = parse_disclosure(_source(name))
    sections = {item.context for item in d.unparsed}
    notes = [row for row in findings(d).elements() if row[0] == "UnparsedTextShape"]
    assert len(d.unparsed) >= len(sections) >= 1
    if name.startswith("03_"):
        assert len(d.unparsed) > len(sections)  # several passages in one section: still one note there
    assert len(notes) == len(sections) and {severity for _, severity, _ in notes} == {"Info"}


def test_the_departments_short_names_are_not_another_body() -> None:
    """03 (上海市普陀区财政局) calling itself 普陀区财政局 names itself; 上海市财政局 is another body."""
    source = _source("03_putuo-czj-2025-budget")
    full = "上海市普陀区财政局"
    first = source.text.index(full)
    second = source.text.index(full, first + 1)
    third = source.text.index(full, second + 1)
    text = (source.text[:second] + "普陀区财政局" + source.text[second + len(full):third] + "上海市财政局"
            + source.text[third + len(full):])
    variant = _text(source.name, text)
    d = parse_disclosure(variant)
    assert {"普陀区财政局", "上海市财政局", full} <= {mention.name for mention in d.mentions}
    other = [row for row in findings(d) if row[0] == "MentionNameShape"]
    assert len(other) == 1  # 上海市财政局 only
    mention = next(m for m in d.mentions if m.name == "上海市财政局")
    number = d.mentions.index(mention) + 1
    assert other[0][2].endswith(f"/mention/{number}")
    assert not [row for row in findings(parse_disclosure(source)) if row[0] == "MentionNameShape"]


@pytest.mark.parametrize(("printed", "damaged"), [
    ("其他用车7辆", "其他用车7\f- 23 -\n辆"),  # a page's footer inside an item of the list: the item cannot be read
    ("其他用车7辆", "其他用车\f23\n7辆"),  # the page number runs into a count of the list (237)
    ("共有车辆7辆", "共有车辆\f23\n7辆"),  # … into the total
])
def test_a_count_not_read_with_certainty_is_checked_against_nothing(printed: str, damaged: str) -> None:
    """12 prints 共有车辆7辆，其中：部级领导干部用车0辆、…、其他用车7辆. A count whose digits a page break runs through,
    or a list with an item that could not be read, is not summed ("7 ≠ 0", "237 ≠ 7" would be our misreading):
    the damaged place is unread text instead."""
    source = _source("12_putuo-wanli-2024-budget")
    text, d = _damaged(source, printed, damaged)
    assert not [row for row in findings(d) if row[0] == "CountPartsShape"]
    held = [count for count in d.counts if count.what.startswith("VEHICLES") and count.what != "VEHICLES_PLANNED"]
    assert held and {count.value for count in held} <= {0, 7}
    damage = text.index(damaged)
    assert any(u.span.start <= damage + damaged.index("\f") < u.span.end for u in d.unparsed), d.unparsed


def test_an_amount_not_read_with_certainty_is_summed_with_nothing() -> None:
    """12's 公务用车购置及运行费46.56万元 … 其中：公务用车购置费25万元 … 公务用车运行费21.56万元, with a page number run
    into 25 (1225): the purchase is not published, the vehicles line is not said to be its parts' sum, and no
    sum is reported as broken."""
    source = _source("12_putuo-wanli-2024-budget")
    printed, damaged = "公务用车购置费25万元", "公务用车购置费\f12\n25万元"
    text, d = _damaged(source, printed, damaged)
    assert not [row for row in findings(d) if row[0].startswith("Parts") and row[1] != "Info"]
    as_printed = parse_disclosure(source)
    assert as_printed.fact("sangong-vehicle-purchase").amount.value == 25
    assert "sangong-vehicle-purchase" not in {fact.key for fact in d.facts}
    assert not d.fact("sangong-vehicles").breakdown_complete and as_printed.fact("sangong-vehicles").breakdown_complete
    assert d.fact("sangong-vehicle-operation").part_of == "sangong-vehicles"
    damage = text.index(damaged) + damaged.index("\f")
    assert any(u.span.start <= damage < u.span.end for u in d.unparsed)


def test_an_item_not_read_with_certainty_is_compared_with_nothing() -> None:
    """03's “一般公共服务支出（类）财政事务（款）一般行政管理事务（项）”10.00万元 with a page number run into its first
    printing (1210.00): that printing is unread text, not a prose figure that disagrees with its table row."""
    source = _source("03_putuo-czj-2025-budget")
    printed = "一般行政管理事务（项）”10.00万元"
    damaged = "一般行政管理事务（项）”\f12\n10.00万元"
    text, d = _damaged(source, printed, damaged)
    as_printed = parse_disclosure(source)
    items = [f for f in as_printed.facts if f.label == "一般行政管理事务（项）" and f.key.startswith("item-")]
    assert [f.amount.value for f in items] == [Decimal("10.00")]
    # the whole 编制说明 is printed twice: its second printing is read, the broken one is not
    assert [f.amount.value for f in d.facts if f.label == "一般行政管理事务（项）" and f.key.startswith("item-")] == [
        Decimal("10.00")]
    # the same figures are reported (the line's items exceed it either way: with one item unread, as more than it
    # rather than as not its sum)
    def faulted(disclosure: Disclosure) -> set[str]:
        return {node for _, severity, node in findings(disclosure) if severity == "Warning" and "/obs/" in node}
    assert faulted(d) == faulted(as_printed)
    damage = text.index(damaged) + damaged.index("\f")
    assert any(u.span.start <= damage < u.span.end for u in d.unparsed)


def test_a_final_account_figure_not_read_with_certainty_is_summed_with_nothing() -> None:
    """07 (a 决算): "年初预算为10.00 万元，支出决算为10.00万元" with a page number run into the 决算 (1210.00):
    the figure is unread text, and no sum over it is reported."""
    source = _source("07_putuo-czj-2024-final")
    printed = "年初预算为10.00 万元，支出决算为10.00万元"
    damaged = "年初预算为10.00 万元，支出决算为\f12\n10.00万元"
    text, d = _damaged(source, printed, damaged)
    as_printed = parse_disclosure(source)
    assert not {f.amount.value for f in d.facts} - {f.amount.value for f in as_printed.facts}  # no 1210.00

    def summed(disclosure: Disclosure) -> set[str]:
        return {node for shape, severity, node in findings(disclosure) if shape.startswith("Parts")
                and severity == "Warning"}
    assert summed(d) <= summed(as_printed)
    damage = text.index(damaged) + damaged.index("\f") + 1  # the page number run into the figure
    assert any(u.span.start <= damage < u.span.end for u in d.unparsed)


def test_a_unit_count_not_read_with_certainty_is_compared_with_nothing() -> None:
    """00 (the seed) prints 设4个内设机构 and lists four units; with a page number run into the count (34) the
    count is not read, rather than reported as "34 stated, 4 listed"."""
    source = _source("00_panjin-xinglongtai-zwfwzx-2022-budget")
    _, d = _damaged(source, "设4个内设机构", "设\f3\n4个内设机构")
    assert len(d.units) == 4 and not [c for c in d.counts if c.what == "INTERNAL_UNITS"]
    assert not [row for row in findings(d) if row[0] == "InternalUnitCountShape"]
    as_printed = parse_disclosure(source)
    assert [c.value for c in as_printed.counts if c.what == "INTERNAL_UNITS"] == [4]


def test_a_change_not_read_with_certainty_is_compared_with_nothing() -> None:
    """13 says its revenue line grew 比2024年预算增加 3,355.65万元; with a page number run into the amount
    (123,355.65) the claim is not read, rather than set against 12 (the 2024 disclosure) as a disagreement."""
    current, prior = parse_disclosure(_source("13_putuo-wanli-2025-budget")), parse_disclosure(
        _source("12_putuo-wanli-2024-budget"))
    printed, damaged = "比2024年预算增加\n3,355.65万元；", "比2024年预算增加\f12\n3,355.65万元；"
    text, changed = _damaged(current.source, printed, damaged)
    assert "revenue-01-change" in {c.key for c in current.changes}
    assert "revenue-01-change" not in {c.key for c in changed.changes}
    assert all(check.agrees for check in compare_years(changed, prior))
    damage = text.index("3,355.65万元", text.index(damaged))  # the amount is unread text
    assert any(u.span.start <= damage < u.span.end for u in changed.unparsed)


def test_a_share_not_read_with_certainty_is_checked_against_nothing() -> None:
    """07: 财政拨款收入2940.05万元，占99.79% of 本年收入合计2946.25万元; with a page number run into the share
    (1299.79%) no ratio is stated, so none is recomputed and found wrong."""
    source = _source("07_putuo-czj-2024-final")
    printed, damaged = "财政拨款收入2940.05万元，占99.79%", "财政拨款收入2940.05万元，占\f12\n99.79%"
    _, d = _damaged(source, printed, damaged)
    as_printed = parse_disclosure(source)
    assert Decimal("99.79") in {r.percent.value for r in as_printed.ratios}
    assert not {r.percent.value for r in d.ratios} - {r.percent.value for r in as_printed.ratios}
    def ratio_findings(disclosure: Disclosure) -> Counter[str]:  # by shape: the ratios' numbering moves
        return Counter(shape for shape, _, _ in findings(disclosure).elements()
                       if shape.startswith(("Ratio", "CrossCheck-shares")))
    assert not ratio_findings(d) - ratio_findings(as_printed)


def test_a_base_not_read_with_certainty_is_no_base() -> None:
    """12: "2023年当年预算执行数为45.41万元，2024年预算安排42.60万元，比2023年预算执行数减少…": with a page number run
    into the 2023 figure (1245.41) the change has no base, rather than one its stated change is checked against."""
    source = _source("12_putuo-wanli-2024-budget")
    _, d = _damaged(source, "2023年当年预算执行数为45.41万元", "2023年当年预算执行数为\f12\n45.41万元")
    as_printed = parse_disclosure(source)
    based = {c.key: c.base.value for c in as_printed.changes if c.base is not None}
    assert Decimal("45.41") in based.values()
    assert Decimal("1245.41") not in {c.base.value for c in d.changes if c.base is not None}
    assert len([c for c in d.changes if c.base is not None]) == len(based) - 1
    def warned(disclosure: Disclosure) -> set[str]:
        return {shape for shape, severity, _ in findings(disclosure) if severity != "Info"}
    assert warned(d) <= warned(as_printed)
    damage = d.source.text.index("45.41万元", d.source.text.index("\f12\n"))
    assert any(u.span.start <= damage < u.span.end for u in d.unparsed)  # the figure is unread text


def test_a_name_broken_over_a_line_is_still_a_mention() -> None:
    """07 prints its short name over a line break (普陀⏎区财政局): a mention of itself, not of another body."""
    d = parse_disclosure(_source("07_putuo-czj-2024-final"))
    broken = [m for m in d.mentions if "\n" in m.span.text]
    assert [(m.name, m.span.text) for m in broken] == [("普陀区财政局", "普陀\n区财政局")]
    assert not [row for row in findings(d) if row[0] == "MentionNameShape"]

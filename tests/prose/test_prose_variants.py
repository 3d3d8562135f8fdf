"""Generated variants of one budget disclosure's prose give the same facts.

The text follows the layouts of the corpus (chapters 一、… as in Chongqing 2018, or 第X部分 parts holding
chapters as in the Panjin/Shanghai templates) and varies what must not matter: the heading numbering
(第一部分 / 一、 / （一） / １. / 1.), where the glossary stands (before or after the figures), the unit
(元 or 万元, the printed number scaled) and thousands separators. Whatever the variant, parse_disclosure
must publish the same figures with the same codes; values are compared in yuan.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg_publisher.extract.source import SourceText
from kg_publisher.records.model import AmountFact, Disclosure
from kg_publisher.records.parse import parse_disclosure

DEPARTMENT = "重庆市交通委员会"
NUMERALS = "一二三四五六七八九十"
FULL_WIDTH = "０１２３４５６７８９"
#: Amounts are drawn in units of 100 yuan, so that 万元 prints them with two decimals, as the documents do.
hundreds = st.integers(min_value=0, max_value=10**8)


@dataclass(frozen=True)
class Figures:
    """The figures of one generated disclosure, in yuan."""

    general: int
    gov_fund: int
    basic: int
    overseas: int
    reception: int
    vehicle_purchase: int
    vehicle_operation: int
    running_cost: int
    goods: int
    works: int
    services: int
    performance: int
    change: int

    @property
    def project(self) -> int:
        return self.general - self.basic

    @property
    def vehicles(self) -> int:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def sangong(self) -> int:
        return self.overseas + self.reception + self.vehicles

    @property
    def procurement(self) -> int:
        return self.goods + self.works + self.services


@dataclass(frozen=True)
class Layout:
    parts: bool  # 第X部分 holding chapters, or chapters only
    sub_style: str  # （一） | １. | 1.
    glossary_first: bool
    unit: str  # 元 | 万元
    separators: bool


@st.composite
def figures(draw: st.DrawFn) -> Figures:
    def yuan() -> int:
        return draw(hundreds) * 100

    general = yuan()
    return Figures(
        general=general, gov_fund=yuan(), basic=draw(st.integers(min_value=0, max_value=general // 100)) * 100,
        overseas=yuan(), reception=yuan(), vehicle_purchase=yuan(), vehicle_operation=yuan(),
        running_cost=yuan(), goods=yuan(), works=yuan(), services=yuan(), performance=yuan(), change=yuan(),
    )


layouts = st.builds(Layout, st.booleans(), st.sampled_from(["（{}）", "{}.", "{}．", "{}、"]), st.booleans(),
                    st.sampled_from(["元", "万元"]), st.booleans())


def money(yuan: int, layout: Layout) -> str:
    """``yuan`` printed in the layout's unit (万元 with two decimals), with or without separators."""
    value = Decimal(yuan) if layout.unit == "元" else Decimal(yuan).scaleb(-4).quantize(Decimal("0.01"))
    text = f"{value:,}" if layout.separators else f"{value}"
    return text + layout.unit


def sub_number(style: str, n: int) -> str:
    if style.startswith("（"):
        return style.format(NUMERALS[n - 1])
    return style.format(FULL_WIDTH[n] if style == "{}." and n % 2 else str(n))


def document(f: Figures, layout: Layout, year: int = 2018) -> str:
    def m(yuan: int) -> str:
        return money(yuan, layout)

    overview = ["单位基本情况", f"{DEPARTMENT}是市政府工作部门。", "（一）职能职责。",
                "根据“三定”方案，市交委主要有以下职责：", "1、负责推进综合交通运输体系建设。",
                "2、负责交通行业宣传工作。"]
    summary = ["部门预算情况说明",
               f"{year}年一般公共预算财政拨款收入{m(f.general)}，一般公共预算财政拨款支出{m(f.general)}，"
               f"比{year - 1}年减少{m(f.change)}。其中：基本支出{m(f.basic)}，比{year - 1}年增加{m(f.change)}，"
               f"主要原因是支出结构调整，主要用于保障在职人员工资福利；项目支出{m(f.project)}，主要用于交通基础设施建设。",
               f"{year}年政府性基金预算收入{m(f.gov_fund)}，政府性基金预算支出{m(f.gov_fund)}，主要用于铁路建设。"]
    sangong = ["“三公”经费情况说明",
               f"{year}年“三公”经费预算{m(f.sangong)}，比{year - 1}年减少{m(f.change)}。其中：因公出国（境）费"
               f"{m(f.overseas)}，公务接待费{m(f.reception)}，公务用车购置及运行维护费{m(f.vehicles)}（其中：公务用车购置费"
               f"{m(f.vehicle_purchase)}，公务用车运行维护费{m(f.vehicle_operation)}）。"]
    subs = [("机关运行经费情况", f"{year}年机关运行经费{m(f.running_cost)}，比上年增加{m(f.change)}，"
                                 "主要原因为公用经费标准提高。"),
            ("政府采购情况", f"政府采购预算总额{m(f.procurement)}，其中：政府采购货物预算{m(f.goods)}、政府采购工程预算"
                       f"{m(f.works)}、政府采购服务预算{m(f.services)}。"),
            ("绩效目标设置情况", f"{year}年项目支出均实行了绩效目标管理，"
                                 f"涉及一般公共预算当年财政拨款{m(f.performance)}。")]
    other = ["其他重要事项的情况说明"]
    for n, (title, body) in enumerate(subs, 1):
        number = sub_number(layout.sub_style, n)
        other += [f"{number}{title}", body] if layout.sub_style.startswith("（") else [f"{number}{title}。{body}"]
    glossary = ["专业性名词解释", "（一）财政拨款收入：指本年度从本级财政部门取得的财政拨款。",
                "（二）基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。"]
    lines = [f"{DEPARTMENT}{year}年部门预算情况说明", ""]
    if layout.parts:
        narrative = [summary, sangong, other]
        blocks = [("部门概况", [overview]), ("部门预算情况说明", narrative), ("名词解释", None)]
        if layout.glossary_first:
            blocks = [blocks[0], blocks[2], blocks[1]]
        for n, (title, chapters) in enumerate(blocks, 1):
            lines.append(f"第{NUMERALS[n - 1]}部分 {title}")
            if chapters is None:
                lines += glossary[1:]
                continue
            for c, chapter in enumerate(chapters, 1):
                lines += [f"{NUMERALS[c - 1]}、{chapter[0]}", *chapter[1:]]
    else:
        chapters = [overview, summary, sangong, other, glossary]
        if layout.glossary_first:
            chapters = [overview, glossary, summary, sangong, other]
        for c, chapter in enumerate(chapters, 1):
            lines += [f"{NUMERALS[c - 1]}、{chapter[0]}", *chapter[1:]]
    return "\n".join(lines) + "\n"


def parse(text: str) -> Disclosure:
    return parse_disclosure(SourceText("variant.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", text))


def yuan_of(fact: AmountFact) -> Decimal:
    return fact.amount.value.scaleb(fact.amount.unit_multiplier)


def published(disclosure: Disclosure) -> dict[tuple[str, ...], list[Decimal]]:
    """Every published figure by its codes (and, for procurement lines, the kind of purchase)."""
    out: dict[tuple[str, ...], list[Decimal]] = {}
    for fact in disclosure.facts:
        kind = next((word for word in ("货物", "工程", "服务") if word in fact.label), "")
        item = "line" if fact.item.startswith("line-") else fact.item
        key = (fact.operation, fact.indicator, fact.fund_source, fact.expenditure_type, item, kind, fact.phase)
        out.setdefault(key, []).append(yuan_of(fact))
    return out


def expected(f: Figures) -> dict[tuple[str, ...], list[Decimal]]:
    rows = {
        ("revenue", "TOTAL", "GENERAL_PUBLIC", "_Z", "_T", ""): f.general,
        ("expenditure", "TOTAL", "GENERAL_PUBLIC", "_T", "_T", ""): f.general,
        ("expenditure", "TOTAL", "GENERAL_PUBLIC", "BASIC", "_T", ""): f.basic,
        ("expenditure", "TOTAL", "GENERAL_PUBLIC", "PROJECT", "_T", ""): f.project,
        ("revenue", "TOTAL", "GOV_FUND", "_Z", "_T", ""): f.gov_fund,
        ("expenditure", "TOTAL", "GOV_FUND", "_T", "_T", ""): f.gov_fund,
        ("expenditure", "SANGONG", "_T", "_Z", "_T", ""): f.sangong,
        ("expenditure", "SANGONG", "_T", "_Z", "OVERSEAS_TRAVEL", ""): f.overseas,
        ("expenditure", "SANGONG", "_T", "_Z", "OFFICIAL_RECEPTION", ""): f.reception,
        ("expenditure", "SANGONG", "_T", "_Z", "OFFICIAL_VEHICLES", ""): f.vehicles,
        ("expenditure", "SANGONG", "_T", "_Z", "VEHICLE_PURCHASE", ""): f.vehicle_purchase,
        ("expenditure", "SANGONG", "_T", "_Z", "VEHICLE_OPERATION", ""): f.vehicle_operation,
        ("expenditure", "ORG_RUNNING_COST", "_T", "_Z", "_T", ""): f.running_cost,
        ("expenditure", "PROCUREMENT", "_T", "_Z", "_T", ""): f.procurement,
        ("expenditure", "PROCUREMENT", "_T", "_Z", "line", "货物"): f.goods,
        ("expenditure", "PROCUREMENT", "_T", "_Z", "line", "工程"): f.works,
        ("expenditure", "PROCUREMENT", "_T", "_Z", "line", "服务"): f.services,
        ("expenditure", "PERFORMANCE_FUNDS", "_T", "_Z", "_T", ""): f.performance,
    }
    return {(*key, "approved"): [Decimal(value)] for key, value in rows.items()}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures(), layouts)
def test_same_facts_whatever_the_layout(f: Figures, layout: Layout) -> None:
    disclosure = parse(document(f, layout))
    got = {key: sorted(values) for key, values in published(disclosure).items()}
    assert got == expected(f)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures(), layouts)
def test_parts_point_at_their_totals(f: Figures, layout: Layout) -> None:
    disclosure = parse(document(f, layout))
    by_key = {fact.key: fact for fact in disclosure.facts}
    parents = {fact.key: by_key[fact.part_of].key if fact.part_of else None for fact in disclosure.facts}
    assert parents["expenditure-basic"] == parents["expenditure-project"] == "expenditure-general-public"
    assert parents["revenue-general-public"] is None and parents["expenditure-gov-fund"] is None
    assert parents["sangong-vehicle-purchase"] == parents["sangong-vehicle-operation"] == "sangong-vehicles"
    assert parents["sangong-overseas"] == parents["sangong-vehicles"] == "sangong-total"
    assert {parents[f"procurement-line-{n}"] for n in (1, 2, 3)} == {"procurement-total"}
    assert by_key["procurement-total"].breakdown_complete
    assert {change.about for change in disclosure.changes} >= {
        "expenditure-general-public", "expenditure-basic", "sangong-total", "running-cost-total"}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures(), st.sampled_from(["（{}）", "{}.", "{}、"]))
def test_same_facts_in_both_units(f: Figures, sub_style: str) -> None:
    """元 and 万元 (and separators) give the same yuan values, figure by figure and key by key."""
    variants = [parse(document(f, Layout(False, sub_style, False, unit, separators)))
                for unit, separators in (("元", False), ("万元", True))]
    first, second = ({fact.key: yuan_of(fact) for fact in d.facts} for d in variants)
    assert first == second


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(figures(), layouts)
def test_an_amount_whose_label_was_lost_is_a_defect_read_only_by_elimination(f: Figures, layout: Layout) -> None:
    """As in Chongqing 2018: "…，严控290.5万元，…" — the 公务接待费 label is gone from the source. The amount is
    the one "三公" item not printed and the parts add up to the total with it: it is read as that item (and
    the lost label stays a defect). When they do not add up, it is left unread."""
    text = document(f, layout).replace(f"公务接待费{money(f.reception, layout)}", f"严控{money(f.reception, layout)}")
    disclosure = parse(text)
    reception = [fact for fact in disclosure.facts if fact.item == "OFFICIAL_RECEPTION"]
    assert [fact.amount.value.scaleb(fact.amount.unit_multiplier) for fact in reception] == [Decimal(f.reception)]
    lost = [defect for defect in disclosure.defects if defect.kind == "missing-label"]
    assert [defect.span.text for defect in lost] == [f"严控{money(f.reception, layout)}"]
    assert "read by elimination as 公务接待费" in lost[0].message
    assert published(disclosure)[("expenditure", "SANGONG", "_T", "_Z", "_T", "", "approved")] == [Decimal(f.sangong)]

    printed_total = f"“三公”经费预算{money(f.sangong, layout)}"
    wrong_total = text.replace(printed_total, f"“三公”经费预算{money(f.sangong + 100, layout)}")
    unread = parse(wrong_total)
    assert not [fact for fact in unread.facts if fact.item == "OFFICIAL_RECEPTION"]
    assert ["left unread" in d.message for d in unread.defects if d.kind == "missing-label"] == [True]

"""Records of the seed other than money figures: info, sections, duties, units, claims, glossary, mentions."""

from __future__ import annotations

from decimal import Decimal

from kg_publisher.records.model import Disclosure


def test_info(seed: Disclosure) -> None:
    info = seed.info
    assert (info.department, info.year, info.kind) == ("盘锦市兴隆台区政务服务中心", 2022, "budget")
    assert info.department_span.text == "盘锦市兴隆台区政务服务中心"
    assert (info.year_span.text, info.kind_span.text) == ("2022", "预算")
    assert info.title == "盘锦市兴隆台区政务服务中心2022年度部门预算公开表"
    assert info.region == "兴隆台区" and info.region_span is not None and info.region_span.text == "兴隆台区"


def test_sections_by_meaning(seed: Disclosure) -> None:
    found = [(s.code, s.meaning) for s in seed.sections]
    assert found == [
        ("part-1", "overview"), ("duties", "duties"), ("units", "units"), ("part-1-3", "composition"),
        ("part-2", "tables"), ("part-3", "narrative"), ("narr-3-1", "budget-summary"), ("narr-3-2", "sangong"),
        ("narr-3-3", "running-cost"), ("narr-3-4", "procurement"), ("narr-3-5", "assets"),
        ("narr-3-6", "performance"), ("glossary", "glossary"),
    ]
    assert seed.sections[-1].heading == "第四部分 名词解释"
    assert all(s.span.start == s.heading_span.start for s in seed.sections)


def test_duties(seed: Disclosure) -> None:
    assert [d.notation for d in seed.duties] == ["（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）"]
    assert seed.duties[0].text.startswith("负责贯彻执行国家及省、市有关政务服务管理改革的法律法规和方针政策")
    assert seed.duties[-1].span.text == "（七）负责进驻政务服务中心职能部门工作人员的教育、培训、管理和绩效考核。"


def test_units(seed: Disclosure) -> None:
    assert [u.name for u in seed.units] == ["综合办公室", "绩效办公室", "信息办公室", "业务办公室"]
    assert [u.name_span.text for u in seed.units] == [u.name for u in seed.units]
    assert all(len(u.duties) == 1 for u in seed.units)
    assert seed.units[0].duties[0].text == "财务工作、后勤保障工作、人事统计工作、档案、文书、节能及党务工作。"
    # the doubled "主要职责有" is a defect, not part of the duty
    assert seed.units[3].duties[0].text == "中心全面业务工作。"
    count = next(c for c in seed.counts if c.what == "INTERNAL_UNITS")
    assert (count.value, count.span.text) == (4, "设4个内设机构")


def test_composition_none_stated(seed: Disclosure) -> None:
    assert seed.composition is not None
    assert seed.composition.none_stated is True and seed.composition.units == ()
    assert seed.composition.span.text == "无二级预算单位"


def _change(seed: Disclosure, about: str):  # type: ignore[no-untyped-def]
    found = [c for c in seed.changes if c.about == about]
    assert len(found) == 1, about
    assert found[0].key == f"{about}-change"
    return found[0]


def test_revenue_and_expenditure_changes(seed: Disclosure) -> None:
    revenue = _change(seed, "revenue-total")
    assert revenue.span.text == "收入增加107.84万元/与上年增长15%"
    assert revenue.compared_year == 2021
    assert revenue.change is not None and revenue.change.value == Decimal("107.84")
    assert revenue.percent is not None and revenue.percent.value == Decimal("15")
    assert (revenue.amount_direction_words, revenue.percent_direction_words) == (("增加",), ("增长",))
    assert revenue.reason == "人员的变动及政务大厅2022年搬迁新址"
    expenditure = _change(seed, "expenditure-total")
    assert expenditure.span.text == "支出增加107.84万元/与增加/减少15%"
    assert (expenditure.amount_direction_words, expenditure.percent_direction_words) == (("增加",), ("增加", "减少"))
    assert expenditure.reason_span == revenue.reason_span


def test_sangong_changes(seed: Disclosure) -> None:
    total = _change(seed, "sangong-total")
    assert total.span.text == "比上年度增加/减少0万元/与上年持平，增长/下降0%"
    assert total.compared_year == 2021
    for key in ("sangong-overseas", "sangong-reception", "sangong-vehicles", "sangong-vehicle-purchase",
                "sangong-vehicle-operation"):
        change = _change(seed, key)
        assert change.span.text == "比2021年度增加/减少0万元/与上年持平，增长/下降0%"
        assert change.compared_year == 2021
        assert change.change is not None and change.change.value == 0 and change.change.unit == "万元"
        assert change.percent is not None and change.percent.printed == "0"
        assert change.amount_direction_words == ("增加", "减少", "持平")
        assert change.percent_direction_words == ("增长", "下降")
    vehicles = _change(seed, "sangong-vehicles")
    assert vehicles.reason == "0" and vehicles.reason_span is not None and vehicles.reason_span.text == "0"


def test_running_cost_change(seed: Disclosure) -> None:
    change = _change(seed, "running-cost-total")
    assert change.span.text == "比上预算减少4.15万元/与上年持平，下降8%"
    assert change.compared_year == 2021
    assert change.change is not None and change.change.printed == "4.15"
    assert change.percent is not None and change.percent.value == Decimal("8")
    assert change.amount_direction_words == ("减少", "持平")
    assert change.percent_direction_words == ("下降",)
    assert change.reason == "严格执行厉行节约八项规定压缩一般性支出，牢固树立“过紧日子”的思想"


def test_counts_and_ratio(seed: Disclosure) -> None:
    counts = {c.key: c for c in seed.counts}
    assert counts["vehicles-count"].value == 0 and counts["vehicles-count"].span.text == "车辆0辆"
    assert counts["vehicles-general-count"].part_of == "vehicles-count"
    assert counts["vehicles-other-count"].span.text == "其他用车0辆"
    assert counts["perf-projects-required"].span.text == "应编制绩效目标的项目共0个"
    assert counts["perf-projects-set"].span.text == "实际编制绩效目标的项目共0个"
    (ratio,) = seed.ratios
    assert (ratio.what, ratio.percent.value) == ("PERF_COVERAGE", Decimal("100"))
    assert (ratio.numerator, ratio.denominator) == ("perf-projects-set", "perf-projects-required")
    assert ratio.span.text.endswith("为100%")


def test_glossary(seed: Disclosure) -> None:
    assert len(seed.glossary) == 13
    first, last = seed.glossary[0], seed.glossary[-1]
    assert (first.notation, first.term, first.definition) == ("1", "财政拨款收入", "指市级财政当年拨付的资金。")
    assert first.term_span.text == "财政拨款收入"
    assert last.term == "住房保障（类）住房改革（款）住房公积金（项）"
    assert last.definition.startswith("反映行政事业单位按人力资源和社会保障部、财政部规定的基本工资")
    assert [g.notation for g in seed.glossary] == [str(n) for n in range(1, 14)]


def test_mentions(seed: Disclosure) -> None:
    found = [(m.name, m.context) for m in seed.mentions]
    assert found == [
        ("盘锦市兴隆台区政务服务中心", "part-1"),
        ("兴隆台区政务服务中心", "units"),
        ("兴隆台区政务服务中心", "units"),
        ("盘锦市兴隆台区政务服务中心", "part-1-3"),
        ("盘锦市兴隆台区政务服务中心", "part-2"),
        ("盘锦市兴隆台区政务服务中心", "part-3"),
        ("盘锦市兴隆台区政务服务中心", "narr-3-1"),
        ("盘锦市政务服务中心", "narr-3-5"),
        ("盘锦政务服务中心", "narr-3-6"),
    ]
    assert all(m.span.text == m.name for m in seed.mentions)


def test_defects(seed: Disclosure) -> None:
    text = seed.source.text
    by_kind: dict[str, list[str]] = {}
    for defect in seed.defects:
        by_kind.setdefault(defect.kind, []).append(defect.span.text)
    duplicated = [d for d in seed.defects if d.kind == "duplicated-paragraph"]
    paragraph = "根据本部门主要职责，内设机构如下：\n\n兴隆台区政务服务中心设4个内设机构，具体为："
    assert [d.span.text for d in duplicated] == [paragraph]
    assert duplicated[0].span.start > text.index("根据本部门主要职责")  # the second copy
    assert by_kind["doubled-phrase"] == ["主要职责有主要职责有"]
    assert by_kind["stray-characters"] == ["0%0"]
    assert by_kind["template-residue"] == ["主要原因是0"]
    alternatives = by_kind["unfilled-alternative"]
    assert alternatives.count("增加/减少") == text.count("增加/减少")
    assert alternatives.count("增长/下降") == text.count("增长/下降")
    assert alternatives.count("与上年持平") == text.count("/与上年持平")
    assert len(alternatives) == text.count("增加/减少") + text.count("增长/下降") + text.count("/与上年持平")


def test_unparsed_tables_part(seed: Disclosure) -> None:
    assert [(u.context, u.reason.split(":")[0]) for u in seed.unparsed] == [("part-2", "table section")]
    assert "（该部分内容详见附件）" in seed.unparsed[0].span.text

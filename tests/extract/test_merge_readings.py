"""The keys of a document's records are settled where the readers' results are merged
(records/context.py: merge_readings), with one rule whatever reader asked for them: the first record gets the
name it asked for, a later figure of that name gets ``-<its section>`` (then ``-2`` …), a later claim ``-2`` …;
every reference (a part's total, a claim's figure) follows its record."""

from __future__ import annotations

import hashlib

from kg_publisher.extract.source import SourceText
from kg_publisher.records.model import Disclosure
from kg_publisher.records.parse import parse_disclosure

TITLE = "上海市普陀区测试局2024年部门预算"


def parse(body: str) -> Disclosure:
    text = f"{TITLE}\n{body}\n"
    return parse_disclosure(SourceText("keys.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", text))


def test_a_figure_printed_again_in_another_section_is_named_after_it() -> None:
    d = parse("一、“三公”经费预算情况说明\n"
              "2024年“三公”经费预算数为47.91万元，比2023年预算增加25万元。其中：因公出国（境）费0万元；公务用车购置及运行费"
              "46.56万元，其中：公务用车购置费25万元，公务用车运行费21.56万元；公务接待费1.35万元。\n"
              "二、“三公”经费执行情况说明\n"
              "2023年“三公”经费预算数为22.91万元，比2022年预算减少1万元。其中：因公出国（境）费0万元；公务用车购置及运行费"
              "21.56万元；公务接待费1.35万元。")
    assert [(f.key, f.part_of, f.context) for f in d.facts] == [
        ("sangong-total", None, "sec-1"), ("sangong-overseas", "sangong-total", "sec-1"),
        ("sangong-reception", "sangong-total", "sec-1"), ("sangong-vehicles", "sangong-total", "sec-1"),
        ("sangong-vehicle-purchase", "sangong-vehicles", "sec-1"),
        ("sangong-vehicle-operation", "sangong-vehicles", "sec-1"),
        ("sangong-total-sec-2", None, "sec-2"), ("sangong-overseas-sec-2", "sangong-total-sec-2", "sec-2"),
        ("sangong-reception-sec-2", "sangong-total-sec-2", "sec-2"),
        ("sangong-vehicles-sec-2", "sangong-total-sec-2", "sec-2")]
    assert [(c.key, c.about) for c in d.changes] == [("sangong-total-change", "sangong-total"),
                                                     ("sangong-total-sec-2-change", "sangong-total-sec-2")]


def test_a_name_asked_for_twice_in_one_section() -> None:
    """Two funds' 基本支出 in one section: the second is named after the section, within a later section the
    second after the first (-2); each is part of its own fund's expenditure."""
    fund_figures = ("2024年一般公共预算财政拨款支出100万元，其中：基本支出60万元，项目支出40万元。"
                    "政府性基金预算支出20万元，其中：基本支出5万元，项目支出15万元。")
    d = parse(f"一、2024年部门预算编制说明\n{fund_figures}\n二、2024年部门收支预算情况说明\n{fund_figures}")
    assert [(f.key, f.amount.value, f.part_of) for f in d.facts if "basic" in f.key] == [
        ("expenditure-basic", 60, "expenditure-general-public"),
        ("expenditure-basic-sec-1", 5, "expenditure-gov-fund"),
        ("expenditure-basic-sec-2", 60, "expenditure-general-public-sec-2"),
        ("expenditure-basic-sec-2-2", 5, "expenditure-gov-fund-sec-2")]
    assert len({f.key for f in d.facts}) == len(d.facts)

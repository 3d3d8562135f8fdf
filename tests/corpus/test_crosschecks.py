"""shapes/crosschecks.ttl on the corpus graphs: every source inconsistency the shapes are meant to catch
is reported as a warning (never a violation); rounding differences as notes (sh:Info)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import URIRef
from rdflib.namespace import SH

from kg_publisher.iris import IriMinter
from kg_publisher.rdf import disclosure_graph
from kg_publisher.records.model import Disclosure
from kg_publisher.registry import Registry
from kg_publisher.validate import validate_graph

from .sources import document

SHAPES = Path(__file__).resolve().parents[2] / "shapes"
BGTS = "https://w3id.org/cn-budget-kg/shapes#"


@cache
def report(name: str) -> tuple[tuple[str, str, str, str], ...]:
    """(constraint or shape, severity, value or focus node, messages) of every result of the published
    validation (all shapes) of the document as parse_disclosure reads it."""
    return report_of(document(name).disclosure)


def report_of(d: Disclosure, engine: str = "pyshacl") -> tuple[tuple[str, str, str, str], ...]:
    """The validation results of one disclosure, as :func:`report` gives them (``engine="compiled"``: the
    build's engine, the same results at a fraction of the cost)."""
    org = Registry.load().resolve(d.info.department)
    data = disclosure_graph(d, IriMinter("https://w3id.org/cn-budget-kg/"), org, "test")
    results = validate_graph(data, engine=engine).results
    rows = []
    for result in results.subjects(SH.resultSeverity, None):
        constraint = results.value(result, SH.sourceConstraint)
        source = constraint if isinstance(constraint, URIRef) else results.value(result, SH.sourceShape)
        node = results.value(result, SH.value) or results.value(result, SH.focusNode)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        rows.append((str(source).removeprefix(BGTS), str(results.value(result, SH.resultSeverity)).rsplit("#")[-1],
                     str(node), " ".join(messages)))
    return tuple(rows)


def found(name: str, shape: str, *words: str) -> list[tuple[str, str, str, str]]:
    return found_in(report(name), shape, *words)


def found_in(rows: tuple[tuple[str, str, str, str], ...], shape: str, *words: str) -> list[tuple[str, str, str, str]]:
    return [row for row in rows if row[0] == shape and all(word in row[3] + row[2] for word in words)]


@pytest.mark.parametrize("name", ["01_chongqing-jiaowei-2018-budget", "03_putuo-czj-2025-budget",
                                  "07_putuo-czj-2024-final"])
def test_only_warnings(name: str) -> None:
    assert report(name) and "Warning" in {row[1] for row in report(name)} <= {"Warning", "Info"}


def test_07_inconsistencies() -> None:
    name = "07_putuo-czj-2024-final"
    # 财政拨款收入支出总计0.3万元, less than the 财政拨款 本年收入合计 of 2,940.05万元
    assert found(name, "CrossCheck-grandTotal", "0.3万元", "2,940.05")
    # 社会保障和就业支出 326.71 in the summary table, 326.72 elsewhere
    assert found(name, "CrossCheck-samefigure", "326.7")
    # 一般公共服务支出 占71.73%, and the shares adding to 100.07%
    assert found(name, "RatioValueShape", "71.73")
    assert found(name, "CrossCheck-sharesTotal", "100.07")
    # 政府采购 251.25 vs 4.79 + 0 + 246.47 = 251.26: within the rounding tolerance, so a note, not a warning
    (rounding,) = found(name, "PartsRoundingShape", "251.25", "4.79万元 + 0万元 + 246.47万元", "251.26")
    assert rounding[1] == "Info" and rounding[2].endswith("/obs/procurement-total")
    assert not found(name, "PartsAddUpShape", "251.25")
    # 财政拨款收入支出总计 "持平" while the stated reason explains a decrease
    assert found(name, "CrossCheck-contradictoryDirection", "持平", "减少支付")


def test_01_inconsistencies() -> None:
    name = "01_chongqing-jiaowei-2018-budget"
    # the "三公" paragraph lost the labels of 公务接待费 (290.5) and 公务用车运行维护费 (车运行维护费2450.18)
    assert found(name, "TextDefectShape", "missing-label", "严控290.5万元")
    assert found(name, "TextDefectShape", "missing-label", "车运行维护费2450.18万元")
    # 290.5 is the one "三公" item not printed, and with it the parts add up: read by elimination, so the
    # "三公" total is not reported as a sum that does not add up (the product's gap, not the source's)
    assert found(name, "TextDefectShape", "missing-label", "read by elimination as 公务接待费")
    assert not found(name, "PartsAddUpShape", "2800.68")
    # what is left of the damaged sentence (the changes of the unlabelled items) is one unread note, never a finding
    assert [row[1] for row in found(name, "UnparsedTextShape", "因公出国(境)费用60万元")] == ["Info"]
    # "机关(包括办公室、法规处、…、纪检组19个内设处室)": the 19 units are read where they are counted, so the count
    # is not reported against an empty list (the product's gap, not the source's)
    units = document(name).disclosure.units
    assert (len(units), units[0].name, units[-1].name) == (19, "办公室", "纪检组")
    assert not found(name, "InternalUnitCountShape")
    # only 一般公共预算 and 政府性基金 figures are printed, never the total revenue or expenditure
    assert found(name, "CrossCheck-missingTotal", "revenue")
    assert found(name, "CrossCheck-missingTotal", "expenditure")


def test_03_inconsistencies() -> None:
    name = "03_putuo-czj-2025-budget"
    # the 国有资本经营 table's note copied from the 政府性基金 table
    assert found(name, "TextDefectShape", "国有资本经营")
    # 职业年金 887.36万元 in prose, 873,617.00元 in the tables
    assert found(name, "CrossCheck-samefigure", "887.36", "873,617.00")
    # items truncated instead of rounded: 877,080元 → 87.70万元, 2,049,197 → 204.91, 2,687,760 → 268.77
    for prose, table in (("87.70", "877,080.00"), ("204.91", "2,049,197.00"), ("268.77", "2,687,760.00")):
        assert found(name, "CrossCheck-samefigure", prose, table)
    # the project list of 年度预算安排 omits 援滇干部工作经费 3.00, which has performance targets
    assert found(name, "CrossCheck-projectLists", "援滇干部工作经费", "3.00")
    # the whole 编制说明 printed twice
    assert found(name, "TextDefectShape", "printed twice")

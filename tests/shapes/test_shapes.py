"""Every shape has a conforming and a violating example (base.ttl + one case file), and the seed's
report holds exactly the findings the source deserves — and no violation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from kg_publisher.errors import ShapesError
from kg_publisher.validate import ValidationOutcome, quality_graph, shapes_graph, validate_graph
from kg_publisher.vocab import BGT, DQV

from ..rdf.seed import seed_disclosure, seed_graph

HERE = Path(__file__).resolve().parent
BGTS = "https://w3id.org/cn-budget-kg/shapes#"
VALID = sorted((HERE / "valid").glob("*.ttl"))
INVALID = sorted((HERE / "invalid").glob("*.ttl"))


def _validate_case(path: Path) -> ValidationOutcome:
    graph = Graph().parse(HERE / "base.ttl", format="turtle")
    graph.parse(path, format="turtle")
    return validate_graph(graph)


def _expected_shape(path: Path) -> str:
    match = re.search(r"^# expect: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    assert match, f"{path.name} must name its expected sh:sourceShape in a '# expect:' line"
    return match.group(1)


def _expected_constraint(path: Path) -> str | None:
    """A node shape may hold several named SPARQL constraints; '# expect-constraint:' names the one that
    must fire (its sh:sourceConstraint)."""
    match = re.search(r"^# expect-constraint: (\S+)$", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else None


def _results_of(outcome: ValidationOutcome, shape: str, constraint: str) -> list[tuple[str, list[str]]]:
    """(severity, messages) of the raw results a named constraint produced (Finding has no sourceConstraint)."""
    results = outcome.results
    return [(str(results.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
             sorted(str(m) for m in results.objects(r, SH.resultMessage)))
            for r in results.subjects(SH.sourceConstraint, URIRef(constraint))
            if str(results.value(r, SH.sourceShape)) == shape]


def test_base_graph_conforms_without_findings() -> None:
    outcome = validate_graph(Graph().parse(HERE / "base.ttl", format="turtle"))
    assert outcome.rows == []


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_case_has_no_findings(path: Path) -> None:
    outcome = _validate_case(path)
    assert outcome.conforms
    assert [(f.source_shape, f.message_en) for f in outcome.rows] == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_case_is_reported_by_its_shape(path: Path) -> None:
    expected = _expected_shape(path)
    outcome = _validate_case(path)
    found = outcome.by_shape(expected)
    assert found, f"{expected} did not fire; findings: {[(f.source_shape, f.message_en) for f in outcome.rows]}"
    for finding in found:
        assert finding.message and finding.message_en and finding.message != finding.message_en
        assert "{?" not in finding.message + finding.message_en
    constraint = _expected_constraint(path)
    if constraint is not None:
        results = _results_of(outcome, expected, constraint)
        assert results, f"{constraint} did not fire; findings: {[(f.source_shape, f.message_en) for f in found]}"
        for _, messages in results:
            assert len(messages) == 2 and "{?" not in "".join(messages), messages


def test_every_named_shape_has_an_invalid_example() -> None:
    """Node shapes holding SPARQL rules are each exercised by a file under invalid/, and so is every named
    SPARQL constraint (several can hang off one node shape: each must be shown to fire on its own)."""
    shapes = shapes_graph()
    rule_shapes = {str(s) for s in shapes.subjects(SH.sparql, None) if isinstance(s, URIRef)}
    assert rule_shapes - {_expected_shape(path) for path in INVALID} == set()
    named_constraints = {str(c) for c in shapes.objects(None, SH.sparql) if isinstance(c, URIRef)}
    assert named_constraints - {_expected_constraint(path) for path in INVALID} == set()


def test_every_constraint_has_messages_in_zh_and_en() -> None:
    """Named and anonymous constraints alike: a finding is read in Chinese and in English."""
    shapes = shapes_graph()
    holders = (set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(RDF.type, SH.SPARQLConstraint))
               | set(shapes.objects(None, SH.sparql)) | set(shapes.subjects(SH.message, None)))
    assert len(holders) > 50
    for node in holders:
        languages = {getattr(m, "language", None) for m in shapes.objects(node, SH.message)}
        assert {"zh", "en"} <= languages, node


# ---- the seed ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_outcome() -> ValidationOutcome:
    return validate_graph(seed_graph())


def _ours(outcome: ValidationOutcome, shape: str) -> list[tuple[str, str]]:
    return sorted((f.focus_node.rsplit("/", 1)[-1], f.message) for f in outcome.by_shape(BGTS + shape))


def test_seed_has_no_violations(seed_outcome: ValidationOutcome) -> None:
    assert seed_outcome.conforms and seed_outcome.violations == 0
    assert seed_outcome.warnings > 0


def test_seed_expenditure_total_is_not_basic_plus_project(seed_outcome: ValidationOutcome) -> None:
    (finding,) = seed_outcome.by_shape(BGTS + "PartsAddUpShape")
    assert finding.severity == "Warning"
    assert finding.focus_node.endswith("/obs/expenditure-total")
    assert "819.82" in finding.message and "774.38" in finding.message and "45.44" in finding.message


def test_seed_running_cost_change_percent(seed_outcome: ValidationOutcome) -> None:
    (finding,) = seed_outcome.by_shape(BGTS + "ChangePercentShape")
    assert "8.0%" in finding.message and "8.885%" in finding.message and "46.71" in finding.message


def test_seed_coverage_over_zero_projects(seed_outcome: ValidationOutcome) -> None:
    (finding,) = seed_outcome.by_shape(BGTS + "RatioZeroDenominatorShape")
    assert "0/0" in finding.message and "100" in finding.message


def test_seed_department_named_otherwise_in_sections_five_and_six(seed_outcome: ValidationOutcome) -> None:
    names = sorted(re.search(r"称本部门为“(.+?)”", f.message).group(1)  # type: ignore[union-attr]
                   for f in seed_outcome.by_shape(BGTS + "MentionNameShape"))
    assert names == ["盘锦市政务服务中心", "盘锦政务服务中心"]


def test_seed_contradictory_directions(seed_outcome: ValidationOutcome) -> None:
    contradictory = {focus for focus, _ in _ours(seed_outcome, "ContradictoryDirectionShape")}
    # "支出增加…/与增加/减少15%", "减少4.15万元/与上年持平" and the six unfilled "三公" templates
    assert {"expenditure-total-change", "running-cost-total-change", "sangong-total-change"} <= contradictory
    assert "revenue-total-change" not in contradictory


def test_seed_text_defects_are_all_reported(seed_outcome: ValidationOutcome) -> None:
    defects = seed_outcome.by_shape(BGTS + "TextDefectShape")
    assert len(defects) == len(seed_disclosure().defects)
    assert any("unfilled-alternative" in f.message and "增加/减少" in f.message for f in defects)


def test_seed_findings_are_exactly_the_expected_ones(seed_outcome: ValidationOutcome) -> None:
    shapes = {f.source_shape.removeprefix(BGTS) for f in seed_outcome.rows}
    assert shapes == {"PartsAddUpShape", "ChangePercentShape", "RatioZeroDenominatorShape", "MentionNameShape",
                      "ContradictoryDirectionShape", "TextDefectShape", "UnparsedTextShape"}
    # the seed's sums are exact (no rounding note); its one note is the table part printed elsewhere ("详见附件"),
    # what we could not read being our limit, not the source's fault
    assert [f.source_shape.removeprefix(BGTS) for f in seed_outcome.rows if f.severity == "Info"] == [
        "UnparsedTextShape"]


# ---- rounding differences (sh:Info) ----------------------------------------------------------------

def test_rounding_difference_is_a_note_with_the_figures() -> None:
    outcome = _validate_case(HERE / "invalid" / "parts-rounding-difference.ttl")
    (finding,) = outcome.by_shape(BGTS + "PartsRoundingShape")
    assert (finding.severity, outcome.infos, outcome.warnings, outcome.conforms) == ("Info", 1, 0, True)
    assert finding.value is not None and finding.value.endswith("/obs/proc")
    for message in (finding.message, finding.message_en):
        assert "251.25" in message and "4.79万元 + 0万元 + 246.47万元" in message and "251.26" in message
        assert "-0.01" in message and "0.015" in message
    assert "舍入差异" in finding.message and "Rounding difference" in finding.message_en


def test_difference_beyond_rounding_is_a_warning_not_a_note() -> None:
    outcome = _validate_case(HERE / "invalid" / "parts-add-up.ttl")
    assert outcome.by_shape(BGTS + "PartsAddUpShape") and outcome.infos == 0


# ---- publishing the report -------------------------------------------------------------------------

def test_quality_graph_publishes_every_finding(seed_outcome: ValidationOutcome) -> None:
    dataset = next(seed_graph().subjects(RDF.type, URIRef("http://purl.org/linked-data/cube#DataSet")))
    quality = quality_graph(seed_outcome, dataset)  # type: ignore[arg-type]
    annotations = set(quality.objects(dataset, DQV.hasQualityAnnotation))
    assert len(annotations) == len(seed_outcome.rows)
    values = {quality.value(m, DQV.isMeasurementOf): int(quality.value(m, DQV.value))  # type: ignore[arg-type]
              for m in quality.objects(dataset, DQV.hasQualityMeasurement)}
    assert values == {BGT.violationCount: 0, BGT.warningCount: seed_outcome.warnings,
                      BGT.infoCount: seed_outcome.infos}
    assert isomorphic(quality, quality_graph(validate_graph(seed_graph()), dataset))  # type: ignore[arg-type]


def test_broken_shapes_raise_shapes_error(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path", encoding="utf-8")
    with pytest.raises(ShapesError, match=r"broken\.ttl"):
        shapes_graph(tmp_path)


def test_a_shape_that_cannot_run_is_a_shapes_error() -> None:
    """A broken SHACL-SPARQL query (no $this in a nested SELECT) is our fault: ShapesError, not a crash."""
    broken = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:sparql [ sh:select "SELECT $this WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }" ] .
        """, format="turtle")
    data = Graph().parse(data="<urn:a> a <urn:C> .", format="turtle")
    with pytest.raises(ShapesError, match="cannot be applied"):
        validate_graph(data, shapes=broken)

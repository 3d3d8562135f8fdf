"""Built together, 13 (2025) and 12 (2024, the same department's year before) publish the cross-year checks of
13's statements about 2024: agreements and disagreements as data in 13's graph, each disagreement as a finding
of 13's quality report; serial and parallel, cold and cached builds give the same bytes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_publisher.build import BuildResult, build
from kg_publisher.settings import load_settings

from ..conftest import CORPUS
from .test_parallel_build import _files

pytestmark = pytest.mark.needs_shared("corpus")

LATER, EARLIER = "13_putuo-wanli-2025-budget.txt", "12_putuo-wanli-2024-budget.txt"
CHECKS = """
PREFIX bgt: <https://w3id.org/cn-budget-kg/def#>
PREFIX qb: <http://purl.org/linked-data/cube#>
SELECT ?check ?statement ?current ?prior ?priorDataset ?agrees WHERE {
  GRAPH ?g { ?check a bgt:CrossYearCheck ; bgt:checkedStatement ?statement ; bgt:currentObservation ?current ;
                    bgt:priorObservation ?prior ; bgt:priorDataset ?priorDataset ; bgt:agreesWithPriorYear ?agrees . }
  GRAPH ?g { ?statement a bgt:ChangeStatement ; bgt:about ?current . ?current a qb:Observation }
  GRAPH ?h { ?prior a qb:Observation ; qb:dataSet ?priorDataset }
} ORDER BY ?check"""
FINDINGS = """
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?focus ?value ?message WHERE {
  GRAPH ?q { ?finding sh:sourceShape <https://w3id.org/cn-budget-kg/shapes#CrossYear-DisagreementShape> ;
                      sh:focusNode ?focus ; sh:value ?value ; sh:resultMessage ?message .
             FILTER (LANG(?message) = "zh") }
} ORDER BY ?focus"""
LATER_KEY, EARLIER_KEY = "shanghai-putuo-wanli-2025-budget", "shanghai-putuo-wanli-2024-budget"
#: The later year's warning count as measured, and as listed finding by finding.
WARNINGS = f"""
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX dqv: <http://www.w3.org/ns/dqv#>
SELECT ?count (COUNT(DISTINCT ?finding) AS ?listed) WHERE {{
  GRAPH <https://w3id.org/cn-budget-kg/graph/{LATER_KEY}/quality> {{
    ?m dqv:isMeasurementOf <https://w3id.org/cn-budget-kg/def#warningCount> ; dqv:value ?count .
    ?finding sh:resultSeverity sh:Warning . }}
}} GROUP BY ?count"""


def _rows(release: Path, query: str) -> list[dict[str, str]]:
    store = ox.Store.read_only(str(release / "store"))
    answer = store.query(query)
    assert isinstance(answer, ox.QuerySolutions)
    names = [variable.value for variable in answer.variables]
    return [{name: solution[name].value for name in names} for solution in answer]


@pytest.fixture(scope="module")
def wrong_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """13 with one figure about 2024 misprinted: its revenue rose by 3,356.65万元, not 3,355.65万元."""
    text = (CORPUS / LATER).read_text(encoding="utf-8")
    changed = text.replace("比2024年预算增加\n3,355.65万元；", "比2024年预算增加\n3,356.65万元；", 1)
    assert changed != text
    path = tmp_path_factory.mktemp("wrong") / LATER
    path.write_text(changed, encoding="utf-8")
    return path


def test_the_checks_are_published_and_agree(tmp_path: Path) -> None:
    result = build([CORPUS / EARLIER, CORPUS / LATER], tmp_path / "out", load_settings(environ={}), jobs=2)
    assert result.exit_code == 0 and result.release_dir is not None
    rows = _rows(result.release_dir, CHECKS)
    assert len(rows) >= 9, rows
    assert {row["agrees"] for row in rows} == {"true"}
    assert all(f"/{LATER_KEY}/crossyear/" in row["check"] and f"/{EARLIER_KEY}/obs/" in row["prior"]
               and row["priorDataset"].endswith(f"/{EARLIER_KEY}") for row in rows)
    revenue = next(row for row in rows if row["check"].endswith("/crossyear/revenue-01-change"))
    assert revenue["prior"].endswith("/shanghai-putuo-wanli-2024-budget/obs/revenue-01")
    assert _rows(result.release_dir, FINDINGS) == []


@pytest.fixture(scope="module")
def wrong_build(tmp_path_factory: pytest.TempPathFactory, wrong_2025: Path) -> BuildResult:
    return build([CORPUS / EARLIER, wrong_2025], tmp_path_factory.mktemp("serial") / "out", load_settings(environ={}),
                 jobs=1)


def test_a_disagreement_is_a_finding_of_the_later_year(wrong_build: BuildResult, wrong_2025: Path) -> None:
    release = wrong_build.release_dir
    assert wrong_build.exit_code == 0 and release is not None
    checks = {row["check"].rsplit("/", 1)[1]: row["agrees"] for row in _rows(release, CHECKS)}
    assert checks["revenue-01-change"] == "false"
    assert [key for key, agrees in checks.items() if agrees == "false"] == ["revenue-01-change"]
    findings = _rows(release, FINDINGS)
    assert [(row["focus"].rsplit("/", 1)[1], row["value"].rsplit("/", 2)[-2:]) for row in findings] == [
        ("revenue-01-change", ["obs", "revenue-01"])]
    # 18,976.76 − 3,356.65 = 15,620.11万元 implied; 2024 printed 15,621.11万元
    assert "156201100.0" in findings[0]["message"] and "156211100.0" in findings[0]["message"]
    later = next(doc for doc in wrong_build.documents if doc.path == wrong_2025)
    counted = _rows(release, WARNINGS)
    assert [(int(row["count"]), int(row["listed"])) for row in counted] == [(later.warnings, later.warnings)]
    datasets = wrong_build.manifest["datasets"]
    assert isinstance(datasets, list)
    assert next(row["warnings"] for row in datasets if row["key"] == LATER_KEY) == later.warnings
    assert "CrossYear-DisagreementShape" in (release / "report.ttl").read_text(encoding="utf-8")


def test_cross_year_releases_are_the_same_serial_parallel_cold_and_cached(tmp_path: Path, wrong_build: BuildResult,
                                                                          wrong_2025: Path) -> None:
    settings = load_settings(environ={})
    sources = [CORPUS / EARLIER, wrong_2025]
    parallel = build(sources, tmp_path / "parallel", settings, jobs=2)
    assert wrong_build.release_dir is not None and parallel.release_dir is not None
    assert _files(wrong_build.release_dir) == _files(parallel.release_dir)
    shutil.copytree(wrong_build.out_dir / "cache", tmp_path / "cached" / "cache")
    cached = build(sources, tmp_path / "cached", settings, jobs=1)
    assert [doc.cached for doc in cached.documents] == [True, True]
    assert cached.release_dir is not None and _files(cached.release_dir) == _files(wrong_build.release_dir)

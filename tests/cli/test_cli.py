"""The command line on the real seed: exit codes, messages, outputs, determinism, atomic releases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg_publisher.cli import main
from kg_publisher.vocab import QB

from ..conftest import whole_nquads


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory: pytest.TempPathFactory, seed_path: Path) -> Path:
    out = tmp_path_factory.mktemp("build")
    code, stdout, stderr = run("build", str(seed_path), "--out", str(out), "-q")
    assert code == 0, stdout + stderr
    return out


def test_build_publishes_graph_report_and_records(seed_build: Path) -> None:
    current = seed_build / "current"
    assert current.is_symlink()
    dataset = Dataset()
    dataset.parse(data=whole_nquads(current), format="nquads")
    data_graph = dataset.graph(URIRef("https://w3id.org/cn-budget-kg/graph/panjin-xinglongtai-zwfwzx-2022-budget"))
    assert len(list(data_graph.subjects(RDF.type, QB.Observation))) > 30
    report = Graph().parse(current / "report.ttl", format="turtle")
    # the source's faults are warnings; the one note is the tables part we could not read (printed elsewhere)
    assert set(report.objects(None, SH.resultSeverity)) == {SH.Warning, SH.Info}
    records = json.loads((current / "records" / "panjin-xinglongtai-zwfwzx-2022-budget.json").read_text("utf-8"))
    assert records["info"]["department"] == "盘锦市兴隆台区政务服务中心"
    manifest = json.loads((current / "manifest.json").read_text("utf-8"))
    assert manifest["version"] == current.resolve().name


def test_build_is_deterministic_and_cached(seed_build: Path, seed_path: Path, tmp_path: Path) -> None:
    code, stdout, _ = run("build", str(seed_path), "--out", str(tmp_path), "-q")
    assert code == 0
    first = whole_nquads(seed_build / "current")
    assert whole_nquads(tmp_path / "current") == first
    code, stdout, _ = run("build", str(seed_path), "--out", str(tmp_path), "-q")
    assert code == 0 and "cached" in stdout
    assert whole_nquads(tmp_path / "current") == first


def test_timings_name_every_stage_of_the_build(seed_build: Path, seed_path: Path, tmp_path: Path) -> None:
    code, stdout, stderr = run("build", str(seed_path), "--out", str(tmp_path), "-q", "--timings")
    assert code == 0, stdout + stderr
    walls: dict[str, float] = {}
    for line in stderr.splitlines():
        if line.startswith("stage "):
            _, name, wall, s, label, cpu, s_cpu, label_cpu = line.split()
            assert (s, label, s_cpu, label_cpu) == ("s", "wall", "s", "cpu"), line
            assert float(wall) >= 0 and float(cpu) >= 0
            walls[name] = float(wall)
    for name in ("documents", "outputs", "release", "release.catalogue", "release.store", "release.search",
                 "release.manifest", "release.pages", "release.prune"):
        assert name in walls, (name, stderr)
    # the release step's stages are parts of it, and leave little of it untimed; the store and the search index
    # are written beside them
    beside = ("release.store", "release.search")
    inside = sum(wall for name, wall in walls.items() if name.startswith("release.") and name not in beside)
    assert walls["release"] * 0.8 <= inside <= walls["release"] + 0.01
    assert all(walls[name] <= walls["release"] for name in beside)
    assert whole_nquads(tmp_path / "current") == whole_nquads(seed_build / "current")
    assert "stage " not in run("build", str(seed_path), "--out", str(tmp_path), "-q")[2]


def test_base_iri_option_changes_every_minted_iri(seed_path: Path, tmp_path: Path) -> None:
    code, _, stderr = run("build", str(seed_path), "--out", str(tmp_path), "-q", "--base-iri",
                          "https://budget.example.cn/kg/")
    assert code == 0, stderr
    text = whole_nquads(tmp_path / "current").decode("utf-8")
    assert "<https://budget.example.cn/kg/id/dataset/panjin-xinglongtai-zwfwzx-2022-budget>" in text
    assert "<https://w3id.org/cn-budget-kg/id/" not in text


def test_extract_prints_records_with_spans(seed_path: Path) -> None:
    code, stdout, _ = run("extract", str(seed_path))
    assert code == 0
    records = json.loads(stdout)
    text = seed_path.read_text("utf-8")
    revenue = next(f for f in records["facts"] if f["key"] == "revenue-total")
    assert revenue["amount"]["value"] == "819.82" and revenue["amount"]["unit"] == "万元"
    span = revenue["span"]
    assert text[span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize("command", ["build", "extract"])
def test_missing_file_is_a_usage_error_naming_the_file(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    args = [command, str(missing)] + (["--out", str(tmp_path / "out")] if command == "build" else [])
    code, _, stderr = run(*args)
    assert code == 2
    assert "nope.txt" in stderr
    assert not (tmp_path / "out" / "current").exists()


def test_non_utf8_text_is_refused_with_a_hint(tmp_path: Path) -> None:
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("第一部分 部门概况 收入预算819.82万元".encode("gb18030"))
    code, _, stderr = run("extract", str(bad))
    assert code == 2
    assert "gbk.txt" in stderr and "UTF-8" in stderr


def test_text_without_disclosure_sections_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "poem.txt"
    doc.write_text("床前明月光，疑是地上霜。举头望明月，低头思故乡。\n", encoding="utf-8")
    code, _, stderr = run("extract", str(doc))
    assert code == 2 and "poem.txt" in stderr


def test_batch_skips_a_bad_document_publishes_the_rest_and_says_so(seed_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(seed_path, folder)
    (folder / "broken.txt").write_bytes(b"\xff\xfe not utf-8 \x81")
    code, stdout, stderr = run("build", str(folder), "--out", str(tmp_path / "out"), "-q")
    assert code == 2
    assert "broken.txt" in stderr and "FAILED" in stderr
    assert "published" in stdout and (tmp_path / "out" / "current" / "manifest.json").is_file()


def test_a_failed_build_leaves_the_published_release_intact(seed_build: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(seed_build, out, symlinks=True)
    before = (out / "current").resolve()
    bad = tmp_path / "bad.txt"
    bad.write_text("no budget here", encoding="utf-8")
    code, _, _ = run("build", str(bad), "--out", str(out), "-q")
    assert code == 2
    assert (out / "current").resolve() == before
    assert (before / "manifest.json").is_file() and whole_nquads(before)


def test_validate_accepts_the_built_graph(seed_build: Path) -> None:
    code, stdout, _ = run("validate", str(seed_build))
    assert code == 0, stdout
    assert "0 violations" in stdout


def test_validate_reports_violations_with_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix qb: <http://purl.org/linked-data/cube#> .\n"
        "@prefix obeu-measure: <http://data.openbudgets.eu/ontology/dsd/measure/> .\n"
        "<https://w3id.org/cn-budget-kg/id/dataset/x-2022-budget/obs/a> a qb:Observation ;\n"
        "    obeu-measure:amount 1.5e0 .\n", encoding="utf-8")
    code, stdout, _ = run("validate", str(bad))
    assert code == 1
    assert "Violation" in stdout


def test_validate_refuses_files_that_are_not_rdf(tmp_path: Path) -> None:
    bad = tmp_path / "notes.ttl"
    bad.write_text("this is not turtle {", encoding="utf-8")
    code, _, stderr = run("validate", str(bad))
    assert code == 2 and "notes.ttl" in stderr


def test_usage_errors_exit_2() -> None:
    code, _, _ = run("validate")
    assert code == 2
    code, _, _ = run("frobnicate")
    assert code == 2


def test_old_releases_are_pruned_and_the_current_one_kept(seed_path: Path, tmp_path: Path) -> None:
    from kg_publisher.settings import load_settings

    keep = load_settings(environ={}).keep_releases
    assert keep == 3
    for number in range(keep + 2):
        code, _, _ = run("build", str(seed_path), "--out", str(tmp_path), "-q", "--base-iri",
                         f"https://example.org/v{number}/")
        assert code == 0
    releases = [p for p in (tmp_path / "releases").iterdir() if not p.name.startswith(".")]
    assert len(releases) == keep + 1
    assert (tmp_path / "current").resolve() in [p.resolve() for p in releases]
    # cache entries of other settings (other base IRIs) can never be hit again: only the last one stays, and the
    # last parts of the whole graphs (vocabulary, shapes), and what the last compiled shapes' constraints match
    assert len([p for p in (tmp_path / "cache").iterdir() if p.is_dir() and p.name != "graphs"]) == 1
    assert len([p for p in (tmp_path / "cache").iterdir() if p.name.startswith("compiled-shapes-")]) == 1
    assert sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "graphs").iterdir()) == ["shapes", "vocabulary"]


def test_a_pdf_disclosure_is_built_with_page_selectors(corpus_dir: Path, tmp_path: Path) -> None:
    pdf = corpus_dir / "originals" / "03_putuo-czj-2025-budget.pdf"
    code, stdout, stderr = run("build", str(pdf), "--out", str(tmp_path), "-q")
    assert code == 0, stdout + stderr
    dataset = Dataset()
    dataset.parse(data=whole_nquads(tmp_path / "current"), format="nquads")
    pages = {str(value) for _, _, value, _ in dataset.quads((None, RDF.value, None, None))
             if str(value).startswith("page=")}
    assert len(pages) > 3  # figures come from several pages, each span names its page

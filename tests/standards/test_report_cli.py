"""``python -m kg_publisher.standards``: one line per check on a real release; clear errors on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_publisher.standards.__main__ import locate, main


def test_report_on_the_seed_release(seed_release: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(seed_release)])
    lines = capsys.readouterr().out.splitlines()
    checks = [line for line in lines if line.startswith(("ok   ", "FAIL "))]
    # normalisation + IC-1…IC-21 + 9 SKOS checks, each named once
    assert len(checks) == 1 + 21 + 9
    for n in range(1, 22):
        assert sum(f" IC-{n} " in line for line in checks) == 1
    assert status == (1 if any(line.startswith("FAIL") for line in checks) else 0)
    assert lines[-1].startswith("Data Cube IC-1…IC-21: ")


def test_build_and_release_folders_stand_for_their_whole_graph(seed_release: Path, tmp_path: Path) -> None:
    build_dir = seed_release.parent.parent
    assert locate(build_dir) == build_dir and locate(seed_release) == seed_release
    (tmp_path / "kg.nq").write_bytes(b"")
    assert main([str(tmp_path)]) == 2  # a folder holding no release is not one


def test_missing_path_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nowhere")]) == 2
    error = capsys.readouterr().err
    assert "neither an RDF file nor a build or release folder" in error and "kg-publisher build" in error


def test_broken_nquads_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "kg.nq"
    broken.write_text("<https://example.org/s> <https://example.org/p> 不是RDF .\n", encoding="utf-8")
    assert main([str(broken)]) == 2
    assert "not valid nquads" in capsys.readouterr().err


def test_unknown_file_type_names_the_accepted_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "graph.csv"
    other.write_text("a,b\n", encoding="utf-8")
    assert main([str(other)]) == 2
    assert ".nq" in capsys.readouterr().err

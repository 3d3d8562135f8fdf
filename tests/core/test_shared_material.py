"""Tests that need ../shared skip under one line without it, and fail under KGP_REQUIRE_SHARED=1 (what .ci/run sets
when ../shared is present). Checked on a copy of tests/conftest.py in a folder with and without a ../shared."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import REQUIRE_SHARED, ROOT

USES_SHARED = '''
import pytest

pytestmark = pytest.mark.needs_shared("corpus")


@pytest.mark.parametrize("n", range(3))
def test_marked(n):
    assert n < 3


def test_by_fixture(corpus_dir):
    assert corpus_dir.name == "corpus"
'''


def _checkout(tmp_path: Path) -> Path:
    checkout = tmp_path / "checkout"
    (checkout / "tests").mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", checkout / "tests" / "conftest.py")
    (checkout / "tests" / "__init__.py").write_text("", encoding="utf-8")
    (checkout / "tests" / "test_uses_shared.py").write_text(USES_SHARED, encoding="utf-8")
    (checkout / "tests" / "test_plain.py").write_text("def test_without_shared():\n    assert True\n", encoding="utf-8")
    return checkout


def _pytest(checkout: Path, require: bool) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != REQUIRE_SHARED}
    if require:
        env[REQUIRE_SHARED] = "1"
    return subprocess.run([sys.executable, "-m", "pytest", "-ra", "-p", "no:cacheprovider",
                           "--rootdir", str(checkout), "-c", os.devnull, "tests"],
                          cwd=checkout, env=env, capture_output=True, text=True)


def test_without_shared_they_skip_under_one_line(tmp_path: Path) -> None:
    run = _pytest(_checkout(tmp_path), require=False)
    assert run.returncode == 0, run.stdout + run.stderr
    skipped = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1, run.stdout
    assert skipped[0].startswith("SKIPPED [4] tests/conftest.py:") and "needs the shared test material" in skipped[0]
    assert "1 passed, 4 skipped" in run.stdout


def test_under_require_shared_a_missing_shared_fails(tmp_path: Path) -> None:
    run = _pytest(_checkout(tmp_path), require=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed, 4 errors" in run.stdout and "is missing" in run.stdout


@pytest.mark.parametrize("require", [False, True])
def test_with_shared_they_run(tmp_path: Path, require: bool) -> None:
    checkout = _checkout(tmp_path)
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    run = _pytest(checkout, require=require)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "5 passed" in run.stdout and "skipped" not in run.stdout


def test_under_require_shared_a_run_that_used_none_fails(tmp_path: Path) -> None:
    checkout = _checkout(tmp_path)
    (tmp_path / "shared" / "corpus").mkdir(parents=True)
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--rootdir", str(checkout),
                          "-c", os.devnull, "tests", "-k", "without_shared"], cwd=checkout,
                         env={**os.environ, REQUIRE_SHARED: "1"}, capture_output=True, text=True)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "no test used ../shared" in run.stdout

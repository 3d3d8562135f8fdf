"""The package's data files (ontology, shapes, code lists, registry, built-in example, templates) are package data:
a wheel built from the source carries them, and the installed command builds and validates outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from kg_publisher import package_data

from ..conftest import ROOT, whole_nquads

#: What a wheel is built from (the rest of the repository is not part of the package).
SOURCE_ITEMS = ("pyproject.toml", "README.md", "kg_publisher", "ontology", "shapes", "data")


def test_every_data_file_is_found_from_the_package() -> None:
    root = package_data.package_dir()
    assert (root / "__init__.py").is_file()
    for folder, pattern in ((package_data.ontology_dir(), "*.ttl"), (package_data.shapes_dir(), "*.ttl"),
                            (package_data.codelist_dir(), "*.csv"), (package_data.templates_dir(), "*.html"),
                            (package_data.queries_dir(), "*.rq")):
        assert list(folder.glob(pattern)), folder
    assert package_data.registry_file().is_file()
    assert package_data.example_disclosure().read_bytes() == (ROOT / "data" / "disclosures" /
                                                               package_data.EXAMPLE_NAME).read_bytes()
    assert (package_data.static_dir() / "style.css").is_file()


def test_no_module_finds_data_relative_to_its_own_file() -> None:
    offenders = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "kg_publisher").rglob("*.py"))
                 if "__file__" in path.read_text(encoding="utf-8")]
    assert offenders == []


def _clean_env() -> dict[str, str]:
    """The environment of a user who just installed the wheel: no settings from the test run, no source path."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("KGP_", "PYTHON", "VIRTUAL_ENV")) and key not in ("HOST", "PORT")}


@pytest.mark.slow
def test_a_wheel_installed_outside_the_repository_builds_and_validates_the_example(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCE_ITEMS:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(item, source / name)
    wheels = tmp_path / "wheels"
    # No build isolation and no index: setuptools comes from the test environment, nothing from the network.
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                            "--no-index", "--wheel-dir", str(wheels), str(source)],
                           capture_output=True, text=True, env=_clean_env())
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = wheels.glob("kg_publisher-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                                "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True,
                               env=_clean_env())
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # The dependencies (rdflib, pyshacl, …) are the test environment's, on the path after the venv's own
    # site-packages; a path line in a .pth does not run that folder's .pth files, so the editable install of
    # the repository stays out.
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site_packages = Path(subprocess.run([str(python), "-c", purelib], check=True, capture_output=True,
                                        text=True).stdout.strip())
    (site_packages / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import kg_publisher.package_data as d, kg_publisher.web as w; "
                            "print(d.package_dir()); print(d.shapes_dir()); print(w.__file__)"],
                           cwd=elsewhere, env=_clean_env(), capture_output=True, text=True)
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(site_packages), line
        assert not Path(line).resolve().is_relative_to(ROOT), line

    command = venv / "bin" / "kg-publisher"
    out = elsewhere / "build"
    build = subprocess.run([str(command), "build", "--example", "--out", str(out), "-q"], cwd=elsewhere,
                           env=_clean_env(), capture_output=True, text=True)
    assert build.returncode == 0, build.stdout + build.stderr
    assert "published" in build.stdout and "panjin-xinglongtai-zwfwzx-2022-budget" in build.stdout
    kg = whole_nquads(out / "current").decode("utf-8")
    for graph in ("shapes", "vocabulary", "panjin-xinglongtai-zwfwzx-2022-budget"):
        assert f"<https://w3id.org/cn-budget-kg/graph/{graph}> .\n" in kg
    validate = subprocess.run([str(command), "validate", str(out)], cwd=elsewhere,
                              env=_clean_env(), capture_output=True, text=True)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert validate.stdout.splitlines()[-1].startswith("0 violations, ")

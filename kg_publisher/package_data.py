"""The files the package ships besides its code, found through :mod:`importlib.resources` (the one place that
knows where they are).

In the repository they live at the top (``ontology/``, ``shapes/``, ``data/``; ``kg_publisher/ontology`` … are
symlinks to them); an installed wheel carries them inside the package. Either way they are reached from the
``kg_publisher`` package, never from a path relative to the source tree.

>>> (ontology_dir() / "budget.ttl").is_file(), registry_file().name
(True, 'organizations.csv')
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from pathlib import Path

from .errors import ShapesError

#: The built-in example: 盘锦市兴隆台区政务服务中心 2022年度部门预算 (data/README.md).
EXAMPLE_NAME = "00_panjin-xinglongtai-zwfwzx-2022-budget.txt"


@cache
def package_dir() -> Path:
    """The folder of the installed ``kg_publisher`` package."""
    root = files("kg_publisher")
    if not isinstance(root, Path):
        raise ShapesError(f"kg_publisher is installed as {root!r}, not as files on disk",
                          "Install kg-publisher from its wheel (pip install) so its data files are on disk.")
    return root


def ontology_dir() -> Path:
    """Our ontology, code-list schemes and local descriptions of reused terms (``*.ttl``)."""
    return package_dir() / "ontology"


def shapes_dir() -> Path:
    """The SHACL shapes every disclosure is validated with (``*.ttl``)."""
    return package_dir() / "shapes"


def codelist_dir() -> Path:
    """Classification code lists as CSV (``func.csv``, ``econ-dept.csv``)."""
    return package_dir() / "data" / "codelists"


def registry_file() -> Path:
    """The organisation registry: canonical names, aliases, slugs."""
    return package_dir() / "data" / "registry" / "organizations.csv"


def example_disclosure() -> Path:
    """The built-in example disclosure (what ``kg-publisher build --example`` builds)."""
    return package_dir() / "data" / "disclosures" / EXAMPLE_NAME


def queries_dir() -> Path:
    """The example SPARQL queries (``*.rq``) the README, the /sparql page and the tests share."""
    return package_dir() / "queries"


def templates_dir() -> Path:
    """Jinja templates of the web pages."""
    return package_dir() / "web" / "templates"


def static_dir() -> Path:
    """Style sheet and vendored scripts of the web pages."""
    return package_dir() / "web" / "static"


def fingerprint_files() -> Iterator[tuple[str, Path]]:
    """Every file besides a document's bytes that shapes what the build makes of it (code, ontology, shapes, code
    lists, registry), with a name relative to the package, in a fixed order."""
    root = package_dir()
    groups = ((root, "**/*.py"), (ontology_dir(), "**/*.ttl"), (shapes_dir(), "**/*.ttl"),
              (codelist_dir(), "*.csv"), (registry_file().parent, "*.csv"))
    for folder, pattern in groups:
        for path in sorted(folder.glob(pattern)):
            yield path.relative_to(root).as_posix(), path

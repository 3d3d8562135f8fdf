"""``python -m kg_publisher.standards PATH``: run the Data Cube and SKOS checks on a published graph and
print one line per check with the time each family took.

PATH is a build folder (its current release's whole graph is read), a release folder or an RDF file
(N-Quads, TriG, Turtle, N-Triples). Exit status 0 when every check passes, 1 when one fails, 2 when
the input cannot be read.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rdflib import Dataset

from ..errors import BuildError, KgPublisherError
from ..publish.release import MANIFEST, Release
from .datacube import ICResult, check_normalised, normalised_copy
from .skos import SkosResult, check_skos

FORMATS = {".nq": "nquads", ".trig": "trig", ".ttl": "turtle", ".nt": "nt"}


def locate(path: Path) -> Path:
    """The RDF file, or the build or release folder, that PATH stands for."""
    if path.is_file() or (path / MANIFEST).is_file() or (path / "current" / MANIFEST).is_file():
        return path
    raise BuildError(f"{path}: neither an RDF file nor a build or release folder",
                     "Give the --out folder of `kg-publisher build`, one of its releases, or an RDF file.")


def load(path: Path) -> Dataset:
    dataset = Dataset(default_union=True)
    if path.is_dir():  # a release: its whole graph, read from its parts' files
        rdf_format = "nquads"
        with Release.open(path).open_nquads() as stream:
            dataset.parse(source=stream, format=rdf_format)
        return dataset
    rdf_format = FORMATS.get(path.suffix.lower()) or ""
    if not rdf_format:
        raise BuildError(f"{path}: unknown RDF file type {path.suffix!r}",
                         f"Give one of {', '.join(sorted(FORMATS))} or a build folder.")
    try:
        dataset.parse(path, format=rdf_format)
    except Exception as exc:  # rdflib raises several unrelated types for bad syntax
        raise BuildError(f"{path}: not valid {rdf_format} ({exc})", "Rebuild it with `kg-publisher build`.") from None
    return dataset


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        path = locate(Path(args[0]))
        started = time.perf_counter()
        graph = load(path)
        loaded = time.perf_counter()
    except KgPublisherError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    copy, added = normalised_copy(graph)
    normalised = time.perf_counter()
    cube = check_normalised(copy)
    checked = time.perf_counter()
    skos = check_skos(graph)
    done = time.perf_counter()
    print(f"{path}: {len(copy)} triples, loaded in {loaded - started:.2f} s")
    print(f"{'ok  ' if added == 0 else 'FAIL'} normalisation adds {added} triples ({normalised - loaded:.2f} s)")
    results: list[ICResult | SkosResult] = [*cube, *skos]
    for result in results:
        print(f"{'ok  ' if result.passed else 'FAIL'} {result.message}")
    print(f"Data Cube IC-1…IC-21: {checked - normalised:.2f} s; SKOS: {done - checked:.2f} s")
    failed = added != 0 or any(not result.passed for result in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

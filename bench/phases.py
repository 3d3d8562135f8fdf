"""CPU per document, phase by phase, in one warm build process (issue 9: where a document's time goes).

    .venv/bin/python bench/phases.py 10                       # 10 generated disclosures, median of 3 runs
    .venv/bin/python bench/phases.py 10 --repeat 5 --seed 1
    .venv/bin/python bench/phases.py --sources DIR            # the disclosures of a folder instead
    .venv/bin/python bench/phases.py 10 --profile out.pstats  # also a cProfile of one run over every document

Each document goes through the steps of the build's first pass (``build._make_entry``: read and records, the
rdflib graph, printed codes and the year's classification schemes, the graph's N-Triples (the cache entry's, which
the validation queries), validation with the compiled shapes, the quality graph, the records JSON, the cache entry:
the quality graph's N-Triples and the files) and its part
(``build._make_part``), timed one by one as process time (user + sys of this process, so other sessions on a
shared machine change the figures less than wall time would). What a build loads once per process (vocabulary,
compiled shapes and the vocabulary's index) is loaded first and frozen out of the garbage collector, as the
build does; every document is then run once to warm up, and ``--repeat`` times more, each as the build runs it
(``build.one_document``: no automatic garbage collection, one collection after it, timed as a phase of its own).
Printed: for each phase, the median over the runs of its mean CPU seconds per document, and the totals. Always
write the load average (printed at the start and the end) beside a figure.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from kg_publisher import __version__
from kg_publisher.build import CHECKED_WITH, _Cache, _classifications, _Doc, _make_part, _warm_up, _worker_context
from kg_publisher.extract.readers import read_source
from kg_publisher.ntriples import free_graph, graph_ntriples
from kg_publisher.publish.catalog import KIND_TITLES
from kg_publisher.rdf import context, disclosure_graph
from kg_publisher.rdf.codelists import printed_codes
from kg_publisher.records.crossyear import YearFigures
from kg_publisher.records.parse import parse_disclosure
from kg_publisher.settings import Settings, load_settings
from kg_publisher.validate import quality_graph, validate_graph

#: The phases, in the order a document goes through them.
PHASES = ("read + records", "graph (rdflib)", "printed codes + schemes", "graph N-Triples", "validation (compiled)",
          "quality graph", "records JSON", "cache entry", "part", "garbage collection")


class _Clock:
    """Process time spent in each phase."""

    def __init__(self) -> None:
        self.spent = dict.fromkeys(PHASES, 0.0)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.process_time()
        try:
            yield
        finally:
            self.spent[name] += time.process_time() - started


def _document(path: Path, out: Path, settings: Settings, clock: _Clock) -> None:
    """One document through the build's steps, as ``build._make_entry`` and ``build._make_part`` take them."""
    base_iri = settings.base_iri
    minter, registry, vocabulary = _worker_context(base_iri)
    cache_ = _Cache(out, base_iri)
    with clock.phase("read + records"):
        source = read_source(path)
        disclosure = parse_disclosure(source)
        org = registry.resolve(disclosure.info.department)
    with clock.phase("graph (rdflib)"):
        graph = disclosure_graph(disclosure, minter, org, __version__)
    info = disclosure.info
    dataset = minter.dataset(org.slug, info.year, info.kind)
    with clock.phase("printed codes + schemes"):
        printed = printed_codes(graph)
        schemes = _classifications(info.year, printed)
    with clock.phase("graph N-Triples"):
        graph_nt = graph_ntriples(graph)
    with clock.phase("validation (compiled)"):
        outcome = validate_graph(graph, (vocabulary, schemes), engine="compiled", ntriples=graph_nt)
    with clock.phase("quality graph"):
        quality = quality_graph(outcome, dataset, checked_with=CHECKED_WITH)
    with clock.phase("records JSON"):
        records_json = disclosure.to_json()
    zh_kind, _ = KIND_TITLES[info.kind]
    meta: dict[str, Any] = {
        "key": minter.dataset_key(org.slug, info.year, info.kind), "dataset": str(dataset),
        "organization": str(minter.organization(org.slug)),
        "title": info.title or f"{info.department}{info.year}年{zh_kind}",
        "department": info.department, "year": info.year, "kind": info.kind, "region": info.region,
        "violations": outcome.violations, "warnings": outcome.warnings, "notes": outcome.infos,
        "cross_year": YearFigures.of(disclosure).to_json_dict(), "printed": printed,
        "source": {"sha256": source.sha256, "media_type": source.media_type, "byte_size": source.byte_size},
    }
    with clock.phase("cache entry"):  # the quality graph's N-Triples, the files, their index; the graph freed
        cache_.store(source.sha256, meta, graph_nt, quality, source.text, records_json)
        free_graph(graph)
    with clock.phase("part"):
        _make_part(_Doc(path, source.sha256, meta), None, settings, out)


def _run(paths: list[Path], settings: Settings) -> dict[str, float]:
    """Every document once, in a fresh build folder; CPU seconds per phase per document."""
    for kept in (context._literal, context.zh, context.en, context.canonical_decimal):
        kept.cache_clear()  # what the mapping keeps made from earlier documents: not from this same one's last run
    clock = _Clock()
    with tempfile.TemporaryDirectory(prefix="kgp-phases-") as tmp:
        for path in paths:
            # as the build runs a document (build.one_document): no automatic collection, one collection after
            gc.disable()
            try:
                _document(path, Path(tmp), settings, clock)
            finally:
                with clock.phase("garbage collection"):
                    gc.collect(0)
                gc.enable()
    return {name: spent / len(paths) for name, spent in clock.spent.items()}


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("count", type=int, nargs="?", default=10, help="generated disclosures (default 10)")
    parser.add_argument("--sources", type=Path, help="a folder of disclosures to use instead of generated ones")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated disclosures")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs over every document (median printed)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of one more run over every document here")
    args = parser.parse_args(argv)
    print(f"load average at start: {_load()}")
    settings = load_settings()
    with tempfile.TemporaryDirectory(prefix="kgp-phases-src-") as tmp:
        if args.sources is not None:
            paths = sorted(p for p in args.sources.iterdir() if p.is_file() and not p.name.endswith(".json"))
        else:
            paths = generate(args.count, Path(tmp), seed=args.seed)
        started = time.process_time()
        with tempfile.TemporaryDirectory(prefix="kgp-phases-warm-") as warm:
            _warm_up(_Cache(Path(warm), settings.base_iri))
        print(f"warm-up (vocabulary, compiled shapes, their index): {time.process_time() - started:.2f} s CPU")
        gc.collect()
        gc.freeze()  # as build._Workers does after its warm-up
        _run(paths, settings)  # every document once: lazily compiled constraints, the years' schemes
        runs = [_run(paths, settings) for _ in range(args.repeat)]
        if args.profile is not None:
            profiler = cProfile.Profile()
            profiler.enable()
            _run(paths, settings)
            profiler.disable()
            profiler.dump_stats(args.profile)
    print(f"{len(paths)} documents, median of {args.repeat} runs, CPU s per document:")
    medians = {name: statistics.median(run[name] for run in runs) for name in PHASES}
    for name in PHASES:
        print(f"  {name:<26} {medians[name]:>7.3f}")
    before_part = sum(value for name, value in medians.items() if name not in ("part", "garbage collection"))
    print(f"  {'before the part':<26} {before_part:>7.3f}")
    print(f"  {'total':<26} {sum(medians.values()):>7.3f}")
    print(f"load average at end: {_load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Per-document validation cost: pyshacl (the reference) against the compiled shapes the build uses.

    .venv/bin/python bench/validation.py                    # data/disclosures
    .venv/bin/python bench/validation.py --generated 20     # plus 20 generated disclosures (bench/generate.py)
    .venv/bin/python bench/validation.py --repeat 5         # median of 5 runs per document and engine

Both engines are warmed up first on every document (pyshacl's parsed SPARQL constraints, the compiled shapes,
the vocabulary's index: what each document of a long build finds ready), then each document is validated
``--repeat`` times by each engine in turn (the objects alive after the warm-up frozen out of the garbage
collector, for both alike), with the same inputs (the document's graph, the vocabulary and the
year's classification schemes, as the build makes them). For each document: triples, the median CPU seconds
of each engine (process time, so a busy machine changes the figures less than wall time would), the ratio, and
whether both gave the same results (``comparable_results``). The last lines give the sums and the ratio of the
sums, and the smallest per-document ratio.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from kg_publisher.build import document_graphs
from kg_publisher.validate import comparable_results, compiled_shapes, validate_graph

DISCLOSURES = Path(__file__).resolve().parent.parent / "data" / "disclosures"
ENGINES = ("pyshacl", "compiled")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--generated", type=int, default=0, help="also validate this many generated disclosures")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated disclosures")
    parser.add_argument("--repeat", type=int, default=3, help="runs per document and engine (median printed)")
    args = parser.parse_args(argv)
    started = time.process_time()
    compiled_shapes()
    print(f"shapes compiled once per process: {time.process_time() - started:.2f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        paths = sorted(DISCLOSURES.glob("*.txt"))
        if args.generated:
            paths += generate(args.generated, Path(tmp), seed=args.seed)
        inputs = [(path, *document_graphs(path)) for path in paths]
    started = time.process_time()
    for _, data, vocabulary in inputs:
        for engine in ENGINES:
            validate_graph(data, vocabulary, engine=engine)
    print(f"warm-up (each engine once on every document): {time.process_time() - started:.1f} s CPU")
    # What is alive now (both engines' caches, every input) lives to the end: moved out of the collector's
    # generations, so a full collection (0.2–0.4 s with pyshacl's objects around) does not land in one run.
    gc.collect()
    gc.freeze()
    print(f"{'document':<44} {'triples':>8} {'pyshacl s':>10} {'compiled s':>11} {'ratio':>7}  same")
    totals, ratios, all_same = [0.0, 0.0], [], True
    for path, data, vocabulary in inputs:
        runs: dict[str, list[float]] = {engine: [] for engine in ENGINES}
        outcomes = {}
        for _ in range(args.repeat):
            for engine in ENGINES:
                started = time.process_time()
                outcomes[engine] = validate_graph(data, vocabulary, engine=engine)
                runs[engine].append(time.process_time() - started)
        cost = [statistics.median(runs[engine]) for engine in ENGINES]
        totals = [totals[0] + cost[0], totals[1] + cost[1]]
        ratios.append(cost[0] / cost[1])
        same = comparable_results(outcomes["pyshacl"]) == comparable_results(outcomes["compiled"])
        all_same = all_same and same
        print(f"{path.stem[:44]:<44} {len(data):>8} {cost[0]:>10.3f} {cost[1]:>11.3f} {ratios[-1]:>6.1f}×"
              f"  {'yes' if same else 'NO'}")
    n = len(inputs)
    print(f"{'mean per document':<44} {'':>8} {totals[0] / n:>10.3f} {totals[1] / n:>11.3f} "
          f"{totals[0] / totals[1]:>6.1f}×  {'yes' if all_same else 'NO'}")
    print(f"smallest per-document ratio {min(ratios):.1f}×, median {statistics.median(ratios):.1f}× "
          f"({n} documents, median of {args.repeat} runs each)")
    return 0 if all_same else 1


if __name__ == "__main__":
    raise SystemExit(main())

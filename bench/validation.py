"""Per-document validation cost: pyshacl (the reference) against the compiled shapes the build uses.

    .venv/bin/python bench/validation.py                    # data/disclosures
    .venv/bin/python bench/validation.py --generated 20     # plus 20 generated disclosures (bench/generate.py)

For each document: triples validated, CPU seconds of each engine (process time, so a busy machine changes the
figures less than wall time would), the ratio, and whether both report the same results. The shapes are
compiled once before the first document (that cost is printed apart: it is paid once per build process).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from kg_publisher.validate import compiled_shapes, validate_graph
from tests.shapes.test_compiled_shapes import DISCLOSURES, _rows, document_graphs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--generated", type=int, default=0, help="also validate this many generated disclosures")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated disclosures")
    args = parser.parse_args(argv)
    started = time.process_time()
    compiled_shapes()
    print(f"shapes compiled once per process: {time.process_time() - started:.2f} s CPU")
    with tempfile.TemporaryDirectory() as tmp:
        paths = list(DISCLOSURES)
        if args.generated:
            paths += generate(args.generated, Path(tmp), seed=args.seed)
        print(f"{'document':<48} {'triples':>8} {'pyshacl s':>10} {'compiled s':>11} {'ratio':>7}  same")
        totals = [0.0, 0.0]
        for path in paths:
            data, vocabulary = document_graphs(path)
            cost, outcomes = [], []
            for engine in ("pyshacl", "compiled"):
                started = time.process_time()
                outcomes.append(validate_graph(data, vocabulary, engine=engine))
                cost.append(time.process_time() - started)
            totals = [totals[0] + cost[0], totals[1] + cost[1]]
            same = _rows(outcomes[0]) == _rows(outcomes[1])
            print(f"{path.stem[:48]:<48} {len(data):>8} {cost[0]:>10.3f} {cost[1]:>11.3f} {cost[0] / cost[1]:>6.1f}×"
                  f"  {'yes' if same else 'NO'}")
    n = len(paths)
    print(f"{'mean per document':<48} {'':>8} {totals[0] / n:>10.3f} {totals[1] / n:>11.3f} "
          f"{totals[0] / totals[1]:>6.1f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

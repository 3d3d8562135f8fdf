"""Per-document reading cost: ``read_source`` + ``parse_disclosure`` CPU seconds (median of ``--repeat`` runs).

    .venv/bin/python bench/reading.py ../shared/corpus/*.txt             # the corpus texts
    .venv/bin/python bench/reading.py --code ../base FILES                # the same, with another checkout's code

Every document is read once first (imports, the registry, compiled patterns), then ``--repeat`` times; CPU time
(process time) rather than wall time, so a busy machine changes the figures less. Prints one line per
document (characters, figures published, median CPU ms) and the sum; run it with ``--code`` on the code before
a change to compare (the ratio is printed when both runs are given with ``--versus``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def measure(files: list[Path], repeat: int) -> dict[str, float]:
    from kg_publisher.extract.readers import read_source
    from kg_publisher.records.parse import parse_disclosure

    out: dict[str, float] = {}
    for path in files:
        parse_disclosure(read_source(path))
        runs = []
        for _ in range(repeat):
            start = time.process_time()
            disclosure = parse_disclosure(read_source(path))
            runs.append(time.process_time() - start)
        out[path.name] = statistics.median(runs)
        print(f"{path.name[:60]:60} {len(disclosure.source.text):>7} chars {len(disclosure.facts):>5} figures "
              f"{out[path.name] * 1000:>8.1f} ms", file=sys.stderr)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--code", type=Path, help="import kg_publisher from this checkout instead")
    parser.add_argument("--versus", type=Path, help="also run with this checkout's code and print the ratio")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str((args.code or Path(__file__).resolve().parent.parent).resolve()))
    ours = measure(args.files, args.repeat)
    if args.json:
        print(json.dumps(ours))
        return 0
    print(f"{'sum':60} {sum(ours.values()) * 1000:>38.1f} ms")
    if args.versus:
        result = subprocess.run([sys.executable, __file__, "--json", "--code", str(args.versus), "--repeat",
                                 str(args.repeat), *map(str, args.files)], capture_output=True, text=True, check=True)
        theirs = json.loads(result.stdout)
        for name, seconds in ours.items():
            print(f"{name[:60]:60} this {seconds * 1000:>7.1f} ms  versus {theirs[name] * 1000:>7.1f} ms  "
                  f"ratio {seconds / theirs[name]:.2f}")
        print(f"{'sum':60} this {sum(ours.values()) * 1000:>7.1f} ms  versus {sum(theirs.values()) * 1000:>7.1f} ms  "
              f"ratio {sum(ours.values()) / sum(theirs.values()):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

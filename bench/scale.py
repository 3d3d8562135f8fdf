"""Scale benchmark of the build: N generated disclosures (bench/generate.py) built from scratch, then rebuilt with
one document changed.

    .venv/bin/python bench/scale.py                      # N = 100 and 1000, --jobs = cores
    .venv/bin/python bench/scale.py 100 --jobs 2 --json
    .venv/bin/python bench/scale.py 10000 --workdir /var/tmp/kgp-scale
    .venv/bin/python bench/scale.py 300 --jobs 1 --rebuilds 3         # three one-document rebuilds: medians

For each N it prints: wall time of the cold build, documents/s, CPU seconds per document (user + system of the
build and its worker processes), peak RSS (the whole process tree, sampled every 0.1 s), disk per release, of the
build cache, of the second release kept beside the first and of the whole build folder (files hard-linked between
folders counted once), and the wall time of the rebuild after one document changed. For both builds it prints the
wall time of the documents' phase (the worker pool's two passes) and of the release step (all that follows, in the
build's own process), with the release step's stages (``build --timings``: kg_publisher/timing.py). It also
prints the machine (cores, load average before and after), since the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = int(statm.split()[1]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def _stages(stderr: str) -> dict[str, tuple[float, float]]:
    """Wall and CPU seconds of each stage ``build --timings`` printed (kg_publisher/timing.py), by name."""
    found: dict[str, tuple[float, float]] = {}
    for line in stderr.splitlines():
        words = line.split()
        if len(words) == 8 and words[0] == "stage" and words[3:5] == ["s", "wall"]:
            wall, cpu = found.get(words[1], (0.0, 0.0))
            found[words[1]] = (wall + float(words[2]), cpu + float(words[5]))
    return found


def _run(command: list[str]) -> dict[str, Any]:
    """Wall time, CPU seconds (children), peak RSS of the process tree of one command, and the stages it timed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{err.decode()[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb": peak / 2**20, "stages": _stages(err.decode())}


def _disk(*folders: Path) -> int:
    """Bytes of the files under ``folders``, each inode once (hard links between them counted once)."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                stat = path.stat()
                if (stat.st_dev, stat.st_ino) not in seen:
                    seen.add((stat.st_dev, stat.st_ino))
                    total += stat.st_size
    return total


def _phases(stages: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """The documents' phase (extract/map/validate, then the parts: the worker pool's passes) and the release step
    (everything after, in the build's process) in wall seconds, the release step's CPU seconds (the build process's),
    and the wall and CPU seconds of each stage of the release step (its thread's CPU: kg_publisher/timing.py)."""
    none = (0.0, 0.0)
    return {"documents_s": stages.get("documents", none)[0] + stages.get("outputs", none)[0],
            "release_s": stages.get("release", none)[0], "release_cpu_s": stages.get("release", none)[1],
            "release_stages": {name.removeprefix("release."): times for name, times in stages.items()
                               if name.startswith(("release.", "cache."))}}


def _median_phases(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each figure of :func:`_phases` as its median over ``runs``."""
    stages = {name: (statistics.median(run["release_stages"].get(name, (0.0, 0.0))[0] for run in runs),
                     statistics.median(run["release_stages"].get(name, (0.0, 0.0))[1] for run in runs))
              for name in runs[0]["release_stages"]}
    return {**{key: statistics.median(run[key] for run in runs)
               for key in ("documents_s", "release_s", "release_cpu_s")}, "release_stages": stages}


def measure(count: int, workdir: Path, jobs: int | None, seed: int, rebuilds: int = 1) -> dict[str, Any]:
    corpus, out = workdir / f"corpus-{count}", workdir / f"build-{count}"
    paths = generate(count, corpus, seed=seed)
    command = [sys.executable, "-m", "kg_publisher", "build", str(corpus), "--out", str(out), "--quiet", "--timings"]
    if jobs:
        command += ["--jobs", str(jobs)]
    shutil.rmtree(out, ignore_errors=True)  # a cold build
    cold = _run(command)
    release = (out / "current").resolve()
    cold_release, cache = _disk(release), _disk(out / "cache")
    incremental, kept = [], 0
    for number in range(rebuilds):  # each time another document changed
        changed = paths[(len(paths) // 2 + number) % len(paths)]
        changed.write_text(changed.read_text(encoding="utf-8") + "\n（本文件已更新）\n", encoding="utf-8")
        incremental.append(_run(command))
        if number == 0:
            kept = _disk(out / "releases") - cold_release
    mb = 2**20
    return {
        "documents": count, "wall_s": cold["wall_s"], "docs_per_s": count / cold["wall_s"],
        "cpu_s_per_doc": cold["cpu_s"] / count, "peak_rss_mb": cold["peak_rss_mb"],
        "disk_mb_per_release": cold_release / mb, "disk_mb_per_doc": cold_release / mb / count,
        "cache_mb_per_doc": cache / mb / count,
        # what the second release (one document changed) added beside the first, files shared counted once
        "kept_release_mb_per_doc": kept / mb / count,
        "build_folder_mb_per_doc": _disk(out) / mb / count,
        # the one-document rebuilds: medians
        "rebuilds": rebuilds, "incremental_wall_s": statistics.median(run["wall_s"] for run in incremental),
        "incremental_cpu_s": statistics.median(run["cpu_s"] for run in incremental),
        "incremental_peak_rss_mb": max(run["peak_rss_mb"] for run in incremental),
        "cold": _phases(cold["stages"]), "incremental": _median_phases([_phases(run["stages"]) for run in incremental]),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000], help="corpus sizes (default 100 1000)")
    parser.add_argument("--jobs", type=int, help="build --jobs (default: the build's, one per core)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated corpus")
    parser.add_argument("--workdir", type=Path, help="where corpora and builds go (default: a temporary folder)")
    parser.add_argument("--rebuilds", type=int, default=1,
                        help="one-document rebuilds after the cold build, each of another document (medians printed)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kgp-scale-") as tmp:
        workdir = args.workdir or Path(tmp)
        for count in args.sizes:
            rows.append(measure(count, workdir, args.jobs, args.seed, args.rebuilds))
            if not args.json:
                row = rows[-1]
                print(f"N={count:>6}  wall {row['wall_s']:8.1f} s  {row['docs_per_s']:6.2f} docs/s  "
                      f"CPU {row['cpu_s_per_doc']:5.2f} s/doc  peak RSS {row['peak_rss_mb']:7.0f} MB  "
                      f"disk {row['disk_mb_per_release']:8.1f} MB ({row['disk_mb_per_doc']:.2f} MB/doc; cache "
                      f"{row['cache_mb_per_doc']:.2f}, another kept release {row['kept_release_mb_per_doc']:.2f}, "
                      f"build folder {row['build_folder_mb_per_doc']:.2f} MB/doc)  "
                      f"one changed: {row['incremental_wall_s']:6.1f} s ({row['incremental_cpu_s']:.1f} s CPU; median "
                      f"of {row['rebuilds']})", flush=True)
                for run in ("cold", "incremental"):
                    phases = row[run]
                    stages = "  ".join(f"{name} {wall:.2f}/{cpu:.2f}"
                                       for name, (wall, cpu) in phases["release_stages"].items())
                    print(f"    {run:<11} documents {phases['documents_s']:8.1f} s  release step "
                          f"{phases['release_s']:6.2f} s wall, {phases['release_cpu_s']:6.2f} s CPU  "
                          f"(stages, wall/CPU s: {stages})", flush=True)
    machine = {"cores": os.cpu_count(), "load_before": load_before, "load_after": os.getloadavg(),
               "jobs": args.jobs or "cores"}
    if args.json:
        print(json.dumps({"machine": machine, "runs": rows}, indent=1))
    else:
        print(f"machine: {machine['cores']} cores, build --jobs {machine['jobs']}, load average "
              f"{'/'.join(f'{x:.1f}' for x in load_before)} before, "
              f"{'/'.join(f'{x:.1f}' for x in machine['load_after'])} after (1/5/15 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

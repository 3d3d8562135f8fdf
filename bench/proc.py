"""A process tree's CPU time and resident memory, read from Linux /proc (the benchmarks' servers are trees: the
the web server's main process, its workers and their query processes)."""

from __future__ import annotations

import os
from collections import defaultdict

#: Clock ticks per second of /proc/<pid>/stat's CPU times.
TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int | str) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(root: int) -> list[int]:
    """``root`` and every process below it that is alive now."""
    children: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat_fields(entry)
            if fields is not None:
                children[int(fields[1])].append(int(entry))
    found, pending = [], [root]
    while pending:
        pid = pending.pop()
        found.append(pid)
        pending.extend(children.get(pid, []))
    return found


def tree_cpu_seconds(root: int, running: str | None = None) -> float:
    """User + system CPU seconds of the live processes of the tree, their waited-for children included
    (``cutime``/``cstime``: a query process that was replaced still counts, once its parent reaped it). With
    ``running``, only the processes whose command line contains it (e.g. the query processes' module)."""
    total = 0
    for pid in descendants(root):
        if running is not None:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                    if running.encode() not in cmdline.read():
                        continue
            except OSError:
                continue
        fields = _stat_fields(pid)
        if fields is not None:  # fields[11:15]: utime stime cutime cstime (stat fields 14–17)
            total += sum(int(value) for value in fields[11:15])
    return total / TICKS


def _kilobytes(pid: int, file: str, field: str) -> int | None:
    """The ``field: N kB`` line of ``/proc/<pid>/<file>`` in bytes (0 when absent); None when the process is gone."""
    try:
        with open(f"/proc/{pid}/{file}", encoding="ascii", errors="replace") as lines:
            line = next((line for line in lines if line.startswith(field)), f"{field} 0 kB")
    except OSError:
        return None
    return int(line.split()[1]) * 1024


def tree_rss(root: int) -> tuple[int, int]:
    """(processes, resident bytes) of the tree."""
    sizes = [size for size in (_kilobytes(pid, "status", "VmRSS:") for pid in descendants(root)) if size is not None]
    return len(sizes), sum(sizes)


def tree_pss(root: int) -> int:
    """Proportional set size of the tree, in bytes: each page shared by n processes counts 1/n in each, so the sum
    is the memory the tree holds (forked workers share their parent's pages, which RSS counts in every one)."""
    return sum(_kilobytes(pid, "smaps_rollup", "Pss:") or 0 for pid in descendants(root))

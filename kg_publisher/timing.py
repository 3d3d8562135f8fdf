"""How long each stage of a build takes: one INFO line per stage on the ``kg_publisher.timings`` logger, which
``kg-publisher build --timings`` prints (and ``bench/scale.py`` reads).

A line reads ``stage release.pages 1.234 s wall 1.101 s cpu``: the stage's name (``documents``, ``outputs``, then
``release`` and the parts of it, ``release.<part>``, and ``cache.<part>``), its wall time and its CPU time (user +
system). The CPU of a part (``release.pages``) is the thread's that ran it, so that what runs beside it does not
count: the release's store and its search index are written on threads of their own beside the other parts of
the release step (their lines, ``release.store`` and ``release.search``, overlap the others; pyoxigraph's loader
threads are not in the store's CPU), and ``release.wait`` is what the release then waited for them. The CPU of a
whole step (``documents``, ``outputs``, ``release``) is the build process's, all its threads (the documents'
workers are other processes: their time is not in it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

log = logging.getLogger("kg_publisher.timings")


@contextmanager
def stage(name: str, whole: bool = False) -> Iterator[None]:
    """Time what runs inside as the stage ``name``: the CPU of this thread, or with ``whole`` of the process
    (nothing is measured unless the logger prints INFO)."""
    if not log.isEnabledFor(logging.INFO):
        yield
        return
    clock = time.process_time if whole else time.thread_time
    wall, cpu = time.perf_counter(), clock()
    try:
        yield
    finally:
        log.info("stage %s %.3f s wall %.3f s cpu", name, time.perf_counter() - wall, clock() - cpu)


class Laps:
    """Consecutive stages of one step without nesting its code: :meth:`lap` ends the stage running since the last
    lap (or since the start) and names it ``{prefix}.{name}``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.on = log.isEnabledFor(logging.INFO)
        self._wall, self._cpu = time.perf_counter(), time.thread_time()

    def lap(self, name: str) -> None:
        if not self.on:
            return
        wall, cpu = time.perf_counter(), time.thread_time()
        log.info("stage %s.%s %.3f s wall %.3f s cpu", self.prefix, name, wall - self._wall, cpu - self._cpu)
        self._wall, self._cpu = wall, cpu


@contextmanager
def printed_stages(stream: TextIO) -> Iterator[None]:
    """The stages timed inside printed on ``stream``, one line each (``build --timings``)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    level, propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
        log.propagate = propagate

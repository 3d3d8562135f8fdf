"""How long each stage of a build takes: one INFO line per stage on the ``kg_publisher.timings`` logger, which
``kg-publisher build --timings`` prints (and ``bench/scale.py`` reads).

A line reads ``stage release.store 1.234 s wall 1.101 s cpu``: the stage's name (``documents``, ``outputs``, then
``release`` and the parts of it, ``release.<part>``), its wall time and the process time (user + system) of the
build's own process meanwhile (the documents' workers are other processes: their time is not in it). The
release's store is written on a thread of its own beside the other stages of the release step (its line,
``release.store``, overlaps theirs, and its cpu is the whole process's meanwhile); ``release.store-wait`` is what
the release then waited for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

log = logging.getLogger("kg_publisher.timings")


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Time what runs inside as the stage ``name`` (nothing is measured unless the logger prints INFO)."""
    if not log.isEnabledFor(logging.INFO):
        yield
        return
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        log.info("stage %s %.3f s wall %.3f s cpu", name, time.perf_counter() - wall, time.process_time() - cpu)


class Laps:
    """Consecutive stages of one step without nesting its code: :meth:`lap` ends the stage running since the last
    lap (or since the start) and names it ``{prefix}.{name}``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.on = log.isEnabledFor(logging.INFO)
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        if not self.on:
            return
        wall, cpu = time.perf_counter(), time.process_time()
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

"""Slots for expensive queries, shared by every process of one server.

The web server runs several worker processes, each with its own query processes. Counting expensive queries per worker
would let each worker run its own runaway: with two workers, two cartesian products burn both cores of a
2-core machine and every lookup waits for CPU. So the count is kept across processes, with one file per slot in
a folder the server creates before it starts its workers: holding a slot is holding an exclusive ``flock`` on its
file. The kernel drops the lock when the holder's file is closed, including when its process is killed, so a
worker that dies mid-query never leaks a slot (a counter in shared memory would).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
import weakref
from pathlib import Path

from ..settings import Settings

#: The file name of slot ``n`` inside the folder.
_SLOT_NAME = "expensive-{}.lock"
#: Seconds between two tries of a waiter (a slot is held for seconds: finer polling buys nothing).
_POLL_SECONDS = 0.05


def default_slot_count() -> int:
    """One less than the CPUs this process may run on, at least 1: one core always stays for everyone else."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, cpus - 1)


def _remove_if_creator(folder: str, creator: int) -> None:
    # Forked workers inherit the finaliser; only the process that made the folder removes it.
    if os.getpid() == creator:
        shutil.rmtree(folder, ignore_errors=True)


class Slot:
    """One taken slot; :meth:`release` (or the end of the process) frees it."""

    def __init__(self, fd: int) -> None:
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops its flock
            self._fd = None


class SharedSlots:
    """``count`` slots in ``folder``; every process that opens the same folder shares them."""

    def __init__(self, folder: Path, count: int) -> None:
        if count < 1:
            raise ValueError("at least one slot")
        self.folder = Path(folder)
        self.count = count
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for number in range(count):
            (self.folder / _SLOT_NAME.format(number)).touch(mode=0o600, exist_ok=True)

    @classmethod
    def private(cls, count: int) -> SharedSlots:
        """Slots in a fresh temporary folder, removed when the object is collected or the process exits: for one
        process (the Flask test client, a single server process), or for a server to hand to its workers."""
        folder = Path(tempfile.mkdtemp(prefix="kg-publisher-admission-"))
        slots = cls(folder, count)
        weakref.finalize(slots, _remove_if_creator, str(folder), os.getpid())
        return slots

    def try_take(self) -> Slot | None:
        """A free slot, or None at once when all are held (never waits)."""
        for number in range(self.count):
            fd = os.open(self.folder / _SLOT_NAME.format(number), os.O_RDWR | os.O_CLOEXEC)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            except BaseException:
                os.close(fd)
                raise
            return Slot(fd)
        return None

    def take_before(self, deadline: float) -> Slot | None:
        """A slot as soon as one is free, or None if none was by ``deadline`` (``time.monotonic()`` seconds).
        Waiting costs no CPU to speak of, so a client that repeats a runaway query waits its turn here instead
        of being refused at once and asking again at once (which kept a server thread and a share of the CPU
        busy with refusals)."""
        while True:
            slot = self.try_take()
            if slot is not None:
                return slot
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            time.sleep(min(_POLL_SECONDS, remaining))

    def held(self) -> int:
        """How many slots are held now (by any process): for tests and diagnostics."""
        taken = [slot for slot in (self.try_take() for _ in range(self.count)) if slot is not None]
        for slot in taken:
            slot.release()
        return self.count - len(taken)


def expensive_slots_for(settings: Settings) -> SharedSlots:
    """Fresh slots for the ``expensive_queries`` setting (0: :func:`default_slot_count`). A server makes them
    once, before it starts its workers, and hands them to every worker's store."""
    return SharedSlots.private(settings.expensive_queries or default_slot_count())

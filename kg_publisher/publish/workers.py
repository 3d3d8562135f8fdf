"""A small pool of query worker processes, each holding the store open read-only, cut off from the network.

pyoxigraph queries cannot be cancelled from another thread, so a query runs in a child process: when it
passes the time limit the child is killed (which really stops the work) and a fresh one takes its place
(started in the background, so the answer is not delayed by it).

**No network, by construction.** Each child moves itself into a network namespace of its own
(``unshare(CLONE_NEWNET)`` through libc) before it opens the store or reads a query: the only interface there is
a loopback that is down, so every connect — from Python or from pyoxigraph's native HTTP client (``SERVICE``) —
fails with "network unreachable", whatever the query says and whatever the checks before it missed. Without
root it tries a user namespace too (``CLONE_NEWUSER | CLONE_NEWNET``). A socket patch in Python is no boundary
(the engine's client is native code), and an engine built without its HTTP client would mean building pyoxigraph
from source; the namespace needs neither. Where no namespace can be made (not Linux, or unprivileged namespaces
disabled) we **fail closed**: the child says so and exits, and SPARQL answers 503 ``QueryIsolationFailure``
while pages and dumps are served as usual. A logged fallback would leave the endpoint a port scanner exactly
where nobody reads the log.

**Admission.** Each query comes with a cost class (:mod:`~kg_publisher.publish.query_analysis`): ``cheap``
(bound lookups), ``scan`` (one pass over the store, e.g. counting or sorting every triple: linear in its size) or
``expensive`` (cartesian products, transitive paths: no bound). Scans and expensive queries never take the last
idle process, so a lookup always has one. An expensive query must also hold one of the server's expensive slots
(:mod:`~kg_publisher.publish.admission`: by default one less than the CPUs, counted across every web server worker);
when none is free it waits for one (a few per process may wait; more are refused at once with 503 and
``Retry-After``), and is refused the same way if none frees up within its time limit. It runs at the lowest CPU
priority (nice 19), so while it burns a core lookups and pages still get the CPU they need; since an unprivileged
process cannot raise its priority again, its process is replaced afterwards. Every query process runs a little
below the server's own threads (``QUERY_NICENESS``), and processes are handed out first come, first served.
Waiting counts against the time limit: a query is answered, stopped or refused within ``timeout`` seconds of
arriving, never twice that.

**Engine faults.** pyoxigraph 0.5.13 (the latest release) aborts the process on some ``ORDER BY`` over values of
mixed kinds (its sort finds the comparison is not a total order, a Rust panic that aborts). Such a query costs one
process once: the pool remembers it and answers it again with the same 500 without running it.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections import OrderedDict
from multiprocessing.connection import Connection
from typing import Any

from ..errors import (
    KgPublisherError,
    QueryEngineFailure,
    QueryError,
    QueryIsolationFailure,
    QueryOverload,
    QuerySyntaxError,
    QueryTimeout,
    StoreError,
    UpdateForbidden,
)
from .admission import SharedSlots, Slot, default_slot_count
from .sparql import QueryAnswer, QueryJob, execute, looks_like_update, turtle_prefixes, use_turtle_prefixes

log = logging.getLogger(__name__)

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
#: Queries that made the engine abort, remembered per pool (oldest forgotten first).
_POISON_ENTRIES = 1024
#: CPU priority of a process running an expensive query (the lowest).
EXPENSIVE_NICENESS = 19
#: How much lower than the server's a query process starts: the server's own threads (lookups, pages, RDF
#: documents, dumps: milliseconds each) then get a core before an aggregate's evaluation does, which is what keeps
#: their latency flat when aggregates keep every core busy (the soak); the aggregate only waits a little longer.
QUERY_NICENESS = 10
#: Query processes a pool starts with; it grows to its size when queries wait (each holds ≈ 22 MB at rest, 47 MB
#: once used at 1,000 disclosures: an idle server need not hold all of them).
START_PROCESSES = 2
_POISON_HINT = ("Sort by one kind of value, e.g. ORDER BY STR(?v), or FILTER(isLiteral(?v)) first; the data is "
                "intact.")


#: The cost classes of :mod:`.query_analysis`, and how messages name the queries of each.
COST_CLASSES = ("cheap", "scan", "expensive")
_CLASS_WORDS = {"cheap": "lookups", "scan": "whole-store scans", "expensive": "expensive queries"}


def _lower_priority(worker: _Worker) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, worker.process.pid, EXPENSIVE_NICENESS)
    except (AttributeError, OSError) as exc:  # not fatal: the slot limit still holds
        log.warning("could not lower the priority of query process %s: %s", worker.process.pid, exc)


def isolate_from_network() -> str:
    """Move this (single-threaded) process into a new network namespace; returns how, or raises OSError."""
    if not sys.platform.startswith("linux"):
        raise OSError("network namespaces exist on Linux only")
    libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    errors: list[str] = []
    for flags, how in ((CLONE_NEWNET, "network namespace"),
                       (CLONE_NEWUSER | CLONE_NEWNET, "user + network namespace")):
        if libc.unshare(flags) == 0:
            return how
        errors.append(f"unshare({how}): {os.strerror(ctypes.get_errno())}")
    raise OSError("; ".join(errors))


def _worker_main(conn_in: Connection, conn: Connection, store_path: str, prefixes: str) -> None:
    use_turtle_prefixes(json.loads(prefixes))  # from the server, so this process never imports rdflib
    try:
        how = isolate_from_network()
    except OSError as exc:
        conn.send(("isolation", str(exc)))
        return
    import pyoxigraph

    try:
        store = pyoxigraph.Store.read_only(store_path)
    except OSError as exc:
        conn.send(("store", f"{store_path}: {exc}"))
        return
    try:
        conn.send(("ready", how))
        while True:
            try:
                job = conn_in.recv()
            except EOFError:
                return  # the parent went away
            try:
                answer = execute(store, job)
            except SyntaxError as exc:
                conn.send(("syntax", str(exc)))
            except KgPublisherError as exc:  # the query's own text was refused on reading
                conn.send(("refused", exc))
            except OSError as exc:
                conn.send(("store", str(exc)))
            except Exception as exc:  # evaluation errors of the query itself
                conn.send(("query", f"{type(exc).__name__}: {exc}"))
            except BaseException as exc:  # a Rust panic that unwound to Python (pyo3's PanicException)
                if type(exc).__name__ != "PanicException":
                    raise
                conn.send(("panic", str(exc)))
            else:
                # The answer's fields, then its body as raw bytes (not pickled: no copy into a pickle and out again).
                conn.send(("ok", (answer.kind, answer.media_type, answer.rows, answer.truncated)))
                conn.send_bytes(answer.body)
    except OSError:
        return  # a pipe closed: the parent stopped this process (a server stopping, a query past its limit)


class _Worker:
    """One child ``python -m kg_publisher.publish.workers``, talking over two pipes (no fork, no __main__ re-import)."""

    def __init__(self, store_path: str) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(to_child_r), str(from_child_w), store_path,
             json.dumps(turtle_prefixes())],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, close_fds=True,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        os.close(to_child_r)
        os.close(from_child_w)
        try:  # at once, so that even its start-up (imports, opening the store) yields to the server's threads
            os.setpriority(os.PRIO_PROCESS, self.process.pid,
                           min(19, os.getpriority(os.PRIO_PROCESS, 0) + QUERY_NICENESS))
        except OSError as exc:  # not fatal: only the server's latency under load suffers
            log.warning("could not lower the priority of query process %s: %s", self.process.pid, exc)
        self._out = Connection(to_child_w, readable=False)
        self._in = Connection(from_child_r, writable=False)
        #: How the child isolated itself, once it said it is ready.
        self.ready: str | None = None

    def send(self, job: QueryJob) -> None:
        self._out.send(job)

    def poll(self, timeout: float) -> bool:
        return self._in.poll(max(0.0, timeout))

    def recv(self) -> Any:
        return self._in.recv()

    def recv_bytes(self) -> bytes:
        return self._in.recv_bytes()

    def aborted(self) -> bool:
        """True when the child ended by abort (a Rust panic in the engine), after it was seen to die."""
        try:
            code = self.process.wait(2)
        except subprocess.TimeoutExpired:
            return False
        return code == -signal.SIGABRT

    def stop(self) -> None:
        for conn in (self._out, self._in):
            conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)


class QueryPool:
    """``size`` worker processes (at least 2); :meth:`run` answers, stops or refuses a job within ``timeout`` s.
    It starts :data:`START_PROCESSES` of them and starts another (up to ``size``) whenever a query has to wait;
    a process started so joins the idle ones once it is ready, so no waiting query is held up by its start.

    ``expensive_slots`` are shared with the server's other processes (see :mod:`.admission`); without them the
    pool makes its own, as many as :func:`~.admission.default_slot_count`."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 10.0,
                 expensive_slots: SharedSlots | None = None) -> None:
        self.store_path = store_path
        self.size = max(2, size)
        self.timeout = timeout
        self.expensive_slots = expensive_slots or SharedSlots.private(default_slot_count())
        #: Queries of each class that may wait (for a process; expensive ones first for a server slot); more are
        #: refused at once (503 + Retry-After).
        self.wait_limit = {"cheap": 8 * self.size, "scan": 8 * self.size, "expensive": self.size}
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()
        self._running = dict.fromkeys(COST_CLASSES, 0)
        self._waiting = dict.fromkeys(COST_CLASSES, 0)
        self._waiting_for_slot = 0
        self._queue: list[object] = []  # one token per waiting query, oldest first
        self._starting = 0  # processes being started in the background (successors, growth)
        self._poisoned: OrderedDict[str, str] = OrderedDict()
        self._isolation_error: str | None = None
        self._pid: int | None = None
        atexit.register(_close_ref, weakref.ref(self))

    def start(self) -> None:
        """Start the processes now (they take a moment to be ready), rather than on the first query."""
        self._ensure_started()

    def _ensure_started(self) -> None:
        with self._cond:
            if self._pid == os.getpid():
                return
            # First use, or first use after a fork (the web server's workers): children of another process are not ours.
            self._idle, self._all = [], set()
            self._running = dict.fromkeys(COST_CLASSES, 0)
            self._waiting = dict.fromkeys(COST_CLASSES, 0)
            self._queue = []
            self._starting = 0
            for _ in range(min(self.size, START_PROCESSES)):
                worker = _Worker(self.store_path)
                self._all.add(worker)
                self._idle.append(worker)
            self._pid = os.getpid()

    def _acquire(self, cost: str, deadline: float) -> _Worker:
        with self._cond:
            if self._waiting[cost] >= self.wait_limit[cost] and not self._admissible(cost):
                raise QueryOverload(f"Every query process {_CLASS_WORDS[cost]} may use is busy, and "
                                    f"{self._waiting[cost]} more wait", retry_after=1.0)
            self._waiting[cost] += 1
            ticket = object()
            self._queue.append(ticket)
            try:
                if not (self._admissible(cost) and self._next_served() is ticket):
                    self._grow()
                while not (self._admissible(cost) and self._next_served() is ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise QueryTimeout(
                            f"No query process was free within the {self.timeout:g} s limit for "
                            f"{_CLASS_WORDS[cost]}",
                            "Try again shortly; long-running queries by others are stopped at the limit.")
                    self._cond.wait(remaining)
                worker = self._idle.pop()
                self._running[cost] += 1
                return worker
            finally:
                self._waiting[cost] -= 1
                self._queue.remove(ticket)
                self._cond.notify_all()  # the next in line may be admissible now

    def _next_served(self) -> object | None:
        """The longest-waiting query: first come, first served, so under load every query waits about as long as
        the queue is deep. A free-for-all let some wait past the limit while later ones got through, and letting
        lookups pass a scan that waits for its second idle process starved the scans."""
        return self._queue[0] if self._queue else None

    def _take_expensive_slot(self, deadline: float) -> Slot:
        """Wait for one of the server's expensive slots until ``deadline``; refused at once (503) when
        ``wait_limit["expensive"]`` queries of this process already wait."""
        with self._cond:
            if self._waiting_for_slot >= self.wait_limit["expensive"]:
                raise QueryOverload(
                    f"The server runs as many expensive queries as it allows at once "
                    f"({self.expensive_slots.count}: cartesian products, transitive paths), and "
                    f"{self._waiting_for_slot} more wait for their turn here", retry_after=self.timeout)
            self._waiting_for_slot += 1
        try:
            slot = self.expensive_slots.take_before(deadline - self.timeout / 4)
        finally:
            with self._cond:
                self._waiting_for_slot -= 1
        # One that gets its slot with less than a quarter of its limit left would only be stopped (and its
        # process replaced): refused instead, as if no slot had come.
        if slot is not None and deadline - time.monotonic() < self.timeout / 4:
            slot.release()
            slot = None
        if slot is None:
            raise QueryOverload(
                f"No expensive-query slot became free in time within the {self.timeout:g} s limit (the server "
                f"runs {self.expensive_slots.count} at once: cartesian products, transitive paths)",
                retry_after=self.timeout)
        return slot

    def _admissible(self, cost: str) -> bool:
        if cost == "cheap":
            return bool(self._idle)
        # Scans and expensive queries never take the last idle process: that one is kept for lookups.
        return len(self._idle) >= 2

    def _release(self, worker: _Worker | None, cost: str) -> None:
        with self._cond:
            self._running[cost] -= 1
            if worker is not None:
                self._idle.append(worker)
            self._cond.notify_all()

    def _grow(self) -> None:
        """Start one more process in the background when the pool is below its size (called with the lock held,
        by a query that has to wait)."""
        if len(self._all) + self._starting < self.size and not self._isolation_error:
            self._starting += 1
            threading.Thread(target=self._add_worker, args=(True,), name="query-worker-start", daemon=True).start()

    def _replace(self, worker: _Worker) -> None:
        """End ``worker`` now; its successor starts in the background, so the answer does not wait for it."""
        worker.stop()
        with self._cond:
            self._all.discard(worker)
            if self._isolation_error:
                return
            self._starting += 1
        threading.Thread(target=self._add_worker, name="query-worker-start", daemon=True).start()

    def _add_worker(self, when_ready: bool = False) -> None:
        """Start a process and make it idle: at once (a successor: the next query waits for its start if it
        must), or, ``when_ready``, once it said it is ready (growth: queries waiting now take whichever process
        frees up first)."""
        fresh = _Worker(self.store_path)
        if when_ready:
            try:
                status, payload = fresh.recv() if fresh.poll(self.timeout * 6) else ("late", "")
            except (EOFError, OSError):
                status, payload = "died", ""
            if status == "ready":
                fresh.ready = str(payload)
            else:
                log.warning("a query process being added did not start (%s %s)", status, payload)
                fresh.stop()
        with self._cond:
            self._starting -= 1
            if self._pid != os.getpid() or (when_ready and fresh.ready is None):  # closed meanwhile, or failed
                if fresh.process.poll() is None:
                    fresh.stop()
                return
            self._all.add(fresh)
            self._idle.append(fresh)
            self._cond.notify_all()

    def run(self, job: QueryJob, cost: str = "cheap") -> QueryAnswer:
        started = time.monotonic()
        deadline = started + self.timeout
        if self._isolation_error:
            raise QueryIsolationFailure(f"SPARQL queries are disabled: query processes cannot be cut off from "
                                        f"the network here ({self._isolation_error})")
        key = hashlib.sha256(repr((job.query, job.default_graphs, job.named_graphs, job.base_iri)).encode()).hexdigest()
        if key in self._poisoned:
            raise QueryEngineFailure(self._poisoned[key], _POISON_HINT)
        self._ensure_started()
        slot = self._take_expensive_slot(deadline) if cost == "expensive" else None
        try:
            worker: _Worker | None = self._acquire(cost, deadline)
        except BaseException:
            if slot is not None:
                slot.release()
            raise
        assert worker is not None
        status, payload = "", None
        try:
            if worker.ready is None:
                if not worker.poll(deadline - time.monotonic()):
                    raise QueryTimeout(f"A query process did not start within the {self.timeout:g} s limit")
                status, payload = worker.recv()
                if status != "ready":
                    if status == "isolation":
                        self._isolation_error = str(payload)  # before _replace: no successor is started
                    self._replace(worker)
                    worker = None
                    if status == "isolation":
                        log.error("query processes cannot be isolated from the network: %s", payload)
                        raise QueryIsolationFailure(f"SPARQL queries are disabled: query processes cannot be cut "
                                                    f"off from the network here ({payload})")
                    raise StoreError(f"The store cannot be read: {payload}")
                worker.ready = str(payload)
            if slot is not None:
                _lower_priority(worker)
            worker.send(job)
            if not worker.poll(deadline - time.monotonic()):
                log.warning("query stopped after %.1f s: %.200r", time.monotonic() - started, job.query)
                self._replace(worker)
                worker = None
                raise QueryTimeout(f"The query ran longer than {self.timeout:g} s and was stopped",
                                   "Make the query more selective (add a LIMIT or bind a subject); the limit counts "
                                   "from arrival, including any wait for a free query process.")
            status, payload = worker.recv()
            if status == "ok":
                kind, media_type, rows, truncated = payload
                payload = QueryAnswer(kind, worker.recv_bytes(), media_type, rows, truncated)
        except (EOFError, OSError, BrokenPipeError) as exc:
            dead = worker
            worker = None
            if dead is not None:
                aborted = dead.aborted()
                self._replace(dead)
                if aborted:
                    raise self._poison(key, job) from None
            log.error("query worker died (%s) on: %.200r", exc.__class__.__name__, job.query)
            raise QueryEngineFailure(f"The query engine stopped while answering ({exc.__class__.__name__}); "
                                     "its process was replaced") from None
        finally:
            if slot is not None:
                slot.release()
                if worker is not None:  # it cannot get its priority back: a fresh process takes its place
                    self._replace(worker)
                    worker = None
            self._release(worker, cost)
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "panic":
            raise self._poison(key, job)
        if status == "refused" and isinstance(payload, KgPublisherError):
            raise payload
        if status == "syntax":
            if looks_like_update(job.query):
                raise UpdateForbidden("SPARQL Update is not accepted: this endpoint is read-only")
            raise QuerySyntaxError(f"The query does not parse: {payload}")
        if status == "store":
            raise StoreError(f"The store cannot be read: {payload}")
        raise QueryError(f"The query failed: {payload}")

    def _poison(self, key: str, job: QueryJob) -> QueryEngineFailure:
        """Remember a query the engine aborted on; the error to answer it with, now and next time."""
        message = ("The query engine aborted on this query (pyoxigraph's sort fails on some ORDER BY over values "
                   "of mixed kinds, e.g. IRIs and literals); the query is now refused without running again")
        log.error("query engine aborted on: %.200r", job.query)
        with self._cond:
            self._poisoned[key] = message
            while len(self._poisoned) > _POISON_ENTRIES:
                self._poisoned.popitem(last=False)
        return QueryEngineFailure(message, _POISON_HINT)

    def close(self) -> None:
        with self._cond:
            if self._pid == os.getpid():
                for worker in self._all:
                    worker.stop()
            self._all = set()
            self._idle = []
            self._pid = None


def _close_ref(ref: weakref.ref[QueryPool]) -> None:
    pool = ref()
    if pool is not None:
        pool.close()


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False),
                 sys.argv[3], sys.argv[4])

"""A small pool of query worker processes, each holding the store open read-only.

pyoxigraph queries cannot be cancelled from another thread, so a query runs in a child process: when it
passes the time limit the child is killed (which really stops the work) and a fresh one takes its place.
Children cannot open network sockets, so no query can reach the network whatever the engine supports.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import socket
import subprocess
import sys
import threading
import weakref
from multiprocessing.connection import Connection
from typing import Any

from ..errors import QueryEngineFailure, QueryError, QuerySyntaxError, QueryTimeout, StoreError, UpdateForbidden
from .sparql import QueryAnswer, QueryJob, execute, looks_like_update

log = logging.getLogger(__name__)


def _forbid_network() -> None:
    """Make IP connections fail in this process (Unix-domain sockets stay usable for multiprocessing)."""
    connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise PermissionError("query workers may not open network connections")
        return connect(self, address)

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise PermissionError("query workers may not open network connections")

    socket.socket.connect = guarded  # type: ignore[method-assign, assignment]
    socket.socket.connect_ex = guarded  # type: ignore[method-assign, assignment]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def _worker_main(conn_in: Connection, conn: Connection, store_path: str) -> None:
    _forbid_network()
    import pyoxigraph

    try:
        store = pyoxigraph.Store.read_only(store_path)
    except OSError as exc:
        conn.send(("store", f"{store_path}: {exc}"))
        return
    while True:
        try:
            job = conn_in.recv()
        except (EOFError, OSError):
            return  # the parent went away
        try:
            conn.send(("ok", execute(store, job)))
        except SyntaxError as exc:
            conn.send(("syntax", str(exc)))
        except OSError as exc:
            conn.send(("store", str(exc)))
        except Exception as exc:  # evaluation errors of the query itself
            conn.send(("query", f"{type(exc).__name__}: {exc}"))


class _Worker:
    """One child ``python -m kg_publisher.publish.workers``, talking over two pipes (no fork, no __main__ re-import)."""

    def __init__(self, store_path: str) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(to_child_r), str(from_child_w), store_path],
            pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL, close_fds=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._out = Connection(to_child_w, readable=False)
        self._in = Connection(from_child_r, writable=False)

    def send(self, job: QueryJob) -> None:
        self._out.send(job)

    def poll(self, timeout: float) -> bool:
        return self._in.poll(timeout)

    def recv(self) -> Any:
        return self._in.recv()

    def stop(self) -> None:
        for conn in (self._out, self._in):
            conn.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(5)


class QueryPool:
    """``size`` worker processes; :meth:`run` gives a job to an idle one and waits at most ``timeout`` seconds."""

    def __init__(self, store_path: str, size: int = 2, timeout: float = 10.0) -> None:
        self.store_path = store_path
        self.size = size
        self.timeout = timeout
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._all: set[_Worker] = set()
        atexit.register(_close_ref, weakref.ref(self))

    def _ensure_started(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            # First use, or first use after a fork (gunicorn): children of another process are not ours.
            self._idle = queue.LifoQueue()
            self._all = set()
            for _ in range(self.size):
                self._add_worker()
            self._pid = os.getpid()

    def _add_worker(self) -> None:
        worker = _Worker(self.store_path)
        self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)
            self._add_worker()

    def run(self, job: QueryJob) -> QueryAnswer:
        self._ensure_started()
        worker: _Worker | None
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"Every query worker stayed busy for {self.timeout:g} s",
                               "Try again shortly; long-running queries by others are stopped at the limit.",
                               ) from None
        try:
            worker.send(job)
            if not worker.poll(self.timeout):
                log.warning("query stopped after %.1f s: %.200r", self.timeout, job.query)
                self._replace(worker)
                worker = None
                raise QueryTimeout(f"The query ran longer than {self.timeout:g} s and was stopped")
            status, payload = worker.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            if worker is not None:
                self._replace(worker)
                worker = None
            log.error("query worker died (%s) on: %.200r", exc.__class__.__name__, job.query)
            raise QueryEngineFailure(f"The query engine stopped while answering ({exc.__class__.__name__}); "
                                     "its process was replaced") from None
        finally:
            if worker is not None:
                self._idle.put(worker)
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "syntax":
            if looks_like_update(job.query):
                raise UpdateForbidden("SPARQL Update is not accepted: this endpoint is read-only")
            raise QuerySyntaxError(f"The query does not parse: {payload}")
        if status == "store":
            raise StoreError(f"The store cannot be read: {payload}")
        raise QueryError(f"The query failed: {payload}")

    def close(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                for worker in self._all:
                    worker.stop()
            self._all = set()
            self._idle = queue.LifoQueue()
            self._pid = None


def _close_ref(ref: weakref.ref[QueryPool]) -> None:
    pool = ref()
    if pool is not None:
        pool.close()


if __name__ == "__main__":
    _worker_main(Connection(int(sys.argv[1]), writable=False), Connection(int(sys.argv[2]), readable=False),
                 sys.argv[3])

"""Serving with granian (a production HTTP server; Flask's own server is for development only)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, MutableMapping
from functools import partial
from pathlib import Path
from typing import Any

from ..errors import KgPublisherError
from ..publish.admission import SharedSlots, expensive_slots_for
from ..publish.release import Release
from ..publish.versions import loaded_release, loaded_version
from ..settings import Settings

#: Seconds between two looks at ``build_dir/current``.
RELEASE_POLL_SECONDS = 2.0


def _current_target(build_dir: Path, loaded: bool = False) -> str:
    """What decides the served release: ``current``'s target, or (``store_url = loaded``) the load record."""
    if loaded:
        return loaded_version(build_dir) or ""
    return os.path.realpath(build_dir / "current")


def _open_served(build_dir: Path, loaded: bool) -> Release:
    return loaded_release(build_dir)[0] if loaded else Release.open(build_dir)


class Served:
    """The release the main process opened last: workers forked after that serve it without reading its manifest
    again (≈ 0.2 s of CPU and 10 MB per worker at 1,000 disclosures, ten times that at 10,000)."""

    def __init__(self, release: Release | None) -> None:
        self.release = release


def watch_releases(build_dir: Path, arbiter_pid: int, stop: threading.Event, loaded: bool = False,
                   served: Served | None = None) -> None:
    """Reload the workers (granian's graceful SIGHUP: new workers start, then the old ones are stopped) when a
    build switches ``current`` to a new, complete release (or, with ``loaded``, when `kg-publisher load` records
    that another engine holds another release), so the served version changes only then and without a restart.
    Runs in the main process. Each worker serves one release from one store from start to end: a reader sees the
    old release or the new one, never a mix."""
    log = logging.getLogger("kg_publisher.web.releases")
    serving = _current_target(build_dir, loaded)
    while not stop.wait(RELEASE_POLL_SECONDS):
        target = _current_target(build_dir, loaded)
        if target == serving:
            continue
        try:
            release = _open_served(build_dir, loaded)
        except KgPublisherError as exc:  # a half-removed or broken release: keep serving the old one
            log.warning("not switching to %s: %s", target, exc)
            continue
        log.info("new release %s: reloading workers", release.version)
        serving = target
        if served is not None and not loaded:
            served.release = release
        os.kill(arbiter_pid, signal.SIGHUP)


#: Longest request head (request line and headers), in bytes: longer ones get 431. Four times what gunicorn
#: allowed a request line (4 KB), so SPARQL GETs of a few KB pass; longer queries are POSTed.
MAX_REQUEST_HEAD = 16384


#: Seconds between starting a worker's successor and stopping the worker, on a reload.
RESPAWN_SECONDS = 1.0


def _worker_app(settings: Settings, expensive_slots: SharedSlots, served: Served) -> Any:
    """The WSGI app of one worker process: its own read-only store handle and query worker processes."""
    from . import create_app

    return create_app(settings, expensive_slots=expensive_slots, release=served.release)


def http_server(settings: Settings, served: Served) -> tuple[Any, Callable[[], Any]]:
    """granian's server for ``settings`` and the loader each of its worker processes builds its app with (over
    ``served``'s release when there is one).

    granian parses and writes HTTP in Rust: a keep-alive request costs its Python thread ≈ 0.1 ms of CPU, against
    ≈ 0.35 ms under gunicorn's gthread workers (bench/README.md), which was a third of a cached answer's cost."""
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    server = Server(
        "kg_publisher.web:create_app",  # only named in log lines: the app comes from the loader below
        address=settings.host.strip("[]"), port=settings.port, interface=Interfaces.WSGI, http=HTTPModes.http1,
        websockets=False, workers=settings.workers,
        # Threads let a worker answer cheap requests while others wait on a query process (a thread that waits
        # costs no CPU): with too few, slow queries hold every thread and even dumps queue behind them.
        blocking_threads=settings.threads, backpressure=settings.threads,
        http1_settings=HTTP1Settings(max_buffer_size=MAX_REQUEST_HEAD),
        respawn_failed_workers=True, workers_kill_timeout=10,
        # A reload replaces the workers one by one, each this many seconds after its successor started: a worker
        # is ready in well under a second (it is forked with the imports done; create_app takes 0.3 s at 1,000
        # disclosures), so old and new releases are both answered for about this long per worker.
        respawn_interval=RESPAWN_SECONDS,
        log_access=False,  # requests are logged by the app (kg_publisher.web.access)
    )
    # The threads mostly wait on query processes, which is what they are for: not the misconfiguration granian's
    # start-up warning about "quite high" thread counts takes them for.
    logging.getLogger("_granian").addFilter(lambda record: "Python threads" not in record.getMessage())
    # Made here, in the main process, so every worker counts expensive queries against the same slots.
    return server, partial(_worker_app, settings, expensive_slots_for(settings), served)


#: The CGI names a WSGI server gives a request's own data, besides ``HTTP_*`` (its header lines).
_REQUEST_VARIABLES = frozenset({
    "AUTH_TYPE", "CONTENT_LENGTH", "CONTENT_TYPE", "HTTPS", "PATH_INFO", "QUERY_STRING", "REMOTE_ADDR",
    "REMOTE_HOST", "REMOTE_USER", "REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "SERVER_NAME", "SERVER_PORT",
    "SERVER_PROTOCOL",
})


def drop_request_variables(environment: MutableMapping[str, str]) -> list[str]:
    """Remove from the serving process's ``environment`` every variable named like a request's data, and return
    their names. granian starts each request's WSGI environ as a copy of the process environment, so a variable
    such as ``HTTP_HOST`` would stand in for a header the client did not send (a request without ``Host`` would
    be answered as if it named that host). An outgoing proxy set as ``HTTP_PROXY`` is kept as ``http_proxy``,
    which HTTP clients read too (the store client, ``store_url``, may need it)."""
    dropped = sorted(name for name in environment
                     if name.startswith("HTTP_") or name in _REQUEST_VARIABLES or name.startswith("wsgi."))
    if "HTTP_PROXY" in dropped and "http_proxy" not in environment:
        environment["http_proxy"] = environment["HTTP_PROXY"]
    for name in dropped:
        del environment[name]
    return dropped


def serve(settings: Settings) -> None:
    """Serve ``build_dir/current`` on ``host:port`` until interrupted; a new build is picked up when it is
    complete (the workers are replaced by workers over the release ``current`` points to then)."""
    # fail here, with a clear message, when nothing is built (or loaded)
    release = _open_served(Path(settings.build_dir), settings.store_url == "loaded")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    dropped = drop_request_variables(os.environ)
    if dropped:
        logging.getLogger("kg_publisher").warning(
            "not passing %s from the environment to requests: these names are a request's own data",
            ", ".join(dropped))
    logging.getLogger("kg_publisher").info("serving release %s from %s on http://%s:%s/", release.version,
                                           release.path, settings.host, settings.port)
    if not settings.public_url and not settings.allowed_hosts and settings.host in ("0.0.0.0", "[::]"):
        logging.getLogger("kg_publisher").warning(
            "bound to %s without public_url or allowed_hosts: only requests naming localhost or 127.0.0.1 are "
            "answered (others get 400); set public_url to where clients reach this server", settings.host)
    build_dir = Path(settings.build_dir)
    loaded = settings.store_url == "loaded"
    # With store_url = loaded the workers read the load record themselves.
    served = Served(None if loaded else release)
    server, load = http_server(settings, served)

    def watch() -> None:  # once the server handles SIGHUP (a graceful reload of its workers)
        if loaded or (build_dir / "current").is_symlink():
            threading.Thread(target=watch_releases, args=(build_dir, os.getpid(), threading.Event(), loaded, served),
                             name="release-watcher", daemon=True).start()

    server.on_startup(watch)
    server.serve(target_loader=load, wrap_loader=False)

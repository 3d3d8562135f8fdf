"""Serving with gunicorn (a production WSGI server; Flask's own server is for development only)."""

from __future__ import annotations

import logging
import os
import signal
import threading
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from ..errors import KgPublisherError
from ..publish.admission import expensive_slots_for
from ..publish.release import Release
from ..publish.versions import loaded_release, loaded_version
from ..settings import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        # Made here, in the arbiter, so every worker it forks counts expensive queries against the same slots.
        self.expensive_slots = expensive_slots_for(settings)
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Each worker builds its own app: its own read-only store handle and query worker processes.
        from . import create_app

        return create_app(self.settings, expensive_slots=self.expensive_slots)


#: Seconds between two looks at ``build_dir/current``.
RELEASE_POLL_SECONDS = 2.0


def _current_target(build_dir: Path, loaded: bool = False) -> str:
    """What decides the served release: ``current``'s target, or (``store_url = loaded``) the load record."""
    if loaded:
        return loaded_version(build_dir) or ""
    return os.path.realpath(build_dir / "current")


def _open_served(build_dir: Path, loaded: bool) -> Release:
    return loaded_release(build_dir)[0] if loaded else Release.open(build_dir)


def watch_releases(build_dir: Path, arbiter_pid: int, stop: threading.Event, loaded: bool = False) -> None:
    """Reload the workers (gunicorn's graceful SIGHUP) when a build switches ``current`` to a new, complete
    release (or, with ``loaded``, when `kg-publisher load` records that another engine holds another release), so
    the served version changes only then and without a restart. Runs in the arbiter. Each worker serves one
    release from one store from start to end: a reader sees the old release or the new one, never a mix."""
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
        os.kill(arbiter_pid, signal.SIGHUP)


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    build_dir = Path(settings.build_dir)

    loaded = settings.store_url == "loaded"

    def when_ready(server: Any) -> None:
        followed = loaded or (build_dir / "current").is_symlink()
        if followed and not any(t.name == "release-watcher" for t in threading.enumerate()):
            threading.Thread(target=watch_releases, args=(build_dir, server.pid, threading.Event(), loaded),
                             name="release-watcher", daemon=True).start()

    return {
        "when_ready": when_ready,
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        # Threads let a worker answer cheap requests while others wait on a query process (a thread that waits
        # costs no CPU): with too few, slow queries hold every thread and even dumps queue behind them.
        "worker_class": "gthread",
        "threads": settings.threads,
        # Queries are stopped at query_timeout by their own worker process; this only catches a stuck worker.
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": 10,
        # One shared control socket per user would make two servers (tests, side-by-side releases) collide;
        # releases are followed by the watcher instead.
        "control_socket_disable": True,
        "accesslog": None,  # requests are logged by the app (kg_publisher.web.access)
        "errorlog": "-",
        "loglevel": "info",
    }


def serve(settings: Settings) -> None:
    """Serve ``build_dir/current`` on ``host:port`` until interrupted; a new build is picked up when it is
    complete (each worker opens the release ``current`` points to when it starts)."""
    # fail here, with a clear message, when nothing is built (or loaded)
    release = _open_served(Path(settings.build_dir), settings.store_url == "loaded")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("kg_publisher").info("serving release %s from %s on http://%s:%s/", release.version,
                                           release.path, settings.host, settings.port)
    if not settings.public_url and not settings.allowed_hosts and settings.host in ("0.0.0.0", "[::]"):
        logging.getLogger("kg_publisher").warning(
            "bound to %s without public_url or allowed_hosts: only requests naming localhost or 127.0.0.1 are "
            "answered (others get 400); set public_url to where clients reach this server", settings.host)
    _Gunicorn(settings, gunicorn_options(settings)).run()

"""Serving with gunicorn (a production WSGI server; Flask's own server is for development only)."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

from ..publish.release import Release
from ..settings import Settings


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        # Each worker builds its own app: its own read-only store handle and query worker processes.
        from . import create_app

        return create_app(self.settings)


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        # Threads let a worker answer cheap requests while one of its queries waits on a query process.
        "worker_class": "gthread",
        "threads": 4,
        # Queries are stopped at query_timeout by their own worker process; this only catches a stuck worker.
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": 10,
        "accesslog": None,  # requests are logged by the app (kg_publisher.web.access)
        "errorlog": "-",
        "loglevel": "info",
    }


def serve(settings: Settings) -> None:
    """Serve ``build_dir/current`` on ``host:port`` until interrupted."""
    release = Release.open(settings.build_dir)  # fail here, with a clear message, when nothing is built
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("kg_publisher").info("serving release %s from %s on http://%s:%s/", release.version,
                                           release.path, settings.host, settings.port)
    _Gunicorn(settings.replace(build_dir=str(release.path)), gunicorn_options(settings)).run()

"""Typed records of a budget disclosure, each with its source span: :mod:`.model` says what they are (and
exports them, here too), :func:`.parse.parse_disclosure` reads them (docs/ARCHITECTURE.md: the records layer)."""

from . import model
from .model import *  # noqa: F403 — the records are the package's exports, listed once in model.__all__

__all__ = model.__all__

"""The one settings registry.

Every setting is declared once in :data:`SETTINGS` with its default and help text. Values are
loaded in this order, later ones winning:

1. the defaults below;
2. a TOML file: the path in ``KGP_SETTINGS_FILE`` or given to :func:`load_settings`, else
   ``kg-publisher.toml`` in the working directory if it exists (keys are the setting names);
3. environment variables ``KGP_<NAME>`` (upper case), e.g. ``KGP_BASE_IRI``; ``PORT`` and ``HOST``
   are also read for ``port``/``host`` so that ``make run PORT=8123`` works;
4. explicit overrides passed by the caller (CLI options, tests).

A bad value raises :class:`~kg_publisher.errors.SettingsError` naming the setting, the source
of the value and what is accepted.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import SettingsError


def _iri(value: Any) -> str:
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or not text.endswith("/"):
        raise ValueError("an absolute http(s) IRI ending with '/' (e.g. https://example.org/budget/)")
    if parts.query or parts.fragment:
        raise ValueError("an IRI without query string or fragment")
    return text


def _optional_iri(value: Any) -> str:
    return "" if str(value).strip() == "" else _iri(value)


def _positive_float(value: Any) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("a number greater than 0") from None
    if not number > 0:
        raise ValueError("a number greater than 0")
    return number


def _positive_int(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("a whole number greater than 0") from None
    if isinstance(value, bool) or number <= 0:
        raise ValueError("a whole number greater than 0")
    return number


def _port(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValueError("a TCP port between 1 and 65535") from None
    if not 0 < number < 65536:
        raise ValueError("a TCP port between 1 and 65535")
    return number


def _path(value: Any) -> Path:
    text = str(value).strip()
    if not text:
        raise ValueError("a file system path")
    return Path(text)


def _text(value: Any) -> str:
    return str(value)


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = _text


SETTINGS: tuple[Setting, ...] = (
    Setting("base_iri", "https://w3id.org/cn-budget-kg/", "Base IRI under which all data IRIs are minted.",
            _iri),
    Setting("public_url", "", "Where the server is reached (e.g. http://127.0.0.1:8000/). Empty: the "
            "request's own host. IRIs under base_iri are rewritten to it in HTML links.", _optional_iri),
    Setting("data_dir", "data", "Folder of source disclosures that `make run` builds.", _path),
    Setting("build_dir", "build", "Output folder of `kg-publisher build` and input of `serve`.", _path),
    Setting("host", "127.0.0.1", "Interface the web server binds to.", _text),
    Setting("port", 8000, "TCP port of the web server.", _port),
    Setting("workers", 2, "Number of gunicorn worker processes.", _positive_int),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped (HTTP 503).",
            _positive_float),
    Setting("query_workers", 2, "SPARQL worker processes per server process; a query past query_timeout is "
            "stopped by ending its worker, which is then replaced.", _positive_int),
    Setting("max_rows", 10000, "Most result rows (or triples) a query returns; more are cut and flagged.",
            _positive_int),
    Setting("max_query_bytes", 65536, "Longest SPARQL query text accepted, in bytes (HTTP 413 beyond).",
            _positive_int),
    Setting("licence", "http://creativecommons.org/licenses/by/4.0/",
            "Licence IRI stated on the catalogue, datasets and distributions.", _iri),
    Setting("publisher_name", "kg-publisher", "Name of the catalogue's publisher.", _text),
    Setting("contact_email", "opendata@example.org", "Contact e-mail of the catalogue.", _text),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Read values as attributes (``settings.base_iri``)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **overrides: Any) -> Settings:
        return load_settings(overrides=overrides, base=self)


def _apply(values: dict[str, Any], sources: dict[str, str], name: str, raw: Any, source: str) -> None:
    setting = _BY_NAME.get(name)
    if setting is None:
        known = ", ".join(sorted(_BY_NAME))
        raise SettingsError(f"Unknown setting {name!r} (from {source})", f"Known settings: {known}.")
    try:
        values[name] = setting.parse(raw)
    except (ValueError, TypeError) as exc:
        raise SettingsError(
            f"Bad value {raw!r} for setting {name!r} (from {source}): expected {exc}",
        ) from None
    sources[name] = source


def load_settings(
    file: str | Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    base: Settings | None = None,
) -> Settings:
    """Resolve settings from defaults, a TOML file, ``KGP_*`` variables and ``overrides``."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if base is not None:
        values.update(base.values)
        sources.update(base.sources)
    else:
        for setting in SETTINGS:
            values[setting.name] = setting.parse(setting.default)
            sources[setting.name] = "default"
        path = Path(file) if file else Path(env["KGP_SETTINGS_FILE"]) if env.get("KGP_SETTINGS_FILE") else None
        if path is None and Path("kg-publisher.toml").is_file():
            path = Path("kg-publisher.toml")
        if path is not None:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise SettingsError(f"Settings file {path} does not exist",
                                    "Give an existing TOML file or unset KGP_SETTINGS_FILE.") from None
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                raise SettingsError(f"Settings file {path} is not valid UTF-8 TOML: {exc}") from None
            for name, raw in data.items():
                _apply(values, sources, name, raw, f"file {path}")
        for name in ("host", "port"):
            if env.get(name.upper()):
                _apply(values, sources, name, env[name.upper()], f"environment variable {name.upper()}")
        for setting in SETTINGS:
            key = f"KGP_{setting.name.upper()}"
            if key in env:
                _apply(values, sources, setting.name, env[key], f"environment variable {key}")
    for name, raw in (overrides or {}).items():
        if raw is not None:
            _apply(values, sources, name, raw, "command line")
    return Settings(values, sources)

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

import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import SettingsError

#: Characters RFC 3987 excludes from IRIs (besides control characters): a value holding one would break the
#: HTML, Turtle and headers it is written into.
_NOT_IN_IRIS = frozenset(' "<>{}|\\^`')


def _http_iri(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(what)
    text = value.strip()
    bad = next((ch for ch in text if ch in _NOT_IN_IRIS or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F), None)
    if bad is not None:
        raise ValueError(f"{what}, without spaces, quotes, angle brackets or control characters "
                         f"(found {bad!r})")
    parts = urlsplit(text)
    try:
        port = parts.port  # ValueError for a port that is not a number in 0–65535
    except ValueError:
        port = -1
    if parts.scheme not in ("http", "https") or not parts.hostname or port == -1 or port == 0:
        raise ValueError(what)
    if parts.query or parts.fragment or "#" in text:
        raise ValueError(f"{what}, without query string or fragment")
    return text


def _iri(value: Any) -> str:
    """A base IRI: data IRIs and URLs are made by appending paths, so it must end with '/'."""
    what = "an absolute http(s) IRI ending with '/' (e.g. https://example.org/budget/)"
    text = _http_iri(value, what)
    if not text.endswith("/"):
        raise ValueError(what)
    return text


def _optional_iri(value: Any) -> str:
    return "" if isinstance(value, str) and value.strip() == "" else _iri(value)


def _optional_endpoint(value: Any) -> str:
    if isinstance(value, str) and value.strip() in ("", "loaded"):
        return value.strip()
    return _http_iri(value, "an absolute http(s) URL of a SPARQL query endpoint (e.g. http://127.0.0.1:7878/query), "
                            "or 'loaded'")


def _licence_iri(value: Any) -> str:
    return _http_iri(value, "an absolute http(s) IRI (e.g. http://creativecommons.org/licenses/by/4.0/)")


def _number(value: Any, kind: type[int] | type[float], low: float, high: float, what: str = "") -> float:
    """``value`` as a finite ``kind`` in [low, high] (floats: above 0); booleans and non-numbers are refused."""
    what = what or (f"a whole number from {int(low)} to {int(high)}" if kind is int
                    else f"a number greater than 0, at most {high:g}")
    if isinstance(value, bool):
        raise ValueError(what)
    try:
        number = kind(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(what) from None
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(what)
    if not math.isfinite(number) or not low <= number <= high or (kind is float and number <= 0):
        raise ValueError(what)
    return number


def _bounded_int(low: int, high: int, what: str = "") -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        return int(_number(value, int, low, high, what))
    return parse


def _seconds(high: float) -> Callable[[Any], float]:
    def parse(value: Any) -> float:
        return float(_number(value, float, 0, high))
    return parse


_port = _bounded_int(1, 65535, "a TCP port between 1 and 65535")


def _host_name(value: Any) -> str:
    """A host name or IP address (``[…]`` for IPv6), as a Host header or ``bind`` gives it, without port."""
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(f"//{text}")
    try:
        valid = bool(text) and parts.hostname is not None and parts.port is None and parts.netloc == text \
            and "@" not in text and bool(text.encode("idna"))
    except (ValueError, UnicodeError):
        valid = False
    if not valid or any(ch in _NOT_IN_IRIS or ord(ch) < 0x21 for ch in text):
        raise ValueError("a host name or IP address without port (e.g. 127.0.0.1, data.example.org, [::1])")
    return text


def _allowed_host(value: Any) -> str:
    text = _host_name(value)
    if text.startswith("["):
        # Werkzeug's trusted-host check compares what comes before the first ':', so an IPv6 literal can never
        # match; public_url is the way to serve one.
        raise ValueError("a host name or IPv4 address (IPv6 literals cannot be listed: set public_url instead)")
    return text


def _host_names(value: Any) -> tuple[str, ...]:
    """A list of host names (TOML array, or comma-separated in environment variables and options)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)):
        raise ValueError("a list of host names (comma-separated, e.g. data.example.org,localhost)")
    return tuple(_allowed_host(item) for item in items if not (isinstance(item, str) and item.strip() == ""))


def _email(value: Any) -> str:
    """An e-mail address: the catalogue states it as the IRI ``mailto:{address}``."""
    text = value.strip() if isinstance(value, str) else ""
    local, at, domain = text.rpartition("@")
    if not (local and at and "." in domain) or any(ch in _NOT_IN_IRIS or ord(ch) < 0x21 for ch in text):
        raise ValueError("an e-mail address without spaces, quotes or angle brackets (e.g. opendata@example.org)")
    return text


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
    Setting("public_url", "", "Where the server is reached (e.g. https://data.example.org/kg/). Every absolute "
            "URL the server writes (links, sitemap, service description, catalogue downloads) starts with it, "
            "whatever Host a client sends. Empty: the request's own host, if it is one of allowed_hosts.",
            _optional_iri),
    Setting("allowed_hosts", (), "Host names a request's Host header may name when public_url is empty (others "
            "get HTTP 400); the port is not compared. Empty: the host setting plus localhost and 127.0.0.1.",
            _host_names),
    Setting("data_dir", "data", "Folder of source disclosures that `make run` builds.", _path),
    Setting("build_dir", "build", "Output folder of `kg-publisher build` and input of `serve`.", _path),
    Setting("host", "127.0.0.1", "Interface the web server binds to.", _host_name),
    Setting("port", 8000, "TCP port of the web server.", _port),
    Setting("workers", 2, "Number of web server worker processes (1–64).", _bounded_int(1, 64)),
    Setting("threads", 64, "Request threads per web server worker (1–256). A thread waiting for a query costs no "
            "CPU; too few let slow queries hold them all while quick requests queue (with 16, 32 clients of "
            "which most waited for aggregates gave lookups a p99 of 130 ms; with 48, 40 ms).", _bounded_int(1, 256)),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may take, counted from its arrival (waiting for a "
            "query process included), before it is stopped (HTTP 503); more than 0, at most 3600.", _seconds(3600)),
    Setting("query_workers", 4, "SPARQL worker processes per server process (1–64; at least 2, one is "
            "always kept for cheap lookups; 2 are started, more up to this number when queries wait); a query past "
            "query_timeout is stopped by ending its worker, which is then replaced.", _bounded_int(1, 64)),
    Setting("expensive_queries", 0, "Expensive SPARQL queries (cartesian products, transitive paths) the whole "
            "server runs at once, across its workers (0–64; 0: one less than the CPUs, at least 1); more wait "
            "for a turn within query_timeout, then get HTTP 503 and Retry-After.", _bounded_int(0, 64)),
    Setting("max_rows", 10000, "Most result rows (or triples) a query returns (1–10,000,000); more are cut "
            "and flagged.", _bounded_int(1, 10_000_000)),
    Setting("catalog_page_size", 100, "Data sets and series per page of the served catalogue (/catalog, RDF and "
            "HTML; 1–10,000): pages link each other as a Hydra partial collection view, which harvesters follow. "
            "The release's catalog.nt stays whole.", _bounded_int(1, 10_000)),
    Setting("max_query_bytes", 65536, "Longest SPARQL query text accepted, in bytes (1–16,777,216; HTTP 413 "
            "beyond).", _bounded_int(1, 1 << 24)),
    Setting("store_url", "", "SPARQL 1.1 query endpoint of an engine holding the release (loaded with "
            "`kg-publisher load`), e.g. http://127.0.0.1:7878/query. 'loaded': the engine `kg-publisher load` last "
            "loaded and checked for build_dir, serving the release it holds (switched when another is loaded). "
            "Empty: the release's embedded store.",
            _optional_endpoint),
    Setting("keep_releases", 3, "Earlier releases a build keeps beside the new one (0–100), newest first: each "
            "stays downloadable at /releases/VERSION/ and is listed with its version in the catalogue; files "
            "unchanged between releases are hard links, not copies.", _bounded_int(0, 100)),
    Setting("licence", "http://creativecommons.org/licenses/by/4.0/",
            "Licence IRI stated on the catalogue, datasets and distributions.", _licence_iri),
    Setting("publisher_name", "kg-publisher", "Name of the catalogue's publisher.", _text),
    Setting("contact_email", "opendata@example.org", "Contact e-mail of the catalogue.", _email),
)

_BY_NAME = {setting.name: setting for setting in SETTINGS}


@dataclass(frozen=True)
class Settings:
    """Resolved settings. Read values as attributes (``settings.base_iri``)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("values", "sources"):  # not set yet (unpickling): no setting
            raise AttributeError(name)
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

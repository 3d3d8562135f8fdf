from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg_publisher.cli import main
from kg_publisher.errors import SettingsError
from kg_publisher.settings import SETTINGS, load_settings


def test_defaults_file_env_and_overrides_in_order(tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    file.write_text('base_iri = "https://file.example/kg/"\nmax_rows = 50\nport = 9000\n', encoding="utf-8")
    settings = load_settings(file, environ={"KGP_MAX_ROWS": "70"}, overrides={"port": 8123})
    assert settings.base_iri == "https://file.example/kg/"
    assert settings.max_rows == 70
    assert settings.port == 8123
    assert settings.sources["max_rows"] == "environment variable KGP_MAX_ROWS"
    assert load_settings(environ={}).query_timeout == 10.0


def test_plain_port_and_host_variables_are_read() -> None:
    settings = load_settings(environ={"PORT": "8124", "HOST": "0.0.0.0"})
    assert (settings.port, settings.host) == (8124, "0.0.0.0")


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("base_iri", "ftp://x/", "absolute http(s) IRI"),
    ("base_iri", "https://example.org/no-slash", "ending with '/'"),
    ("port", "99999", "TCP port"),
    ("query_timeout", "-1", "greater than 0"),
    ("max_rows", "many", "whole number"),
])
def test_bad_values_name_the_setting_and_the_source(name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(environ={f"KGP_{name.upper()}": value})
    message = str(info.value)
    assert name in message and f"KGP_{name.upper()}" in message and expected in message


def test_unknown_setting_in_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    file.write_text("bse_iri = 'https://x/'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"Unknown setting 'bse_iri'.*Known settings: allowed_hosts, base_iri"):
        load_settings(file, environ={})


def test_unreadable_settings_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", environ={})
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"base_iri = \xff\n")
    with pytest.raises(SettingsError, match="not valid UTF-8 TOML"):
        load_settings(bad, environ={})


def test_every_setting_is_documented_in_readme() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in SETTINGS if f"`{s.name}`" not in readme]
    assert not missing, f"settings not in README: {missing}"


#: (setting, value, what the message must say is accepted): issue 7's examples and the other bounds.
BAD_VALUES = [
    ("public_url", "http://127.0.0.1:8000/a b/", "without spaces"),
    ("public_url", '"><script>alert(1)</script>', "without spaces, quotes, angle brackets"),
    ("public_url", "http://127.0.0.1:8000/\"><script>/", "without spaces, quotes, angle brackets"),
    ("public_url", "http://127.0.0.1:99999/", "absolute http(s) IRI"),
    ("base_iri", "https://example.org/budget kg/", "without spaces"),
    ("base_iri", "https://example.org/kg\t/", "control characters"),
    ("base_iri", "https://example.org/kg#", "without query string or fragment"),
    ("base_iri", "https:///kg/", "absolute http(s) IRI"),
    ("licence", "http://example.org/<licence>", "angle brackets"),
    ("contact_email", "open data@example.org", "an e-mail address"),
    ("contact_email", "x@example.org>; <http://evil", "an e-mail address"),
    ("query_timeout", "inf", "a number greater than 0, at most 3600"),
    ("query_timeout", "nan", "a number greater than 0, at most 3600"),
    ("query_timeout", "1e9", "a number greater than 0, at most 3600"),
    ("query_timeout", "0", "a number greater than 0"),
    ("max_rows", "0", "a whole number from 1 to 10000000"),
    ("max_rows", "1e12", "a whole number from 1 to 10000000"),
    ("max_query_bytes", "-5", "a whole number from 1 to 16777216"),
    ("workers", "1000", "a whole number from 1 to 64"),
    ("query_workers", "2.5", "a whole number from 1 to 64"),
    ("port", "0", "a TCP port between 1 and 65535"),
    ("port", "70000", "a TCP port between 1 and 65535"),
    ("host", "0.0.0.0 evil", "a host name or IP address"),
    ("host", "a" * 64 + ".example", "a host name or IP address"),
    ("allowed_hosts", "localhost,evil host", "a host name or IP address"),
    ("allowed_hosts", "localhost:8000", "without port"),
    ("allowed_hosts", "[::1]", "IPv6 literals cannot be listed"),
]


def _toml_value(value: str) -> str:
    """The value as TOML would carry it: numbers and inf/nan bare (TOML has them), everything else a string."""
    try:
        float(value)
    except ValueError:
        return json.dumps(value)
    return value.replace("1e", "1.0e") if "e" in value and "." not in value else value


@pytest.mark.parametrize(("name", "value", "expected"), BAD_VALUES)
def test_bad_values_from_a_file_are_refused(tmp_path: Path, name: str, value: str, expected: str) -> None:
    file = tmp_path / "s.toml"
    file.write_text(f"{name} = {_toml_value(value)}\n", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_settings(file, environ={})
    message = str(info.value)
    assert f"setting {name!r}" in message and f"file {file}" in message and expected in message, message


@pytest.mark.parametrize(("name", "value", "expected"), BAD_VALUES)
def test_bad_values_from_the_environment_are_refused(name: str, value: str, expected: str) -> None:
    with pytest.raises(SettingsError) as info:
        load_settings(environ={f"KGP_{name.upper()}": value})
    message = str(info.value)
    assert f"setting {name!r}" in message and f"KGP_{name.upper()}" in message and expected in message, message


@pytest.mark.parametrize(("name", "value", "expected"), BAD_VALUES)
def test_bad_values_on_the_command_line_exit_2(tmp_path: Path, name: str, value: str, expected: str) -> None:
    """Through the CLI: a settings file, an environment variable and (where one exists) an option; never a
    traceback, always exit 2 before anything is built or served."""
    file = tmp_path / "s.toml"
    file.write_text(f"{name} = {_toml_value(value)}\n", encoding="utf-8")
    option = {"base_iri": ["build", "--base-iri", value, str(tmp_path / "none")],
              "public_url": ["serve", str(tmp_path), "--public-url", value],
              "port": ["serve", str(tmp_path), "--port", value],
              "host": ["serve", str(tmp_path), "--host", value]}.get(name)
    runs = [(["--settings", str(file), "serve", str(tmp_path)], {}, f"file {file}"),
            (["serve", str(tmp_path)], {f"KGP_{name.upper()}": value}, f"KGP_{name.upper()}")]
    if option:
        runs.append((option, {}, "command line"))
    for args, env, source in runs:
        result = CliRunner().invoke(main, args, env={"KGP_SETTINGS_FILE": None, **env})
        assert result.exit_code == 2, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"setting {name!r}" in result.stderr and source in result.stderr and expected in result.stderr


@pytest.mark.parametrize(("name", "value", "parsed"), [
    ("public_url", "https://data.example.org/kg/", "https://data.example.org/kg/"),
    ("base_iri", "http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("query_timeout", "0.5", 0.5),
    ("query_timeout", "3600", 3600.0),
    ("max_rows", "10000000", 10_000_000),
    ("port", "65535", 65535),
    ("host", "[::1]", "[::1]"),
    ("allowed_hosts", "data.example.org, localhost", ("data.example.org", "localhost")),
])
def test_values_at_the_bounds_are_accepted(name: str, value: str, parsed: object) -> None:
    assert getattr(load_settings(environ={f"KGP_{name.upper()}": value}), name) == parsed


def test_allowed_hosts_from_a_toml_array(tmp_path: Path) -> None:
    file = tmp_path / "s.toml"
    file.write_text('allowed_hosts = ["data.example.org", "127.0.0.1"]\n', encoding="utf-8")
    assert load_settings(file, environ={}).allowed_hosts == ("data.example.org", "127.0.0.1")
    file.write_text("allowed_hosts = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="a list of host names"):
        load_settings(file, environ={})

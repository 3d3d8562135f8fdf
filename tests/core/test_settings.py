from __future__ import annotations

from pathlib import Path

import pytest

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
    with pytest.raises(SettingsError, match=r"Unknown setting 'bse_iri'.*Known settings: base_iri"):
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

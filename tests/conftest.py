"""Fixtures shared by every test package: where the seed is, and the shared material beside the checkout.

``../shared`` (the corpus, the W3C and DCAT-AP test material) is not part of the repository. A test that needs it
is marked ``@pytest.mark.needs_shared("corpus")`` (or asks for ``corpus_dir``); without it the test is skipped, all
such tests under one summary line. With ``KGP_REQUIRE_SHARED=1`` (``.ci/run`` sets it when ``../shared`` is
present) a missing part fails the test instead, and a run in which no test used the material fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "disclosures" / "00_panjin-xinglongtai-zwfwzx-2022-budget.txt"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
#: Set to 1 by .ci/run when ../shared is present: what needs it must then run.
REQUIRE_SHARED = "KGP_REQUIRE_SHARED"

_used_shared: set[str] = set()
#: Fixtures that need a part of ../shared (name → parts): a test asking for one is marked needs_shared, so it is
#: skipped before the fixture runs (a skip inside a fixture would be reported at each test, not under one line).
_SHARED_FIXTURES: dict[str, tuple[str, ...]] = {}

F = TypeVar("F", bound=Callable[..., object])


def shared_fixture(*parts: str) -> Callable[[F], F]:
    """Declare that the fixture below needs ``../shared/PARTS`` (put it under ``@pytest.fixture``)."""
    def register(function: F) -> F:
        _SHARED_FIXTURES[function.__name__] = parts  # type: ignore[attr-defined]
        return function
    return register


def require_shared(*parts: str) -> Path:
    """``../shared/PARTS``; skip the calling test when it is absent (fail under ``KGP_REQUIRE_SHARED=1``)."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        _used_shared.add(str(path))
        return path
    if os.environ.get(REQUIRE_SHARED) == "1":
        pytest.fail(f"{REQUIRE_SHARED}=1 (../shared is expected beside the checkout) but {path} is missing",
                    pytrace=False)
    missing = SHARED if not SHARED.exists() else path
    pytest.skip(f"needs the shared test material (corpus, W3C and DCAT-AP suites) at ../shared: {missing} not found")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "needs_shared(*parts): needs ../shared/PARTS; skipped when it is absent")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        for name in getattr(item, "fixturenames", ()):
            if name in _SHARED_FIXTURES:
                item.add_marker(pytest.mark.needs_shared(*_SHARED_FIXTURES[name]))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("needs_shared"):
        require_shared(*mark.args)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get(REQUIRE_SHARED) == "1" and session.testscollected and not session.config.option.collectonly \
            and not _used_shared and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"{REQUIRE_SHARED}=1 but no test used ../shared: the shared tests did not run",
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
@shared_fixture("corpus")
def corpus_dir() -> Path:
    return require_shared("corpus")


def whole_nquads(release_dir: Path) -> bytes:
    """The whole graph of a release (or of a build folder's current one), the catalogue graph with it, as
    N-Quads: what the release serves and its store holds, read from its parts' files (no file holds it whole)."""
    from kg_publisher.publish.release import Release

    with Release.open(release_dir).open_nquads() as stream:
        return stream.read()

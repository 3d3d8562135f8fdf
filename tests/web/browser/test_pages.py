"""What a reader sees in Chromium: every kind of page loads without script errors, asks nothing of any other
host, and fits a 390 px phone screen; a screenshot of each is kept (tests/artefacts/screenshots/)."""

from __future__ import annotations

from typing import Any

import pytest

from kg_publisher.publish.release import Release

from .conftest import DESKTOP, PHONE

SEED_KEY = "panjin-xinglongtai-zwfwzx-2022-budget"


def pages(release: Release) -> dict[str, str]:
    base = release.manifest["base_iri"]
    seed = next(d for d in release.manifest["datasets"] if d["key"] == SEED_KEY)
    return {
        "home": "/",
        "catalogue": "/catalog",
        "dataset": seed["dataset"].removeprefix(base),
        "figure": seed["dataset"].removeprefix(base) + "/obs/expenditure-basic",
        "organisation": "id/org/panjin-xinglongtai-zwfwzx",
        "sparql": "/sparql",
    }


@pytest.mark.parametrize("name", ["home", "catalogue", "dataset", "figure", "organisation", "sparql"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_page_loads_clean_and_fits(visit: Any, release: Release, name: str, viewport: dict[str, int]) -> None:
    seen = visit(pages(release)[name], viewport=viewport)
    seen.screenshot(f"{name}-{viewport['width']}")
    assert seen.errors == [], f"console errors on {name}"
    assert seen.outside == [], f"{name} asked other hosts"
    assert seen.overflow() <= 0, f"{name} is {seen.overflow()} px wider than a {viewport['width']} px screen"

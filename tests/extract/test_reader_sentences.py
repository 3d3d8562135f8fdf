"""Real sentences (tests/extract/readers/sentences.txt) read into the figures written beside them, as printed
and in every layout variant a PDF or a portal produces: line breaks at any width (never inside a number),
page breaks, NBSPs, full-width digits, a space before the unit. Spans move; keys, values and codes do not."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg_publisher.extract.source import SourceText
from kg_publisher.records.model import Disclosure
from kg_publisher.records.parse import parse_disclosure

CASES = Path(__file__).parent / "readers" / "sentences.txt"
TITLE = "上海市普陀区测试局2024年部门预算"


@dataclass(frozen=True)
class Case:
    heading: str
    expect: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]
    text: str
    #: The disclosure's title (a budget's unless the block says ``title:``).
    title: str = TITLE

    @property
    def name(self) -> str:
        return f"{self.heading[:12]}-{self.expect[0][0]}"


def _cases() -> list[Case]:
    cases = []
    for block in CASES.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        if not lines:
            continue
        title = next((line.removeprefix("title: ") for line in lines if line.startswith("title: ")), TITLE)
        lines = [line for line in lines if not line.startswith("title: ")]
        heading = lines[0].removeprefix("heading: ")
        expect = tuple((key, value, unit, tuple(tuple(f.split("=", 1)) for f in fields))  # type: ignore[misc]
                       for key, value, unit, *fields in (line.removeprefix("expect: ").split()
                                                         for line in lines if line.startswith("expect: ")))
        text = "\n".join(line for line in lines[1:] if not line.startswith("expect: "))
        cases.append(Case(heading, expect, text, title))
    return cases


CASES_READ = _cases()


def parse(heading: str, body: str, title: str = TITLE) -> Disclosure:
    text = f"{title}\n{heading}\n{body}\n"
    return parse_disclosure(SourceText("case.txt", hashlib.sha256(text.encode()).hexdigest(), "text/plain", text))


def check(case: Case, disclosure: Disclosure) -> None:
    facts = {fact.key: fact for fact in disclosure.facts}
    for key, value, unit, fields in case.expect:
        assert key in facts, (key, sorted(facts))
        fact = facts[key]
        assert (fact.amount.printed, fact.amount.unit) == (value, unit), key
        for name, wanted in fields:
            assert str(getattr(fact, name)) == wanted, (key, name)


FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def rewrap(text: str, rng: random.Random) -> str:
    """The text as a PDF might give it: lines broken every few characters (never inside a number), with
    NBSPs, form feeds, full-width digits and a blank before units here and there."""
    flat = text.replace("\n", "")
    width = rng.randint(5, 60)
    out: list[str] = []
    line = 0
    for position, char in enumerate(flat):
        inside_number = position and (char.isdigit() or char in ".,") and (flat[position - 1].isdigit()
                                                                           or flat[position - 1] in ".,")
        if line >= width and not inside_number:
            out.append(rng.choice(["\n", "\n", " \n", "\n\u00a0", "\n\f\n"]))
            line = 0
        out.append(char)
        line += 1
    wrapped = "".join(out)
    if rng.random() < 0.5:
        wrapped = wrapped.replace("万元", rng.choice([" 万元", "\u00a0万元", "万\n元"]))
    if rng.random() < 0.3:
        wrapped = wrapped.translate(FULL_WIDTH)
    return wrapped


@pytest.mark.parametrize("case", CASES_READ, ids=[c.name for c in CASES_READ])
def test_sentence_as_printed(case: Case) -> None:
    check(case, parse(case.heading, case.text, case.title))


@pytest.mark.parametrize("case", CASES_READ, ids=[c.name for c in CASES_READ])
def test_sentence_rewrapped(case: Case) -> None:
    rng = random.Random(f"{case.name}")  # fixed seed per case: a failure names its variant
    for attempt in range(25):
        variant = rewrap(case.text, rng)
        try:
            check(case, parse(case.heading, variant, case.title))
        except AssertionError as error:
            raise AssertionError(f"variant {attempt}: {variant!r}") from error

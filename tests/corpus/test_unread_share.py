"""How much of each corpus document's text outside its tables no record covers: printed per document, and
under 5 % of those characters (the unread passages are published as one sh:Info note per section)."""

from __future__ import annotations

import pytest

from kg_publisher.extract.readers import read_source
from kg_publisher.records.model import Disclosure
from kg_publisher.records.parse import parse_disclosure
from tests.conftest import SEED

from .sources import DOCUMENTS, document

TARGET = 0.05


def unread_share(disclosure: Disclosure) -> tuple[int, int]:
    """(unread characters, characters) outside the table sections, blanks not counted."""
    text = disclosure.source.text
    in_table = bytearray(len(text))
    for section in disclosure.sections:
        if section.meaning == "tables":
            in_table[section.span.start:section.span.end] = b"\x01" * (section.span.end - section.span.start)
    unread = bytearray(len(text))
    for item in disclosure.unparsed:
        unread[item.span.start:item.span.end] = b"\x01" * (item.span.end - item.span.start)
    counted = [i for i, char in enumerate(text) if not char.isspace() and not in_table[i]]
    return sum(1 for i in counted if unread[i]), len(counted)


@pytest.mark.parametrize("name", ("00", *DOCUMENTS))
def test_unread_share(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    disclosure = parse_disclosure(read_source(SEED)) if name == "00" else document(name).disclosure
    unread, total = unread_share(disclosure)
    with capsys.disabled():
        print(f"\n{name}: {unread} of {total} characters outside tables unread = {unread / total:.1%}")
    assert unread / total < TARGET

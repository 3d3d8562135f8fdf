"""Bad inputs give a SourceError that names the file and says what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_publisher.errors import SourceError
from kg_publisher.extract.readers import read_source
from kg_publisher.records.parse import parse_disclosure


def _parse(path: Path) -> None:
    parse_disclosure(read_source(path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"nowhere\.txt"):
        _parse(tmp_path / "nowhere.txt")


def test_not_utf8(tmp_path: Path, seed_path: Path) -> None:
    path = tmp_path / "gb18030.txt"
    path.write_bytes(seed_path.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(SourceError, match=r"gb18030\.txt.*not UTF-8"):
        _parse(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text(" \n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"empty\.txt"):
        _parse(path)


def test_text_without_disclosure_sections(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("今天天气很好，我们去公园散步。\n晚上读了一本关于历史的书，共花费30元。\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        _parse(path)
    message = caught.value.message
    assert "notes.txt" in message and "no budget disclosure found" in message and "目录" in message


def test_sections_but_no_title(tmp_path: Path) -> None:
    path = tmp_path / "glossary-only.txt"
    path.write_text("某单位资料汇编\n名词解释\n1.基本支出：指保障机构正常运转的支出。\n", encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        _parse(path)
    assert "glossary-only.txt" in caught.value.message and "title" in caught.value.message

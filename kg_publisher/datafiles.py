"""The project's own data files (``data/registry``, ``data/codelists``): reading them, and the one way
names in them are compared with names in documents."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

from .errors import SettingsError


def normalize_name(name: str) -> str:
    """NFKC and no whitespace: ``"上海市普陀区 财政局"`` → ``"上海市普陀区财政局"``.

    >>> normalize_name("上海市普陀区\u3000财政局 ")
    '上海市普陀区财政局'
    """
    return "".join(unicodedata.normalize("NFKC", name).split())


def read_csv_rows(path: Path, what: str) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV data file; ``what`` names it in the error (``"Code list"`` …)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as exc:
        raise SettingsError(f"{what} {path} cannot be read: {exc.strerror}") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SettingsError(f"{what} {path} is not UTF-8 CSV: {exc}") from None

"""Classification code lists (``data/codelists/*.csv``): look codes up by code or printed name.

>>> econ = CodeList.load("econ-dept")
>>> econ.by_name("办公费").code
'30201'
>>> econ.by_name("因公出国（境）费").code
'30212'
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import SettingsError

CODELIST_DIR = Path(__file__).resolve().parent.parent / "data" / "codelists"


def _norm(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    parent: str | None
    aliases: tuple[str, ...] = ()


class CodeList:
    def __init__(self, scheme: str, codes: list[Code]) -> None:
        self.scheme = scheme
        self.codes = {code.code: code for code in codes}
        self._names: dict[str, Code] = {}
        for code in codes:
            for name in (code.name, *code.aliases):
                self._names.setdefault(_norm(name), code)

    @classmethod
    @cache
    def load(cls, scheme: str) -> CodeList:
        path = CODELIST_DIR / f"{scheme}.csv"
        try:
            with path.open(encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
        except OSError as exc:
            raise SettingsError(f"Code list {path} cannot be read: {exc.strerror}") from None
        return cls(scheme, [
            Code(row["code"], row["name"], row.get("parent") or None,
                 tuple(a for a in (row.get("aliases") or "").split("|") if a))
            for row in rows
        ])

    def get(self, code: str) -> Code | None:
        return self.codes.get(code)

    def by_name(self, name: str) -> Code | None:
        return self._names.get(_norm(name))

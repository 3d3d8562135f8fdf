"""Classification code lists (``data/codelists/*.csv``): look codes up by code or printed name.

Two lists are kept, one row per code (``code,name,name_en,parent,aliases,certainty,valid_from,valid_to,evidence``):
``func`` (支出功能分类科目: 类 3 digits / 款 5 / 项 7) and ``econ-dept`` (部门预算支出经济分类科目:
类 3 / 款 5). ``certainty`` is ``confirmed`` (code and name seen in a disclosure or an official
list), ``name-seen`` (name seen, code from the modelling guide) or ``uncertain`` (◐ in the guide);
codes a document prints are added at run time with :meth:`CodeList.extend_with_printed`.

>>> econ = CodeList.load("econ-dept")
>>> econ.by_name("办公费").code
'30201'
>>> econ.by_name("因公出国（境）费").code
'30212'
>>> match_glossary_term("住房保障（类）住房改革（款）住房公积金（项）", 2022)
'2210201'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from .datafiles import normalize_name, read_csv_rows
from .errors import SettingsError
from .package_data import codelist_dir

#: Level names by number of digits (类 3, 款 5, 项 7), and in English.
LEVELS = {3: "类", 5: "款", 7: "项"}
LEVELS_EN = {3: "category", 5: "class", 7: "item"}
_CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")


def parent_of(code: str) -> str | None:
    """The code one level up: ``2080505`` → ``20805`` → ``208`` → None."""
    return code[:-2] if len(code) > 3 else None


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    parent: str | None
    aliases: tuple[str, ...] = ()
    #: confirmed | name-seen | uncertain | printed (added from a document)
    certainty: str = "confirmed"
    valid_from: int | None = None
    valid_to: int | None = None
    evidence: str = ""
    #: The English name (``name_en``); empty for a code a document printed that we do not hold.
    name_en: str = ""

    @property
    def depth(self) -> int:
        """1 for 类, 2 for 款, 3 for 项."""
        return (len(self.code) - 1) // 2

    @property
    def level(self) -> str:
        return LEVELS[len(self.code)]

    def valid_in(self, year: int) -> bool:
        return (self.valid_from is None or self.valid_from <= year) and (self.valid_to is None or year <= self.valid_to)


def _year(value: str | None, path: Path, line: int, column: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise SettingsError(f"{path}, line {line}: {column} must be a year, not {value!r}")
    return int(value)


class CodeList:
    def __init__(self, scheme: str, codes: list[Code]) -> None:
        self.scheme = scheme
        self.codes = {code.code: code for code in codes}
        self._names: dict[str, Code] = {}
        for code in codes:
            for name in (code.name, *code.aliases):
                self._names.setdefault(normalize_name(name), code)

    @classmethod
    @cache
    def load(cls, scheme: str) -> CodeList:
        path = codelist_dir() / f"{scheme}.csv"
        rows = read_csv_rows(path, "Code list")
        codes = []
        for line, row in enumerate(rows, start=2):
            code = (row.get("code") or "").strip()
            if not _CODE.match(code) or not row.get("name"):
                raise SettingsError(f"{path}, line {line}: a code of 3, 5 or 7 digits and a name are required")
            codes.append(Code(
                code, row["name"], row.get("parent") or None,
                tuple(a for a in (row.get("aliases") or "").split("|") if a),
                certainty=row.get("certainty") or "confirmed",
                valid_from=_year(row.get("valid_from"), path, line, "valid_from"),
                valid_to=_year(row.get("valid_to"), path, line, "valid_to"),
                evidence=row.get("evidence") or "", name_en=(row.get("name_en") or "").strip(),
            ))
        return cls(scheme, codes)

    def get(self, code: str) -> Code | None:
        return self.codes.get(code)

    def by_name(self, name: str) -> Code | None:
        return self._names.get(normalize_name(name))

    def for_year(self, year: int) -> CodeList:
        """The codes valid in ``year``."""
        return CodeList(self.scheme, [code for code in self.codes.values() if code.valid_in(year)])

    def children(self, code: str | None) -> list[Code]:
        """The codes one level below ``code`` (the 类 when ``code`` is None)."""
        return [c for c in self.codes.values() if (c.parent if code is not None else None) == code
                and (code is not None or len(c.code) == 3)]

    def extend_with_printed(self, printed: Iterable[tuple[str, str]]) -> CodeList:
        """This list plus the (code, name) pairs a document prints.

        A code we do not hold is added with ``certainty="printed"`` (its parent is its prefix); a
        known code printed under another name keeps its name and gets the printed one as an alias,
        so later lookups by that wording succeed.
        """
        codes = dict(self.codes)
        for code, name in printed:
            code, name = code.strip(), printed_name(name)
            if not _CODE.match(code) or not name:
                continue
            known = codes.get(code)
            if known is None:
                codes[code] = Code(code, name, parent_of(code), certainty="printed", evidence="printed in a disclosure")
            elif normalize_name(name) not in {normalize_name(n) for n in (known.name, *known.aliases)}:
                codes[code] = replace(known, aliases=(*known.aliases, name))
        return CodeList(self.scheme, sorted(codes.values(), key=lambda c: c.code))

    def match_name(self, name: str, parent: str | None) -> Code | None:
        """The code below ``parent`` named ``name``, tolerating the usual wording variants
        (a trailing 类, 支出 dropped or added: "卫生健康类" → 卫生健康支出)."""
        wanted = _name_variants(name)
        for candidate in self.children(parent):
            names = (candidate.name, *candidate.aliases)
            if wanted & {variant for known in names for variant in _name_variants(known)}:
                return candidate
        return None


_COLUMN = re.compile(r"\s*/\s.*$")
_LEVEL_SUFFIX = re.compile(r"（[类款项]）$")


def printed_name(label: str) -> str:
    """A code's name from the row label a table prints it with: without the column a two-piece label adds
    (``群众团体事务 / 合计``) and a trailing level (``公共法律服务（项）``).

    >>> printed_name("群众团体事务 / 事业单位经营收入"), printed_name("公共法律服务（项）")
    ('群众团体事务', '公共法律服务')
    """
    return _LEVEL_SUFFIX.sub("", _COLUMN.sub("", label.strip())).strip()


def _name_variants(name: str) -> set[str]:
    base = normalize_name(name)
    stems = {base, base.removesuffix("类"), base.removesuffix("支出")}
    return {stem for stem in stems if stem} | {stem + "支出" for stem in stems if stem}


#: "社会保障和就业（类）行政事业单位离退休（款）归口管理的行政单位离退休（项）"
_LEVEL_PART = re.compile(r"(.+?)[（(]\s*(类|款|项)\s*[）)]")


def english_path(code: str, year: int, scheme: str = "func") -> str | None:
    """The English names of a code and the codes above it, top first, each with its level; None when one of
    them has no English name.

    >>> english_path("2210201", 2022)
    'housing security (category) · housing reform (class) · housing provident fund (item)'
    """
    codes = CodeList.load(scheme).for_year(year)
    names: list[str] = []
    current: str | None = code
    while current is not None:
        found = codes.get(current)
        if found is None or not found.name_en:
            return None
        names.append(f"{found.name_en} ({LEVELS_EN[len(found.code)]})")
        current = parent_of(current)
    return " · ".join(reversed(names))


def match_glossary_term(term: str, year: int, scheme: str = "func") -> str | None:
    """The code a glossary term of the form ``X（类）Y（款）Z（项）`` names, or None.

    Each level is matched below the one before it, so a name shared by several 款/项 (行政运行)
    resolves only inside its own parent; None when a level is missing, out of order or unknown.
    """
    parts = _LEVEL_PART.findall(normalize_name(term).replace("“", "").replace("”", ""))
    if not parts or [level for _, level in parts] != ["类", "款", "项"][:len(parts)]:
        return None
    codes = CodeList.load(scheme).for_year(year)
    parent: str | None = None
    for name, _ in parts:
        found = codes.match_name(name, parent)
        if found is None:
            return None
        parent = found.code
    return parent

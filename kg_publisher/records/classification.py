"""Classification codes as a document prints them in its tables (``201 06 01 行政运行``).

Prose names a 支出功能分类 item by its names only ("一般公共服务支出（类）财政事务（款）行政运行（项）");
the document's own tables pair those names with codes, so the code of a prose item is read from the
same document (no year-specific code list needed). Codes are joined as printed: 类 ``201`` + 款 ``06``
+ 项 ``01`` → ``2010601``; 部门预算支出经济分类 类 ``302`` + 款 ``01`` → ``30201``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extract.source import SourceText
from ..extract.tables import find_tables
from .model import Section

#: A printed code chain and the first line of its name; codes may stand on one line or one per line.
_CODED_ROW = re.compile(
    r"(?m)^[ \t]*(?P<lei>\d{3})(?:\s+(?P<kuan>\d{2}))?(?:\s+(?P<xiang>\d{2}))?[ \t]*\n?[ \t]*"
    r"(?P<name>[\u4e00-\u9fff][^\s\d,]*)"
)


def scheme_of_table(section_text: str) -> str:
    """``economic`` for tables classified by 经济分类, else ``functional``."""
    return "economic" if "经济分类" in section_text else "functional"


@dataclass
class PrintedCodes:
    """Codes and names found in one document's tables, per scheme."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {"functional": {}, "economic": {}})

    @classmethod
    def read(cls, source: SourceText, sections: tuple[Section, ...]) -> PrintedCodes:
        found = cls()
        # Rows read cell by cell (ruled PDF tables) carry their whole wrapped label: they come first.
        for table in find_tables(source) if source.grids else ():
            scheme = scheme_of_table(table.span.text)
            for row in table.rows:
                if row.code and row.label:
                    found.names[scheme].setdefault(row.code, row.label)
        for section in sections:
            if not section.code.startswith("table"):
                continue
            scheme = scheme_of_table(section.span.text)
            for match in _CODED_ROW.finditer(section.span.text):
                code = "".join(part for part in match.group("lei", "kuan", "xiang") if part)
                found.names[scheme].setdefault(code, match.group("name"))
        return found

    def code_of(self, scheme: str, names: list[str]) -> str | None:
        """The code of a chain of names (类, 款, 项 …), each level under the one before.

        A printed table name may be cut at a line break, so it matches when it starts the prose name.
        None unless exactly one code fits every level.
        """
        parent = ""
        for level, name in enumerate(names):
            name = name.replace("其它", "其他")  # the two spellings of "other" are used interchangeably
            width = 3 if level == 0 else 2
            fits = [code for code, printed in self.names[scheme].items()
                    if len(code) == len(parent) + width and code.startswith(parent)
                    and (name == printed.replace("其它", "其他")
                         or (len(printed) >= 4 and name.startswith(printed.replace("其它", "其他"))))]
            if len(fits) != 1:
                return None
            parent = fits[0]
        return parent or None

"""Each disclosure's figures for spreadsheets: one row per figure, as CSV and XLSX, written with the release.

The files sit beside the dumps (``dumps/{key}.csv``, ``dumps/{key}.xlsx``) and the catalogue lists them as
distributions of the disclosure's dataset. Amounts are exact (the CSV writes ``bgt:amountInYuan`` as printed by
Decimal; the XLSX stores the same digits). A figure printed again in a later table is a row too, with its first
printing in ``reprint_of``: sum only the rows where that column is empty.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from .evidence import findings_about
from .figures import Figure, figures_of
from .formats import CSV, TABLE_SYNTAXES, XLSX, TableSyntax
from .model import DisclosureInfo
from .triples import Triples

#: Column name → what it holds (README "Data for spreadsheets" repeats this table).
COLUMNS: dict[str, str] = {
    "department": "the disclosing department (部门)",
    "year": "fiscal year",
    "kind": "budget (预算) or final (决算)",
    "section": "the part of the document the figure is printed in",
    "item": "the item as printed (项目)",
    "operation": "revenue or expenditure (code)",
    "indicator": "what the figure measures (code: TOTAL, SANGONG, ORG_RUNNING_COST, PROCUREMENT …)",
    "fund_source": "fund source (code, _T = all)",
    "expenditure_type": "basic or project expenditure (code, _T = all)",
    "function_code": "function class (功能分类科目编码: 3 digits 类, 5 款, 7 项; _T = all)",
    "economic_code": "economic class (经济分类科目编码; _T = all)",
    "item_code": "item of the indicator (code, _T = total)",
    "amount_yuan": "the amount in 元, exact",
    "printed_value": "the number as printed",
    "printed_unit": "the unit as printed (元, 万元 …)",
    "span_start": "offset of the first character of the figure in the source text",
    "span_end": "offset after its last character",
    "reprint_of": "the first printing of this figure when this row is a later one (empty: count it)",
    "findings": "how many quality findings concern this figure",
    "figure": "the figure's IRI (its page shows the sentence it was read from)",
}
_CODE_COLUMNS = {"operation": "operation", "indicator": "indicator", "fund_source": "fund_source",
                 "expenditure_type": "expenditure_type", "function_code": "function", "economic_code": "economic",
                 "item_code": "item"}
#: Written into every XLSX (file dates and document properties) so the same figures give the same bytes.
_FIXED_TIME = datetime(2000, 1, 1)
_FINDINGS_LIMIT = 1000


@dataclass(frozen=True)
class TableFile:
    """One written spreadsheet file."""

    key: str
    syntax: TableSyntax
    path: str
    byte_size: int
    sha256: str

    def manifest_row(self) -> dict[str, object]:
        return {"dataset": self.key, "format": self.syntax.name, "media_type": self.syntax.media_type,
                "path": self.path, "bytes": self.byte_size, "sha256": self.sha256}


def figure_rows(triples: Triples, disclosure: DisclosureInfo) -> list[dict[str, object]]:
    """One row per figure of ``disclosure`` (document order), keyed by :data:`COLUMNS`."""
    figures = figures_of(triples, str(disclosure.dataset))
    sections: dict[str, str] = {}
    rows = []
    for figure in figures:
        if figure.section and figure.section not in sections:
            labels = triples.labels(figure.section)
            sections[figure.section] = next((lit.value for lit in labels if lit.language == "zh"),
                                            labels[0].value if labels else "")
        rows.append(_row(figure, disclosure, sections.get(figure.section, ""),
                         len(findings_about(triples, figure.iri, _FINDINGS_LIMIT))))
    return rows


def _row(figure: Figure, disclosure: DisclosureInfo, section: str, findings: int) -> dict[str, object]:
    row: dict[str, object] = {
        "department": disclosure.department, "year": disclosure.year, "kind": disclosure.kind,
        "section": section, "item": figure.label,
    }
    for column, dimension in _CODE_COLUMNS.items():
        row[column] = figure.notation(dimension) or ""
    row.update({
        "amount_yuan": figure.yuan if figure.yuan is not None else "",
        "printed_value": figure.printed_value, "printed_unit": figure.printed_unit,
        "span_start": figure.start, "span_end": figure.end,
        "reprint_of": figure.reprint_of or "", "findings": findings, "figure": figure.iri,
    })
    return row


def csv_bytes(rows: Iterable[dict[str, object]]) -> bytes:
    """RFC 4180 CSV in UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese text right)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _plain(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


def _plain(value: object) -> object:
    return f"{value:f}" if isinstance(value, Decimal) else value


def xlsx_bytes(rows: Iterable[dict[str, object]], title: str) -> bytes:
    """One sheet ``figures``, header frozen, amounts as numbers with their exact digits; same rows, same bytes.

    XlsxWriter (several times openpyxl's pace here) writes each cell as its type says: text never read as a
    formula, a number or a link; a Decimal with the digits it has (up to the 16 significant digits a sheet's
    numbers hold); its zip members dated 1980-01-01, and the document dated :data:`_FIXED_TIME`."""
    import xlsxwriter  # here: only release writing needs it

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title, "author": "kg-publisher", "created": _FIXED_TIME})
    sheet = workbook.add_worksheet("figures")
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name)
    for number, row in enumerate(rows, start=1):
        for column, name in enumerate(COLUMNS):
            value = row[name]
            if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
                sheet.write_number(number, column, value)  # type: ignore[arg-type]  # Decimal formats exactly
            elif value != "":
                sheet.write_string(number, column, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def write_tables(dumps_dir: Path, disclosure: DisclosureInfo, triples: Triples) -> tuple[TableFile, ...]:
    """Write ``dumps/{key}.csv`` and ``.xlsx`` from the disclosure's triples (its facts and its quality report)."""
    rows = figure_rows(triples, disclosure)
    written = []
    for syntax in TABLE_SYNTAXES:
        data = csv_bytes(rows) if syntax is CSV else xlsx_bytes(rows, disclosure.title)
        assert syntax in (CSV, XLSX)
        path = dumps_dir / f"{disclosure.key}.{syntax.extension}"
        path.write_bytes(data)
        written.append(TableFile(disclosure.key, syntax, f"dumps/{path.name}", len(data),
                                 hashlib.sha256(data).hexdigest()))
    return tuple(written)

"""Attachment tables (公开表) printed inside a disclosure's text, recovered as plain tables.

Text extraction flattens a table in one of two ways, and both are read here:

* **row-wise** (pdfplumber, Word, HTML): one printed row per line, cells separated by spaces,
  empty cells dropped — ``201 06 01 行政运行 16,231,840.80 16,093,326.00 138,514.80``;
* **one cell per line** (content-stream order, e.g. PyMuPDF): codes, label pieces and numbers each
  on their own line, long labels wrapped over several lines, empty cells dropped.

A table is found by its unit line (``单位：元`` / ``单位：万元``, possibly after ``编制部门：…``) right
below a title line ending in 表. Its header is read into column labels with a small vocabulary of
the standard templates' column names (the labels are often broken into pieces); two-sided tables
(收入 | 支出 side by side) are recognised by their repeated stub column (项目 … 项目).

Because empty cells vanish, a printed number's column is only known for certain when

* the row prints as many numbers as its side has columns (or a placeholder such as ``-`` keeps the
  position), or
* the first column is a total (合计/小计) and the first number equals the sum of the others — then
  that total is certain (the source prints a total whenever any part is non-zero); the other
  numbers of such a row stay unplaced, unless
* the other side of a two-sided table says which of those columns can hold money (财政拨款收支预算总表:
  one fund's revenue row printed, the others' empty), see :func:`_place_by_funded_rows`.

A header whose text cannot show the order of its columns (a nested header, a label printed in two pieces
around another) is read in a template's order (``TEMPLATE_ORDERS``) when the rows' sums fit exactly one.

Numbers whose column is not certain are never put in :attr:`TableRow.cells`; the row is listed in
:attr:`TextTable.unaligned` with the reason. Nothing here knows what a figure *means*.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .source import SourceText, Span

__all__ = ["PrintedNumber", "TableCell", "TableRow", "TableSide", "TextTable", "UnalignedRow", "find_tables"]


@dataclass(frozen=True)
class PrintedNumber:
    """A number exactly as printed and its exact value (never a float)."""

    value: Decimal
    #: The digits as printed (thousands separators and trailing zeros kept).
    printed: str

    @classmethod
    def parse(cls, printed: str) -> PrintedNumber:
        return cls(Decimal(printed.replace(",", "")), printed)

    @property
    def decimals(self) -> int:
        return len(self.printed.split(".")[1]) if "." in self.printed else 0


@dataclass(frozen=True)
class TableCell:
    #: The column's header label (e.g. 合计, 基本支出, 决算数).
    column: str
    number: PrintedNumber
    span: Span

    @property
    def value(self) -> Decimal:
        return self.number.value


@dataclass(frozen=True)
class TableRow:
    #: Classification code with its levels joined (``201 06 01`` → ``2010601``), when printed.
    code: str | None
    #: Row label as printed (pieces of a wrapped label joined without spaces).
    label: str
    #: The cells whose column is certain, in column order.
    cells: tuple[TableCell, ...]
    span: Span
    #: Side of a two-sided table (e.g. 收入 / 支出); None for one-sided tables or when unknown.
    side: str | None = None
    #: False when some printed numbers of this row could not be placed (see ``TextTable.unaligned``).
    complete: bool = True
    #: The code as printed when a level of it lost its leading zero ("301 2" for 30102), else None.
    short_code: str | None = None

    def cell(self, column: str) -> TableCell | None:
        for cell in self.cells:
            if cell.column == column:
                return cell
        return None


@dataclass(frozen=True)
class UnalignedRow:
    """A printed row (or the part of it) whose numbers could not be tied to columns with certainty."""

    span: Span
    code: str | None
    label: str
    #: The numbers that were not placed.
    numbers: tuple[PrintedNumber, ...]
    reason: str


@dataclass(frozen=True)
class TableSide:
    #: Side name as printed above the stub column (收入, 本年支出 …); None for one-sided tables.
    name: str | None
    columns: tuple[str, ...]
    #: False when the header could not be read into an ordered list of columns with certainty.
    columns_certain: bool = True
    #: True when at least the first column is certain (a label in two pieces was joined further right).
    first_column_certain: bool = True
    #: Template orders (TEMPLATE_ORDERS) the columns may stand in when the header cannot show it (a nested
    #: header): the rows' sums (TEMPLATE_SUMS) decide, see :func:`_fit_template_orders`.
    candidates: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class TextTable:
    title: str
    title_span: Span
    #: Unit as stated for this table: 元, 万元 or 亿元.
    unit: str
    unit_span: Span
    #: One side, or two for tables printed as 收入 | 支出 side by side.
    sides: tuple[TableSide, ...]
    rows: tuple[TableRow, ...]
    unaligned: tuple[UnalignedRow, ...]
    #: From the title to the last row read.
    span: Span
    #: True when the text holds one row per line (cells separated by spaces).
    row_wise: bool = True
    notes: tuple[Span, ...] = field(default=())

    @property
    def columns(self) -> tuple[str, ...]:
        """Column labels of all sides, left to right."""
        return tuple(column for side in self.sides for column in side.columns)

    def row(self, code: str | None = None, label: str | None = None) -> TableRow | None:
        """The first row with that code (or, without a code, with that label after whitespace removal)."""
        for row in self.rows:
            if code is not None and row.code == code:
                return row
            if code is None and label is not None and _key(row.label) == _key(label):
                return row
        return None


# -- vocabulary of the standard templates' header texts ---------------------------------------

#: Leaf column labels (部门预算/决算 templates of MOF and the provinces).
COLUMN_LABELS = (
    "合计", "小计", "总计", "本年收入合计", "本年支出合计", "预算数", "决算数", "年初预算数", "调整预算数",
    "全年预算数", "上年预算数", "本年预算数", "上年决算数", "执行数", "增减额", "增减率", "金额",
    "财政拨款收入", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
    "财政专户管理资金收入", "上级补助收入", "事业收入", "事业单位经营收入", "经营收入", "附属单位上缴收入",
    "其他收入", "上年结转", "上年结转结余", "用事业基金弥补收支差额", "基本支出", "项目支出", "上缴上级支出",
    "经营支出", "事业单位经营支出", "对附属单位补助支出", "对下级单位补助支出", "人员经费", "公用经费",
    "一般公共预算", "政府性基金预算", "国有资本经营预算", "一般公共预算财政拨款", "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款", "年初结转和结余", "年末结转和结余", "本年收入", "本年支出",
    "因公出国(境)费", "因公出国(境)费用", "公务用车购置及运行费", "公务用车购置及运行维护费", "公务用车购置费",
    "公务用车运行费", "公务用车运行维护费", "购置费", "运行费", "公务接待费", "机关运行经费",
    "机关运行经费预算数",
)
#: Row-stub headers (they name the label and code columns, not value columns).
STUB_LABELS = (
    "项目", "科目编码", "科目名称", "功能分类科目编码", "功能分类科目名称", "支出功能分类", "支出功能分类科目",
    "经济分类", "经济分类科目", "经济分类科目名称", "部门预算经济分类科目", "部门经济分类科目", "编码",
    "类", "款", "项", "单位名称", "单位编码", "项目名称", "序号",
)
#: Headings spanning several columns; they add no column of their own.
GROUP_LABELS = (
    "收入预算", "支出预算", "一般公共预算支出", "一般公共预算基本支出", "政府性基金预算支出",
    "国有资本经营预算支出", "三公经费预算数", "财政拨款三公经费", "三公经费", "收入", "支出",
    "本年收入", "本年支出", "财政拨款收入", "财政拨款支出",
)
#: The order the standard templates print their value columns in. A label printed in two pieces, one above and
#: one below the others (事业单位 / 经营收入), loses its place in the text; when the other columns stand in the
#: order of one of these, the joined label takes the template's place (12's 收入预算总表: 事业单位经营收入 between
#: 事业收入 and 其他收入, as in its PDF).
TEMPLATE_ORDERS = (
    ("合计", "财政拨款收入", "财政专户管理资金收入", "上级补助收入", "事业收入", "事业单位经营收入", "附属单位上缴收入",
     "其他收入", "上年结转"),
    ("合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"),
    # “三公”经费 (and 机关运行经费) tables: Shanghai's prints 公务接待费 before the vehicles, the MOF's after them;
    # a row-wise header reads the same in both (the one-line labels first, the vehicles' 小计 … below)
    ("合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算数"),
    ("合计", "因公出国(境)费", "小计", "购置费", "运行费", "公务接待费", "机关运行经费预算数"),
    ("合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费"),
    ("合计", "因公出国(境)费", "小计", "购置费", "运行费", "公务接待费"),
)
#: Headings over a group of columns in a nested header (公务用车购置及运行费 over 小计 / 购置费 / 运行费); printed
#: with its sub-columns it is no column of its own, and where the group stands is not in the text.
NESTED_GROUPS = (("公务用车购置及运行费", ("小计", "购置费", "运行费")),
                 ("公务用车购置及运行维护费", ("小计", "购置费", "运行费")))
#: Columns a template prints as the sum of others: they decide between TEMPLATE_ORDERS a header cannot tell apart.
TEMPLATE_SUMS = (("合计", ("因公出国(境)费", "公务接待费", "小计")), ("小计", ("购置费", "运行费")))
TOTAL_COLUMNS = frozenset(("合计", "小计", "本年收入合计", "本年支出合计"))
#: Row labels that start a row of their own even right after an unfinished label.
_TOTAL_WORDS = ("合计", "总计", "小计")

_UNIT_LINE = re.compile(r"单位\s*[：:]\s*(亿元|万元|元)")
#: The year a header label may start with ("2024年“三公”经费预算数", "2024年机关运行经费预算数").
_YEAR_PREFIX = re.compile(r"^\d{4}年度?")
_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DECIMAL_NUMBER = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)$")
_PLACEHOLDER = frozenset(("-", "—", "－", "--", "——", "/"))
_CODE_HEAD = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
_CODE_PART = re.compile(r"^\d{2}$")
_ENUM = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]+[）)])")
_NOTE = re.compile(r"^(?:注|备注|说明)\s*\d*\s*[：:]")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
_QUOTES = str.maketrans("", "", "“”\"'‘’「」")


def _key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split())


def _header_key(text: str) -> str:
    """A header piece's key without the year a label may start with."""
    return _YEAR_PREFIX.sub("", _key(text))


_COLUMN_KEYS = {_key(label): label for label in COLUMN_LABELS}
_IGNORED_KEYS = {_key(label) for label in (*STUB_LABELS, *GROUP_LABELS)}
_HEADER_KEYS = sorted({*_COLUMN_KEYS, *_IGNORED_KEYS}, key=len, reverse=True)


# -- lines and chunks -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    index: int
    start: int
    text: str

    def chunks(self) -> list[tuple[int, int, str]]:
        return [(self.start + m.start(), self.start + m.end(), m.group()) for m in re.finditer(r"\S+", self.text)]


def _lines(text: str) -> list[_Line]:
    lines, offset = [], 0
    for index, line in enumerate(text.split("\n")):
        lines.append(_Line(index, offset, line))
        offset += len(line) + 1
    return lines


def _is_page_break(line: _Line) -> bool:
    return line.text.strip() == "\f" or (line.text.strip() == "" and "\f" in line.text)


def _is_header_fragment(chunk: str) -> bool:
    key = _header_key(chunk)
    return bool(key) and any(key in known for known in _HEADER_KEYS)


def _find_title(lines: list[_Line], unit_index: int) -> _Line | None:
    """The title line just above a unit line (within two non-empty lines)."""
    seen = 0
    for index in range(unit_index - 1, -1, -1):
        text = " ".join(lines[index].text.split())
        if not text or text == "\f":
            continue
        if text.endswith("表") and len(text) <= 60 and "…" not in text and "。" not in text:
            return lines[index]
        seen += 1
        if seen >= 2:
            return None
    return None


# -- header ---------------------------------------------------------------------------------------


def _segment(chunks: list[str]) -> tuple[list[str], list[str]]:
    """Split header pieces into known labels; return (columns, unknown pieces).

    The pieces are joined and cut again, because one label may be printed in several pieces
    (本年收入合 / 计). Among the cuts with the fewest unknown characters, the one whose cuts fall
    on piece boundaries wins (项目 | 支出预算, not 项目支出 | 预算).
    """
    keys = [_header_key(chunk) for chunk in chunks]
    text = "".join(keys)
    boundaries, position = {0}, 0
    for piece in keys:
        position += len(piece)
        boundaries.add(position)
    # best[i]: (unknown characters, cuts off a piece boundary, segments, previous position, label)
    best: list[tuple[int, int, int, int, str | None] | None] = [None] * (len(text) + 1)
    best[0] = (0, 0, 0, 0, None)
    for start in range(len(text)):
        here = best[start]
        if here is None:
            continue
        steps: list[tuple[int, str | None]] = [(start + len(key), key) for key in _HEADER_KEYS
                                               if text.startswith(key, start)]
        steps.append((start + 1, None))
        for end, key in steps:
            cost = (here[0] + (key is None), here[1] + (end not in boundaries and key is not None),
                    here[2] + (key is not None), start, key)
            current = best[end]
            if current is None or cost[:3] < current[:3]:
                best[end] = cost
    path: list[tuple[int, int, str | None]] = []
    end = len(text)
    while end > 0:
        step = best[end]
        assert step is not None
        path.append((step[3], end, step[4]))
        end = step[3]
    columns: list[str] = []
    unknown: list[str] = []
    pending = ""
    for start, end, key in reversed(path):
        if key is None:
            pending += text[start:end]
            continue
        if pending:
            unknown.append(pending)
            pending = ""
        if key in _COLUMN_KEYS:
            columns.append(_COLUMN_KEYS[key])
    if pending:
        unknown.append(pending)
    return columns, unknown


def _split_labels(chunks: list[str]) -> tuple[list[str], list[str]]:
    """Labels printed in two pieces with other labels between them (2024年机关运行经 … 费预算数: the label's
    two lines, a group heading printed between them): (the other pieces, the joined labels)."""
    keys = [_header_key(chunk) for chunk in chunks]
    exact = {*_COLUMN_KEYS, *_IGNORED_KEYS}
    joined: list[str] = []
    used: set[int] = set()
    for first, head in enumerate(keys):
        if first in used or head in exact:
            continue
        for second in range(first + 2, len(keys)):
            label = _COLUMN_KEYS.get(head + keys[second])
            if second not in used and keys[second] not in exact and label:
                used |= {first, second}
                joined.append(label)
                break
    return [chunk for index, chunk in enumerate(chunks) if index not in used], joined


def _read_side(name: str | None, chunks: list[str]) -> TableSide:
    columns, unknown = _segment(chunks)
    split: list[str] = []
    if unknown:  # only where the pieces do not make labels as they stand, and joining two makes them all known
        joined_chunks, two_piece_labels = _split_labels(chunks)
        joined_columns, left_over = _segment(joined_chunks)
        if two_piece_labels and not left_over:
            columns, unknown, split = joined_columns, left_over, two_piece_labels
    certain = first_certain = True
    for group, parts in NESTED_GROUPS:
        if group in columns and all(part in columns[columns.index(group):] for part in parts):
            # the group heads its parts: where the group stands among the other columns is not printed
            columns.remove(group)
            candidates = tuple(order for order in TEMPLATE_ORDERS if set(order) == {*columns, *split})
            if not unknown and candidates and len(set(columns)) == len(columns):
                return TableSide(name, candidates[0], False, False, candidates)
            return TableSide(name, (*columns, *split), False, False)
    for label in split:
        placed = _in_template_order(label, columns)
        if placed is None:
            return TableSide(name, (*columns, label), False, False)
        columns = placed
    # A label printed on two lines of a row-wise header comes out as a piece above and a piece
    # below the other labels (事业单位 … 经营收入): join them, but the column's position is lost.
    for piece in list(unknown):
        for position, column in enumerate(columns):
            joined = _COLUMN_KEYS.get(piece + _key(column)) or _COLUMN_KEYS.get(_key(column) + piece)
            if joined:
                unknown.remove(piece)
                placed = _in_template_order(joined, columns[:position] + columns[position + 1:])
                if placed is not None:
                    columns = placed
                    break
                columns[position] = joined
                certain = False
                first_certain = first_certain and position > 0
                break
    if unknown or len(set(columns)) != len(columns) or "小计" in columns[1:]:
        # Unread text, repeated labels or a nested (小计) header: the order is not known at all.
        certain = first_certain = False
    return TableSide(name, tuple(columns), certain, first_certain)


def _in_template_order(joined: str, others: list[str]) -> list[str] | None:
    """``others`` with ``joined`` put where a template prints it, when ``others`` stand in that template's order.

    >>> _in_template_order("事业单位经营收入", ["合计", "财政拨款收入", "事业收入", "其他收入"])
    ['合计', '财政拨款收入', '事业收入', '事业单位经营收入', '其他收入']
    >>> _in_template_order("事业单位经营收入", ["合计", "其他收入", "事业收入"]) is None
    True
    """
    for order in TEMPLATE_ORDERS:
        if joined not in order or not all(column in order for column in others):
            continue
        ranks = [order.index(column) for column in others]
        if ranks != sorted(ranks) or len(set(ranks)) != len(ranks):
            continue
        at = sum(1 for rank in ranks if rank < order.index(joined))
        return [*others[:at], joined, *others[at:]]
    return None


def _fit_template_orders(side: TableSide, rows: list[tuple[PrintedNumber, ...]]) -> TableSide:
    """The side in the one template order of its candidates whose sums (TEMPLATE_SUMS) hold in every row printing
    all its columns (within the rounding of the printed decimals); unchanged when none or several orders fit
    and the several would place some number differently.

    >>> side = TableSide(None, TEMPLATE_ORDERS[2], False, False, TEMPLATE_ORDERS[2:4])
    >>> row = tuple(PrintedNumber.parse(n) for n in "47.91 0 1.35 46.56 25 21.56 443.18".split())
    >>> _fit_template_orders(side, [row]).columns[2:4], _fit_template_orders(side, [row]).columns_certain
    (('公务接待费', '小计'), True)
    """
    full = [row for row in rows if len(row) == len(side.columns)]
    if not side.candidates or not full:
        return side
    fitting = [order for order in side.candidates
               if all(_sums_hold(dict(zip(order, row, strict=True))) for row in full)]
    placements = {tuple(tuple(sorted(zip(order, (n.printed for n in row), strict=True))) for row in full)
                  for order in fitting}
    if len(placements) != 1:
        return side
    return TableSide(side.name, fitting[0], True, True)


def _sums_hold(cells: dict[str, PrintedNumber]) -> bool:
    for total, parts in TEMPLATE_SUMS:
        if total not in cells or not all(part in cells for part in parts):
            continue
        printed = [cells[total], *(cells[part] for part in parts)]
        tolerance = sum((Decimal(5).scaleb(-1 - n.decimals) for n in printed if n.value), Decimal(0))
        if abs(cells[total].value - sum((cells[part].value for part in parts), Decimal(0))) > tolerance:
            return False
    return True


def _read_header(chunks: list[str]) -> tuple[TableSide, ...]:
    keys = [_key(chunk) for chunk in chunks]
    for stub in ("项目", "科目名称"):
        positions = [i for i, key in enumerate(keys) if key == stub]
        if len(positions) >= 2:
            first, second = positions[0], positions[1]
            names = chunks[:first] if len(chunks[:first]) == 2 else [None, None]
            left = _read_side(names[0], chunks[first + 1:second])
            right = _read_side(names[1], chunks[second + 1:])
            return (left, right)
    return (_read_side(None, chunks),)


# -- rows -----------------------------------------------------------------------------------------


@dataclass
class _RowDraft:
    codes: list[tuple[int, int, str]] = field(default_factory=list)
    label: list[tuple[int, int, str]] = field(default_factory=list)
    #: Printed numbers and placeholders (value None) in order.
    values: list[tuple[int, int, str]] = field(default_factory=list)
    #: What joins each label piece to the one before it ("" across lines, " " on one line).
    joins: list[str] = field(default_factory=list)
    #: Position of this row's label among the labels of its line (0 = leftmost) in row-wise text.
    group_on_line: int = 0
    groups_on_line: int = 1

    def start(self) -> int:
        return min(chunk[0] for chunk in (*self.codes, *self.label, *self.values))

    def end(self) -> int:
        return max(chunk[1] for chunk in (*self.codes, *self.label, *self.values))

    def label_text(self) -> str:
        pieces = [chunk for _, _, chunk in self.label]
        if not pieces:
            return ""
        return "".join(join + piece for join, piece in zip(["", *self.joins], pieces, strict=True))

    def has_open_paren(self) -> bool:
        label = "".join(chunk for _, _, chunk in self.label)
        return label.count("（") + label.count("(") > label.count("）") + label.count(")")


_RIGHT_WORDS = ("支出", "年末", "结转下年", "结余分配")
_LEFT_WORDS = ("收入", "年初", "上年结转", "使用")


def _side_by_words(label: str) -> int | None:
    right = any(word in label for word in _RIGHT_WORDS)
    left = any(word in label for word in _LEFT_WORDS)
    if right != left:
        return 1 if right else 0
    return None


def _classify(chunks: list[tuple[int, int, str]], code_table: bool,
              number_lines: frozenset[int] = frozenset()) -> list[str]:
    """Tag each chunk of a table body: code-head, code-part, number, placeholder or text (``number_lines``: the
    chunks standing on a line of numbers only, whose bare integers are amounts whatever the table prints)."""
    # Tables that print their amounts with decimals never print a bare integer as an amount.
    decimal_style = any("." in text and _NUMBER.match(text) for _, _, text in chunks)
    kinds: list[str] = []
    for i, (_, _, text) in enumerate(chunks):
        following = chunks[i + 1][2] if i + 1 < len(chunks) else ""
        previous = kinds[-1] if kinds else ""
        parts_so_far = 0
        for kind in reversed(kinds):
            if kind != "code-part":
                break
            parts_so_far += 1
        bare_integer = text.isdigit()
        after = chunks[i + 2][2] if i + 2 < len(chunks) else ""
        short_part = len(following) == 1 and following.isdigit() and after and not _NUMBER.match(after)
        if code_table and _CODE_HEAD.match(text) and (
                (decimal_style and bare_integer) or _CODE_PART.match(following) or short_part
                or (following and not _NUMBER.match(following) and following not in _PLACEHOLDER)):
            # A bare integer is a code when a code part or a label follows it, or when amounts
            # carry decimals.
            kinds.append("code-head")
        elif code_table and previous in ("code-head", "code-part") and _CODE_PART.match(text) and parts_so_far < 2:
            kinds.append("code-part")
        elif (code_table and previous == "code-head" and len(text) == 1 and text.isdigit() and following
              and not _NUMBER.match(following) and following not in _PLACEHOLDER):
            # "301 2 津贴补贴": a 款 printed without its leading zero (the row says which code it is)
            kinds.append("code-part")
        elif decimal_style and bare_integer and i not in number_lines:
            kinds.append("text")
        elif _NUMBER.match(text.replace("−", "-")):
            kinds.append("number")
        elif text in _PLACEHOLDER:
            kinds.append("placeholder")
        else:
            kinds.append("text")
    return kinds


def _align(side: TableSide, draft: _RowDraft, source: SourceText) -> tuple[list[TableCell], str | None]:
    """Cells whose column is certain, and a reason when some numbers stay unplaced."""
    values = draft.values
    columns = side.columns
    numbers = [(s, e, t) for s, e, t in values if t not in _PLACEHOLDER]
    if not numbers:
        return [], None
    if side.columns_certain and len(values) == len(columns):
        cells = [TableCell(column, PrintedNumber.parse(t.replace("−", "-")), source.span(s, e))
                 for column, (s, e, t) in zip(columns, values, strict=True) if t not in _PLACEHOLDER]
        return cells, None
    if len(values) > len(columns):
        return [], f"{len(values)} numbers printed but the header has {len(columns)} columns"
    if side.first_column_certain and columns and columns[0] in TOTAL_COLUMNS and len(numbers) >= 2 \
            and numbers == values:
        parsed = [PrintedNumber.parse(t.replace("−", "-")) for _, _, t in numbers]
        if parsed[0].value == sum((p.value for p in parsed[1:]), Decimal(0)):
            s, e, _ = numbers[0]
            return ([TableCell(columns[0], parsed[0], source.span(s, e))],
                     f"{len(numbers) - 1} of {len(numbers)} numbers cannot be tied to one of the "
                     f"{len(columns) - 1} columns after {columns[0]} (empty cells are not printed)")
    if not side.columns_certain:
        return [], "the header's columns could not be read in order"
    return [], (f"{len(numbers)} numbers printed for {len(columns)} columns and they do not show which "
                f"columns are empty")


def find_tables(source: SourceText) -> list[TextTable]:
    """Every table of the text that has a title line and a unit line, in text order."""
    lines = _lines(source.text)
    starts: list[tuple[_Line, _Line, str]] = []
    for line in lines:
        match = _UNIT_LINE.search(line.text)
        if match and len(" ".join(line.text.split())) <= 80:  # blanks padding a layout kept by spaces do not count
            title = _find_title(lines, line.index)
            if title is not None:
                starts.append((title, line, match.group(1)))
    # Imported here: the grid reader and the column sums build on this module's vocabulary and row types.
    from .columnsums import empty_columns, place_by_column_sums, row_names
    from .gridtables import read_grid_rows

    stops = [starts[number + 1][0].index if number + 1 < len(starts) else len(lines) for number in range(len(starts))]
    read = [_read_table(source, lines, title, unit_line, unit, stop)
            for (title, unit_line, unit), stop in zip(starts, stops, strict=True)]
    names = [row_names(table) for table in read] if any(table.unaligned for table in read) else []
    tables = []
    for number, table in enumerate(read):
        if table.unaligned:
            table = place_by_column_sums(source, table, empty_columns(table, names[:number] + names[number + 1:]))
        if source.grids:
            stop_offset = lines[stops[number]].start if stops[number] < len(lines) else len(source.text)
            table = read_grid_rows(source, table, stop_offset) or table
        tables.append(table)
    return tables


def _is_data_start(line: _Line, following: _Line | None) -> bool:
    chunks = line.text.split()
    if not chunks:
        return False
    first = chunks[0]
    if _NUMBER.match(first) and (_DECIMAL_NUMBER.match(first) or _CODE_HEAD.match(first)):
        return True
    if _ENUM.match(first):
        return True
    if any(_NUMBER.match(chunk) and _DECIMAL_NUMBER.match(chunk) for chunk in chunks):
        return True
    if _key(first) in ("合计", "总计") and len(chunks) == 1:
        # A lone 合计 is a row unless more header text follows (then it heads a column).
        return following is None or not all(_is_header_fragment(chunk) for chunk in following.text.split())
    return not all(_is_header_fragment(chunk) for chunk in chunks)


def _next_content(lines: list[_Line], index: int, stop: int) -> _Line | None:
    for line in lines[index:stop]:
        if line.text.strip() and not _is_page_break(line):
            return line
    return None


def _numbers_printed(draft: _RowDraft) -> tuple[PrintedNumber, ...]:
    return tuple(PrintedNumber.parse(t.replace("−", "-")) for _, _, t in draft.values if t not in _PLACEHOLDER)


def _read_table(source: SourceText, lines: list[_Line], title: _Line, unit_line: _Line, unit: str,
                stop: int) -> TextTable:
    title_text = title.text.strip()
    title_start = title.start + title.text.index(title_text)
    unit_match = _UNIT_LINE.search(unit_line.text)
    assert unit_match is not None
    # Header: the lines after the unit line up to the first line that holds data.
    index = unit_line.index + 1
    header: list[str] = []
    while index < stop:
        line = lines[index]
        if _is_page_break(line) or not line.text.strip():
            index += 1
            continue
        if _is_data_start(line, _next_content(lines, index + 1, stop)) or _NOTE.match(line.text.strip()):
            break
        header.extend(line.text.split())
        index += 1
    sides = _read_header(header)
    header_keys = {_key(chunk) for chunk in header}
    code_table = any("编码" in key for key in header_keys) or {"类", "款"} <= header_keys

    # Body: collect row drafts until the table ends.
    body: list[_Line] = []
    notes: list[Span] = []
    while index < stop:
        line = lines[index]
        text = line.text.strip()
        if _is_page_break(line):
            upcoming = _next_content(lines, index + 1, stop)
            if upcoming is None:
                break
            # A continuation page repeats the header (row-wise text) or goes straight on with data.
            skip = upcoming.index
            while skip < stop and not _is_data_start(lines[skip], _next_content(lines, skip + 1, stop)):
                # blank lines pad a layout kept by blanks, between the header's lines too
                if lines[skip].text.strip() and not all(_is_header_fragment(chunk)
                                                        for chunk in lines[skip].text.split()):
                    break
                skip += 1
            if skip < stop and not _is_data_start(lines[skip], _next_content(lines, skip + 1, stop)):
                break
            index = skip
            continue
        if not text:
            index += 1
            continue
        if _NOTE.match(text):
            notes.append(source.span(line.start + line.text.index(text), line.start + len(line.text.rstrip())))
            break
        if "。" in text or "；" in text or _PART_HEADING.match(text):
            break
        body.append(line)
        index += 1

    chunks = [(line.index, chunk) for line in body for chunk in line.chunks()]
    # "47.91 0 1.35 46.56 25 21.56 443.18": a line of two numbers or more and nothing else is a row of amounts
    # (in a table without classification codes, which a line of codes could be mistaken for)
    numeric = {line.index for line in body if not code_table and len(line.text.split()) >= 2
               and all(_NUMBER.match(chunk) for chunk in line.text.split())}
    kinds = _classify([chunk for _, chunk in chunks], code_table,
                      frozenset(n for n, (line_index, _) in enumerate(chunks) if line_index in numeric))
    kinds_by_line: dict[int, set[str]] = {}
    for (line_index, _), kind in zip(chunks, kinds, strict=True):
        kinds_by_line.setdefault(line_index, set()).add(kind)
    # Row-wise text puts a label and its numbers on one line; one-cell-per-line text never does.
    row_wise = any({"text", "number"} <= line_kinds for line_kinds in kinds_by_line.values())
    broken = _broken_lines(chunks, kinds) if code_table and row_wise else frozenset()
    drafts = _drafts(chunks, kinds, row_wise)
    if code_table and row_wise:
        drafts = _attach_label_tails(_attach_labels_above(drafts))
    while not notes and drafts and not drafts[-1].values and not drafts[-1].codes:
        drafts.pop()  # trailing label-only lines belong to the text after the table
    if len(sides) == 1 and sides[0].candidates:
        sides = (_fit_template_orders(sides[0], [_numbers_printed(d) for d in drafts
                                                 if not any(t in _PLACEHOLDER for _, _, t in d.values)]),)
    # A table without a stub column (the "三公" table) may print one row of values and no label at all.
    stubless = not header_keys & {_key(label) for label in STUB_LABELS}
    valued = [draft for draft in drafts if draft.values]
    lone_row = valued[0] if stubless and len(valued) == 1 and not valued[0].label and not valued[0].codes else None

    rows: list[TableRow] = []
    unaligned: list[UnalignedRow] = []
    for draft in drafts:
        code = "".join(chunk.zfill(2) if n else chunk for n, (_, _, chunk) in enumerate(draft.codes)) or None
        printed_code = " ".join(chunk for _, _, chunk in draft.codes)
        short = printed_code if any(len(chunk) == 1 for _, _, chunk in draft.codes[1:]) else None
        label = draft.label_text()
        missing = (None if draft is lone_row else
                   "the row has neither a code nor a label" if not code and not label.strip() else
                   "a row of a coded table without code or total label" if code_table and not code
                   and not any(word in _key(label) for word in _TOTAL_WORDS) else None)
        if missing is None and broken:
            # one such line and the others' order cannot be trusted either (a code level, an amount moved)
            missing = "a line of the table prints a label before a code: the layout broke its rows apart"
        if _numbers_printed(draft) and missing:
            span = source.span(draft.start(), draft.end())
            unaligned.append(UnalignedRow(span, code, label, _numbers_printed(draft), missing))
            rows.append(TableRow(code, label, (), span, None, complete=False))
            continue
        side_index: int | None = 0
        if len(sides) == 2:
            if row_wise and draft.groups_on_line == 2:
                side_index = draft.group_on_line
            else:
                side_index = _side_by_words(label)
        span = source.span(draft.start(), draft.end())
        numbers = tuple(PrintedNumber.parse(t.replace("−", "-")) for _, _, t in draft.values
                        if t not in _PLACEHOLDER)
        if side_index is None and sides[0].columns != sides[1].columns:
            if numbers:
                unaligned.append(UnalignedRow(span, code, label, numbers,
                                              "cannot tell which side of the two-sided table the row is on"))
            rows.append(TableRow(code, label, (), span, None, complete=not numbers))
            continue
        side = sides[side_index or 0]
        cells, reason = _align(side, draft, source)
        if reason:
            placed = {cell.span.start for cell in cells}
            unaligned.append(UnalignedRow(
                span, code, label,
                tuple(PrintedNumber.parse(t.replace("−", "-")) for s, _, t in draft.values
                      if t not in _PLACEHOLDER and s not in placed), reason))
        side_name = side.name if len(sides) == 2 and side_index is not None else None
        rows.append(TableRow(code, label, tuple(cells), span, side_name, complete=reason is None,
                             short_code=short))
    if len(sides) == 2 and row_wise:
        rows, unaligned = _place_by_funded_rows(source, sides, rows, unaligned)
    end = max([unit_line.start + len(unit_line.text)] + [row.span.end for row in rows])
    return TextTable(
        title=title_text,
        title_span=source.span(title_start, title_start + len(title_text)),
        unit=unit,
        unit_span=source.span(unit_line.start + unit_match.start(), unit_line.start + unit_match.end()),
        sides=sides,
        rows=tuple(rows),
        unaligned=tuple(unaligned),
        span=source.span(title_start, end),
        row_wise=row_wise,
        notes=tuple(notes),
    )


def _names(row_label: str, column: str) -> bool:
    """Whether a row label of one side names a column of the other (一、一般公共预算资金 → 一般公共预算,
    二、政府性基金 → 政府性基金预算): one of them, four characters or more, starts the other."""
    label, column = _key(_ENUM.sub("", row_label)), _key(column)
    return min(len(label), len(column)) >= 4 and (label.startswith(column) or column.startswith(label))


def _place_by_funded_rows(source: SourceText, sides: tuple[TableSide, ...], rows: list[TableRow],
                          unaligned: list[UnalignedRow]) -> tuple[list[TableRow], list[UnalignedRow]]:
    """财政拨款收支预算总表: the left side lists the funds row by row (一、一般公共预算资金 / 二、政府性基金 /
    三、国有资本经营预算), the right side prints 合计 and a column per fund. When only one fund's row prints its
    revenue, the other funds' columns are empty, so a right row printing its 合计 and one number more (equal to
    it) puts that number in the one fund's column; certain only if the total row's number equals that revenue."""
    left, right = sides
    if not right.first_column_certain or right.columns[:1] != ("合计",) or len(right.columns) < 3:
        return rows, unaligned
    named = {column: [row for row in rows if row.side == left.name and not row.code and _names(row.label, column)]
             for column in right.columns[1:]}
    if any(len(found) != 1 for found in named.values()):
        return rows, unaligned
    funded = [column for column, found in named.items() if found[0].cells]
    if len(funded) != 1 or len(named[funded[0]][0].cells) != 1:
        return rows, unaligned
    column, revenue = funded[0], named[funded[0]][0].cells[0].value
    placed: dict[int, TableRow] = {}
    for index, row in enumerate(rows):
        if row.side != right.name or row.complete or len(row.cells) != 1 or row.cells[0].column != "合计":
            continue
        numbers = [m for m in re.finditer(r"\S+", row.span.text) if _NUMBER.match(m.group())]
        rest = [m for m in numbers if row.span.start + m.start() != row.cells[0].span.start]
        if len(numbers) != 2 or len(rest) != 1 or PrintedNumber.parse(rest[0].group()).value != row.cells[0].value:
            continue
        cell = TableCell(column, PrintedNumber.parse(rest[0].group()),
                         source.span(row.span.start + rest[0].start(), row.span.start + rest[0].end()))
        placed[index] = TableRow(row.code, row.label, (*row.cells, cell), row.span, row.side, True, row.short_code)
    totals = [row for row in placed.values() if any(_key(row.label).endswith(word) for word in _TOTAL_WORDS)]
    if len(totals) != 1 or totals[0].cells[1].value != revenue:
        return rows, unaligned
    spans = {(row.span.start, row.span.end) for row in placed.values()}
    return ([placed.get(index, row) for index, row in enumerate(rows)],
            [row for row in unaligned if (row.span.start, row.span.end) not in spans])


def _broken_lines(chunks: list[tuple[int, tuple[int, int, str]]], kinds: list[str]) -> frozenset[int]:
    """Start offsets of the printed numbers on the lines of a row-wise code table that begin with a label and hold
    a code further on ("财政事务 201 1,503.52 06 603.14 2,106.66"), or a code level after a label piece: the
    templates print a row's codes before its label, so such a line is pieces of several rows, in no certain
    order (an extractor that groups characters by their tops, cells drawn at different heights)."""
    by_line: dict[int, list[tuple[tuple[int, int, str], str]]] = {}
    for (line_index, chunk), kind in zip(chunks, kinds, strict=True):
        by_line.setdefault(line_index, []).append((chunk, kind))
    broken: set[int] = set()
    for on_line in by_line.values():
        (first, first_kind), rest = on_line[0], on_line[1:]
        label_first = (first_kind == "text" and not _ENUM.match(first[2])
                       and not any(word in _key(first[2]) for word in _TOTAL_WORDS))
        # a code level printed after a label piece ("301 费 09 160.75 302") is another row's code
        stray_level = any(kind == "text" and _CODE_PART.match(chunk[2]) and previous == "text"
                          for (chunk, kind), (_, previous) in zip(rest, on_line, strict=False))
        if (label_first and any(kind == "code-head" for _, kind in rest)) or stray_level:
            broken |= {chunk[0] for chunk, kind in on_line if kind == "number"}
    return frozenset(broken)


def _attach_label_tails(drafts: list[_RowDraft]) -> list[_RowDraft]:
    """In a code table, a line of label and numbers without a code right after a code line without numbers is
    that row's wrapped label and its numbers ("208 05 05 机关事业单位基本养老保险" / "缴费支出 160.75 160.75": the
    numbers centred on the cell's second line)."""
    merged: list[_RowDraft] = []
    for draft in drafts:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.codes and previous.label and not previous.values
                and not draft.codes and draft.label and draft.values and not _ENUM.match(draft.label[0][2])
                and not any(word in _key(draft.label_text()) for word in _TOTAL_WORDS)):
            previous.label += draft.label
            previous.joins += ["", *draft.joins]
            previous.values = draft.values
            continue
        merged.append(draft)
    return merged


def _attach_labels_above(drafts: list[_RowDraft]) -> list[_RowDraft]:
    """In a code table, a line holding only a label before a code line without one is that row's label
    (a wrapped label cell printed higher than its row)."""
    merged: list[_RowDraft] = []
    for draft in drafts:
        previous = merged[-1] if merged else None
        if (previous is not None and previous.label and not previous.codes and not previous.values
                and draft.codes and (not draft.label or draft.label[0][0] > draft.codes[-1][0])):
            draft.joins = [""] * bool(draft.label) + draft.joins
            draft.label = previous.label + draft.label
            draft.joins = previous.joins + draft.joins
            merged[-1] = draft
            continue
        merged.append(draft)
    return merged


def _drafts(chunks: list[tuple[int, tuple[int, int, str]]], kinds: list[str], row_wise: bool) -> list[_RowDraft]:
    drafts: list[_RowDraft] = []
    current: _RowDraft | None = None
    line_drafts: dict[int, list[_RowDraft]] = {}
    previous_line = -1

    def flush() -> None:
        nonlocal current
        if current is not None and (current.codes or current.label or current.values):
            drafts.append(current)
        current = None

    def begin(line_index: int, draft: _RowDraft) -> _RowDraft:
        flush()
        line_drafts.setdefault(line_index, []).append(draft)
        return draft

    for (line_index, chunk), kind in zip(chunks, kinds, strict=True):
        new_line = line_index != previous_line
        previous_line = line_index
        if row_wise and new_line:
            flush()  # one printed row per line
        text = chunk[2]
        if kind == "code-part" and (current is None or not current.codes or current.label or current.values):
            kind = "text"  # a code part that follows no code (the layout broke the row apart)
        if kind == "code-head":
            current = begin(line_index, _RowDraft(codes=[chunk]))
        elif kind == "code-part" and current is not None:
            current.codes.append(chunk)
        elif kind in ("number", "placeholder"):
            if current is None:
                current = begin(line_index, _RowDraft())
            current.values.append(chunk)
        else:
            starts_row = (
                current is None or bool(current.values) or bool(_ENUM.match(text))
                or any(_key(text).startswith(word) or _key(text).endswith(word) for word in _TOTAL_WORDS)
            )
            if not starts_row and current is not None and new_line and current.label:
                # A wrapped label continues only where the row is clearly unfinished.
                starts_row = not (bool(current.codes) or bool(_ENUM.match(current.label[0][2]))
                                  or current.has_open_paren())
            if starts_row:
                current = begin(line_index, _RowDraft(label=[chunk]))
            else:
                assert current is not None
                if current.label:
                    current.joins.append("" if new_line else " ")
                current.label.append(chunk)
    flush()
    for on_line in line_drafts.values():
        labelled = [draft for draft in on_line if draft.label]
        for position, draft in enumerate(labelled):
            draft.group_on_line, draft.groups_on_line = position, len(labelled)
    return drafts

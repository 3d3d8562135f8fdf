"""A disclosure at a glance: its headline figures and its spending by function class, summed in yuan.

Amounts come from ``bgt:amountInYuan`` (exact, whatever unit the figure was printed in) and a figure printed in
several places counts once: later printings (``bgt:reprintOf``) are skipped. A headline is the first printing,
in document order, of a figure whose codes say what it is (e.g. expenditure, indicator TOTAL, every other
dimension at its total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from .figures import Figure, figures_of
from .store import best_label

if TYPE_CHECKING:
    from .triples import Triples

#: Dimensions that a headline figure holds at their total (``_T``) or not applicable (``_Z``) unless it says.
_TOTAL_DIMENSIONS = ("fund_source", "expenditure_type", "function", "economic", "item")
_ANY_TOTAL = {None, "_T", "_Z"}


@dataclass(frozen=True)
class Headline:
    """One line of the overview: what it is called and the notations its figure carries."""

    key: str
    zh: str
    en: str
    codes: Mapping[str, str]
    #: The headline this one is a part of (the parts of 三公经费), shown indented under it.
    part_of: str | None = None


_EXPENDITURE = {"operation": "expenditure", "indicator": "TOTAL"}
HEADLINES: tuple[Headline, ...] = (
    Headline("revenue", "收入合计", "Total revenue", {"operation": "revenue", "indicator": "TOTAL"}),
    Headline("expenditure", "支出合计", "Total expenditure", _EXPENDITURE),
    Headline("basic", "基本支出", "Basic expenditure", {**_EXPENDITURE, "expenditure_type": "BASIC"}, "expenditure"),
    Headline("project", "项目支出", "Project expenditure", {**_EXPENDITURE, "expenditure_type": "PROJECT"},
             "expenditure"),
    Headline("sangong", "“三公”经费", "Three public expenses", {"indicator": "SANGONG"}),
    Headline("overseas", "因公出国（境）费", "Overseas travel", {"indicator": "SANGONG", "item": "OVERSEAS_TRAVEL"},
             "sangong"),
    Headline("vehicles", "公务用车购置及运行费", "Official vehicles",
             {"indicator": "SANGONG", "item": "OFFICIAL_VEHICLES"}, "sangong"),
    Headline("reception", "公务接待费", "Official receptions", {"indicator": "SANGONG", "item": "OFFICIAL_RECEPTION"},
             "sangong"),
    Headline("running", "机关运行经费", "Running costs of the administration", {"indicator": "ORG_RUNNING_COST"}),
    Headline("procurement", "政府采购", "Government procurement", {"indicator": "PROCUREMENT"}),
)

#: The codes of a spending-by-function row: expenditure of every fund source, type and economic class.
_BY_FUNCTION = {**_EXPENDITURE, "fund_source": "_T", "expenditure_type": "_T", "item": "_T"}


def matches(figure: Figure, codes: Mapping[str, str]) -> bool:
    """True when ``figure`` carries ``codes`` and holds every other summing dimension at its total."""
    for dimension, notation in codes.items():
        if figure.notation(dimension) != notation:
            return False
    return all(figure.notation(dimension) in _ANY_TOTAL for dimension in _TOTAL_DIMENSIONS if dimension not in codes)


def first_printings(figures: Iterable[Figure]) -> list[Figure]:
    """The figures that count in a sum: those with an amount in yuan that are not a later printing."""
    return [figure for figure in figures if figure.yuan is not None and figure.reprint_of is None]


@dataclass(frozen=True)
class HeadlineFigure:
    headline: Headline
    figure: Figure

    @property
    def yuan(self) -> Decimal:
        assert self.figure.yuan is not None
        return self.figure.yuan


@dataclass(frozen=True)
class FunctionClass:
    """Spending on one function class (类, three digits) or one of its 款 (five digits)."""

    notation: str
    iri: str
    zh: str
    en: str | None
    yuan: Decimal
    figure: str

    @property
    def level(self) -> int:
        return 1 if len(self.notation) == 3 else 2


@dataclass(frozen=True)
class Overview:
    headlines: list[HeadlineFigure]
    #: 类 and 款 in code order (each 款 right after its 类).
    functions: list[FunctionClass] = field(default_factory=list)

    @property
    def classes(self) -> list[FunctionClass]:
        """The 类 alone: one bar each in the chart."""
        return [row for row in self.functions if row.level == 1]

    @property
    def classes_total(self) -> Decimal:
        return sum((row.yuan for row in self.classes), Decimal(0))

    def share(self, row: FunctionClass) -> Decimal | None:
        """``row``'s share of the classes' sum, in per cent to one decimal (None when the sum is zero)."""
        total = self.classes_total
        if not total:
            return None
        return (row.yuan * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def headline(self, key: str) -> HeadlineFigure | None:
        return next((line for line in self.headlines if line.headline.key == key), None)


def overview(figures: list[Figure], label_of: Mapping[str, tuple[str, str | None]]) -> Overview:
    """The overview of one disclosure's ``figures`` (document order). ``label_of`` maps a function-class code
    IRI to its (Chinese, English) labels."""
    counted = first_printings(figures)
    headlines = []
    for headline in HEADLINES:
        found = next((figure for figure in counted if matches(figure, headline.codes)), None)
        if found is not None:
            headlines.append(HeadlineFigure(headline, found))
    functions: dict[str, FunctionClass] = {}
    for figure in counted:
        notation = figure.notation("function") or ""
        if not (notation.isdigit() and len(notation) in (3, 5)) or notation in functions:
            continue
        if matches(figure, {**_BY_FUNCTION, "function": notation}) and figure.notation("economic") in _ANY_TOTAL:
            iri = figure.codes["function"]
            zh, en = label_of.get(iri, (notation, None))
            assert figure.yuan is not None
            functions[notation] = FunctionClass(notation, iri, zh, en, figure.yuan, figure.iri)
    return Overview(headlines, [functions[code] for code in sorted(functions)])


def dataset_overview(store: Triples, dataset: str, figures: list[Figure] | None = None) -> Overview:
    """:func:`overview` of ``dataset`` read from ``store``."""
    figures = figures_of(store, dataset) if figures is None else figures
    labels: dict[str, tuple[str, str | None]] = {}
    for figure in figures:
        iri = figure.codes.get("function")
        if iri and iri not in labels:
            found = store.labels(iri)
            english = next((lit.value for lit in found if (lit.language or "").startswith("en")), None)
            labels[iri] = (best_label(found) or iri.rsplit("/", 1)[-1], english)
    return overview(figures, labels)


def wan(yuan: Decimal) -> str:
    """An amount in yuan as 万元 with two decimals, as budget tables print it.

    >>> wan(Decimal("31214205.8"))
    '3,121.42'
    >>> wan(Decimal("9500"))
    '0.95'
    """
    return f"{(yuan / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


def yuan_text(yuan: Decimal) -> str:
    """An amount in yuan, exact, with thousands separators.

    >>> yuan_text(Decimal("31214205.80"))
    '31,214,205.8'
    >>> yuan_text(Decimal("8198200.0"))
    '8,198,200'
    """
    text = f"{yuan:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

"""The typed records a disclosure is turned into.

Every record carries the :class:`Span` it was read from (code-point offsets into the NFC text,
end exclusive, plus the exact text). Records keep what the document *says*; they never fix it.
Claims (stated changes, counts, ratios) are kept apart from amounts so validation can recompute
them. The text's own faults become :class:`TextDefect` records.

Codes used in the fields below (our code lists, ``ontology/codelists.ttl``):

``operation``
    ``revenue`` | ``expenditure`` | ``_Z`` (not a flow, e.g. assets)
``indicator`` (what the figure measures)
    ``TOTAL`` (收支口径: totals and their lines) | ``SANGONG`` ("三公"经费) |
    ``ORG_RUNNING_COST`` (机关运行经费) | ``PROCUREMENT`` (政府采购) |
    ``PURCHASED_SERVICES`` (政府购买服务) | ``DEBT`` (债务支出) | ``ASSETS`` (国有资产) |
    ``PERFORMANCE_FUNDS`` (绩效目标涉及资金) | ``FISCAL_APPROPRIATION`` (财政拨款)
``fund_source`` (收入来源 / 资金性质)
    ``_T`` | ``_Z`` | ``GENERAL_PUBLIC`` | ``GOV_FUND`` | ``STATE_CAPITAL`` | ``SPECIAL_ACCOUNT`` |
    ``BUSINESS`` | ``OPERATING`` | ``HIGHER_SUBSIDY`` | ``SUBORDINATE`` | ``OTHER`` | ``CARRY_OVER``
    | ``FISCAL`` (财政拨款 = the first three)
``expenditure_type``
    ``_T`` | ``_Z`` | ``BASIC`` | ``PROJECT`` | ``PERSONNEL`` (人员经费) | ``PUBLIC_OPERATING`` (公用经费);
    the last two are the two parts of ``BASIC``
``economic`` / ``functional``
    ``_T`` | ``_Z`` | a classification code as printed (``30201``, ``2080505``)
``item`` (a named part that is no classification code)
    ``_T`` | ``_Z`` | ``OVERSEAS_TRAVEL`` | ``OFFICIAL_RECEPTION`` | ``OFFICIAL_VEHICLES`` |
    ``VEHICLE_PURCHASE`` | ``VEHICLE_OPERATION`` | ``CURRENT_ASSETS`` | ``FIXED_ASSETS`` |
    ``VEHICLE_ASSETS`` | ``line-N`` (a printed line with no code: its label says what it is) |
    ``GRAND_TOTAL`` (总计 of a 决算 summary table: the year's flows plus balances; 本年收入合计 /
    本年支出合计 themselves are ``_T``) | ``YEAR_START_BALANCE`` (年初结转和结余) |
    ``YEAR_END_BALANCE`` (年末结转和结余) | ``SURPLUS_USE`` (使用非财政拨款结余) |
    ``SURPLUS_DISTRIBUTION`` (结余分配) | ``SME_RESERVED`` / ``SMALL_MICRO_RESERVED`` (procurement reserved for
    SMEs / small and micro enterprises) | ``SME_AWARDED`` / ``SMALL_MICRO_AWARDED`` (contracts awarded to them) |
    ``SME_AWARDED_RESERVED`` / ``SMALL_MICRO_AWARDED_RESERVED`` / ``SME_AWARDED_OTHER`` (what they won of the
    reserved and of the other procurement; records/lexicon.py: SME_PROCUREMENT)
``phase``
    ``approved`` (预算) | ``revised`` (调整/全年预算) | ``executed`` (决算)
``context``
    the :attr:`Section.code` the figure was printed in (``narr-3-1``, ``table-5`` …)
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from ..extract.source import SourceText, Span

__all__ = [
    "Amount",
    "AmountFact",
    "BudgetUnitComposition",
    "ChangeStatement",
    "CountStatement",
    "Disclosure",
    "DisclosureInfo",
    "Duty",
    "GlossaryTerm",
    "InternalUnit",
    "NoneStatement",
    "OrgMention",
    "Percent",
    "RatioStatement",
    "Section",
    "SourceText",
    "Span",
    "TextDefect",
    "UnparsedSpan",
]

Kind = Literal["budget", "final"]

#: Full-width digits, comma and point → ASCII.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９，．", "0123456789,.")


@dataclass(frozen=True)
class Amount:
    """A money amount exactly as printed.

    >>> Amount.parse("3,121.42", "万元")
    Amount(value=Decimal('3121.42'), unit='万元', printed='3,121.42')
    >>> Amount.parse("5.00", "万元").decimals
    2
    """

    value: Decimal
    #: Unit as printed: 万元, 元 or 亿元.
    unit: str
    #: The digits as printed (thousands separators and trailing zeros kept).
    printed: str

    @classmethod
    def parse(cls, printed: str, unit: str) -> Amount:
        """``printed`` in ASCII digits (full-width digits and points are the same number), the unit without
        the blanks the layout put into it."""
        printed = printed.translate(_HALF_WIDTH)
        return cls(Decimal(printed.replace(",", "")), "".join(unit.split()), printed)

    @property
    def decimals(self) -> int:
        """Number of printed decimals (gives the rounding tolerance ½·10⁻ᵈ)."""
        digits = self.printed.replace(",", "")
        return len(digits.split(".")[1]) if "." in digits else 0

    @property
    def unit_multiplier(self) -> int:
        """Power of ten of the unit in yuan (万元 → 4)."""
        return {"元": 0, "万元": 4, "亿元": 8}[self.unit]

    @property
    def yuan(self) -> Decimal:
        """The amount in 元, exactly: what two amounts printed in different units compare by.

        >>> Amount.parse("819.82", "万元").yuan == Amount.parse("8,198,200.00", "元").yuan == 8198200
        True
        """
        return self.value.scaleb(self.unit_multiplier)


@dataclass(frozen=True)
class Percent:
    """A percentage as printed (``15%`` → value 15, decimals 0)."""

    value: Decimal
    printed: str

    @classmethod
    def parse(cls, printed: str) -> Percent:
        printed = printed.translate(_HALF_WIDTH)
        return cls(Decimal(printed), printed)

    @property
    def decimals(self) -> int:
        return len(self.printed.split(".")[1]) if "." in self.printed else 0


@dataclass(frozen=True)
class Section:
    """A section of the document, found by its meaning rather than its numbering."""

    #: Stable code used as reporting context: ``part-1``, ``narr-3-1``, ``glossary`` …
    code: str
    #: What the section is about: overview, duties, units, composition, tables, budget-summary,
    #: sangong, running-cost, procurement, assets, performance, glossary, other.
    meaning: str
    heading: str
    #: The heading itself.
    heading_span: Span
    #: Heading plus body, up to the next section of the same or a higher level.
    span: Span
    level: int = 1


@dataclass(frozen=True)
class DisclosureInfo:
    department: str
    department_span: Span
    year: int
    year_span: Span
    kind: Kind
    kind_span: Span
    #: The document's title as printed (or the first heading that names department and year).
    title: str
    title_span: Span
    #: Place name of the government level (兴隆台区, 普陀区 …) when printed.
    region: str | None = None
    region_span: Span | None = None


@dataclass(frozen=True)
class Duty:
    """One duty (职责) of the department or of an internal unit."""

    notation: str
    text: str
    span: Span


@dataclass(frozen=True)
class InternalUnit:
    """An internal unit (内设机构) with its duties."""

    notation: str
    name: str
    name_span: Span
    duties: tuple[Duty, ...]
    span: Span


@dataclass(frozen=True)
class BudgetUnitComposition:
    """Which budget units (二级预算单位) the disclosure covers; ``none_stated`` for 无二级预算单位."""

    none_stated: bool
    units: tuple[str, ...]
    span: Span


@dataclass(frozen=True)
class AmountFact:
    """A printed money figure → one ``qb:Observation`` (codes: see module docstring)."""

    #: Unique within the disclosure; ASCII; becomes the observation IRI's last segment.
    key: str
    #: The item as printed next to the number (一般公共预算收入, 办公费 …).
    label: str
    amount: Amount
    #: Label and number as printed, e.g. "收入预算819.82万元".
    span: Span
    operation: str
    indicator: str
    context: str
    fund_source: str = "_T"
    expenditure_type: str = "_Z"
    economic: str = "_T"
    functional: str = "_T"
    item: str = "_T"
    phase: str = "approved"
    #: Key of the total this figure is a printed part of (parts are checked against it).
    part_of: str | None = None
    #: For totals: True when the printed parts are meant to be complete (sum must equal),
    #: False when the text says 主要包括/其中 (sum may be less).
    breakdown_complete: bool = True
    #: Date a stock figure refers to (assets: 截至2021年12月31日).
    as_of: date | None = None


@dataclass(frozen=True)
class ChangeStatement:
    """A stated year-over-year change of a figure, kept as a claim."""

    key: str
    #: Key of the :class:`AmountFact` whose change is stated.
    about: str
    span: Span
    compared_year: int | None
    change: Amount | None
    percent: Percent | None
    #: Direction words printed with the amount (增加, 减少, 持平 …); several = unfilled template.
    amount_direction_words: tuple[str, ...] = ()
    #: Direction words printed with the percentage (增长, 下降, 持平 …).
    percent_direction_words: tuple[str, ...] = ()
    reason: str | None = None
    reason_span: Span | None = None
    #: The figure compared with, when printed ("2023年当年预算执行数为60.13万元"): the change's base.
    base: Amount | None = None
    base_span: Span | None = None


@dataclass(frozen=True)
class CountStatement:
    """A stated count: INTERNAL_UNITS, SUBORDINATE_BUDGET_UNITS, VEHICLES and its parts by type (VEHICLES_GENERAL,
    VEHICLES_OTHER … records/lexicon.py: VEHICLE_TYPES), VEHICLES_PLANNED (to buy), PERF_PROJECTS_REQUIRED,
    PERF_PROJECTS_SET, PERF_PROJECTS_MONITORED, PERF_PROJECTS_SELF_EVALUATED and its parts by rating (PERF_RATED_*)."""

    key: str
    what: str
    value: int
    span: Span
    #: Key of the count this one is a part of (一般公务用车 of 车辆).
    part_of: str | None = None


@dataclass(frozen=True)
class RatioStatement:
    """A stated ratio (PERF_COVERAGE = PERF_PROJECTS_SET / PERF_PROJECTS_REQUIRED; SHARE = an
    AmountFact's share of its total, 占71.73%; EXECUTION = 决算 / 年初预算, 完成年初预算的98.20%)."""

    key: str
    what: str
    percent: Percent
    #: Keys of the CountStatements (or AmountFacts) the ratio is stated over.
    numerator: str
    denominator: str
    span: Span


@dataclass(frozen=True)
class NoneStatement:
    """A printed statement that something does not exist (无“三公”经费财政拨款支出, 本表无数据).

    Kept as *none stated*, never as an amount of 0: the fields name what is absent with the
    codes of :class:`AmountFact` (``_T`` where the statement does not restrict a dimension).
    """

    key: str
    operation: str
    indicator: str
    fund_source: str
    phase: str
    span: Span
    context: str


@dataclass(frozen=True)
class GlossaryTerm:
    notation: str
    term: str
    term_span: Span
    definition: str
    definition_span: Span
    span: Span


@dataclass(frozen=True)
class OrgMention:
    """A place where the text names the department (checked against its name and aliases)."""

    name: str
    span: Span
    context: str


@dataclass(frozen=True)
class TextDefect:
    """A fault of the source text, recorded as found: ``duplicated-paragraph``,
    ``unfilled-alternative`` (增加/减少), ``doubled-phrase`` (主要职责有主要职责有),
    ``stray-characters`` (0%0), ``template-residue`` (主要原因是。, XX)."""

    kind: str
    span: Span
    message: str


@dataclass(frozen=True)
class UnparsedSpan:
    """Text the extractor recognised as disclosure content but could not read into records."""

    span: Span
    reason: str
    context: str


@dataclass
class Readings:
    """What one reader draws from the text: the one result type of every figure reader (the narrative readers of
    each section topic, the project lists, the tables, the 决算 statements, the classified items, the none
    statements), merged into the :class:`Disclosure` by :func:`.parse.parse_disclosure` (records/context.py)."""

    facts: list[AmountFact] = field(default_factory=list)
    changes: list[ChangeStatement] = field(default_factory=list)
    counts: list[CountStatement] = field(default_factory=list)
    ratios: list[RatioStatement] = field(default_factory=list)
    none_stated: list[NoneStatement] = field(default_factory=list)
    defects: list[TextDefect] = field(default_factory=list)
    unparsed: list[UnparsedSpan] = field(default_factory=list)
    #: Spans read but kept in no record of their own (an item's amount restated in its paragraph).
    read: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Disclosure:
    """Everything read from one document."""

    source: SourceText
    info: DisclosureInfo
    sections: tuple[Section, ...] = ()
    duties: tuple[Duty, ...] = ()
    units: tuple[InternalUnit, ...] = ()
    composition: BudgetUnitComposition | None = None
    facts: tuple[AmountFact, ...] = ()
    changes: tuple[ChangeStatement, ...] = ()
    counts: tuple[CountStatement, ...] = ()
    ratios: tuple[RatioStatement, ...] = ()
    none_stated: tuple[NoneStatement, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    mentions: tuple[OrgMention, ...] = ()
    defects: tuple[TextDefect, ...] = ()
    unparsed: tuple[UnparsedSpan, ...] = ()
    #: Extra facts for later stages (free-form, JSON-serialisable), e.g. asset date.
    notes: dict[str, Any] = field(default_factory=dict)

    def fact(self, key: str) -> AmountFact:
        for fact in self.facts:
            if fact.key == key:
                return fact
        raise KeyError(key)

    def to_json_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (Decimals and dates as strings; the full text and PDF table grids left out)."""
        data = _plain(self)
        data["source"].pop("text", None)
        data["source"].pop("grids", None)
        return data

    def to_json(self) -> str:
        """:meth:`to_json_dict` as JSON text: one member of the object per line, and one item per line in a list
        (json's C encoder writes each; ``indent`` would make json use its pure-Python encoder, three times slower)."""
        members = []
        for name, value in self.to_json_dict().items():
            key = json.dumps(name, ensure_ascii=False)
            if isinstance(value, list) and value:
                items = ",\n".join(json.dumps(item, ensure_ascii=False) for item in value)
                members.append(f"{key}: [\n{items}\n]")
            else:
                members.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
        return "{\n" + ",\n".join(members) + "\n}\n"


#: The field names of each record class (``dataclasses.fields`` builds its tuple anew on every call).
_FIELDS: dict[type, tuple[str, ...]] = {}
_AS_IS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    kind = type(value)
    if kind in _AS_IS:
        return value
    names = _FIELDS.get(kind)
    if names is None and dataclasses.is_dataclass(kind):
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, Decimal | date):
        return str(value)
    return value

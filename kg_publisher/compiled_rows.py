"""The rows of some SHACL-SPARQL constraints computed in Python from the compiled shapes' index.

The compiled shapes (``compiled_shapes.py``) find every SPARQL constraint's failing rows with pyoxigraph. Two kinds
of constraint are cheaper in Python, from their index of the data:

- **computations** (``computation``): where a row carries numbers pyoxigraph writes otherwise than rdflib (it writes
  ``220.8`` where rdflib's Decimal arithmetic keeps ``220.80``, and data literals in canonical form: ``8`` for
  ``8.0``), the reference's digits came from rdflib evaluating the constraint again for that focus node, several
  milliseconds a row. For the parts-and-totals rules the rows pyoxigraph found are computed again here with the
  same arithmetic as rdflib's SPARQL operators (``Decimal`` of the operands, ``*`` and ``/`` in the default decimal
  context, ``SUM`` starting from the integer 0) on the data's own literals;
- **answers** (``answer``): queries that group a data set's observations or check its spans (4-15 ms each for
  pyoxigraph to plan and evaluate) are answered here instead, their messages filled with the data's own literals
  (what rdflib prints).

Each stands for one query text exactly (its SHA-256): a shape whose query is edited is evaluated by pyoxigraph and
rdflib again until its Python here is checked and its digest updated (``tests/shapes/test_compiled_rows.py`` fails
until then; it also compares every computation and answer with the engines on corpus and generated documents). Each
gives ``None`` (the engines then evaluate the constraint) whenever the data is not in the plain form it handles: a
property with more than one value where the query expects one, a number that is not an ``xsd:decimal`` or an
integer, printed text that is not a plain string, a blank node.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from rdflib.term import Node

from .iris import code
from .vocab import BGT, OA, OBEU_DIM, OBEU_MEASURE, QB, SDMX_ATTR

_BGT = str(BGT)
_PART_OF, _PRINTED_UNIT, _PRINTED_VALUE = _BGT + "partOf", _BGT + "printedUnit", _BGT + "printedValue"
_AMOUNT = str(OBEU_MEASURE.amount)
_UNIT_MULT = str(SDMX_ATTR.unitMult)
_DECIMALS = str(SDMX_ATTR.decimals)
#: Datatypes whose values rdflib's ``numeric`` gives as ``int`` or ``Decimal`` (and pyoxigraph compares alike).
_NUMBERS = (str(XSD.integer), str(XSD.decimal), str(XSD.nonNegativeInteger), str(XSD.positiveInteger))
_STRINGS = (None, str(XSD.string))

Row = dict[str, Node]


class Index(Protocol):
    """What a computation reads: the compiled shapes' index of one document (IRIs as plain ``str``)."""

    def objects(self, subject: Any, predicate: str) -> Sequence[Any]: ...

    def subjects(self, predicate: str, value: Any) -> Sequence[Any]: ...


#: (the index, the focus node in index form, the rows pyoxigraph found for it) → the rows rdflib gives, or None.
Computation = Callable[[Index, Any, list[Row]], list[Row] | None]


def computation(select: str) -> Computation | None:
    """The computation standing for this query text, if there is one."""
    return _BY_DIGEST.get(hashlib.sha256(select.encode("utf-8")).hexdigest())


def digests() -> frozenset[str]:
    """The SHA-256 of every query text a computation or an answer stands for."""
    return frozenset(_BY_DIGEST) | frozenset(_ANSWERS)


class _Unusual(Exception):
    """The data is not in the form a computation handles: rdflib evaluates the constraint."""


def _one(index: Index, subject: Any, predicate: str) -> Any:
    """The one value of ``predicate``; None when there is none."""
    found = index.objects(subject, predicate)
    if len(found) > 1:
        raise _Unusual
    return found[0] if found else None


def _number(term: Any) -> int | Decimal:
    """A literal's value as rdflib's ``numeric`` gives it, for the datatypes handled here."""
    if not isinstance(term, Literal) or term.datatype is None or str(term.datatype) not in _NUMBERS \
            or getattr(term, "ill_typed", False):
        raise _Unusual
    value = term.value
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise _Unusual
    return value


def _scale(multiplier: Any) -> int:
    """``IF(?m = 8, 100000000, IF(?m = 4, 10000, 1))``: the integer the query multiplies by."""
    m = _number(multiplier)
    return 100000000 if m == 8 else 10000 if m == 4 else 1


_HALF = {0: Decimal("0.5"), 1: Decimal("0.05"), 2: Decimal("0.005"), 3: Decimal("0.0005")}


def _half(decimals: Any) -> Decimal:
    """``IF(?d = 0, 0.5, IF(?d = 1, 0.05, IF(?d = 2, 0.005, IF(?d = 3, 0.0005, 0.00005))))`` as rdflib reads it."""
    d = _number(decimals)
    for printed, half in _HALF.items():
        if d == printed:
            return half
    return Decimal("0.00005")


def _text(term: Any) -> Literal:
    if not isinstance(term, Literal) or term.language is not None or \
            (term.datatype is not None and str(term.datatype) not in _STRINGS):
        raise _Unusual
    return term


class _Total:
    """A total and its parts, summed as the parts-and-totals shapes of ``consistency.ttl`` sum them: each part
    ``?value * ?pf`` and ``IF(?value = 0, 0, half(?pd)) * ?pf``, SUM from the integer 0, COUNT of the parts."""

    def __init__(self, index: Index, total: Any, figures: bool) -> None:
        self.amount = _one(index, total, _AMOUNT)
        multiplier, decimals, unit = (_one(index, total, p) for p in (_UNIT_MULT, _DECIMALS, _PRINTED_UNIT))
        if self.amount is None or multiplier is None or decimals is None or unit is None:
            raise _Unusual  # the query would give no row, yet pyoxigraph found one
        self.unit = unit
        self.scale, self.half = _scale(multiplier), _half(decimals)
        self.sum_yuan: int | Decimal = 0
        self.half_yuan: int | Decimal = 0
        self.count = 0
        printed: list[tuple[str, str]] = []
        for part in index.subjects(_PART_OF, total):
            if type(part) is not str:  # a blank node: STR() of it is not what pyoxigraph gives
                raise _Unusual
            amount, pm, pd = (_one(index, part, p) for p in (_AMOUNT, _UNIT_MULT, _DECIMALS))
            if amount is None or pm is None or pd is None:
                continue  # not matched by the query's pattern
            value, scale = _number(amount), _scale(pm)
            self.sum_yuan = self.sum_yuan + Decimal(value) * scale
            self.half_yuan = self.half_yuan + Decimal(0 if value == 0 else _half(pd)) * scale
            self.count += 1
            if figures:
                pv, pu = _one(index, part, _PRINTED_VALUE), _one(index, part, _PRINTED_UNIT)
                figure = str(_text(pv)) + str(_text(pu)) if pv is not None and pu is not None else str(amount)
                printed.append((str(part), figure))
        self.figures = " + ".join(figure for _, figure in sorted(printed, key=lambda p: p[0]))
        self.sum = Decimal(self.sum_yuan) / self.scale
        self.tolerance = Decimal(self.half_yuan) / self.scale + self.half

    def row(self, this: Node) -> Row:
        return {"this": this, "total": self.amount, "unit": self.unit, "sum": Literal(self.sum)}


def _parts_add_up(index: Index, focus: Any, rows: list[Row]) -> list[Row] | None:
    """``PartsAddUpShape``: ``?total ?unit ?sum ?parts ?difference ?tolerance`` of the focus (the total)."""
    total = _Total(index, focus, figures=False)
    row = total.row(rows[0]["this"])
    row.update(parts=Literal(total.count), difference=Literal(_number(total.amount) - total.sum, datatype=XSD.decimal),
               tolerance=Literal(total.tolerance, datatype=XSD.decimal))
    return [row]


def _parts_within_total(index: Index, focus: Any, rows: list[Row]) -> list[Row] | None:
    """``PartsWithinTotalShape``: ``?total ?unit ?sum ?excess ?tolerance`` of the focus (the total)."""
    total = _Total(index, focus, figures=False)
    row = total.row(rows[0]["this"])
    row.update(excess=Literal(total.sum - _number(total.amount), datatype=XSD.decimal),
               tolerance=Literal(total.tolerance, datatype=XSD.decimal))
    return [row]


def _parts_rounding(index: Index, focus: Any, rows: list[Row]) -> list[Row] | None:
    """``PartsRoundingShape``: for each total pyoxigraph found (``?value``) of the focus (the data set),
    ``?total ?unit ?figures ?sum ?parts ?difference ?tolerance``."""
    found: list[Row] = []
    for given in rows:
        value = given.get("value")
        if not isinstance(value, URIRef):
            raise _Unusual
        total = _Total(index, str(value), figures=True)
        row = total.row(given["this"])
        row.update(value=value, figures=Literal(total.figures), parts=Literal(total.count),
                   difference=Literal(_number(total.amount) - total.sum, datatype=XSD.decimal),
                   tolerance=Literal(total.tolerance, datatype=XSD.decimal))
        found.append(row)
    return found


def _guarded(compute: Computation) -> Computation:
    def guarded(index: Index, focus: Any, rows: list[Row]) -> list[Row] | None:
        if not rows:
            return rows
        try:
            return compute(index, focus, rows)
        except _Unusual:
            return None
    return guarded


def _single_row(compute: Computation) -> Computation:
    """A focus node the query gives one row for (the total's own values are single)."""
    def single(index: Index, focus: Any, rows: list[Row]) -> list[Row] | None:
        return compute(index, focus, rows) if len(rows) == 1 else None
    return single


def _distinct_values(compute: Computation) -> Computation:
    """One row per total (``?value``) the query names."""
    def distinct(index: Index, focus: Any, rows: list[Row]) -> list[Row] | None:
        values = [row.get("value") for row in rows]
        return compute(index, focus, rows) if len(set(values)) == len(values) else None
    return distinct


_BY_DIGEST: dict[str, Computation] = {
    # consistency.ttl, bgts:PartsAddUpShape
    "faf8d6f08a71d78555214ff1c3976966e6bb661eed898be02d90a4036115e38b": _guarded(_single_row(_parts_add_up)),
    # consistency.ttl, bgts:PartsWithinTotalShape
    "62ecb31966e39c9310918601d6e1d86904601225ea5ea7f373daa188e237e793": _guarded(_single_row(_parts_within_total)),
    # consistency.ttl, bgts:PartsRoundingShape
    "19be23e844f81d413a1c64b45386cb463054451af96ddc82c86a25a9e95a5963": _guarded(_distinct_values(_parts_rounding)),
}


# ---- whole queries answered from the index --------------------------------------------------------------------
# Queries that group a data set's observations (crosschecks.ttl, observations.ttl) cost pyoxigraph 4-15 ms each to
# plan and evaluate; the same groups come from the index in a fraction of that.

_QB_DATASET = str(QB.dataSet)
#: An observation's dimensions as the grouping queries list them (the fund source third).
_DIMENSIONS = (*(_BGT + name for name in (
    "operationCharacter", "indicator", "fundSource", "expenditureType", "economicClassification",
    "functionalClassification", "item")), str(OBEU_DIM.budgetPhase))
_CONTEXT, _REPRINT_OF, _AS_OF = _BGT + "reportingContext", _BGT + "reprintOf", _BGT + "asOf"
_PRINTED_LABEL, _FUND_SOURCE = _BGT + "printedLabel", _BGT + "fundSource"
_FISCAL, _GENERAL_PUBLIC = str(code("fund-source", "FISCAL")), str(code("fund-source", "GENERAL_PUBLIC"))
_OTHER_FISCAL = (str(code("fund-source", "GOV_FUND")), str(code("fund-source", "STATE_CAPITAL")))
_ULP = {0: Decimal("1.0"), 1: Decimal("0.1"), 2: Decimal("0.01"), 3: Decimal("0.001")}


class Scan(Index, Protocol):
    """An index that also lists a predicate's (subject, objects) pairs."""

    def pairs(self, predicate: str) -> Sequence[tuple[Any, Sequence[Any]]]: ...


#: (the index, the focus nodes in index form) → the rows rdflib gives, by focus node (those with none left out);
#: or None.
Answer = Callable[[Scan, Sequence[Any]], dict[Any, list[Row]] | None]


def answer(select: str) -> Answer | None:
    """The answer standing for this query text, if there is one."""
    return _ANSWERS.get(hashlib.sha256(select.encode("utf-8")).hexdigest())


def _observations(index: Scan, dataset: Any, predicates: Sequence[str]) -> Iterator[tuple[str, list[Any]]]:
    """The observations of a data set with one value of each predicate (those without one are not matched)."""
    for obs in index.subjects(_QB_DATASET, dataset):
        if type(obs) is not str:  # a blank node: STR() of it differs between engines
            raise _Unusual
        values = [_one(index, obs, p) for p in predicates]
        if all(v is not None for v in values):
            yield obs, values


def _grouped_twice(index: Scan, focus: Sequence[Any], reprints: bool) -> dict[Any, list[Row]]:
    """``Observation-duplicate`` (reprints False: grouped by the dimensions and the reporting context) and
    ``Observation-unmarkedReprint`` (True: observations that name no first printing, grouped by the dimensions
    and ``bgt:asOf`` if any): each group of more than one, named by its smallest and largest IRI."""
    found: dict[Any, list[Row]] = {}
    for dataset in focus:
        groups: dict[tuple[Any, ...], list[str]] = {}
        for obs, key in _observations(index, dataset, _DIMENSIONS if reprints else (*_DIMENSIONS, _CONTEXT)):
            if reprints:
                if index.objects(obs, _REPRINT_OF):
                    continue
                key.append(_one(index, obs, _AS_OF))
            groups.setdefault(tuple(key), []).append(obs)
        rows: list[Row] = [{"this": URIRef(dataset), "value": URIRef(min(members)), "other": URIRef(max(members)),
                            "count": Literal(len(members))} for members in groups.values() if len(members) > 1]
        if rows:
            found[dataset] = rows
    return found


def _same_figure(index: Scan, focus: Sequence[Any]) -> dict[Any, list[Row]]:
    """``CrossCheck-samefigure``: observations with the same dimensions (财政拨款 counted as 一般公共预算 when no other
    fiscal fund has money) printed in more than one place with amounts the rounding does not explain; the group
    named by its smallest IRI, its printings listed in order."""
    other_fiscal = 0
    for subject, amounts in index.pairs(_AMOUNT):
        funds = sum(1 for f in index.objects(subject, _FUND_SOURCE) if f in _OTHER_FISCAL)
        if funds:
            other_fiscal += funds * sum(1 for a in amounts if _nonzero(a))
    found: dict[Any, list[Row]] = {}
    for dataset in focus:
        groups: dict[tuple[Any, ...], list[tuple[str, Decimal, Decimal, Any]]] = {}
        for obs, values in _observations(index, dataset, (*_DIMENSIONS, _CONTEXT, _AMOUNT, _UNIT_MULT, _DECIMALS)):
            *dimensions, context, amount, multiplier, decimals = values
            fund = dimensions[2]
            if fund in (_FISCAL, _GENERAL_PUBLIC) and other_fiscal == 0:
                dimensions[2] = _GENERAL_PUBLIC
            scale = _scale(multiplier)
            places = _number(decimals)
            ulp = next((u for d, u in _ULP.items() if places == d), Decimal("0.0001")) * scale
            groups.setdefault(tuple(dimensions), []).append((obs, Decimal(_number(amount)) * scale, ulp, context))
        rows: list[Row] = []
        for key, members in groups.items():
            if len({context for *_, context in members}) < 2:
                continue
            low, high = min(m[1] for m in members), max(m[1] for m in members)
            fine, coarse = min(m[2] for m in members), max(m[2] for m in members)
            if not high - low > (0 if coarse == fine else Decimal("0.5") * coarse + Decimal("0.5") * fine):
                continue
            rows.append({"this": URIRef(dataset), "value": URIRef(min(m[0] for m in members)),
                         "printed": Literal("; ".join(sorted(_printings(index, dataset, key))))})
        if rows:
            found[dataset] = rows
    return found


def _printings(index: Scan, dataset: Any, dimensions: tuple[Any, ...]) -> Iterator[str]:
    """``CONCAT(?pv, ?pu, " ", STR(?pl), " @", STRAFTER(STR(?ectx), "/section/"))`` of every observation of the
    group (its fund source the group's, or 财政拨款 in a 一般公共预算 group)."""
    fund = dimensions[2]
    wanted = (*_DIMENSIONS, _PRINTED_VALUE, _PRINTED_UNIT, _PRINTED_LABEL, _CONTEXT)
    for _, values in _observations(index, dataset, wanted):
        *found, printed, unit, label, context = values
        source = found[2]
        found[2] = fund
        if tuple(found) != dimensions or not (source == fund or (fund == _GENERAL_PUBLIC and source == _FISCAL)):
            continue
        if not isinstance(label, Literal) or type(context) is not str:
            raise _Unusual
        yield f"{_text(printed)}{_text(unit)} {label} @{context.partition('/section/')[2]}"


_OA = str(OA)
_HAS_SOURCE, _HAS_SELECTOR = _OA + "hasSource", _OA + "hasSelector"
_START, _END, _EXACT = _OA + "start", _OA + "end", _OA + "exact"
_AMOUNT_IN_YUAN = _BGT + "amountInYuan"
_PRINTED_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _span_offsets(index: Scan, focus: Sequence[Any]) -> dict[Any, list[Row]]:
    """``Source-spanOffsetsMatch``: a span whose quote's length is not end − start, or whose IRI does not end in
    ``/span/{start}-{end}`` (the offsets as the data writes them)."""
    found: dict[Any, list[Row]] = {}
    for source in focus:
        rows: list[Row] = []
        for span in index.subjects(_HAS_SOURCE, source):
            if type(span) is not str:
                raise _Unusual
            selectors = index.objects(span, _HAS_SELECTOR)
            for position in selectors:
                for start in index.objects(position, _START):
                    for end in index.objects(position, _END):
                        for quote in selectors:
                            for exact in index.objects(quote, _EXACT):
                                if not isinstance(exact, Literal) or (exact.datatype is not None and
                                                                      str(exact.datatype) not in _STRINGS):
                                    raise _Unusual  # STRLEN of it is an error
                                length = len(exact)
                                if length != _number(end) - _number(start) or \
                                        not span.endswith(f"/span/{start}-{end}"):
                                    rows.append({"this": URIRef(source), "value": URIRef(span), "start": start,
                                                 "end": end, "length": Literal(length)})
        if rows:
            found[source] = rows
    return found


def _printed_matches(index: Scan, focus: Sequence[Any]) -> dict[Any, list[Row]]:
    """``Observation-printedMatchesAmount``: an amount that is not its printed digits (thousands commas left out), or
    whose decimals are not the printed ones."""
    found: dict[Any, list[Row]] = {}
    for dataset in focus:
        rows: list[Row] = []
        for obs, (amount, printed, decimals) in _observations(index, dataset, (_AMOUNT, _PRINTED_VALUE, _DECIMALS)):
            digits = str(_text(printed)).replace(",", "").replace("，", "")
            if _PRINTED_NUMBER.fullmatch(digits) is None:
                raise _Unusual  # the cast to xsd:decimal would fail
            places = len(digits.partition(".")[2])
            if Decimal(digits) != _number(amount) or places != _number(decimals):
                rows.append({"this": URIRef(dataset), "value": URIRef(obs), "amount": amount, "printed": printed,
                             "decimals": decimals})
        if rows:
            found[dataset] = rows
    return found


def _yuan_matches(index: Scan, focus: Sequence[Any]) -> dict[Any, list[Row]]:
    """``Observation-yuanMatchesAmount``: an amount in yuan that is not the amount × 10^unitMult."""
    found: dict[Any, list[Row]] = {}
    for dataset in focus:
        rows: list[Row] = []
        for obs, (amount, multiplier, yuan) in _observations(index, dataset, (_AMOUNT, _UNIT_MULT, _AMOUNT_IN_YUAN)):
            if _number(yuan) != Decimal(_number(amount)) * _scale(multiplier):
                rows.append({"this": URIRef(dataset), "value": URIRef(obs), "yuan": yuan, "amount": amount,
                             "mult": multiplier})
        if rows:
            found[dataset] = rows
    return found


_RDF_TYPE = str(RDF.type)
_NONE_STATEMENT, _IS_PART_OF = _BGT + "NoneStatement", str(DCTERMS.isPartOf)
_DERIVED_FROM = str(PROV.wasDerivedFrom)
#: What a "无……" statement names: operation, indicator, fund source, budget phase.
_STATED = (_DIMENSIONS[0], _DIMENSIONS[1], _DIMENSIONS[2], _DIMENSIONS[7])


def _none_stated(index: Scan, focus: Sequence[Any]) -> dict[Any, list[Row]]:
    """``CrossCheck-noneStated``: a "无……" statement and each observation of the same operation, indicator, fund
    source and phase with a non-zero amount; the statement quoted (or its IRI), the figure's label and printed
    value (or its IRI)."""
    found: dict[Any, list[Row]] = {}
    for dataset in focus:
        statements = [s for s in index.subjects(_IS_PART_OF, dataset)
                      if _NONE_STATEMENT in index.objects(s, _RDF_TYPE)]
        if not statements:
            continue
        figures: dict[tuple[Any, ...], list[str]] = {}
        for obs, (*key, amount) in _observations(index, dataset, (*_STATED, _AMOUNT)):
            if _nonzero(amount):
                figures.setdefault(tuple(key), []).append(obs)
        rows: list[Row] = []
        for statement in statements:
            if type(statement) is not str:
                raise _Unusual
            key = [_one(index, statement, p) for p in _STATED]
            if any(k is None for k in key) or tuple(key) not in figures:
                continue
            quotes = [exact for source in index.objects(statement, _DERIVED_FROM)
                      for selector in index.objects(source, _HAS_SELECTOR) for exact in index.objects(selector, _EXACT)]
            if len(quotes) > 1:
                raise _Unusual  # one row per quote
            none = quotes[0] if quotes else Literal(statement)
            for obs in figures[tuple(key)]:
                label, printed, unit = (_one(index, obs, p) for p in (_PRINTED_LABEL, _PRINTED_VALUE, _PRINTED_UNIT))
                if label is None or printed is None or unit is None:
                    figure = Literal(obs)
                else:
                    figure = Literal(f"{label}{_text(printed)}{_text(unit)}")
                rows.append({"this": URIRef(dataset), "value": URIRef(obs), "none": none, "printed": figure})
        if rows:
            found[dataset] = rows
    return found


def _nonzero(term: Any) -> bool:
    """``?za != 0`` true (a term that is no number makes it an error: false)."""
    if not isinstance(term, Literal) or term.datatype is None or str(term.datatype) not in _NUMBERS:
        return False
    value = term.value
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value != 0


def _answered(compute: Callable[[Scan, Sequence[Any]], dict[Any, list[Row]]]) -> Answer:
    def answered(index: Scan, focus: Sequence[Any]) -> dict[Any, list[Row]] | None:
        try:
            return compute(index, focus)
        except _Unusual:
            return None
    return answered


_ANSWERS: dict[str, Answer] = {
    # dataset.ttl, bgts:Source-spanOffsetsMatch
    "10d97c17a24342f85eeb76281f0d519997d761b1f82db543a37cca976209f6b5": _answered(_span_offsets),
    # observations.ttl, bgts:Observation-printedMatchesAmount and bgts:Observation-yuanMatchesAmount
    "748718e7e2e697a7373323ab590d9cbb280840bc19090cef2c9172e4bbc67b1e": _answered(_printed_matches),
    "296b52eafd8a970b8533463d5f5e8dca6434c27d5d52a2867a21e0bd329d09c7": _answered(_yuan_matches),
    # crosschecks.ttl, bgts:CrossCheck-noneStated
    "1024cf36c2f6ec7e90605011209fa1c7c3e1c952e0b202a28d9d08ee27ff5938": _answered(_none_stated),
    # crosschecks.ttl, bgts:CrossCheck-samefigure
    "cff9e75b6983fa8182e8b8822a7850c049d4a70fa654d99a1d64676f82718025": _answered(_same_figure),
    # observations.ttl, bgts:Observation-duplicate
    "37e09972084f94786147973d32d3c33b45a13196375790b971b96b249ffab166":
        _answered(lambda index, focus: _grouped_twice(index, focus, reprints=False)),
    # observations.ttl, bgts:Observation-unmarkedReprint
    "392bc3f1cdfc3597fdde09832f6a6f089340c12bb7ef5d2522cecf40b472ec74":
        _answered(lambda index, focus: _grouped_twice(index, focus, reprints=True)),
}

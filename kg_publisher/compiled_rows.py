"""The rows of some SHACL-SPARQL constraints computed in Python, digit for digit as rdflib gives them.

The compiled shapes (``compiled_shapes.py``) find every SPARQL constraint's failing rows with pyoxigraph. Where a
row carries numbers pyoxigraph writes otherwise than rdflib (it writes ``220.8`` where rdflib's Decimal arithmetic
keeps ``220.80``, and data literals in canonical form: ``8`` for ``8.0``), the reference's digits come from rdflib
evaluating the constraint again for that focus node, which costs several milliseconds a row. For the constraints
named here the compiled shapes compute those rows instead, from their index of the data: the same arithmetic as
rdflib's SPARQL operators (``Decimal`` of the operands, ``*`` and ``/`` in the default decimal context, ``SUM``
starting from the integer 0) on the data's own literals.

A computation stands for one query text exactly (its SHA-256): a shape whose query is edited is evaluated by rdflib
again until its computation here is checked and its digest updated (``tests/shapes/test_compiled_rows.py`` fails
until then). A computation gives ``None`` (rdflib then evaluates the constraint) whenever the data is not in the
plain form it handles: a property with more than one value where the query expects one, a number that is not an
``xsd:integer``/``xsd:decimal``, printed text that is not a plain string.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_BGT = "https://w3id.org/cn-budget-kg/def#"
_PART_OF, _PRINTED_UNIT, _PRINTED_VALUE = _BGT + "partOf", _BGT + "printedUnit", _BGT + "printedValue"
_AMOUNT = "http://data.openbudgets.eu/ontology/dsd/measure/amount"
_UNIT_MULT = "http://purl.org/linked-data/sdmx/2009/attribute#unitMult"
_DECIMALS = "http://purl.org/linked-data/sdmx/2009/attribute#decimals"
_NUMBERS = (str(XSD.integer), str(XSD.decimal))
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
    """The SHA-256 of every query text a computation stands for."""
    return frozenset(_BY_DIGEST)


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

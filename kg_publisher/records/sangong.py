""""三公"经费: the total, its three parts, and the vehicles line's purchase and operation parts.

"三公" and 公务用车购置及运行费 are complete by definition (the three items, 购置 + 运行), whatever word
introduces them. A total printed as a phase pair (年初预算 …，支出决算 …) gives two totals; each part is
``part_of`` the total of its own phase (parts printed in a phase pair follow the phase they name).
"""

from __future__ import annotations

import re

from .context import ReadingContext, SectionReading, phase_of
from .lexicon import SANGONG_WHOLE
from .model import AmountFact, Readings, Section, TextDefect
from .patterns import AMOUNT, FILLER, amount_of, first, unwrap

_AMOUNT = AMOUNT.pattern

_SANGONG_TOTAL = re.compile(rf"(?P<label>“?三公”?经费){FILLER}{_AMOUNT}")

#: "三公" parts: (key, item code, pattern); vehicles purchase/operation are parts of the vehicles line.
_SANGONG_PARTS = (  # the operation label may have lost its head in the source (车运行维护费)
    ("sangong-overseas", "OVERSEAS_TRAVEL", rf"(?P<label>因公出国[（(]境[）)]费用?){FILLER}{_AMOUNT}"),
    ("sangong-reception", "OFFICIAL_RECEPTION", rf"(?P<label>公务接待费){FILLER}{_AMOUNT}"),
    ("sangong-vehicles", "OFFICIAL_VEHICLES", rf"(?P<label>公务用?车购置及运行(?:维护)?费){FILLER}{_AMOUNT}"),
    ("sangong-vehicle-purchase", "VEHICLE_PURCHASE", rf"(?P<label>公务用?车购置费){FILLER}{_AMOUNT}"),
    ("sangong-vehicle-operation", "VEHICLE_OPERATION",
     rf"(?P<label>(?:公务用?)?车(?:用车)?运行(?:维护)?费){FILLER}{_AMOUNT}"),
)


#: The executed figure printed right after an approved one: "年初预算为0.95万元，支出决算为0.00万元".
_EXECUTED_PAIR = re.compile(rf"[，,]\s*(?P<label>(?:支出)?决算(?:数)?)为?\s*{_AMOUNT}")
#: Words of a clause before a number that name (or refer back to) what the number is.
_LABEL_WORDS = re.compile(r"费|经费|出国|接待|车|三公|预算|决算|比|较|与|增加|减少|增长|下降|持平")


def read_sangong(ctx: ReadingContext, section: Section) -> Readings:
    """"三公" total, its three parts and the vehicles line's purchase/operation parts.

    A total printed as a phase pair (年初预算 …，支出决算 …) gives two totals; each part is ``part_of`` the
    total of its own phase. An amount of the parts list printed without any item label is left unread and
    recorded as a ``missing-label`` defect; a vehicle line whose label lost its head (车运行维护费) is read
    (no other "三公" item has 运行 costs) and recorded as a defect too.
    """
    reading = ctx.reading(section)
    source, (start, end, _) = reading.view, reading.bounds()
    total_match = first(_SANGONG_TOTAL, source, start, end)
    totals: dict[str, AmountFact] = {}
    if total_match:
        total = reading.add("sangong-total", total_match, operation="expenditure", indicator="SANGONG")
        totals[total.phase] = total
        pair = _EXECUTED_PAIR.match(source.text, total_match.end(), end)
        if pair and total.phase != "executed":
            executed = reading.add("sangong-total-executed", pair, operation="expenditure",
                                   indicator="SANGONG", phase="executed",
                                   label=total.label + unwrap(pair.group("label")))
            totals["executed"] = executed
    vehicles: dict[str, AmountFact] = {}
    for base, item, pattern in _SANGONG_PARTS:
        match = re.compile(pattern).search(source.text, start, end)
        if match is None:
            continue
        phase = phase_of(match, reading.phase)
        parent = totals.get(phase)
        if base in ("sangong-vehicle-purchase", "sangong-vehicle-operation") and phase in vehicles:
            parent = vehicles[phase]
        fact = reading.add(base, match, operation="expenditure", indicator="SANGONG", item=item,
                           part_of=parent.key if parent else None)
        if base == "sangong-vehicles":
            vehicles[fact.phase] = fact
        if item == "VEHICLE_OPERATION" and not fact.label.startswith("公务"):
            reading.out.defects.append(TextDefect("missing-label", fact.span,
                                              f"the item label is cut short: {fact.label!r} (公务用车运行维护费)"))
    if total_match:
        _unlabelled_amounts(reading, total_match.end(), totals.get(reading.phase))
    return reading.done()


def _unlabelled_amounts(reading: SectionReading, start: int, total: AmountFact | None) -> None:
    """Amounts of a parts list whose clause names nothing: the item label was lost from the text.

    One such amount is read as the one "三公" item not printed when the printed parts and it add up to the
    total exactly (the three items are all of "三公"); any other is left unread. Both are defects.
    """
    view = reading.view
    text = view.text
    covered = reading.covered()
    unlabelled: list[tuple[re.Match[str], int, str]] = []
    for match in AMOUNT.finditer(text, start, reading.bounds()[1]):
        first, last = view.offsets[match.start()], view.offsets[match.end() - 1] + 1
        if any(a <= first and last <= b for a, b in covered):
            continue
        clause_start = max(text.rfind(mark, start, match.start()) for mark in "，,;；:：。（(") + 1
        clause = text[max(clause_start, start):match.start()]
        if _LABEL_WORDS.search(clause) is None:
            unlabelled.append((match, max(clause_start, start), clause.strip()))
    inferred = _by_elimination(reading, [m for m, _, _ in unlabelled], total)
    for match, clause_start, clause in unlabelled:
        read = inferred is not None and inferred.span.end == view.offsets[match.end() - 1] + 1
        what = f"read by elimination as {inferred.label}" if inferred is not None and read else "left unread"
        reading.out.defects.append(TextDefect(
            "missing-label", view.span(clause_start, match.end()),
            (f"an amount of the \u201c三公\u201d parts is printed without its item: {clause}{match.group(0)!s} "
             f"— {what}")))


def _by_elimination(reading: SectionReading, unlabelled: list[re.Match[str]],
                    total: AmountFact | None) -> AmountFact | None:
    if total is None or len(unlabelled) != 1:
        return None
    parts = [f for f in reading.out.facts if f.part_of == total.key]
    missing = [(code, name) for code, codes, name in SANGONG_WHOLE if not any(f.item in codes for f in parts)]
    match = unlabelled[0]
    amount = amount_of(match)
    if len(missing) != 1 or sum((f.amount.yuan for f in parts), amount.yuan) != total.amount.yuan:
        return None
    code, name = missing[0]
    return reading.fact(AmountFact(
        key=f"sangong-{code.lower().replace('_', '-')}", label=name, amount=amount,
        span=reading.view.span(match.start(), match.end()), operation="expenditure", indicator="SANGONG",
        context=total.context, phase=total.phase, item=code, part_of=total.key))

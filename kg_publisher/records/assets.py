"""国有资产占用: the date the stock refers to, the total, 流动/固定资产 ("其中": incomplete), the vehicles held
(count, value, counts by type: records/lexicon.py VEHICLE_TYPES) and the vehicles a budget plans to buy.
"""

from __future__ import annotations

import re
from datetime import date

from .context import ReadingContext, SectionReading
from .lexicon import VEHICLE_TYPES, code_of
from .model import AmountFact, CountStatement, Readings, Section
from .patterns import AMOUNT, CJK, FILLER, first

_AMOUNT = AMOUNT.pattern

_ASSET_DATE = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ASSETS_TOTAL = re.compile(rf"(?P<label>资产总额){FILLER}{_AMOUNT}")
_ASSET_PARTS = (
    ("assets-current", "CURRENT_ASSETS", re.compile(rf"(?P<label>流动资产){FILLER}{_AMOUNT}")),
    ("assets-fixed", "FIXED_ASSETS", re.compile(rf"(?P<label>固定资产){FILLER}{_AMOUNT}")),
)
_VEHICLE_VALUE = re.compile(rf"(?P<label>价值|账面价值|原值){_AMOUNT}")
_VEHICLES = re.compile(r"(?<!购置)车辆\s*(?P<n>\d+)\s*辆")
#: The vehicles a budget plans to buy ("2024年部门预算安排购置车辆1辆，其中：…").
_VEHICLES_PLANNED = re.compile(r"(?:预算)?安排购置车辆\s*(?P<n>\d+)\s*辆")
#: A count of vehicles in the list after the total: its type is the word printed before it (VEHICLE_TYPES).
_VEHICLE_TYPE = re.compile(rf"(?P<type>[{CJK}]{{2,12}}?)\s*(?P<n>\d+)\s*辆")


def read_assets(ctx: ReadingContext, section: Section) -> Readings:
    """国有资产: the date, total, 流动/固定资产 ("其中": incomplete), vehicles (count and value)."""
    reading = ctx.reading(section)
    source, (start, end, _) = reading.view, reading.bounds()
    dated = first(_ASSET_DATE, source, start, end)
    as_of = date(int(dated.group(1)), int(dated.group(2)), int(dated.group(3))) if dated else None
    total_match = first(_ASSETS_TOTAL, source, start, end)
    total = None
    if total_match:
        total = reading.add("assets-total", total_match, operation="_Z", indicator="ASSETS", as_of=as_of)
        if re.match(r"[，,]?\s*其中", source.text[total_match.end():end]):
            reading.set_breakdown(total, False)
    parts: dict[str, AmountFact] = {}
    for base, item, pattern in _ASSET_PARTS:
        match = first(pattern, source, total_match.end() if total_match else start, end)
        if match:
            parts[base] = reading.add(base, match, operation="_Z", indicator="ASSETS", item=item,
                                      as_of=as_of, part_of=total.key if total else None)
    counts: dict[str, CountStatement] = {}
    held = first(_VEHICLES, source, start, end)
    if held:
        count = reading.count("vehicles-count", "VEHICLES", held)
        if count is not None:
            counts["vehicles-count"] = count
        _vehicle_types(reading, count, held.end(), end)
    planned = first(_VEHICLES_PLANNED, source, start, end)
    if planned and (count := reading.count("vehicles-planned-count", "VEHICLES_PLANNED", planned)):
        counts["vehicles-planned-count"] = count
    if "vehicles-count" in counts:
        value = first(_VEHICLE_VALUE, source, source.at(counts["vehicles-count"].span.end), end)
        if value:
            fixed = parts.get("assets-fixed")
            reading.add("assets-vehicles", value, operation="_Z", indicator="ASSETS", item="VEHICLE_ASSETS",
                        as_of=as_of, part_of=fixed.key if fixed else None)
            if fixed is not None:  # the vehicles are only one part of the fixed assets
                reading.set_breakdown(fixed, False)
    return reading.done()


def _vehicle_types(reading: SectionReading, total: CountStatement | None, start: int, end: int) -> None:
    """"共有车辆7辆，其中：部级领导干部用车0辆、…、其他用车7辆；" (or in brackets: "（一般公务用车0辆，其他用车0辆）"):
    the vehicles by type (VEHICLE_TYPES) up to the clause's end. They are parts of the total only when the whole
    list was read with certainty: every count of it names a known type and stands unbroken, nothing but
    separators stands between them, and no vehicles are counted after them (an item not read — a page's footer
    inside it — would make the sum check our misreading)."""
    source = reading.view
    text = source.text
    stop = min((i for i in (text.find(mark, start, end) for mark in "；;。") if i >= 0), default=end)
    listed = list(_VEHICLE_TYPE.finditer(text, start, stop))
    typed = [(match, code_of(match.group("type"), VEHICLE_TYPES)) for match in listed]
    bounds = [start, *(offset for match in listed for offset in match.span())]
    between = "".join(text[a:b] for a, b in zip(bounds[:-1:2], bounds[1::2], strict=True))
    whole = not _LIST_SEPARATORS.sub("", between) and "辆" not in text[bounds[-1]:stop]
    if listed and not whole:
        reading.unread(source.span(start, stop), "a list of vehicles by type not read whole: not summed")
    certain = (total is not None and whole and all(code for _, code in typed)
               and all(reading.unbroken(match, "n") for match in listed))
    seen = {"VEHICLES"}
    for match, code in typed:
        if code is None or code in seen:
            continue
        seen.add(code)
        key = f"vehicles-{code.removeprefix('VEHICLES_').lower().replace('_', '-')}-count"
        word = next(word for word, notation in VEHICLE_TYPES if notation == code)
        reading.count(key, code, match, start=match.start("type") + max(match.group("type").rfind(word), 0),
                      part_of=total.key if total is not None and certain else None)


#: What may stand between the items of a list.
_LIST_SEPARATORS = re.compile(r"[，,、；;：:（）()\s]|其中")

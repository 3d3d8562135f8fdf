"""机关运行经费: the total, its change, and the listed items with their economic classification codes.

A list introduced by ``包括：`` is complete; by ``主要包括`` / ``其中`` it is not (its sum may be less).
"""

from __future__ import annotations

import re

from ..codelists import CodeList
from .context import ReadingContext
from .model import Readings, Section
from .patterns import AMOUNT, FILLER, LIST_ITEM, first, unwrap

_AMOUNT = AMOUNT.pattern

_RUNNING_COST_TOTAL = re.compile(rf"(?P<label>机关运行经费|运行经费){FILLER}{_AMOUNT}")


def read_running_cost(ctx: ReadingContext, section: Section) -> Readings:
    """机关运行经费: total, its change, and the listed items with their economic classification codes."""
    reading = ctx.reading(section)
    source, (start, end, _) = reading.view, reading.bounds()
    match = first(_RUNNING_COST_TOTAL, source, start, end)
    if match is None:
        return reading.done()
    total = reading.add("running-cost-total", match, operation="expenditure", indicator="ORG_RUNNING_COST")
    intro = re.compile(r"(?P<main>主要)?(?:包括|用于)[:：]|其中[:：，,]").search(source.text, match.end(), end)
    if intro is None:
        return reading.done()
    reading.set_breakdown(total, not (intro.group("main") or intro.group(0).startswith("其中")))
    economic = CodeList.load("econ-dept")
    stop = re.compile(r"。").search(source.text, intro.end(), end)
    for number, item in enumerate(LIST_ITEM.finditer(source.text, intro.end(), stop.end() if stop else end), 1):
        code = economic.by_name(unwrap(item.group("label")))
        if code is not None:
            reading.add(f"running-cost-{code.code}", item, operation="expenditure",
                        indicator="ORG_RUNNING_COST", economic=code.code, part_of=total.key)
        else:
            reading.add(f"running-cost-line-{number}", item, operation="expenditure",
                        indicator="ORG_RUNNING_COST", item=f"line-{number}", part_of=total.key)
    return reading.done()

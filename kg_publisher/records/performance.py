"""绩效目标 / 绩效管理: project counts at each stage (应编制, 编报, 绩效跟踪评价, 绩效自评), the funds involved,
the stated coverage ratio, the self-evaluated projects by rating, and the projects listed after the funds
total (:func:`.projects.read_performance_projects`).
"""

from __future__ import annotations

import re

from .context import ReadingContext, SectionReading
from .lexicon import PERFORMANCE_FUNDS_ITEMS, PERFORMANCE_RATINGS, PERFORMANCE_STAGES, alternation, code_of
from .model import CountStatement, RatioStatement, Readings, Section
from .patterns import AMOUNT, CJK, PERCENT_NUMBER, first, percent_of
from .projects import read_performance_projects

_AMOUNT = AMOUNT.pattern

_PERF_REQUIRED = re.compile(r"应编制绩效目标的项目共?\s*(?P<n>\d+)\s*个")
#: Projects counted at a stage of performance management (PERFORMANCE_STAGES): "编报绩效目标的项目50个",
#: "绩效跟踪评价的2024年度项目4个", "绩效自评的2024年度项目4个".
_PERF_STAGE = re.compile(rf"(?:实际编制|编报|编制了?)?(?P<stage>{alternation(PERFORMANCE_STAGES)})[{CJK}]{{0,6}}?的"
                         r"(?:\d{4}\s*年度?)?项目共?\s*(?P<n>\d+)\s*个")
_PERF_FUNDS = re.compile(rf"(?P<label>涉及[{CJK}]{{0,14}}?){_AMOUNT}")
_PERF_RATING = re.compile(rf"绩效评级为[“\"]?(?P<rating>{alternation(PERFORMANCE_RATINGS)})[”\"]?"
                          r"的项目\s*(?P<n>\d+)\s*个")
_PERF_COVERAGE = re.compile(rf"(?P<label>[^，。；\n]*覆盖率)[^，。；\n%]*?(?P<number>{PERCENT_NUMBER})\s*[%％]")


def read_performance(ctx: ReadingContext, section: Section) -> Readings:
    """绩效目标: projects required and set (counts), funds involved, and the stated coverage ratio; a 决算's
    projects and funds of the later stages (绩效跟踪评价, 绩效自评) and the self-evaluated projects by rating."""
    reading = ctx.reading(section)
    source, (start, end, _) = reading.view, reading.bounds()
    required = first(_PERF_REQUIRED, source, start, end)
    required_count = None
    if required:
        required_count = reading.count("perf-projects-required", "PERF_PROJECTS_REQUIRED", required)
    stages = list(_PERF_STAGE.finditer(source.text, required.end() if required else start, end))
    set_count = None
    seen: set[str] = set()
    for position, stage in enumerate(stages):
        what = code_of(stage.group("stage"), PERFORMANCE_STAGES)
        if what is None or what in seen:
            continue
        seen.add(what)
        key = "perf-" + what.removeprefix("PERF_").lower().replace("_", "-")
        count = reading.count(key, what, stage)
        if what == "PERF_PROJECTS_SET":
            set_count = count
            continue
        stop = stages[position + 1].start() if position + 1 < len(stages) else end
        funds = first(_PERF_FUNDS, source, stage.end(), stop)
        item = code_of(stage.group("stage"), PERFORMANCE_FUNDS_ITEMS) or "_T"
        if funds:
            reading.add(f"performance-funds-{item.removeprefix('PERF_').lower().replace('_', '-')}", funds,
                        operation="expenditure", indicator="PERFORMANCE_FUNDS", item=item)
        if what == "PERF_PROJECTS_SELF_EVALUATED":
            _perf_ratings(reading, count, stage.end(), stop)
    funds = first(_PERF_FUNDS, source, start, end)
    if funds:
        reading.add("performance-funds", funds, operation="expenditure", indicator="PERFORMANCE_FUNDS")
    coverage = first(_PERF_COVERAGE, source, start, end)
    if coverage and required_count and set_count and reading.unbroken(coverage, "number"):
        reading.ratio(RatioStatement(
            key="perf-coverage", what="PERF_COVERAGE", percent=percent_of(coverage),
            numerator=set_count.key, denominator=required_count.key,
            span=source.span(coverage.start("label"), coverage.end()),
        ))
    read_performance_projects(reading)
    return reading.done()


def _perf_ratings(reading: SectionReading, evaluated: CountStatement | None, start: int, end: int) -> None:
    """"（其中，绩效评级为“优”的项目4个；…“不合格”的项目0个。": the self-evaluated projects by rating, parts of
    their count only when every rating is printed (else a missing one would make the sum check wrong)."""
    found = {}
    for match in _PERF_RATING.finditer(reading.view.text, start, end):
        code = code_of(match.group("rating"), PERFORMANCE_RATINGS)
        if code is not None and code not in found:
            found[code] = match
    whole = (evaluated is not None and len(found) == len(PERFORMANCE_RATINGS)
             and all(reading.unbroken(match, "n") for match in found.values()))
    for code, match in found.items():
        reading.count("perf-" + code.removeprefix("PERF_").lower().replace("_", "-"), code, match,
                      part_of=evaluated.key if evaluated is not None and whole else None)

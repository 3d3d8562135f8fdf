"""``SourceText`` → :class:`Disclosure`: the one entry point of the records layer.

>>> from kg_publisher.extract.readers import read_source
>>> from tests.conftest import SEED
>>> disclosure = parse_disclosure(read_source(SEED))
>>> disclosure.info.department, disclosure.info.year, disclosure.info.kind
('盘锦市兴隆台区政务服务中心', 2022, 'budget')
>>> disclosure.fact("revenue-total").amount.value
Decimal('819.82')
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import SourceError
from ..extract.source import SourceText
from ..extract.tables import find_tables
from ..registry import Registry
from .context import ReadingContext, merge_readings
from .defects import find_defects
from .final import read_final_statements
from .glossary import read_glossary
from .info import head_word, read_info
from .items import read_classified_items
from .model import AmountFact, ChangeStatement, Disclosure, Readings, Section, TextDefect, UnparsedSpan
from .nonestated import read_none_statements
from .organisation import read_composition, read_duties, read_mentions, read_unit_count, read_units
from .patterns import AMOUNT, strip_span
from .projects import read_project_budget_lists
from .repeats import drop_repeats
from .sections import find_sections, innermost, meaning_of, toc_entries
from .tables import read_table_facts
from .topics import DISCLOSURE_TOPICS, READERS


def parse_disclosure(source: SourceText, registry: Registry | None = None) -> Disclosure:
    """Read every record of one disclosure; :class:`SourceError` if it is none."""
    sections = find_sections(source)
    contents = toc_entries(source)
    if not contents and not any(section.meaning in DISCLOSURE_TOPICS for section in sections):
        raise SourceError(
            f"{source.name}: no budget disclosure found — looked for a table of contents (目录) or headings such "
            "as 部门概况/主要职责, 收支预算总体情况说明, “三公”经费, 名词解释 (第X部分 / 一、… / plain headings), "
            "and a title naming the department, the year and 预算/决算",
        )
    registry = registry or Registry.load()
    info = read_info(source, registry)
    ctx = ReadingContext(source, sections, info.year, info.kind)
    # The narrative readers by section topic, in document order, then the project lists (项目经费 budget lists
    # kept apart so validation can compare them with the 绩效目标 lists); a figure they do not read is
    # reported by _unread_figures below.
    prose = merge_readings([*(reader(ctx, section) for section in sections
                              if (reader := READERS.get(section.meaning)) is not None),
                            read_project_budget_lists(ctx)])
    duties = read_duties(source, sections)
    units = read_units(source, sections)
    unit_count = read_unit_count(source, sections)
    if unit_count is not None:
        prose.counts.insert(0, unit_count)
    glossary, glossary_unparsed = read_glossary(source, sections)
    # Tables, 决算 statements and prose classification items; a number the prose parser already read wins.
    text_tables = find_tables(source)
    tables = read_table_facts(ctx, text_tables)
    items = read_classified_items(ctx)
    final = read_final_statements(ctx)
    none = read_none_statements(ctx)
    prose_facts, item_facts = _items_part_of(prose.facts, items)
    facts, replaced = _merge(prose_facts, tables.facts, [*final.facts, *item_facts])
    facts, repeat_defects, repeated = drop_repeats(facts)
    keys = {fact.key for fact in facts} | {count.key for count in prose.counts}
    follow = {**replaced, **repeated}
    for dropped, kept in follow.items():  # a replaced figure may itself be a repeat
        follow[dropped] = repeated.get(kept, kept)
    final_ratios = [replace(r, numerator=follow.get(r.numerator, r.numerator),
                            denominator=follow.get(r.denominator, r.denominator)) for r in final.ratios]
    ratios = [*prose.ratios, *(r for r in final_ratios if r.numerator in keys and r.denominator in keys)]
    read_changes = {(c.span.start, c.span.end) for c in prose.changes}
    change_keys = {c.key for c in prose.changes}
    changes = list(prose.changes)
    for change in [*final.changes, *items.changes]:
        if (change.span.start, change.span.end) in read_changes:
            continue  # the prose parser read this claim already
        about = replaced.get(change.about, change.about)  # the claim follows its figure, named after it
        key = f"{about}-change" if f"{about}-change" not in change_keys else change.key
        change_keys.add(key)
        changes.append(replace(change, key=key, about=about))
    table_spans = [(s.span.start, s.span.end) for s in sections if s.meaning == "tables"]
    defects = (*_missing_parts(source, sections, contents), *find_defects(source, table_spans),
               *prose.defects, *final.defects, *none.defects, *repeat_defects,
               *items.defects, *tables.defects)
    table_starts = [table.title_span.start for table in text_tables]
    covered = [(s.start, s.end) for s in (*(f.span for f in facts), *(c.span for c in changes),
                                          *(c.reason_span for c in changes if c.reason_span),
                                          *(c.base_span for c in changes if c.base_span),
                                          *(c.span for c in prose.counts), *(r.span for r in ratios),
                                          *(d.span for d in defects), *items.read, *final.read)]
    composition = read_composition(source, sections)
    unparsed = [*_unread_sections(source, sections, bool(duties), bool(units) or composition is not None,
                                  table_starts), *prose.unparsed,
                *glossary_unparsed, *_unread_figures(source, sections, covered),
                *tables.unparsed, *final.unparsed, *items.unparsed]
    return Disclosure(
        source=source,
        info=info,
        sections=sections,
        duties=duties,
        units=units,
        composition=composition,
        facts=tuple(facts),
        changes=tuple(change for change in (_follow(c, repeated) for c in changes) if change.about in keys),
        counts=tuple(prose.counts),
        ratios=tuple(ratios),
        glossary=glossary,
        mentions=read_mentions(source, info.department, sections, registry),
        defects=tuple(sorted(defects, key=lambda d: (d.span.start, d.span.end, d.kind))),
        none_stated=tuple(none.none_stated),
        unparsed=tuple(sorted(unparsed, key=lambda u: (u.span.start, u.span.end))),
        notes={"department_head_word": head_word(info.department)},
    )


def _merge(read: list[AmountFact], tables: list[AmountFact],
           statements: list[AmountFact]) -> tuple[list[AmountFact], dict[str, str]]:
    """The prose parser's facts, the table facts, and the 决算/item facts whose number the prose parser did
    not read; a statement fact left out is replaced by the prose fact ending where it ends (the same printed
    number), and every reference to it (``part_of``, ratios, changes) follows — see the returned key map."""
    by_end = {fact.span.end: fact for fact in read}
    replaced = {f.key: by_end[f.span.end].key for f in statements if f.span.end in by_end}
    kept = [replace(f, part_of=replaced.get(f.part_of, f.part_of)) if f.part_of in replaced else f
            for f in statements if f.key not in replaced]
    return [*read, *tables, *kept], replaced


def _missing_parts(source: SourceText, sections: tuple[Section, ...],
                   contents: list[tuple[int, int, str]]) -> list[TextDefect]:
    """An ``incomplete`` defect naming what the table of contents lists but the text does not hold; without a
    table of contents, the summary and "三公" chapters every disclosure has."""
    headings = [_squeezed(section.heading) for section in sections]
    if contents:
        missing = [(start, end, title) for start, end, title in contents
                   if not any(_squeezed(title) in heading or (heading and heading in _squeezed(title))
                              for heading in headings)
                   and not any(section.meaning == meaning_of(title) not in ("other", "narrative", "tables")
                               for section in sections)]
        if not missing:
            return []
        names = "、".join(title for _, _, title in missing[:12]) + (" …" if len(missing) > 12 else "")
        return [TextDefect("incomplete", source.span(missing[0][0], missing[-1][1]), (
            f"the table of contents lists {len(missing)} part(s) the text does not hold: {names}"))]
    wanted = [name for name, topic in (("收支总体情况说明", "budget-summary"), ("“三公”经费说明", "sangong"))
              if not any(section.meaning == topic for section in sections)]
    if not wanted or not sections:
        return []
    last = sections[-1].span
    return [TextDefect("incomplete", last, f"the text has no {' / '.join(wanted)}: parts of a disclosure missing")]


def _squeezed(text: str) -> str:
    return re.sub(r"\s|\d+年度?|（部门）|部门|的|情况", "", text)


def _items_part_of(read: list[AmountFact], items: Readings) -> tuple[list[AmountFact], list[AmountFact]]:
    """The classified items listed after a fund's expenditure line ("财政拨款支出主要内容如下") are its parts;
    when an item of the list could not be read, the sum is not checked (the line's breakdown is incomplete).
    Returns the prose figures (those lines marked) and the items."""
    out = []
    for item in items.facts:
        line = next((f for f in read if f.context == item.context and f.operation == "expenditure"
                     and f.indicator == "TOTAL" and f.fund_source == item.fund_source != "_T" and f.item == "_T"
                     and f.functional == "_T" and f.expenditure_type == "_T" and f.phase == item.phase), None)
        out.append(replace(item, part_of=line.key) if line and (line := _items_total(read, line)) else item)
    wholes = {i.part_of for i in out}
    gaps = {gap.context for gap in items.unparsed}
    read = [replace(fact, breakdown_complete=False) if fact.key in wholes and fact.context in gaps else fact
            for fact in read]
    return read, out


def _items_total(read: list[AmountFact], line: AmountFact) -> AmountFact | None:
    """The line the items add up to: the fund line itself when nothing else breaks it down, or its one fund
    with money (一般公共预算 when 政府性基金 and 国有资本经营 are 0); None when that is not clear."""
    parts = [f for f in read if f.part_of == line.key]
    if not parts:
        return line
    funded = [f for f in parts if f.amount.value != 0]
    if len(funded) == 1 and not any(f.part_of == funded[0].key for f in read):
        return funded[0]
    return None


def _follow(change: ChangeStatement, repeated: dict[str, str]) -> ChangeStatement:
    """A claim about a figure printed twice belongs to its first printing."""
    return replace(change, about=repeated[change.about]) if change.about in repeated else change


def _unread_sections(source: SourceText, sections: tuple[Section, ...], have_duties: bool,
                     have_units: bool, table_starts: list[int]) -> list[UnparsedSpan]:
    """Table sections holding no readable table (e.g. "详见附件"), and duty/unit sections that gave nothing."""
    unread = []
    for section in sections:
        nested = any(other.meaning == "tables" and other.level > section.level
                     and section.span.start <= other.span.start < section.span.end for other in sections)
        holds_table = any(section.span.start <= start < section.span.end for start in table_starts)
        if section.meaning == "tables" and not nested and not holds_table:
            unread.append(UnparsedSpan(section.span, "table section: no table printed in the text (attached "
                                       "elsewhere or not recognised)", section.code))
        elif (section.meaning == "duties" and not have_duties) or (section.meaning == "units" and not have_units):
            unread.append(UnparsedSpan(section.span, f"{section.meaning} section: no numbered items found",
                                       section.code))
    return unread


_THRESHOLD = re.compile(r"\s*[（(]含[）)]\s*以上|\s*以上")


def _unread_figures(source: SourceText, sections: tuple[Section, ...],
                    covered: list[tuple[int, int]]) -> list[UnparsedSpan]:
    """Sentences outside tables holding a money figure that no record covers."""
    seen: set[tuple[int, int]] = set()
    unread = []
    for match in AMOUNT.finditer(source.text):
        if any(start <= match.start() and match.end() <= end for start, end in covered):
            continue
        if _THRESHOLD.match(source.text, match.end()) or source.text.endswith("单价", 0, match.start()):
            continue  # "单价100万元（含）以上设备": a threshold, not a figure
        section = innermost(sections, match.start())
        if section is not None and section.meaning == "tables":
            continue
        start = max(source.text.rfind(mark, 0, match.start()) for mark in "。；;\n") + 1
        stop = re.compile(r"[。；;\n]").search(source.text, match.end())
        start, end = strip_span(source, start, stop.end() if stop else len(source.text))
        if (start, end) in seen or end <= start:
            continue
        seen.add((start, end))
        unread.append(UnparsedSpan(source.span(start, end), "money figure not read into a record",
                                   section.code if section else "front-matter"))
    return unread

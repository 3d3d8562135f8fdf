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
from .model import AmountFact, ChangeStatement, Disclosure, Readings, Section
from .nonestated import read_none_statements
from .organisation import read_composition, read_duties, read_mentions, read_unit_count, read_units
from .projects import read_project_budget_lists
from .repeats import drop_repeats
from .sections import find_sections, toc_entries
from .tables import read_table_facts
from .topics import DISCLOSURE_TOPICS, READERS
from .unread import missing_parts, unread_figures, unread_sections


def parse_disclosure(source: SourceText, registry: Registry | None = None) -> Disclosure:
    """Read every record of one disclosure; :class:`SourceError` if it is none."""
    sections, contents = _disclosure_sections(source)
    registry = registry or Registry.load()
    info = read_info(source, registry)
    ctx = ReadingContext(source, sections, info.year, info.kind)
    # The narrative readers by section topic, in document order, then the project lists (项目经费 budget lists
    # kept apart so validation can compare them with the 绩效目标 lists); a figure they do not read is
    # reported by unread_figures below.
    prose = merge_readings([*(reader(ctx, section) for section in sections
                              if (reader := READERS.get(section.meaning)) is not None),
                            read_project_budget_lists(ctx)])
    unit_count = read_unit_count(source, sections)
    if unit_count is not None:
        prose.counts.insert(0, unit_count)
    # Tables, 决算 statements and prose classification items; a number the prose readers read already wins.
    text_tables = find_tables(source)
    none = read_none_statements(ctx)
    figures = _merge_figures(prose, read_table_facts(ctx, text_tables), read_final_statements(ctx),
                             read_classified_items(ctx), none)
    duties = read_duties(source, sections)
    units = read_units(source, sections)
    composition = read_composition(source, sections)
    glossary, glossary_unparsed = read_glossary(source, sections)
    table_spans = [(s.span.start, s.span.end) for s in sections if s.meaning == "tables"]
    defects = (*missing_parts(source, sections, contents), *find_defects(source, table_spans, ctx.view),
               *figures.defects)
    covered = [(s.start, s.end) for s in (*(f.span for f in figures.facts), *(c.span for c in figures.changes),
                                          *(c.reason_span for c in figures.changes if c.reason_span),
                                          *(c.base_span for c in figures.changes if c.base_span),
                                          *(c.span for c in figures.counts), *(r.span for r in figures.ratios),
                                          *(d.span for d in defects), *figures.read)]
    unparsed = [*unread_sections(source, sections, bool(duties), bool(units) or composition is not None,
                                 [table.title_span.start for table in text_tables]),
                *prose.unparsed, *glossary_unparsed, *unread_figures(source, sections, covered), *figures.unparsed]
    return Disclosure(
        source=source,
        info=info,
        sections=sections,
        duties=duties,
        units=units,
        composition=composition,
        facts=tuple(figures.facts),
        changes=tuple(figures.changes),
        counts=tuple(figures.counts),
        ratios=tuple(figures.ratios),
        glossary=glossary,
        mentions=read_mentions(source, info.department, sections, registry),
        defects=tuple(sorted(defects, key=lambda d: (d.span.start, d.span.end, d.kind))),
        none_stated=tuple(none.none_stated),
        unparsed=tuple(sorted(unparsed, key=lambda u: (u.span.start, u.span.end))),
        notes={"department_head_word": head_word(info.department)},
    )


def _disclosure_sections(source: SourceText) -> tuple[tuple[Section, ...], list[tuple[int, int, str]]]:
    """The sections and the table of contents of a disclosure; :class:`SourceError` when the text is none."""
    sections = find_sections(source)
    contents = toc_entries(source)
    if not contents and not any(section.meaning in DISCLOSURE_TOPICS for section in sections):
        raise SourceError(
            f"{source.name}: no budget disclosure found — looked for a table of contents (目录) or headings such "
            "as 部门概况/主要职责, 收支预算总体情况说明, “三公”经费, 名词解释 (第X部分 / 一、… / plain headings), "
            "and a title naming the department, the year and 预算/决算",
        )
    return sections, contents


def _merge_figures(prose: Readings, tables: Readings, final: Readings, items: Readings, none: Readings) -> Readings:
    """The figures and claims of the whole document: the prose readers', the tables', and the 决算 statements'
    and classified items' whose number the prose readers did not read (a statement ending where a prose figure
    ends is that figure: every reference to it follows, see :func:`_merge`); a figure printed twice in one
    place is kept once (:func:`.repeats.drop_repeats`), and the claims and ratios about it follow it; a claim
    about no kept figure is left out, its text still read. The defects of the none statements are kept too."""
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
            continue  # the prose readers read this claim already
        about = replaced.get(change.about, change.about)  # the claim follows its figure, named after it
        key = f"{about}-change" if f"{about}-change" not in change_keys else change.key
        change_keys.add(key)
        changes.append(replace(change, key=key, about=about))
    followed = [_follow(c, repeated) for c in changes]
    left_out = [c for c in followed if c.about not in keys]
    return Readings(
        facts=facts,
        changes=[change for change in followed if change.about in keys],
        counts=prose.counts,
        ratios=ratios,
        defects=[*prose.defects, *final.defects, *none.defects, *repeat_defects, *items.defects, *tables.defects],
        unparsed=[*tables.unparsed, *final.unparsed, *items.unparsed],
        read=[*items.read, *final.read, *(span for c in left_out for span in (c.span, c.reason_span, c.base_span)
                                          if span is not None)],
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

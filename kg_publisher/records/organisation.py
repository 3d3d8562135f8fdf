"""The department as the text describes it: duties, internal units, budget units, name mentions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..extract.source import SourceText, Span
from ..registry import Registry
from .flow import Flowed
from .info import place_prefix
from .model import BudgetUnitComposition, CountStatement, Duty, InternalUnit, OrgMention, Section
from .patterns import chinese_number, strip_span, unwrap
from .sections import innermost

_NUMERAL = "一二三四五六七八九十"
#: List markers, each with where it may start: at a line start, or after a sentence end.
_MARKERS = (
    re.compile(rf"(?:^|(?<=[。；]))[ \t\u3000\u00a0]*(?P<marker>（(?P<n>[{_NUMERAL}]+)）)", re.MULTILINE),
    re.compile(r"^[ \t\u3000\u00a0]*(?P<marker>(?P<n>[0-9０-９]{1,2})[、．.])(?!\d)", re.MULTILINE),
    re.compile(rf"^[ \t\u3000\u00a0]*(?P<marker>(?P<n>[{_NUMERAL}]+)、)", re.MULTILINE),
)
_ANY_MARKER_LINE = re.compile(rf"\n[ \t\u3000\u00a0]*(?:（[{_NUMERAL}]+）|[0-9０-９]{{1,2}}[、．.]|[{_NUMERAL}]+、)")
_UNIT_DUTIES_INTRO = re.compile(r"(?:主要职责(?:有|是|为|包括)?[:：]?)+")
_UNIT_COUNT = re.compile(r"(?:设|有|共|下设)?(?P<n>\d+)个内设(?:机构|处室|科室|部门)")
_NONE_STATED = re.compile(r"无(?:二级|下属|所属)?(?:预算)?单位|下属0家预算单位")


@dataclass(frozen=True)
class ListItem:
    """One numbered item of a list: its marker (（一）, 1.) and its text after the marker."""

    notation: str
    number: int
    span: Span
    body: Span


def list_items(source: SourceText, start: int, end: int) -> list[ListItem]:
    """The longest run of consecutively numbered items (1, 2, 3 …) in ``text[start:end]``, any marker style."""
    best: list[ListItem] = []
    for pattern in _MARKERS:
        markers = []
        expected = 1
        for match in pattern.finditer(source.text, start, end):
            if chinese_number(match.group("n")) == expected:
                markers.append(match)
                expected += 1
        items = []
        for position, match in enumerate(markers):
            if position + 1 < len(markers):
                item_end = markers[position + 1].start("marker")
            else:  # the last item ends where a list of another style starts
                other = _ANY_MARKER_LINE.search(source.text, match.end(), end)
                item_end = other.start() if other else end
            item_start, item_end = strip_span(source, match.start("marker"), item_end)
            body_start = match.end("marker")
            body_start, body_end = strip_span(source, body_start, item_end)
            if body_end <= body_start:
                continue
            marker = match.group("marker")
            items.append(ListItem(marker.rstrip("、．."), position + 1, source.span(item_start, item_end),
                                  source.span(body_start, body_end)))
        if len(items) > len(best):
            best = items
    return best


def read_duties(source: SourceText, sections: tuple[Section, ...]) -> tuple[Duty, ...]:
    """The department's duties: the numbered list of the 主要职责 section (or of the overview)."""
    for meaning in ("duties", "overview"):
        for section in sections:
            if section.meaning != meaning:
                continue
            items = list_items(source, section.heading_span.end, _own_end(section, sections))
            if items:
                return tuple(Duty(item.notation, unwrap(item.body.text), item.span) for item in items)
    return ()


def _own_end(section: Section, sections: tuple[Section, ...]) -> int:
    """Where the section's own text ends (its first sub-section starts)."""
    inner = [s.span.start for s in sections if s.level > section.level
             and section.span.start < s.span.start < section.span.end]
    return min(inner, default=section.span.end)


def read_units(source: SourceText, sections: tuple[Section, ...]) -> tuple[InternalUnit, ...]:
    """Internal units listed as ``（一）综合办公室：主要职责有……``."""
    units: list[InternalUnit] = []
    for section in sections:
        if section.meaning != "units":
            continue
        for item in list_items(source, section.heading_span.end, section.span.end):
            colon = re.search(r"[:：]", item.body.text)
            if colon is None:
                continue
            name_start, name_end = strip_span(source, item.body.start, item.body.start + colon.start())
            if name_end <= name_start:
                continue
            duties_start = item.body.start + colon.end()
            intro = _UNIT_DUTIES_INTRO.match(source.text, duties_start, item.body.end)
            if intro is not None:
                duties_start = intro.end()
            duties: tuple[Duty, ...] = ()
            start, end = strip_span(source, duties_start, item.body.end)
            if end > start:
                duties = (Duty(f"{item.notation}-1", unwrap(source.text[start:end]), source.span(start, end)),)
            units.append(InternalUnit(item.notation, source.text[name_start:name_end],
                                      source.span(name_start, name_end), duties, item.span))
    return tuple(units) or _inline_units(source, sections)


#: Units named in the sentence that counts them: "机关(包括办公室、法规处、…、纪检组19个内设处室)".
_INLINE_UNITS = re.compile(r"包括(?P<names>[^（）()。；;：:，,\d]{2,20}(?:、[^（）()。；;：:，,、\d]{2,20})+?)(?:等)?"
                           r"(?:共|在内的)?(?P<n>\d+)个内设(?:机构|处室|科室|部门)")


def _inline_units(source: SourceText, sections: tuple[Section, ...]) -> tuple[InternalUnit, ...]:
    """The internal units listed inline before their count (names separated by 、), where no numbered list of
    them is printed: numbered 1, 2 … in printed order, without duties."""
    preferred = [s for s in sections if s.meaning == "units"] + [s for s in sections if s.meaning != "units"]
    flow = Flowed.whole(source)
    for section in preferred:
        match = _INLINE_UNITS.search(flow.text, flow.at(section.span.start), flow.at(section.span.end))
        if match is None:
            continue
        units = []
        position = match.start("names")
        for number, name in enumerate(match.group("names").split("、"), start=1):
            span = flow.span(position, position + len(name))
            units.append(InternalUnit(str(number), name, span, (), span))
            position += len(name) + 1
        return tuple(units)
    return ()


def read_unit_count(source: SourceText, sections: tuple[Section, ...]) -> CountStatement | None:
    """The stated number of internal units (设4个内设机构), first where it is printed with certainty (a count whose
    digits a line or page break runs through — a page number run into it — is no count: see records/context.py)."""
    preferred = [s for s in sections if s.meaning == "units"] + [s for s in sections if s.meaning != "units"]
    flow = Flowed.whole(source)  # read across line breaks ("设4个内\n设机构")
    for section in preferred:
        match = _UNIT_COUNT.search(flow.text, flow.at(section.span.start), flow.at(section.span.end))
        if match and not flow.broken(*match.span("n")):
            return CountStatement("internal-units-count", "INTERNAL_UNITS", int(match.group("n")),
                                  flow.span(match.start(), match.end()))
    return None


#: A list marker before a budget unit's name ("1. 上海市普陀区…（本部）。").
_LIST_MARK = re.compile(r"^(?:[\d０-９]{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*")


def read_composition(source: SourceText, sections: tuple[Section, ...]) -> BudgetUnitComposition | None:
    """Which budget units the disclosure covers: an explicit none, or the listed unit names."""
    candidates = [s for s in sections if s.meaning == "composition"] or [s for s in sections if s.meaning == "units"]
    for section in candidates:
        body_start, end = section.heading_span.end, section.span.end
        none = _NONE_STATED.search(source.text, body_start, end)
        if none:
            return BudgetUnitComposition(True, (), source.span(none.start(), none.end()))
        intro = re.compile(r"包括[:：][ \t]*\n").search(source.text, body_start, end)
        if intro is None:
            continue
        names: list[str] = []
        last = intro.end()
        offset = intro.end()
        for line in source.text[intro.end():end].split("\n"):
            listed = _LIST_MARK.sub("", line.strip())
            name = re.split(r"[(（]", listed.rstrip("。；;"), maxsplit=1)[0]
            if (len(name) >= 4 and not re.search(r"[，。；：:\d]", name)
                    and name not in ("单位名称", "序号", "备注")):
                names.append(name)
                last = offset + len(line)
            offset += len(line) + 1
        if names:
            start, stop = strip_span(source, section.heading_span.end, last)
            return BudgetUnitComposition(False, tuple(names), source.span(start, stop))
    return None


def read_mentions(source: SourceText, department: str, sections: tuple[Section, ...],
                  registry: Registry) -> tuple[OrgMention, ...]:
    """Every name made of places and the department's head word (盘锦市政务服务中心 …), where it stands."""
    organization = registry.resolve(department)
    places = place_prefix(department)
    head = department[len("".join(places)):] or department
    known = set(places)
    for place in (organization.region, organization.parent_region):
        if place:
            known.add(place)
    stems = {re.sub(r"(?:自治区|省|市|区|县|旗|州)$", "", place) for place in known}
    tokens = sorted((t for t in known | stems if len(t) >= 2), key=len, reverse=True)
    if not tokens:
        pattern = re.compile(re.escape(department))
    else:
        pattern = re.compile(f"(?:{'|'.join(map(re.escape, tokens))})+{re.escape(head)}")
    mentions = []
    flow = Flowed.whole(source)  # a name the layout broke over a line (盘锦市政务\n服务中心) is still a name
    for match in pattern.finditer(flow.text):
        span = flow.span(match.start(), match.end())
        section = innermost(sections, span.start)
        mentions.append(OrgMention(match.group(0), span, section.code if section else "front-matter"))
    return tuple(mentions)

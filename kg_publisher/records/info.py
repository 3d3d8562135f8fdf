"""Who published the disclosure, for which year, and whether it is a budget or a final account.

The title is the first heading-like line (or two lines, as in PDF covers) that ends with a
year and 预算/决算: ``盘锦市兴隆台区政务服务中心2022年度部门预算公开表``,
``上海市普陀区财政局`` / ``2024年度部门决算``. When the cover names the department on a label line
(``预算主管部门：上海市普陀区财政局``) that name wins over the title's (which may be a region).
"""

from __future__ import annotations

import re

from ..errors import SourceError
from ..extract.source import SourceText, Span
from ..registry import Registry
from .flow import Flowed, TextView
from .model import DisclosureInfo

_TITLE = re.compile(
    r"^[ \t\u3000\u00a0]*(?:第[一二三四五六七八九十]+部分)?"
    r"(?P<department>[^\s\d，。：:；;、“”]{2,40}?)[ \t\u3000\u00a0]*\n?[ \t\u3000\u00a0]*"
    r"(?P<year>(?:19|20)\d{2})[ \t]*年度?[ \t]*(?:区级|市级|县级|省级)?[ \t]*(?:部门|单位)?[ \t]*"
    r"(?P<kind>预算|决算)(?P<rest>[^\s，。：:；;]{0,12})[ \t\u3000\u00a0]*$",
    re.MULTILINE,
)
_DEPARTMENT_LABEL = re.compile(
    r"(?:预算主管部门|主管部门|预算单位|部门名称|单位名称)[ \t]*[:：][ \t\u3000]*(?P<department>[^\s，。；;]{2,40})"
)
#: The same title on a cover whose lines were broken anywhere ("上海市普陀区" / "2024年" / "区级部门预算"): read on the
#: flowed cover, it must still end where a title ends (a label, the table of contents, or the cover's end).
_COVER_TITLE = re.compile(
    r"(?P<department>[^\s\d，。：:；;、“”（）]{2,40}?)"
    r"(?P<year>(?:19|20)\d{2})年度?(?:区级|市级|县级|省级)?(?:部门|单位)?"
    r"(?P<kind>预算|决算)(?P<rest>(?:编制说明|公开说明|情况说明|公开表|公开|说明|报告)?)"
    r"(?=$|预算主管部门|主管部门|预算单位|部门名称|单位名称|编制单位|目\s*录|\d{4}年\d{1,2}月"
    r"|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)"
)
#: The same title when the year, printed in another font, was drawn onto a line of its own below the words
#: (上海市普陀区财政局 / 年度部门决算 / 2024: extractors that group characters into lines by their tops do this).
_YEAR_APART = re.compile(
    r"(?P<department>[^\s\d，。：:；;、“”（）]{2,40}?)"
    r"年度?(?:区级|市级|县级|省级)?(?:部门|单位)?"
    r"(?P<kind>预算|决算)(?P<rest>(?:编制说明|公开说明|情况说明|公开表|公开|说明|报告)?)"
    r"(?P<year>(?:19|20)\d{2})"
    r"(?=$|预算主管部门|主管部门|预算单位|部门名称|单位名称|编制单位|目\s*录|\d{4}年\d{1,2}月"
    r"|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+部分)"
)
#: How much of the text's start is searched for a broken cover title, and for the department's label.
_COVER = 300
_LABELS = 800
#: Place names at the start of a department's name (盘锦市 / 兴隆台区 / 普陀区 …).
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治区|省|市|区|县|旗|州)")
_KINDS = {"预算": "budget", "决算": "final"}
#: What a blank template prints where a filled-in disclosure names its department ("上海市 XX 局", "××区××局").
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[XＸ×][ \t\u3000]?){2,}(?![A-Za-z])|某某|[○〇]{2,}")


def place_prefix(name: str) -> list[str]:
    """The place names a department's name starts with.

    >>> place_prefix("盘锦市兴隆台区政务服务中心")
    ['盘锦市', '兴隆台区']
    >>> place_prefix("重庆市交通委员会")
    ['重庆市']
    """
    places = []
    position = 0
    while match := _PLACE.match(name, position):
        if len(name) - match.end() < 2:  # what is left must still name a body
            break
        places.append(match.group(0))
        position = match.end()
    return places


def head_word(name: str) -> str:
    """The institutional part of a department's name, without its places (政务服务中心, 财政局)."""
    return name[len("".join(place_prefix(name))):] or name


def read_info(source: SourceText, registry: Registry) -> DisclosureInfo:
    """Department, year, kind and title of ``source``; :class:`SourceError` when there is no such title, or
    when the title is a blank template's (its department a placeholder: a template has no figures to publish
    and no department they would belong to)."""
    cover = Flowed.of(source, 0, _cover_end(source))
    _refuse_template(source, cover)
    title = _TITLE.search(source.text)
    if title is None and (broken := _COVER_TITLE.search(cover.text) or _YEAR_APART.search(cover.text)):
        return _info(source, registry, broken, cover)
    if title is None:
        raise SourceError(
            f"{source.name}: no disclosure title found — expected a line naming the department, the year "
            "and 预算 or 决算 (e.g. '盘锦市兴隆台区政务服务中心2022年度部门预算')",
        )
    return _info(source, registry, title, source)


def _cover_end(source: SourceText) -> int:
    """Where the cover ends: after its first _COVER printed characters (blanks padding a layout do not count)."""
    printed = 0
    for offset, char in enumerate(source.text):
        printed += not char.isspace()
        if printed >= _COVER:
            return offset + 1
    return len(source.text)


def _refuse_template(source: SourceText, cover: Flowed) -> None:
    """Refuse a blank template: a ``cover`` (the flowed start of ``source``) whose title names a placeholder
    department (上海市 XX 局)."""
    title = re.search(r"(?:19|20)\d{2}\s*年度?\s*(?:区级|市级|县级|省级)?\s*(?:部门|单位)?\s*(?:预算|决算)", cover.text)
    if title is None:
        return
    # in the title's own words (just before its year), never in a sentence of the body
    placeholder = _PLACEHOLDER.search(cover.text, max(0, title.start() - 20), title.start())
    if placeholder is None:
        return
    span = cover.span(placeholder.start(), placeholder.end())
    raise SourceError(
        f"{source.name}: a blank disclosure template, not a disclosure — its title names the department as "
        f"{span.text.strip()!r} (line {source.text.count(chr(10), 0, span.start) + 1}), so it has no department "
        "and no figures to publish",
        "Give the department's own filled-in disclosure: a template has nothing to publish.",
    )


def _info(source: SourceText, registry: Registry, title: re.Match[str], text: TextView) -> DisclosureInfo:
    """The info of a title matched in ``text`` (the source, or its flowed cover)."""
    title_span = text.span(title.start("department"), max(title.end(group) for group in ("kind", "rest", "year")
                                                          if title.group(group)))
    department_span = text.span(title.start("department"), title.end("department"))
    label = _DEPARTMENT_LABEL.search(source.text, 0, _LABELS)  # on the cover, not a 预算单位： of the body
    if label is not None:
        department_span = source.span(label.start("department"), label.end("department"))
    department = "".join(department_span.text.split())  # a cover may break the name over lines
    region, region_span = _region(source, department, department_span, registry)
    return DisclosureInfo(
        department=department,
        department_span=department_span,
        year=int(title.group("year")),
        year_span=text.span(title.start("year"), title.end("year")),
        kind=_KINDS[title.group("kind")],  # type: ignore[arg-type]
        kind_span=text.span(title.start("kind"), title.end("kind")),
        title="".join(title_span.text.split()) if text is not source else " ".join(title_span.text.split()),
        title_span=title_span,
        region=region,
        region_span=region_span,
    )


def _region(source: SourceText, department: str, department_span: Span,
            registry: Registry) -> tuple[str | None, Span | None]:
    """The government level's place: the registry's region, else the last place in the name."""
    organization = registry.resolve(department)
    places = place_prefix(department)
    region = organization.region if organization.region else (places[-1] if places else None)
    if region is None:
        return None, None
    inside = department_span.text.find(region)
    if inside >= 0:
        start = department_span.start + inside
        return region, source.span(start, start + len(region))
    anywhere = source.text.find(region)
    return region, (source.span(anywhere, anywhere + len(region)) if anywhere >= 0 else None)

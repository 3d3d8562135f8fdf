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
from .model import DisclosureInfo

_TITLE = re.compile(
    r"^[ \t\u3000\u00a0]*(?:第[一二三四五六七八九十]+部分)?"
    r"(?P<department>[^\s\d，。：:；;、“”]{2,40}?)[ \t\u3000\u00a0]*\n?[ \t\u3000\u00a0]*"
    r"(?P<year>(?:19|20)\d{2})[ \t]*年度?[ \t]*(?:区级|市级|县级|省级)?[ \t]*(?:部门)?[ \t]*"
    r"(?P<kind>预算|决算)(?P<rest>[^\s，。：:；;]{0,12})[ \t\u3000\u00a0]*$",
    re.MULTILINE,
)
_DEPARTMENT_LABEL = re.compile(
    r"(?:预算主管部门|主管部门|部门名称|单位名称)[ \t]*[:：][ \t\u3000]*(?P<department>[^\s，。；;]{2,40})"
)
#: Place names at the start of a department's name (盘锦市 / 兴隆台区 / 普陀区 …).
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,7}?(?:自治区|省|市|区|县|旗|州)")
_KINDS = {"预算": "budget", "决算": "final"}


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
    """Department, year, kind and title of ``source``; :class:`SourceError` when there is no such title."""
    title = _TITLE.search(source.text)
    if title is None:
        raise SourceError(
            f"{source.name}: no disclosure title found — expected a line naming the department, the year "
            "and 预算 or 决算 (e.g. '盘锦市兴隆台区政务服务中心2022年度部门预算')",
        )
    start = title.start("department")
    title_span = source.span(start, title.end("rest") if title.group("rest") else title.end("kind"))
    department_span = source.span(title.start("department"), title.end("department"))
    label = _DEPARTMENT_LABEL.search(source.text)
    if label is not None:
        department_span = source.span(label.start("department"), label.end("department"))
    department = department_span.text
    region, region_span = _region(source, department, department_span, registry)
    return DisclosureInfo(
        department=department,
        department_span=department_span,
        year=int(title.group("year")),
        year_span=source.span(title.start("year"), title.end("year")),
        kind=_KINDS[title.group("kind")],  # type: ignore[arg-type]
        kind_span=source.span(title.start("kind"), title.end("kind")),
        title=" ".join(title_span.text.split()),
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

"""The registry of section topics: the words of a heading that name each topic, and the reader of its figures.

A section's *meaning* is the first topic (in this order: specific before generic) one of whose keywords its
heading contains (:func:`.sections.meaning_of`). The topics with a figure reader are read by
:func:`.parse.parse_disclosure` in document order; a sub-heading inside a catch-all chapter
(``其他重要事项的情况说明``) becomes a section of its own only for topics marked ``sub_section``. A text is a
disclosure when at least one of its sections has a topic of this registry (or is a table).

Adding a synonym of a topic is a keyword here and a sentence in ``tests/extract/readers/``; a new topic is a
row here and its reader, a function ``read_x(ctx, section) -> Readings`` in a module of its own (as
:mod:`.sangong`; :mod:`.context` says what a reader is given and how it records).

>>> [topic.name for topic in TOPICS if "名词解释" in topic.keywords]
['glossary']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .assets import read_assets
from .context import ReadingContext
from .model import Readings, Section
from .performance import read_performance
from .procurement import read_procurement
from .runningcost import read_running_cost
from .sangong import read_sangong
from .summary import read_budget_summary

#: A section's reader: what it reads in the section, given the document's context (:mod:`.context`).
Reader = Callable[[ReadingContext, Section], Readings]


@dataclass(frozen=True)
class Topic:
    name: str
    #: Words of a heading that make it this topic.
    keywords: tuple[str, ...]
    #: Reads the section's figures (None: no figures of its own, or read elsewhere).
    reader: Reader | None = None
    #: A numbered sub-heading of a catch-all chapter naming this topic is a section of its own.
    sub_section: bool = False


#: Topics of chapters and plain headings, in the order they are tried.
TOPICS: tuple[Topic, ...] = (
    Topic("glossary", ("名词解释", "专业名词解释", "专业性名词解释", "名词说明", "术语解释")),
    Topic("sangong", ("三公",), read_sangong, sub_section=True),
    Topic("running-cost", ("运行经费",), read_running_cost, sub_section=True),
    Topic("procurement", ("政府采购",), read_procurement, sub_section=True),
    Topic("assets", ("国有资产", "资产占用", "资产占有"), read_assets, sub_section=True),
    Topic("performance", ("绩效",), read_performance, sub_section=True),
    Topic("composition", ("单位构成", "预算单位")),
    Topic("units", ("机构设置", "内设机构")),
    Topic("duties", ("主要职责", "主要职能", "职能职责")),
    Topic("overview", ("概况", "基本情况")),
    Topic("budget-summary", ("收支", "收入", "支出", "编制说明", "公开说明", "预算情况说明", "决算情况说明",
                             "总体情况"), read_budget_summary),
    Topic("narrative", ("说明",)),
)
#: Topics of a part (第X部分) heading: a part is a glossary, an overview, the tables or the narrative.
PART_TOPICS: tuple[Topic, ...] = (
    Topic("glossary", ("名词解释", "专业名词解释", "专业性名词解释", "名词说明", "术语解释")),
    Topic("overview", ("概况", "基本情况")),
    Topic("tables", ("表",)),
    Topic("narrative", ("说明", "情况")),
)
#: Sections of these meanings make a text a disclosure.
DISCLOSURE_TOPICS = frozenset({topic.name for topic in TOPICS} | {"tables"})
#: Topics a numbered sub-heading of a catch-all chapter must name to become a section.
SUB_SECTION_TOPICS = tuple(topic.name for topic in TOPICS if topic.sub_section)
#: Figure readers by topic.
READERS: dict[str, Reader] = {topic.name: topic.reader for topic in TOPICS if topic.reader is not None}


def topic_of(heading: str, part: bool = False) -> str | None:
    """The first topic whose keyword the heading contains, or None."""
    return next((topic.name for topic in (PART_TOPICS if part else TOPICS)
                 if any(keyword in heading for keyword in topic.keywords)), None)

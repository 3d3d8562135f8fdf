"""The glossary (名词解释): numbered ``term：definition`` items."""

from __future__ import annotations

import re

from ..extract.source import SourceText
from .model import GlossaryTerm, Section, UnparsedSpan
from .organisation import list_items
from .patterns import strip_span, unwrap

_COLON = re.compile(r"[:：]")


def read_glossary(source: SourceText,
                  sections: tuple[Section, ...]) -> tuple[tuple[GlossaryTerm, ...], tuple[UnparsedSpan, ...]]:
    """Terms of every glossary section; items without a ``term：`` become unparsed spans."""
    terms: list[GlossaryTerm] = []
    unparsed: list[UnparsedSpan] = []
    for section in sections:
        if section.meaning != "glossary":
            continue
        items = list_items(source, section.heading_span.end, section.span.end)
        if not items:
            unparsed.append(UnparsedSpan(section.span, "glossary section without numbered terms", section.code))
        for item in items:
            colon = _COLON.search(item.body.text)
            # A term is a short name; a colon far into the item is part of a sentence.
            if colon is None or colon.start() > 60:
                unparsed.append(UnparsedSpan(item.span, "glossary item without 'term：definition'", section.code))
                continue
            term_start, term_end = strip_span(source, item.body.start, item.body.start + colon.start())
            definition_start, definition_end = strip_span(source, item.body.start + colon.end(), item.body.end)
            if term_end <= term_start or definition_end <= definition_start:
                unparsed.append(UnparsedSpan(item.span, "glossary item with an empty term or definition",
                                             section.code))
                continue
            terms.append(GlossaryTerm(
                notation=item.notation,
                term=unwrap(source.text[term_start:term_end]),
                term_span=source.span(term_start, term_end),
                definition=unwrap(source.text[definition_start:definition_end]),
                definition_span=source.span(definition_start, definition_end),
                span=item.span,
            ))
    return tuple(terms), tuple(unparsed)

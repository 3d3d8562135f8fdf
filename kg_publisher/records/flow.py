"""Read prose across the layout's line breaks while keeping offsets into the source.

PDF text wraps mid-phrase ("公务用车购置及运行\\n维护费", "年初预算为\\n161.62万元"). Patterns run on a
*flowed* copy of a stretch of text without line breaks, form feeds and the blanks around them (NBSP
included), nor blanks between two Chinese characters (财 政 业 务 费), and with full-width digits read as
ASCII (２０２３年); every flowed offset maps back to a source offset, so spans still point at the printed
characters.

>>> from kg_publisher.extract.source import SourceText
>>> src = SourceText("x.txt", "0" * 64, "text/plain", "年初预算为\\n161.62万元")
>>> flow = Flowed.of(src, 0, len(src.text))
>>> flow.text
'年初预算为161.62万元'
>>> flow.span(5, 13).text
'161.62万元'
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Protocol

from ..extract.source import SourceText, Span

_BREAKS = "\n\r\f"
#: Blanks the layout pads lines and spaces characters with (NBSP and the ideographic space included).
_BLANKS = " \t\u3000\u00a0"


#: The characters :meth:`Flowed.of` looks at one by one.
_SPECIAL = re.compile(f"[{re.escape(_BREAKS + _BLANKS)}]")
#: Full-width digits and point read as ASCII (one character for one: offsets do not move).
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _wide(char: str) -> bool:
    """A Chinese character or full-width punctuation: no blank belongs between two of them."""
    return "\u3000" < char <= "\u9fff" or "\uff00" <= char <= "\uffef"


class TextView(Protocol):
    """What a reader needs of a text: its characters and the source span of a stretch of them
    (:class:`SourceText` itself, or a :class:`Flowed` copy of it)."""

    @property
    def text(self) -> str: ...

    def span(self, start: int, end: int) -> Span: ...


@dataclass(frozen=True)
class Flowed:
    source: SourceText
    text: str
    #: Source offset of each flowed character.
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, source: SourceText, start: int, end: int) -> Flowed:
        chars: list[str] = []
        offsets: list[int] = []
        text = source.text
        position = start
        while position < end:
            # a run of characters that are neither breaks nor blanks is kept as it is, at once
            special = _SPECIAL.search(text, position, end)
            stop = end if special is None else special.start()
            if stop > position:
                chars.extend(text[position:stop].translate(_HALF_WIDTH))
                offsets.extend(range(position, stop))
                position = stop
                if position == end:
                    break
            if text[position] in _BREAKS:
                # drop the break and the padding spaces on both sides of it
                while chars and chars[-1] in _BLANKS:
                    chars.pop()
                    offsets.pop()
                position += 1
                while position < end and text[position] in _BLANKS + _BREAKS:
                    position += 1
                continue
            if text[position] in _BLANKS and chars and _wide(chars[-1]):
                after = position
                while after < end and text[after] in _BLANKS:
                    after += 1
                if after < end and _wide(text[after]):  # 财 政 业 务 费: spaced-out Chinese is one word
                    position = after
                    continue
            chars.append(text[position].translate(_HALF_WIDTH))
            offsets.append(position)
            position += 1
        return cls(source, "".join(chars), tuple(offsets))

    @classmethod
    def whole(cls, source: SourceText) -> Flowed:
        """The whole text flowed; made once for the last source asked about (several readers of a document ask)."""
        if _LAST_WHOLE and _LAST_WHOLE[0][0] is source:
            return _LAST_WHOLE[0][1]
        flowed = cls.of(source, 0, len(source.text))
        _LAST_WHOLE[:] = [(source, flowed)]
        return flowed

    def source_offset(self, flowed: int) -> int:
        return self.offsets[flowed]

    def at(self, source_offset: int) -> int:
        """Flowed offset of the first flowed character at or after ``source_offset`` (a bound: an exclusive
        source end maps to an exclusive flowed end)."""
        return bisect_left(self.offsets, source_offset)

    def span(self, start: int, end: int) -> Span:
        """The source span from flowed ``start`` to flowed ``end`` (exclusive)."""
        return self.source.span(self.offsets[start], self.offsets[end - 1] + 1)

    def broken(self, start: int, end: int) -> bool:
        """Whether a line or page break of the source stands inside the flowed stretch ``[start, end)``: digits
        joined across one were not printed together (a page number may have run into a number)."""
        return any(char in _BREAKS for char in self.span(start, end).text)


#: The last source :meth:`Flowed.whole` flowed, and its flowed text (the source held, so it is the same object).
_LAST_WHOLE: list[tuple[SourceText, Flowed]] = []

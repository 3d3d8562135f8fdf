"""Read prose across the layout's line breaks while keeping offsets into the source.

PDF text wraps mid-phrase ("公务用车购置及运行\\n维护费", "年初预算为\\n161.62万元"). Patterns run on a
*flowed* copy of a stretch of text without line breaks, form feeds and the spaces around them; every
flowed offset maps back to a source offset, so spans still point at the printed characters.

>>> from kg_publisher.extract.source import SourceText
>>> src = SourceText("x.txt", "0" * 64, "text/plain", "年初预算为\\n161.62万元")
>>> flow = Flowed.of(src, 0, len(src.text))
>>> flow.text
'年初预算为161.62万元'
>>> flow.span(5, 13).text
'161.62万元'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..extract.source import SourceText, Span

_BREAKS = "\n\r\f"


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
            if text[position] in _BREAKS:
                # drop the break and the padding spaces on both sides of it
                while chars and chars[-1] in " \t\u3000":
                    chars.pop()
                    offsets.pop()
                position += 1
                while position < end and text[position] in " \t\u3000" + _BREAKS:
                    position += 1
                continue
            chars.append(text[position])
            offsets.append(position)
            position += 1
        return cls(source, "".join(chars), tuple(offsets))

    def source_offset(self, flowed: int) -> int:
        return self.offsets[flowed]

    def span(self, start: int, end: int) -> Span:
        """The source span from flowed ``start`` to flowed ``end`` (exclusive)."""
        return self.source.span(self.offsets[start], self.offsets[end - 1] + 1)

"""Line breaking for Japanese: between any two characters of Japanese text (Textual and Rich
break only at spaces, so `Elchibeyの1年間の…` would be cut mid-word), except where a line may
not start (、。」ー small kana) or end (「（): the basic kinsoku rules."""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

NO_LINE_START = frozenset("、。，．・：；？！ゝゞー）」』】〕〉》〙〗”’ぁぃぅぇぉっゃゅょゎゕゖ"
                          "ァィゥェォッャュョヮヵヶ々〻…‥,.):;!?]}%")
NO_LINE_END = frozenset("（「『【〔〈《〘〖“‘([{")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def can_break_before(text: str, index: int) -> bool:
    """Whether a line may break between text[index - 1] and text[index]."""
    before, char = text[index - 1], text[index]
    if char.isspace() or char in NO_LINE_START:
        return False        # a closing mark stays with what it closes, a space before it too
    if before.isspace():
        return True
    if before in NO_LINE_END:
        return False
    return _wide(before) or _wide(char)


def wrap_offsets(text: str, width: int) -> list[int]:
    """Offsets at which to break one line of `text` so each piece fits `width` cells.

    Spaces at a break hang past the edge (they are not drawn); a run with no break
    opportunity that is wider than a line is folded.
    """
    breaks: list[int] = []
    start = used = 0
    opportunity = -1
    index = 0
    while index < len(text):
        char = text[index]
        if index > start and can_break_before(text, index):
            opportunity = index
        cells = cell_len(char)
        if used + cells > width and not char.isspace() and index > start:
            cut = opportunity if opportunity > start else index
            breaks.append(cut)
            start, used, opportunity, index = cut, 0, -1, cut
            continue
        used += cells
        index += 1
    return breaks

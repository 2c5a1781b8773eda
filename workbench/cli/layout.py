"""Plain-text layout for narrow terminals: wrapping by display width (a kanji takes two
columns) that breaks only where a reader expects it, never inside a name or a count."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len


def wrap_items(items: Sequence[str], width: int, sep: str = "  ") -> list[str]:
    """Items joined by `sep` in lines of at most `width` columns; an item is never split
    (one wider than `width` stands on a line of its own)."""
    lines: list[str] = []
    line = ""
    for item in items:
        if not line:
            line = item
        elif cell_len(line) + cell_len(sep) + cell_len(item) <= width:
            line += sep + item
        else:
            lines.append(line)
            line = item
    if line or not lines:
        lines.append(line)
    return lines


def wrap_words(text: str, width: int) -> list[str]:
    """Text broken at spaces into lines of at most `width` columns (a longer word whole)."""
    return wrap_items(text.split(" "), width, " ")


def hanging(head: str, text: str, width: int, indent: int) -> list[str]:
    """`head` then `text` wrapped at spaces, continuation lines indented by `indent`. A run
    of Japanese wider than the line (it has no spaces to break at) is cut by width."""
    room = max(width - indent, 20)
    first_room = max(width - cell_len(head), 20)
    words = [piece for word in text.split(" ") for piece in _cut_wide(word, room)]
    first = wrap_items(words, first_room, " ")[0] if words else ""
    rest = words[len(first.split(" ")) if first else 0:]
    lines = [head + first]
    if rest:
        lines += [" " * indent + line for line in wrap_items(rest, room, " ")]
    return lines


def _cut_wide(word: str, width: int) -> list[str]:
    if cell_len(word) <= width or len(word) == cell_len(word):
        return [word]       # fits, or has no wide character (a name, a path): kept whole
    pieces, piece = [], ""
    for ch in word:
        if cell_len(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece]


def two_columns(rows: Sequence[tuple[str, Sequence[str]]], width: int, *,
                max_left: int | None = None, gap: int = 2) -> list[str]:
    """Rows of a name (wrapped at spaces) beside its items (wrapped between items), the
    items aligned in one column; when the terminal is too narrow for two columns, the
    items go under their name, indented."""
    if not rows:
        return []
    longest = max(cell_len(name) for name, _ in rows)
    left = min(longest, max_left if max_left is not None else max(14, width // 3))
    right = width - left - gap
    lines: list[str] = []
    if right < 24:
        for name, items in rows:
            lines.append(name)
            lines += ["  " + line for line in wrap_items(items, max(width - 2, 20))]
        return lines
    for name, items in rows:
        names = wrap_words(name, left)
        values = wrap_items(items, right)
        for i in range(max(len(names), len(values))):
            a = names[i] if i < len(names) else ""
            b = values[i] if i < len(values) else ""
            if cell_len(a) > left:      # a word wider than the column: its own line
                lines.append(a)
                a = ""
            if cell_len(b) > right:     # an item wider than its column: moved left to fit
                if a:
                    lines.append(a)
                lines.append(" " * min(left + gap, max(2, width - cell_len(b))) + b)
                continue
            lines.append((a + " " * (left - cell_len(a) + gap) + b).rstrip())
    return lines

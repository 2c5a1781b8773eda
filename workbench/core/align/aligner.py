"""Aligning two lists of sentences: anchors, then the band, then the beads.

1. Every sentence's anchor keys (`anchors.collect_keys`).
2. The band: the whole grid for a short pair; for a long one, around a first alignment of
   blocks of sentences by length alone (`dp.coarse_band`).
3. What the sentences near each other share, weighed by how rare it is there
   (`anchors.evidence`); the dynamic programme over beads (`dp.align`) in the band.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.core.align import dp
from workbench.core.align.anchors import (
    Keys,
    Occurrences,
    WordSource,
    collect_keys,
    evidence,
)
from workbench.core.align.grid import HARD_BREAK, PARAGRAPH_BREAK
from workbench.core.align.language import Sentence, TargetLanguage
from workbench.core.glossary.model import Glossary
from workbench.core.records import Segment


def segment_breaks(segments: Sequence[Segment], layout: str) -> list[float]:
    """The break after each segment: hard around headings and other non-text units; a
    paragraph break between lines of a plain document whose paragraphs hold several
    sentences (a document of one sentence a line says nothing by its lines)."""
    breaks = [0.0] * len(segments)
    paragraphs = 1 + sum(1 for a, b in zip(segments, segments[1:], strict=False)
                         if b.line_start > a.line_end)
    by_lines = layout == "plain" and len(segments) >= 1.2 * paragraphs
    for k, (a, b) in enumerate(zip(segments, segments[1:], strict=False)):
        if a.kind != "text" or b.kind != "text":
            breaks[k] = HARD_BREAK
        elif by_lines and b.line_start > a.line_end:
            breaks[k] = PARAGRAPH_BREAK
    return breaks


def sentence_breaks(sentences: Sequence[Sentence]) -> list[float]:
    """The break after each target sentence, as `segment_breaks` for the source."""
    breaks = [0.0] * len(sentences)
    units = len({s.unit for s in sentences})
    by_units = len(sentences) >= 1.2 * units
    for k, (a, b) in enumerate(zip(sentences, sentences[1:], strict=False)):
        if a.unit != b.unit and (a.kind != "paragraph" or b.kind != "paragraph"):
            breaks[k] = HARD_BREAK
        elif by_units and a.unit != b.unit:
            breaks[k] = PARAGRAPH_BREAK
    return breaks


LATIN_IN_SOURCE = 0.4
"""What a Latin letter or digit inside a Japanese sentence counts for against a Japanese
character: it stays as it is in English (BRICS, 2024), where a Japanese character becomes
two or three letters."""


def length(text: str) -> float:
    """A sentence's length for the length model: its characters, white space aside; in a
    source, Latin letters and digits count LATIN_IN_SOURCE each."""
    if text.isascii():
        return float(len(text) - sum(1 for c in text if c.isspace()))
    latin = sum(1 for c in text if c.isascii() and not c.isspace())
    wide = sum(1 for c in text if not c.isascii() and not c.isspace())
    return wide + LATIN_IN_SOURCE * latin


def align_texts(sources: Sequence[str], targets: Sequence[str], language: TargetLanguage, *,
                glossary: Glossary | None = None, mt: Sequence[str | None] | None = None,
                dictionary: WordSource | None = None, params: dp.Params | None = None,
                source_breaks: Sequence[float] | None = None,
                target_breaks: Sequence[float] | None = None) -> dp.Alignment:
    """Align source sentences (Japanese) with target sentences (`language`).

    `glossary` names, `mt` (a machine translation per source, or None) and `dictionary`
    (English words for Japanese sentences) add anchors; numbers are always used. The breaks
    (`segment_breaks`, `sentence_breaks`) keep beads inside paragraphs.
    """
    keys = collect_keys(sources, targets, language, glossary=glossary, mt=mt,
                        dictionary=dictionary)
    return align_keys([length(s) for s in sources], [float(len(t) - t.count(" "))
                                                     for t in targets], keys,
                      params, source_breaks=source_breaks, target_breaks=target_breaks)


def align_keys(source_lengths: Sequence[float], target_lengths: Sequence[float], keys: Keys,
               params: dp.Params | None = None, *,
               source_breaks: Sequence[float] | None = None,
               target_breaks: Sequence[float] | None = None) -> dp.Alignment:
    """Align sentences given their lengths and anchor keys."""
    params = params or dp.Params()
    n, m = len(source_lengths), len(target_lengths)
    occurrences = Occurrences.of(keys)
    if (n + 1) * (m + 1) > dp.FULL_GRID_CELLS:
        band = dp.coarse_band(source_lengths, target_lengths, params)
    else:
        band = dp.make_band(source_lengths, target_lengths, [], params)
    found = evidence(keys, list(band.center), occurrences) if occurrences.target else None
    return dp.align(source_lengths, target_lengths, found, band, params,
                    source_breaks=source_breaks, target_breaks=target_breaks)

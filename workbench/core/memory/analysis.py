"""The analysis CAT tools give a project: what the memory already covers, per document.

Each segment falls in one category, in this order: 101% (the same source and neighbours
are in the memory), a repetition (its source came before, in this or an earlier document
of the analysis), 100%, the fuzzy bands 95–99, 85–94, 75–84, 50–74, or no match. The
project's own reviewed segments count as memory (a reviewed segment is its own 101%), as
do the user's memory and imported TMX.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbench.core.chars import JAPANESE
from workbench.core.memory.lookup import ProjectMemory, queries
from workbench.core.memory.units import Query
from workbench.core.project import Project

BUCKETS: tuple[str, ...] = ("101%", "100%", "95-99%", "85-94%", "75-84%", "50-74%",
                            "no match")
REPETITIONS = "repetitions"
_BANDS = ((101, "101%"), (100, "100%"), (95, "95-99%"), (85, "85-94%"), (75, "75-84%"),
          (50, "50-74%"))
_JAPANESE = re.compile(f"[{JAPANESE}]")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
TOTAL = "total"


def bucket(score: int) -> str:
    """The band of a match score (0: no match)."""
    for low, name in _BANDS:
        if score >= low:
            return name
    return "no match"


@dataclass
class DocumentAnalysis:
    """One document's figures (or the total's)."""

    doc: str
    segments: int = 0
    ja_chars: int = 0
    en_words: int = 0
    repetitions: int = 0
    repetition_chars: int = 0
    buckets: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))
    bucket_chars: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BUCKETS, 0))

    def add(self, other: DocumentAnalysis) -> None:
        self.segments += other.segments
        self.ja_chars += other.ja_chars
        self.en_words += other.en_words
        self.repetitions += other.repetitions
        self.repetition_chars += other.repetition_chars
        for name in BUCKETS:
            self.buckets[name] += other.buckets[name]
            self.bucket_chars[name] += other.bucket_chars[name]

    def row(self) -> dict[str, int | str]:
        """Flat: what a table or a CSV row shows (segments per band, then characters)."""
        out: dict[str, int | str] = {"document": self.doc, "segments": self.segments,
                                     "ja chars": self.ja_chars, "en words": self.en_words,
                                     REPETITIONS: self.repetitions}
        out.update(self.buckets)
        out[f"{REPETITIONS} chars"] = self.repetition_chars
        out.update({f"{name} chars": n for name, n in self.bucket_chars.items()})
        return out

    def as_json(self) -> dict[str, object]:
        return {"document": self.doc, "segments": self.segments, "ja_chars": self.ja_chars,
                "en_words": self.en_words,
                "repetitions": {"segments": self.repetitions, "ja_chars": self.repetition_chars},
                "buckets": {name: {"segments": self.buckets[name],
                                   "ja_chars": self.bucket_chars[name]} for name in BUCKETS}}


def japanese_chars(text: str) -> int:
    return len(_JAPANESE.findall(text))


def english_words(text: str | None) -> int:
    return len(_WORD.findall(text)) if text else 0


def analyse(project: Project, memory: ProjectMemory, docs: Sequence[str] | None = None
            ) -> list[DocumentAnalysis]:
    """Per document (all, or `docs` in that order) and a last `total` row."""
    names = [d.name for d in project.documents()] if docs is None else list(docs)
    total = DocumentAnalysis(TOTAL)
    out = []
    seen: set[str] = set()
    for doc in names:
        records = project.segments(doc)
        figures = DocumentAnalysis(doc)
        for record, query in zip(records, queries(records), strict=True):
            chars = japanese_chars(record.source)
            figures.segments += 1
            figures.ja_chars += chars
            figures.en_words += english_words(record.final)
            name = _category(memory, query, record.source in seen)
            seen.add(record.source)
            if name == REPETITIONS:
                figures.repetitions += 1
                figures.repetition_chars += chars
            else:
                figures.buckets[name] += 1
                figures.bucket_chars[name] += chars
        total.add(figures)
        out.append(figures)
    out.append(total)
    return out


def _category(memory: ProjectMemory, query: Query, repeated: bool) -> str:
    # The segment's own unit counts here: a reviewed segment is covered by the memory.
    counted = Query(query.source, query.prev, query.next, None)
    score = memory.best_score(counted, threshold=100)
    if score >= 101:
        return "101%"
    if repeated:
        return REPETITIONS
    if not score:
        score = memory.best_score(counted, threshold=50)
    return bucket(score)


def summary_figures(project: Project, docs: Sequence[str], memory: ProjectMemory
                    ) -> dict[str, dict[str, int]]:
    """The analysis as the workbook's summary shows it: per document (and `total`), the
    repetitions and the segments in each band."""
    return {row.doc: {REPETITIONS: row.repetitions, **row.buckets}
            for row in analyse(project, memory, docs)}

"""Aligning a translation file with a document of the project, and keeping the result.

`align_document` reads the translation (any encoding the reader takes; the target
language's cleanup undoes a page extract's damage), aligns its sentences with the
document's segments and, unless it is a dry run, applies the beads:

- each bead's translation becomes its segment's final, status `draft`, in the history as
  `aligned:<file name>`; the segments of a 2-1 (3-1, 2-2) bead are merged first
  (`workbench.core.repair.merge`), so the aligned files stay one line a segment;
- a reviewed or approved final is never overwritten: a different translation for it is a
  conflict, reported; a final that an earlier alignment made and the new one has nothing
  for is taken back;
- every bead is kept (`alignment_beads`) with its confidence, target sentences with no
  segment too, so that review can go through the least sure first (`stored_beads`);
- the same file again changes nothing (its beads are taken as they were); a newer one is
  aligned afresh and the report says which sentences moved to another segment.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.align import dp
from workbench.core.align.aligner import align_texts, segment_breaks, sentence_breaks
from workbench.core.align.anchors import WordSource
from workbench.core.align.beads import StoredBead, stored_beads
from workbench.core.align.language import Sentence, TargetLanguage
from workbench.core.align.languages import target_language
from workbench.core.cleanup import Deletion
from workbench.core.decode import decode_bytes, read_bytes
from workbench.core.errors import ProjectError, SourceError, WorkbenchError
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.project import CLEAR, Project, current_user
from workbench.core.records import DONE_STATUSES, SegmentRecord
from workbench.core.repair import merge_runs
from workbench.core.state import now

ORIGIN_PREFIX = "aligned:"
JAPANESE_SHARE = 0.3
"""A translation file more Japanese than this (of its letters) is the wrong file."""


@dataclass(frozen=True)
class AlignedBead:
    """A bead as the report shows it: segment ordinals (1-based, as they were when
    aligned) and ids, the target sentences with the line each starts on, the confidence."""

    segments: tuple[int, ...]
    segment_ids: tuple[str, ...]
    target: tuple[str, ...]
    lines: tuple[int, ...]
    confidence: float
    sources: tuple[str, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"segments": list(self.segments), "target": list(self.target),
                "confidence": round(self.confidence, 3)}


@dataclass(frozen=True)
class Conflict:
    """A reviewed or approved segment whose final differs from what the file says."""

    ordinal: int
    segment_id: str
    status: str
    final: str
    proposed: str


@dataclass(frozen=True)
class Move:
    """A target sentence that an earlier alignment gave to other segments."""

    sentence: str
    before: tuple[int, ...]
    after: tuple[int, ...]


@dataclass
class AlignReport:
    """What aligning a translation did (or, dry, would do) to a document."""

    doc: str
    file: str
    beads: list[AlignedBead]
    ratio: float
    dry_run: bool
    variance: float = 0.0
    reused: bool = False
    """The same file as last time: its beads were taken as they were."""
    updated: list[str] = field(default_factory=list)
    cleared: list[str] = field(default_factory=list)
    merged: list[tuple[int, ...]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    moved: list[Move] = field(default_factory=list)
    new_sentences: int = 0
    gone_sentences: int = 0
    deletions: list[Deletion] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def orphans(self) -> list[AlignedBead]:
        """Target sentences with no segment."""
        return [b for b in self.beads if not b.segments]

    @property
    def untranslated(self) -> list[AlignedBead]:
        """Segments with no target sentence."""
        return [b for b in self.beads if not b.target]

    @property
    def changed(self) -> bool:
        return bool(self.updated or self.cleared or self.merged)


def read_translation(path: Path, language: TargetLanguage, encoding: str | None = None
                     ) -> tuple[list[Sentence], list[Deletion], str]:
    """A translation file's sentences, the cleanup's deletions, and the file's sha256."""
    path = Path(path)
    data = read_bytes(path)
    text = decode_bytes(path, data, encoding).text
    letters = [c for c in text if c.isalpha()]
    japanese = sum(1 for c in letters if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
    if letters and japanese > JAPANESE_SHARE * len(letters):
        raise SourceError(f"looks like Japanese, not {language.name}", path=path,
                          hint="give the document first and its translation second: "
                               "`workbench align DOC TRANSLATION`.")
    split = language.sentences(text)
    if not split.sentences:
        raise SourceError(f"holds no {language.name} sentences", path=path)
    return split.sentences, split.deletions, hashlib.sha256(data).hexdigest()


def align_document(project: Project, ref: str, translation: Path, *, language: str = "en",
                   encoding: str | None = None, glossary: Glossary | None = None,
                   dictionary: bool | None = None, dry_run: bool = False,
                   by: str | None = None) -> AlignReport:
    """Align `translation` with the document `ref` names; apply it unless `dry_run`.

    `dictionary`: JMdict anchors (None: when jamdict is installed). `glossary`: the
    project's when None.
    """
    lang = target_language(language)
    doc = project.resolve_document(ref)
    records = project.segments(doc)
    if not records:
        raise ProjectError(f"{doc} has no segments yet", path=project.root,
                           hint="run `workbench ingest` first.")
    translation = Path(translation)
    sentences, deletions, sha = read_translation(translation, lang, encoding)
    warnings: list[str] = []
    previous = _previous(project, doc)
    beads = None
    if previous is not None and previous[0] == translation.name and previous[1] == sha:
        beads = _stored_as_aligned(project, doc, records)
    reused = beads is not None
    ratio = previous[2] if reused and previous is not None else 0.0
    variance = 0.0
    if beads is None:
        if glossary is None:
            try:
                glossary = load_glossary(project.glossary_dir)
            except WorkbenchError as exc:
                warnings.append(f"glossary not used: {exc}")
                glossary = None
        alignment = align_texts(
            [r.source for r in records], [s.text for s in sentences], lang, glossary=glossary,
            mt=[r.mt for r in records] if any(r.mt for r in records) else None,
            dictionary=_dictionary(lang, dictionary, warnings),
            source_breaks=segment_breaks([r.segment for r in records], _layout(project, doc)),
            target_breaks=sentence_breaks(sentences))
        ratio, variance = alignment.ratio, alignment.variance
        beads = [_aligned(b, records, sentences) for b in alignment.beads]
    report = AlignReport(doc, translation.name, beads, ratio, dry_run, variance, reused,
                         deletions=deletions, warnings=warnings)
    old = stored_beads(project, doc)
    _compare(report, old, records)
    if dry_run:
        _preview(report, records, lang)
        return report
    with project.db.transaction():
        _apply(project, report, records, lang, by or current_user())
        if not reused:
            _store(project, report, sha, lang, by or current_user())
    return report


def _layout(project: Project, doc: str) -> str:
    info = project.document_rows().get(doc)
    return info.layout if info is not None else "plain"


def _dictionary(language: TargetLanguage, wanted: bool | None, warnings: list[str]
                ) -> WordSource | None:
    """The JMdict word source: always when asked for, when installed when not said."""
    if wanted is False:
        return None
    from workbench.core.align.jmdict import Dictionary, jamdict_database

    try:
        return Dictionary(language, jamdict_database())
    except WorkbenchError as exc:
        if wanted:
            raise
        warnings.append(f"dictionary not used: {exc.detail}")
        return None


def _aligned(bead: dp.Bead, records: Sequence[SegmentRecord], sentences: Sequence[Sentence]
             ) -> AlignedBead:
    return AlignedBead(tuple(records[i].ordinal for i in bead.source),
                       tuple(records[i].id for i in bead.source),
                       tuple(sentences[j].text for j in bead.target),
                       tuple(sentences[j].line for j in bead.target), bead.confidence,
                       tuple(records[i].source for i in bead.source))


def _previous(project: Project, doc: str) -> tuple[str, str, float] | None:
    row = project.db.query_one("SELECT file, sha256, ratio FROM alignments WHERE doc = ?",
                               (doc,))
    return None if row is None else (row[0], row[1], float(row[2]))


def _stored_as_aligned(project: Project, doc: str, records: Sequence[SegmentRecord]
                       ) -> list[AlignedBead] | None:
    """The stored beads as this alignment's, when every segment they name is still here in
    the same order (else None: the document changed, align afresh)."""
    by_id = {r.id: r for r in records}
    beads = []
    seen: list[str] = []
    for bead in stored_beads(project, doc):
        if any(i not in by_id for i in bead.segment_ids):
            return None
        seen.extend(bead.segment_ids)
        rows = [by_id[i] for i in bead.segment_ids]
        beads.append(AlignedBead(tuple(r.ordinal for r in rows), bead.segment_ids, bead.target,
                                 (bead.line or 0,) * len(bead.target), bead.confidence,
                                 tuple(r.source for r in rows)))
    if seen != [r.id for r in records]:
        return None
    return beads


def _compare(report: AlignReport, old: Sequence[StoredBead],
             records: Sequence[SegmentRecord]) -> None:
    """Which sentences an earlier alignment gave to other segments (by the sources they
    hold: a merge since then is no move)."""
    if not old or report.reused:
        return
    source_of = {r.id: r.source for r in records}

    def placed(beads: Sequence[tuple[tuple[str, ...], tuple[str, ...]]]
               ) -> dict[tuple[str, int], tuple[str, ...]]:
        seen: Counter[str] = Counter()
        out = {}
        for sources, target in beads:
            for sentence in target:
                out[(sentence, seen[sentence])] = sources
                seen[sentence] += 1
        return out

    before = placed([(tuple(source_of.get(i, "?") for i in b.segment_ids), b.target)
                     for b in old])
    after = placed([(b.sources, b.target) for b in report.beads])
    ordinal_of = {r.source: r.ordinal for r in records}
    for key, sources in after.items():
        if key not in before:
            report.new_sentences += 1
        elif "".join(before[key]) != "".join(sources):
            report.moved.append(Move(key[0], tuple(ordinal_of.get(s, 0) for s in before[key]),
                                     tuple(ordinal_of.get(s, 0) for s in sources)))
    report.gone_sentences = sum(1 for key in before if key not in after)


def _preview(report: AlignReport, records: Sequence[SegmentRecord],
             language: TargetLanguage) -> None:
    """What applying would change, without changing anything."""
    by_id = {r.id: r for r in records}
    for bead in report.beads:
        rows = [by_id[i] for i in bead.segment_ids]
        if not rows or not bead.target:
            continue
        proposed = language.join(bead.target)
        if len(rows) > 1:
            if any(r.status in DONE_STATUSES for r in rows):
                report.conflicts.append(_conflict(rows[0], proposed))
                continue
            report.merged.append(bead.segments)
            report.updated.append(rows[0].id)
        elif rows[0].final != proposed:
            if rows[0].status in DONE_STATUSES:
                report.conflicts.append(_conflict(rows[0], proposed))
            else:
                report.updated.append(rows[0].id)


def _conflict(record: SegmentRecord, proposed: str) -> Conflict:
    return Conflict(record.ordinal, record.id, record.status, record.final or "", proposed)


def _apply(project: Project, report: AlignReport, records: Sequence[SegmentRecord],
           language: TargetLanguage, who: str) -> None:
    origin = ORIGIN_PREFIX + report.file
    by_id = {r.id: r for r in records}
    aligned_by = _last_final_origins(project, report.doc)
    # Segments that go with one translation together are merged first, all at once.
    runs = [b for b in report.beads if len(b.segment_ids) > 1 and b.target and
            not any(by_id[i].status in DONE_STATUSES for i in b.segment_ids)]
    made = iter(merge_runs(project, [b.segment_ids for b in runs], by=who, origin=origin))
    merged = {b.segment_ids: next(made) for b in runs}
    changes: list[tuple[str, str | object | None, str | None]] = []
    applied: list[AlignedBead] = []
    for bead in report.beads:
        rows = [by_id[i] for i in bead.segment_ids]
        if len(rows) > 1 and bead.target:
            if bead.segment_ids not in merged:      # a reviewed segment among them
                report.conflicts.append(_conflict(rows[0], language.join(bead.target)))
                applied.append(bead)
                continue
            row = merged[bead.segment_ids]
            report.merged.append(bead.segments)
            rows = [row]
            bead = AlignedBead(bead.segments, (row.id,), bead.target, bead.lines,
                               bead.confidence, (row.source,))
        applied.append(bead)
        for row in rows:
            if not bead.target:
                # Nothing for it now: a final an earlier alignment made is taken back.
                if row.final is not None and row.status not in DONE_STATUSES and \
                        aligned_by.get(row.id, "").startswith(ORIGIN_PREFIX):
                    changes.append((row.id, CLEAR, None))
                    report.cleared.append(row.id)
                continue
            proposed = language.join(bead.target)
            if row.final == proposed:
                continue
            if row.status in DONE_STATUSES:
                report.conflicts.append(_conflict(row, proposed))
                continue
            changes.append((row.id, proposed, "draft"))
            report.updated.append(row.id)
    if changes:
        project.update_many(changes, by=who, origin=origin)  # type: ignore[arg-type]
    report.beads = applied


def _last_final_origins(project: Project, doc: str) -> dict[str, str]:
    """Per segment of `doc`, the origin of the last change to its final."""
    rows = project.db.query(
        "SELECT h.segment_id, h.origin FROM history h JOIN segments s ON s.id = h.segment_id "
        "WHERE s.doc = ? AND s.active = 1 AND h.field = 'final' ORDER BY h.seq", (doc,))
    return dict(rows)


def _store(project: Project, report: AlignReport, sha: str, language: TargetLanguage,
           who: str) -> None:
    with project.db.transaction() as tx:
        tx.execute("DELETE FROM alignment_beads WHERE doc = ?", (report.doc,))
        after: str | None = None
        rows = []
        for position, bead in enumerate(report.beads):
            rows.append((report.doc, position, " ".join(bead.segment_ids),
                         None if bead.segment_ids else after,
                         json.dumps(list(bead.target), ensure_ascii=False),
                         bead.lines[0] if bead.lines else None, bead.confidence))
            if bead.segment_ids:
                after = bead.segment_ids[-1]
        tx.executemany("INSERT INTO alignment_beads (doc, position, segments, after, target, "
                       "line, confidence) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        tx.execute("INSERT INTO alignments (doc, file, sha256, language, ratio, variance, by, "
                   "at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc) DO UPDATE SET "
                   "file = excluded.file, sha256 = excluded.sha256, "
                   "language = excluded.language, ratio = excluded.ratio, "
                   "variance = excluded.variance, by = excluded.by, at = excluded.at",
                   (report.doc, report.file, sha, language.code, report.ratio, report.variance,
                    who, now()))

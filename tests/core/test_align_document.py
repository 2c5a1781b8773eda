"""Aligning a translation file with a document of the project, and what it does to the state
and the exports."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from align_corpus import load

from workbench.core.align.beads import least_sure, stored_beads
from workbench.core.align.document import align_document
from workbench.core.errors import SourceError
from workbench.core.exchange import export_documents
from workbench.core.formats.tmx import read_tmx
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.core.repair import shift_orphan, undo

DOC = "vietnam-azerbaijan-strategic-partnership"
EXTRA = ("This English version was prepared by the editors of the weekly review, who have "
         "tried throughout to keep the wording of the original as closely as the English "
         "language allows, and who take responsibility for any mistakes it may contain, "
         "which readers are kindly asked to report to them.")


def english(paragraphs: list[list[str]]) -> str:
    """A translation file: paragraphs hard-wrapped at 72 columns."""
    return "\n\n".join(textwrap.fill(" ".join(p), 72) for p in paragraphs if p) + "\n"


def gold_paragraphs() -> list[list[str]]:
    """The English of each bead of the gold, one paragraph a bead."""
    vna = load(DOC)
    return [[vna.targets[j] for j in tgt] for _, tgt in vna.gold]


@pytest.fixture
def project(demo_project: Path) -> Project:
    opened = Project.open(demo_project)
    sync(opened)
    yield opened
    opened.close()


def write(tmp_path: Path, paragraphs: list[list[str]], name: str = "vna.en.txt") -> Path:
    path = tmp_path / name
    path.write_text(english(paragraphs), encoding="utf-8")
    return path


def test_a_dry_run_changes_nothing(project: Project, tmp_path: Path) -> None:
    before = project.segments(DOC)
    report = align_document(project, "vietnam", write(tmp_path, gold_paragraphs()),
                            dry_run=True)
    assert report.dry_run and len(report.updated) == 37
    assert [b.segments for b in report.beads[:3]] == [(1,), (2,), (3,)]
    assert report.beads[6].target[1].startswith("The statement was adopted")
    assert project.segments(DOC) == before
    assert stored_beads(project, DOC) == []


def test_the_translation_becomes_the_drafts(project: Project, tmp_path: Path) -> None:
    report = align_document(project, DOC, write(tmp_path, gold_paragraphs()), by="ann")
    records = project.segments(DOC)
    assert len(report.updated) == 37 and not report.conflicts and not report.merged
    assert records[0].final.startswith("General Secretary To Lam and Azerbaijani President")
    assert records[6].final.endswith("on May 7–8, 2025.") and records[6].status == "draft"
    assert records[37].final is None                  # the source line has no English
    entry = project.history(records[3].id)[-1]
    assert (entry.field, entry.origin, entry.by) == ("status", "aligned:vna.en.txt", "ann")
    beads = stored_beads(project, DOC)
    assert len(beads) == 38 and beads[6].ordinals == (7,) and len(beads[6].target) == 2
    shaky = least_sure(project, DOC)
    assert [b.confidence for b in shaky] == sorted(b.confidence for b in beads)


def test_reviewed_work_is_never_overwritten(project: Project, tmp_path: Path) -> None:
    third = project.segments(DOC)[2]
    project.update(third.id, final="VNA presents the joint statement.", status="approved")
    report = align_document(project, DOC, write(tmp_path, gold_paragraphs()))
    assert [(c.ordinal, c.status) for c in report.conflicts] == [(3, "approved")]
    assert report.conflicts[0].proposed.startswith("The Vietnam News Agency (VNA)")
    assert project.segment(third.id).final == "VNA presents the joint statement."


def test_the_same_file_again_changes_nothing(project: Project, tmp_path: Path) -> None:
    path = write(tmp_path, gold_paragraphs())
    align_document(project, DOC, path)
    history = project.history()
    again = align_document(project, DOC, path)
    assert again.reused and not again.changed and not again.moved
    assert project.history() == history


def test_a_newer_file_reports_what_moved(project: Project, tmp_path: Path) -> None:
    paragraphs = gold_paragraphs()
    align_document(project, DOC, write(tmp_path, paragraphs))
    # The new edition leaves the photo credit out and has two paragraphs the other way round.
    newer = [paragraphs[0], *paragraphs[2:]]
    newer[11], newer[12] = newer[12], newer[11]
    report = align_document(project, DOC, write(tmp_path, newer, "vna-2.en.txt"))
    assert not report.reused
    assert report.gone_sentences == 1 and report.new_sentences == 0
    # Two sentences the other way round are one 2-2 bead (an alignment keeps the order).
    assert sorted((m.before, m.after) for m in report.moved) == [((13,), (13, 14)),
                                                                 ((14,), (13, 14))]
    credit = project.segments(DOC)[1]
    assert credit.final is None                            # an aligned final taken back
    assert report.cleared == [credit.id]


def test_two_sentences_for_one_are_merged_and_exported_as_one_line(
        project: Project, tmp_path: Path) -> None:
    paragraphs = gold_paragraphs()
    # One English sentence for the 5th and 6th Japanese sentences.
    joined = [*paragraphs[:4], [f"{paragraphs[4][0][:-1]}; {paragraphs[5][0][0].lower()}"
                                f"{paragraphs[5][0][1:]}"], *paragraphs[6:]]
    report = align_document(project, DOC, write(tmp_path, joined))
    assert report.merged == [(5, 6)]
    records = project.segments(DOC)
    assert len(records) == 37
    merged = records[4]
    assert merged.source.startswith("ベトナムとアゼルバイジャンの関係は") and \
        merged.source.endswith("が含まれます。")
    project.update_many([(r.id, None, "reviewed") for r in records if r.final])
    export_documents(project, [DOC], ("txt", "tmx", "jsonl"))
    out = project.aligned_dir
    ja = (out / f"{DOC}.ja.txt").read_text(encoding="utf-8").splitlines()
    en = (out / f"{DOC}.en.txt").read_text(encoding="utf-8").splitlines()
    assert len(ja) == len(en) == 36
    assert ja[4] == merged.source and en[4] == merged.final
    units = read_tmx(out / f"{DOC}.tmx")
    parts = {u.id: u.props.get("x-merged-from") for u in units}
    assert parts[merged.id] and len(parts[merged.id].split()) == 2
    lines = [json.loads(line) for line in
             (out / f"{DOC}.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [len(d.get("merged_from", [])) for d in lines].count(2) == 1


def test_sentences_with_no_segment_are_kept_for_review(project: Project,
                                                       tmp_path: Path) -> None:
    paragraphs = gold_paragraphs()
    paragraphs[9] = [*paragraphs[9], EXTRA]
    report = align_document(project, DOC, write(tmp_path, paragraphs))
    assert [b.target for b in report.orphans] == [(EXTRA,)]
    orphan = next(b for b in stored_beads(project, DOC) if b.orphan)
    assert orphan.after_ordinal == 10 and orphan.target == (EXTRA,)
    before = project.segments(DOC)[9].final
    shift_orphan(project, DOC, orphan.position, "up")
    assert project.segments(DOC)[9].final == f"{before} {EXTRA}"
    assert not any(b.orphan for b in stored_beads(project, DOC))
    undo(project, DOC)
    assert project.segments(DOC)[9].final == before
    assert any(b.orphan for b in stored_beads(project, DOC))


def test_a_wrong_translation_file_is_refused(project: Project, tmp_path: Path) -> None:
    japanese = tmp_path / "ja.txt"
    japanese.write_text((project.root / "sources" / f"{DOC}.ja.txt").read_text(
        encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SourceError, match="looks like Japanese"):
        align_document(project, DOC, japanese)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(SourceError, match="holds no English sentences"):
        align_document(project, DOC, empty)
    binary = tmp_path / "scan.pdf"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01")
    with pytest.raises(SourceError, match="a PDF file"):
        align_document(project, DOC, binary)
    with pytest.raises(SourceError, match="no such file"):
        align_document(project, DOC, tmp_path / "missing.txt")
    assert stored_beads(project, DOC) == []


def test_a_translation_in_another_encoding(project: Project, tmp_path: Path) -> None:
    path = tmp_path / "vna-utf16.txt"
    path.write_text(english(gold_paragraphs()), encoding="utf-16")
    report = align_document(project, DOC, path, dry_run=True)
    assert len(report.updated) == 37

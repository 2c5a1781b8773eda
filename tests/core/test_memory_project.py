"""The memory in a project: repetitions filled (review and import alike, one undo step),
the project's reviewed work as units (here and, mirrored, in other projects), concordance
across documents and the memory, and the analysis."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from memory_samples import write_foreign_tmx
from openpyxl import load_workbook
from projects import make_project

from workbench.core.exchange import export_documents, import_xlsx
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.ingest import sync
from workbench.core.memory import ProjectMemory, Query, queries
from workbench.core.memory.analysis import BUCKETS, analyse
from workbench.core.memory.concordance import concordance
from workbench.core.memory.repetitions import fill_repetitions, repetitions
from workbench.core.memory.store import MemoryStore
from workbench.core.memory.tmx import import_tmx
from workbench.core.memory.units import THIS_PROJECT
from workbench.core.project import Project
from workbench.core.session import ReviewSession

REPEATED = "両国の関係は良好である。"
SOURCES = ("第一章。", REPEATED, "外交は重要だ。", REPEATED, "露は隣国である。", REPEATED,
           "両国の関係は極めて良好である。")
GLOSSARY = "en\tja\ttype\nRussia\t露|ロシア\tplace\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    root = make_project(tmp_path / "proj", SOURCES, "doc", GLOSSARY)
    with Project.open(root) as opened:
        sync(opened)
        yield opened


def session_on(project: Project) -> ReviewSession:
    session = ReviewSession.open(project, "doc")
    session.set_records(project.segments("doc"))
    return session


def by_number(project: Project) -> dict[int, tuple[str | None, str]]:
    return {r.ordinal: (r.final, r.status) for r in project.segments("doc")}


def test_reviewing_a_segment_fills_its_repetitions(project: Project) -> None:
    records = project.segments("doc")
    project.update(records[5].id, final="Draft of mine.", status="draft")
    project.update(records[1].id, status="approved", final="Approved before.")
    session = session_on(project)
    session.update(records[3].id, final="The two countries are on good terms.",
                   status="reviewed")
    state = by_number(project)
    n = records[3].ordinal
    assert state[records[5].ordinal] == ("The two countries are on good terms.", "reviewed")
    assert state[records[1].ordinal] == ("Approved before.", "approved")    # never touched
    assert state[records[6].ordinal] == (None, "new")                     # not the same
    history = project.history(records[5].id)
    assert history[-1].origin == f"propagated from #{n}"
    # the session mirrors what was filled
    assert session.record(records[5].id).status == "reviewed"


def test_undo_takes_back_the_review_and_what_it_filled_at_once(project: Project) -> None:
    records = project.segments("doc")
    session = session_on(project)
    before = by_number(project)
    session.update(records[1].id, final="Good terms.", status="reviewed")
    assert by_number(project)[records[3].ordinal] == ("Good terms.", "reviewed")
    restored = session.undo()
    assert restored is not None and restored.id == records[1].id
    assert by_number(project) == before
    assert session.undo() is None


def test_undo_leaves_a_filled_segment_edited_since(project: Project) -> None:
    records = project.segments("doc")
    session = session_on(project)
    session.update(records[1].id, final="Good terms.", status="reviewed")
    project.update(records[3].id, final="Edited by hand.", status="reviewed")
    session.undo()
    assert by_number(project)[records[3].ordinal] == ("Edited by hand.", "reviewed")
    assert by_number(project)[records[5].ordinal] == (None, "new")


def test_a_draft_edit_fills_nothing(project: Project) -> None:
    records = project.segments("doc")
    session_on(project).update(records[1].id, final="Just a draft.", status="draft")
    assert by_number(project)[records[3].ordinal] == (None, "new")


def test_an_imported_workbook_fills_repetitions(project: Project, tmp_path: Path) -> None:
    records = project.segments("doc")
    (book_path,) = export_documents(project, ["doc"], ["xlsx"], out_dir=tmp_path / "out")
    book = load_workbook(book_path)
    sheet = book["doc"]
    final, status = COLUMNS.index("final") + 1, COLUMNS.index("status") + 1
    sheet.cell(row=3, column=final).value = "Relations are good."       # segment 2
    sheet.cell(row=3, column=status).value = "reviewed"
    sheet.cell(row=5, column=final).value = "My own wording."           # segment 4: edited too
    sheet.cell(row=5, column=status).value = "draft"
    book.save(book_path)
    report = import_xlsx(project, book_path)
    assert report.filled == [records[5].id]
    state = by_number(project)
    assert state[records[5].ordinal] == ("Relations are good.", "reviewed")
    assert state[records[3].ordinal] == ("My own wording.", "draft")   # the sheet's edit stays
    assert project.history(records[5].id)[-1].origin == f"propagated from #{records[1].ordinal}"


def test_fill_repetitions_across_documents_names_the_document(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", (REPEATED, "別の文。"), "one", GLOSSARY)
    (root / "sources" / "two.ja.txt").write_text(f"序文。\n\n{REPEATED}\n", encoding="utf-8")
    with Project.open(root) as project:
        sync(project)
        source = project.segments("one")[0]
        done = project.update(source.id, final="Good.", status="reviewed")
        filled = fill_repetitions(project, [done])
        assert [f.after.doc for f in filled] == ["two"]
        assert project.history(filled[0].after.id)[-1].origin == \
            f"propagated from one #{source.ordinal}"


def test_repetitions_are_counted_in_order(project: Project) -> None:
    found = repetitions(project.segments("doc"))
    records = project.segments("doc")
    assert set(found) == {records[1].id, records[3].id, records[5].id}
    assert [found[records[i].id].position for i in (1, 3, 5)] == [1, 2, 3]
    assert found[records[5].id].first.id == records[1].id and found[records[5].id].count == 3


# ---------------------------------------------------------------------- units and memory
def test_a_reviewed_segment_matches_the_others(project: Project) -> None:
    records = project.segments("doc")
    project.update(records[1].id, final="Relations are good.", status="reviewed")
    with ProjectMemory.open(project) as memory:
        asked = queries(project.segments("doc"))
        own = memory.lookup(asked[1])
        assert all(m.unit.ref != records[1].id for m in own)      # not itself
        (fuzzy,) = memory.lookup(asked[6], limit=1)
        assert fuzzy.origin == THIS_PROJECT and fuzzy.unit.ordinal == records[1].ordinal
        assert 70 <= fuzzy.score < 100
        same = memory.lookup(asked[3], limit=1)[0]
        assert same.score == 100 and same.target == "Relations are good."


def test_a_lookup_made_before_a_review_is_made_again(project: Project) -> None:
    records = project.segments("doc")
    with ProjectMemory.open(project) as memory:
        asked = queries(records)
        assert memory.lookup(asked[6]) == []
        project.update(records[1].id, final="Relations are good.", status="reviewed")
        assert memory.lookup(asked[6])[0].target == "Relations are good."
        project.update(records[1].id, status="draft")
        assert memory.lookup(asked[6]) == []


def test_work_reviewed_in_one_project_is_matched_in_another(tmp_path: Path) -> None:
    first = make_project(tmp_path / "first", SOURCES, "doc", GLOSSARY)
    with Project.open(first) as project:
        sync(project)
        record = project.segments("doc")[2]
        project.update(record.id, final="Diplomacy matters.", status="reviewed")
        with ProjectMemory.open(project):     # opening mirrors the work
            pass
    second = make_project(tmp_path / "second", ("序。", "外交は重要だ。"), "other", GLOSSARY)
    with Project.open(second) as project:
        sync(project)
        with ProjectMemory.open(project) as memory:
            found = memory.lookup(queries(project.segments("other"))[1])
            assert [(m.score, m.target, m.origin) for m in found] == [
                (100, "Diplomacy matters.", str(first.resolve()))]
    # un-reviewed there: gone from the memory at the next open
    with Project.open(first) as project:
        project.update(record.id, status="draft")
        with ProjectMemory.open(project) as memory:
            assert memory.store is not None
            assert not [u for u in memory.store.iter_units() if u.ref == record.id]


def test_a_project_matches_an_imported_tmx(project: Project, tmp_path: Path) -> None:
    with MemoryStore() as store:
        import_tmx(store, write_foreign_tmx(tmp_path))
    with ProjectMemory.open(project) as memory:
        (best,) = memory.lookup(Query("外交関係は安定している。"), limit=1)
        assert best.score == 100 and best.origin == "othercat.tmx"
        fuzzy = memory.lookup(Query("外交関係はとても安定している。"), limit=1)
        assert fuzzy and fuzzy[0].kind == "fuzzy"


def test_a_match_is_taken_with_the_glossary_enforced(project: Project, tmp_path: Path) -> None:
    with MemoryStore() as store:
        import_tmx(store, write_foreign_tmx(tmp_path))
    with ProjectMemory.open(project) as memory:
        segment = "露の外相はバクーを訪れた。"
        (best,) = memory.lookup(Query(segment), limit=1)
        assert best.score == 99 and best.target == "The Russian foreign minister visited Baku."
        taken = memory.taken(best, segment)
        assert taken.text == best.target and [e.en for e in taken.present] == ["Russia"]
        leftover = replace(best, target="The foreign minister of ロシア visited Baku.")
        assert memory.taken(leftover, segment).text == \
            "The foreign minister of Russia visited Baku."


def test_prefetched_lookups_are_served_from_the_cache(project: Project,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with ProjectMemory.open(project) as memory:
        asked = queries(project.segments("doc"))
        memory.prefetch(asked)
        calls: list[Query] = []
        original = memory._matcher.lookup

        def counting(query: Query, **kwargs: int) -> object:
            calls.append(query)
            return original(query, **kwargs)

        monkeypatch.setattr(memory._matcher, "lookup", counting)
        for query in asked:
            memory.lookup(query)
        assert calls == []


# ---------------------------------------------------------------------- concordance
def test_concordance_finds_every_occurrence_with_its_context(project: Project,
                                                             tmp_path: Path) -> None:
    with MemoryStore() as store:
        import_tmx(store, write_foreign_tmx(tmp_path))
    with ProjectMemory.open(project) as memory:
        found = concordance("外交", memory=memory)
        ours = [o for o in found if o.origin == THIS_PROJECT]
        assert [o.source for o in ours] == ["外交は重要だ。"]
        assert (ours[0].before, ours[0].after) == (REPEATED, REPEATED)
        assert ours[0].source_spans == ((0, 2),)
        theirs = [o.source for o in found if o.origin == "othercat.tmx"]
        assert theirs == ["外交関係は安定している。"]
        one = concordance("露", memory=memory)
        assert [o.source for o in one] == ["露は隣国である。"]
        english = concordance("AGREEMENT", memory=memory)
        assert {o.target for o in english} == {"The two countries signed an agreement.",
                                               "Both sides signed the agreement."}
        assert english[0].target_spans and concordance("  ", memory=memory) == []


def test_concordance_folds_as_the_glossary_does(project: Project, tmp_path: Path) -> None:
    with MemoryStore() as store:
        import_tmx(store, write_foreign_tmx(tmp_path))
    with ProjectMemory.open(project) as memory:
        found = concordance("ﾛｼｱの外相", memory=memory)
        assert [(o.source, o.source_spans) for o in found] == [
            ("ロシアの外相はバクーを訪れた。", ((0, 6),))]
        assert [o.source for o in concordance("両国の関係", memory=memory)].count(REPEATED) == 3


# ---------------------------------------------------------------------- analysis
def test_analysis_puts_each_segment_in_one_band(project: Project) -> None:
    records = project.segments("doc")
    project.update(records[1].id, final="Relations are good.", status="reviewed")
    with ProjectMemory.open(project) as memory:
        (doc, total) = analyse(project, memory)
    assert doc.segments == total.segments == 7
    assert doc.repetitions == 2            # the 2nd and 3rd of the repeated source
    assert doc.buckets["101%"] == 1        # the reviewed one: its own unit, same neighbours
    assert doc.buckets["no match"] == 3
    assert sum(doc.buckets.values()) + doc.repetitions == 7
    assert doc.en_words == 3 and doc.ja_chars == sum(
        len([c for c in r.source if c not in "。"]) for r in records)
    assert set(doc.buckets) == set(BUCKETS)
    fuzzy = [name for name in BUCKETS[2:-1] if doc.buckets[name]]
    assert fuzzy == ["75-84%"]             # 両国の関係は極めて良好である。: 100·12/15

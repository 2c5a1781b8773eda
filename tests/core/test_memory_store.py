"""The user's memory: where it lives, TMX in and out, what an import takes and reports, and
two workbenches on one memory."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from memory_samples import FOREIGN_TMX, TAKEN, line_of, write_foreign_tmx

from workbench.core.errors import MemoryStoreError, WorkbenchError
from workbench.core.formats.tmx_stream import language
from workbench.core.memory.index import GramIndex
from workbench.core.memory.store import RECENT_LIMIT, MemoryStore, memory_folder
from workbench.core.memory.text import index_text, source_key
from workbench.core.memory.tmx import export_tmx, import_tmx


@pytest.fixture
def store(tmp_path: Path) -> MemoryStore:
    with MemoryStore(tmp_path / "memory") as opened:
        yield opened


def sources(store: MemoryStore) -> list[tuple[str, str]]:
    return [(u.source, u.target) for u in store.iter_units()]


def test_the_memory_lives_under_xdg_data_home(user_data: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    assert memory_folder() == user_data / "workbench"
    with MemoryStore() as store:
        assert store.path == user_data / "workbench" / "memory.sqlite"
        assert store.path.exists()
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")     # not absolute: the default
    assert memory_folder() == Path.home() / ".local" / "share" / "workbench"


def test_import_takes_every_unit_with_japanese_and_english(store: MemoryStore,
                                                           tmp_path: Path) -> None:
    report = import_tmx(store, write_foreign_tmx(tmp_path))
    assert report.read == 11 and report.added == TAKEN and report.duplicates == 0
    assert {(s.line, s.reason) for s in report.skipped} == {
        (line_of("まだ訳のない文"), "the English is empty"),
        (line_of("Die Minister"), "no Japanese (languages: de-DE, en-US)"),
        (line_of("Press release"), "the Japanese side holds no Japanese")}
    assert {(n.line, n.reason) for n in report.notes} == {
        (line_of("外交関係は安定"), "also holds fr-FR (left out)"),
        (line_of("閣僚は共同声明"), "English first (read as Japanese → English)")}
    units = dict(sources(store))
    # inline codes dropped, their text around them kept
    assert units["ロシアの外相はバクーを訪れた。"] == "The Russian foreign minister visited Baku."
    assert units["閣僚は共同声明を発表した。"] == "The ministers issued a joint statement."
    assert units["外交関係は安定している。"] == "Diplomatic relations are stable."
    conflicting = [t for s, t in sources(store) if s == "両国は協定に署名した。"]
    assert len(conflicting) == 2
    assert len(store.parts()) == 1 and store.covered() == max(u.id for u in store.iter_units())


def test_units_keep_who_when_and_their_neighbours(store: MemoryStore, tmp_path: Path) -> None:
    import_tmx(store, write_foreign_tmx(tmp_path))
    first, second = list(store.iter_units())[:2]
    assert (first.changed_by, first.changed_at) == ("kato", "2024-01-10T08:00:00Z")
    # x-next only: the document's start; x-prev only: its end
    assert (first.prev_key, first.next_key) == (0, source_key(second.source))
    assert (second.prev_key, second.next_key) == (source_key(first.source), 0)
    tagged = next(u for u in store.iter_units() if u.source.startswith("ロシア"))
    assert tagged.prev_key is None and tagged.next_key is None       # no context known


def test_importing_again_adds_nothing(store: MemoryStore, tmp_path: Path) -> None:
    path = write_foreign_tmx(tmp_path)
    import_tmx(store, path)
    again = import_tmx(store, path)
    assert again.added == 0 and again.duplicates == TAKEN
    assert store.count() == TAKEN


def test_a_penalty_is_kept_on_the_origin(store: MemoryStore, tmp_path: Path) -> None:
    import_tmx(store, write_foreign_tmx(tmp_path), penalty=15)
    assert {u.penalty for u in store.iter_units()} == {15}
    with pytest.raises(MemoryStoreError, match="penalty"):
        import_tmx(store, write_foreign_tmx(tmp_path), penalty=120)


@pytest.mark.parametrize(("text", "message"), [
    (FOREIGN_TMX[:FOREIGN_TMX.index("<tu tuid")], "not well-formed XML"),
    (FOREIGN_TMX.replace("</seg></tuv>\n      <tuv xml:lang=\"ja-JP\"><seg>閣僚",
                         "</sg></tuv>\n      <tuv xml:lang=\"ja-JP\"><seg>閣僚"),
     "not well-formed XML"),
    ("<xliff version='1.2'><file/></xliff>", "not a TMX file"),
    ("", "not well-formed|empty"),
])
def test_a_broken_file_adds_nothing_and_says_where(store: MemoryStore, tmp_path: Path,
                                                   text: str, message: str) -> None:
    import_tmx(store, write_foreign_tmx(tmp_path, "good.tmx"))
    before = sources(store)
    bad = tmp_path / "bad.tmx"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(MemoryStoreError, match=message) as caught:
        import_tmx(store, bad)
    assert caught.value.path == bad and caught.value.line is not None
    assert "nothing was imported" in str(caught.value)
    assert sources(store) == before
    assert store.covered() == max(u.id for u in store.iter_units())


def test_a_missing_file_is_named(store: MemoryStore, tmp_path: Path) -> None:
    with pytest.raises(MemoryStoreError, match="no such file"):
        import_tmx(store, tmp_path / "absent.tmx")


def test_export_then_import_gives_the_same_units(store: MemoryStore, tmp_path: Path) -> None:
    import_tmx(store, write_foreign_tmx(tmp_path))
    out = tmp_path / "all.tmx"
    assert export_tmx(store, out) == TAKEN
    with MemoryStore(tmp_path / "other") as other:
        report = import_tmx(other, out)
        assert report.added == TAKEN and not report.skipped
        theirs = {(u.source, u.target, u.prev_key, u.next_key, u.changed_at)
                  for u in other.iter_units()}
    assert theirs == {(u.source, u.target, u.prev_key, u.next_key, u.changed_at)
                      for u in store.iter_units()}
    with pytest.raises(MemoryStoreError, match="no origin"):
        export_tmx(store, out, origin="nothing.tmx")


def test_removing_an_origin_removes_its_units(store: MemoryStore, tmp_path: Path) -> None:
    import_tmx(store, write_foreign_tmx(tmp_path, "a.tmx"))
    (tmp_path / "b.tmx").write_text(FOREIGN_TMX.replace("安定", "不安定"), encoding="utf-8")
    import_tmx(store, tmp_path / "b.tmx")
    assert store.remove_origin("a.tmx") == TAKEN
    store.reindex()
    assert [u.source for u in store.iter_units()] == ["外交関係は不安定している。"]
    assert len(store.parts()) == 1
    with pytest.raises(MemoryStoreError, match="no origin"):
        store.remove_origin("a.tmx")


def test_units_beyond_the_index_are_indexed_past_the_limit(store: MemoryStore,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    import workbench.core.memory.store as module

    monkeypatch.setattr(module, "RECENT_LIMIT", 3)
    with store.db.transaction() as tx:
        first = store.reserve_ids(tx, 5)
        origin = store.origin(tx, "hand", "tmx").id
        tx.executemany("INSERT INTO units (id, origin, key, pair, source, target) "
                       "VALUES (?, ?, 0, ?, ?, 'x')",
                       [(first + i, origin, i, f"文{i}です") for i in range(5)])
        store.touch(tx)
    assert len(store.recent()) == 4            # RECENT_LIMIT + 1 read: enough to know
    assert store.index_recent()
    assert store.covered() == first + 4 and store.recent() == []
    assert RECENT_LIMIT > 1000


def test_ids_are_never_reused(store: MemoryStore, tmp_path: Path) -> None:
    import_tmx(store, write_foreign_tmx(tmp_path, "a.tmx"))
    top = max(u.id for u in store.iter_units())
    store.remove_origin("a.tmx")
    import_tmx(store, write_foreign_tmx(tmp_path, "b.tmx"))
    assert min(u.id for u in store.iter_units()) > top


def test_language_codes_of_any_form() -> None:
    assert [language(c) for c in ("JA-JP", "ja", "ja_JP", "jpn", "EN-gb", "", None)] == \
        ["ja", "ja", "ja", "ja", "en", "", ""]


def test_two_workbenches_write_one_memory(tmp_path: Path) -> None:
    """One imports while the other adds units: both land, the index stays true."""
    folder = tmp_path / "shared"
    big = tmp_path / "big.tmx"
    units = "".join(f'<tu><tuv xml:lang="ja"><seg>第{i}回の会合が開かれた。</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>Meeting number {i} was held.</seg></tuv></tu>'
                    for i in range(3000))
    big.write_text(f'<tmx version="1.4"><header srclang="ja"/><body>{units}</body></tmx>',
                   encoding="utf-8")
    errors: list[BaseException] = []

    def importer() -> None:
        try:
            with MemoryStore(folder) as mine:
                import_tmx(mine, big)
        except BaseException as exc:   # reported below
            errors.append(exc)

    with MemoryStore(folder) as other:
        thread = threading.Thread(target=importer)
        thread.start()
        import_tmx(other, write_foreign_tmx(tmp_path))
        thread.join()
        assert errors == []
        assert other.count() == 3000 + TAKEN
        covered = other.covered()
        parts = other.parts()
        assert covered == max(u.id for u in other.iter_units())
        # every unit is in exactly one part, at its own text
        seen: dict[int, str] = {}
        for part in parts:
            for position in range(len(part)):
                seen[int(part.ids[position])] = part.text(position)
        assert seen == {u.id: index_text(u.source) for u in other.iter_units()}
        assert all(isinstance(p, GramIndex) for p in parts)


def test_opening_the_memory_while_another_writes_it_only_reads(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    with MemoryStore(folder) as first:
        import_tmx(first, write_foreign_tmx(tmp_path))
        # an import under way holds the write lock
        with first.db.transaction(), MemoryStore(folder) as second:
            assert second.count() == TAKEN
            assert len(second.parts()) == 1 and second.memory_id == first.memory_id


def test_a_memory_from_a_newer_workbench_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    with MemoryStore(folder) as store, store.db.transaction() as tx:
        tx.execute("INSERT INTO migrations (name, applied_at) VALUES ('9999-future', 'now')")
    with pytest.raises(WorkbenchError, match="translation memory was written by a newer"):
        MemoryStore(folder)


def test_a_damaged_memory_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "memory.sqlite").write_bytes(b"this is not a database" * 100)
    with pytest.raises(MemoryStoreError, match="damaged"):
        MemoryStore(folder)

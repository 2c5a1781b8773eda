"""Bad input: one line naming the file (and line or cell), exit 2, nothing changed, no
traceback and no hang, for every input of the fault probe."""

from __future__ import annotations

import csv
import errno
import io
import os
import shutil
import sqlite3
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from faults import (
    Result,
    assert_one_error,
    can_unshare,
    done_segments,
    files_of,
    rewrite_part,
    run,
    run_process,
    worked_project,
)
from openpyxl import load_workbook
from projects import DOC

import workbench.core.project as project_module
from workbench.core.exchange import export_documents
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.ingest import sync
from workbench.core.project import STATE_DIR, STATE_FILE, Project

pytestmark = pytest.mark.fault
Cap = pytest.CaptureFixture[str]
FINAL = COLUMNS.index("final") + 1


@pytest.fixture
def worked(tmp_path: Path) -> Path:
    return worked_project(tmp_path / "proj")


@pytest.fixture
def book(worked: Path) -> Path:
    """The project's bilingual workbook, exported outside the project."""
    with Project.open(worked) as project:
        (path,) = export_documents(project, [DOC], ["xlsx"], out_dir=worked.parent / "out")
    return path


def state_of(root: Path) -> tuple[list[tuple[str, str | None, str]], int]:
    with Project.open(root, write=False) as project:
        return done_segments(root), len(project.history())


# ------------------------------------------------------------------ aligned files to check
TMX_HEAD = b'<?xml version="1.0"?>\n<tmx version="1.4"><header srclang="ja"/><body>'
BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY a "aaaaaaaaaa">\n'
        + b"".join(f' <!ENTITY {c} "{("&" + p + ";") * 10}">\n'.encode()
                   for p, c in zip("abcdefgh", "bcdefghi", strict=True))
        + b']>\n<tmx version="1.4"><header/><body><tu><tuv xml:lang="ja"><seg>&i;</seg>'
          b'</tuv></tu></body></tmx>\n')
ALIGNED = {
    "empty tmx": ("d.tmx", b"", ["d.tmx: is empty"]),
    "truncated tmx": ("d.tmx", TMX_HEAD + "<tu><tuv><seg>ロシア".encode(),
                      ["d.tmx:2: not a readable TMX"]),
    "malformed tmx": ("d.tmx", b"<tmx><body></tmx>\n", ["d.tmx:1: not a readable TMX"]),
    "entity bomb tmx": ("d.tmx", BOMB, ["d.tmx:3: declares XML entities"]),
    "html as tmx": ("d.tmx", b"<html><body>hello</body></html>", ["d.tmx: not a TMX file"]),
    "binary jsonl": ("d.jsonl", b"\n" + bytes(range(128, 256)) * 8,
                     ["d.jsonl:2: not UTF-8 text (byte 0x80)"]),
    "jsonl of other records": ("d.jsonl", b'{"id": "x"}\n', ["d.jsonl:1: not a segment record"]),
    "jsonl of wrong types": ("d.jsonl", b'{"id": "x", "doc": "d", "ordinal": "one", "source": '
                             b'"", "line_start": 1, "line_end": 1, "kind": "text", "mt": null, '
                             b'"mt_engine": null, "normalized": null, "normalized_glossary": '
                             b'null, "final": null, "status": "new", "updated_by": null, '
                             b'"updated_at": null}\n', ["d.jsonl:1:", "'ordinal' is 'one'"]),
    "binary en.txt": ("d.en.txt", b"Russia\n\x00\x01\x02\xff\xfe\n", ["d.en.txt:2: not UTF-8"]),
}


@pytest.mark.parametrize("kind", list(ALIGNED))
def test_a_bad_aligned_file_to_check_is_one_line(worked: Path, capsys: Cap, kind: str) -> None:
    name, data, fragments = ALIGNED[kind]
    folder = worked.parent / "given"
    folder.mkdir()
    (folder / "d.ja.txt").write_text("ロシア\nイラン\n", encoding="utf-8")
    (folder / name).write_bytes(data)
    assert_one_error(run(capsys, worked, "check", str(folder / name)), *fragments)


# ------------------------------------------------------------------ untrusted workbooks
def test_a_workbook_with_a_doctype_is_refused_before_parsing(worked: Path, book: Path,
                                                             capsys: Cap) -> None:
    before = state_of(worked)
    sheet = "xl/worksheets/sheet2.xml"
    rewrite_part(book, sheet, lambda xml: xml.replace(
        b"?>\n", b'?>\n<!DOCTYPE w [<!ENTITY x "xxxxxxxx">]>\n', 1))
    assert_one_error(run(capsys, worked, "import", str(book)),
                     f"{sheet} declares a DOCTYPE or XML entities")
    assert state_of(worked) == before


def test_a_zip_bomb_is_refused_at_once(worked: Path, book: Path, capsys: Cap) -> None:
    """The project's own workbook with a sheet padded to 520 MiB of blanks: a 2.4 MB file
    that a reader would inflate whole. Refused from the archive's directory, at once."""
    sheet = "xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(book) as src:
        members = [(info, src.read(info)) for info in src.infolist()]
    bomb = book.with_name("bomb.xlsx")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info, data in members:
            if info.filename != sheet:
                dst.writestr(info, data)
                continue
            with dst.open(sheet, "w", force_zip64=True) as fh:
                fh.write(data)
                blanks = b" " * (1 << 20)
                for _ in range(520):
                    fh.write(blanks)
    assert bomb.stat().st_size < 4 << 20
    before = state_of(worked)
    result = run_process(worked, "import", str(bomb))
    assert_one_error(result, "bomb.xlsx: unpacks to 520 MiB", "up to 512 MiB")
    assert result.cpu < 3
    assert state_of(worked) == before


def test_a_workbook_of_too_many_rows_is_refused_before_parsing(worked: Path, book: Path,
                                                               capsys: Cap) -> None:
    rows = b"".join(b'<row r="%d"/>' % n for n in range(10, 500_012))
    rewrite_part(book, "xl/worksheets/sheet2.xml",
                 lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    assert_one_error(run(capsys, worked, "import", str(book)), "more than 500,000 rows")


@pytest.mark.parametrize("typed, shown", [
    ("=1+1", "a formula (=1+1)"),
    (True, "a TRUE/FALSE value (TRUE)"),
    (datetime(2025, 1, 31), "a date (2025-01-31 00:00:00)"),
    ("#REF!", "an error value (#REF!)"),
])
def test_a_cell_that_is_not_text_is_named(worked: Path, book: Path, capsys: Cap,
                                          typed: Any, shown: str) -> None:
    """What Excel makes of `=1+1`, `True`, a date or `#REF!` typed into Final is refused
    with its cell, not imported as its text."""
    workbook = load_workbook(book)
    cell = workbook[DOC].cell(row=3, column=FINAL)
    cell.value = typed
    if typed == "#REF!":
        cell.data_type = "e"
    workbook.save(book)
    before = state_of(worked)
    assert_one_error(run(capsys, worked, "import", str(book)),
                     f"sheet '{DOC}' row 3: cell F3 holds {shown}", "nothing was imported")
    assert state_of(worked) == before


def test_an_imported_cell_over_excels_limit_is_named(worked: Path, book: Path,
                                                     capsys: Cap) -> None:
    # Written into the sheet's XML: openpyxl itself cuts what it writes to Excel's limit.
    rewrite_part(book, "xl/worksheets/sheet2.xml", lambda xml: xml.replace(
        b"&lt;b&gt;Tokyo&lt;/b&gt; &amp; Osaka &amp; Kyoto: a relationship.", b"x" * 40_000, 1))
    before = state_of(worked)
    assert_one_error(run(capsys, worked, "import", str(book)),
                     "cell F2 holds 40,000 characters; a cell holds at most 32,767")
    assert state_of(worked) == before


def test_an_export_cell_over_excels_limit_names_document_and_segment(worked: Path,
                                                                     capsys: Cap) -> None:
    with Project.open(worked) as project:
        record = project.segments(DOC)[2]
        project.update(record.id, final="long " * 7000, status="reviewed")
    line = assert_one_error(run(capsys, worked, "export", "-f", "xlsx"),
                            f"{DOC} #3 (segment {record.id}): its final text is 35,000 "
                            "characters, over Excel's limit of 32,767")
    assert "txt, tmx or jsonl" in line
    assert not (worked / "aligned" / f"{DOC}.xlsx").exists()
    assert [p for p in (worked / "aligned").iterdir() if p.name.endswith(".tmp")] == []


# ------------------------------------------------------------------ full disks
def full_disk_on_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file write of the process finds the disk full (at fsync, as on a real one)."""
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)


def test_a_full_disk_during_export_is_one_line_and_keeps_the_files(
        worked: Path, capsys: Cap, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(capsys, worked, "export").code == 0
    before = files_of(worked / "aligned")
    with Project.open(worked) as project:
        project.update(project.segments(DOC)[5].id, final="New work.", status="reviewed")
    full_disk_on_write(monkeypatch)
    assert_one_error(run(capsys, worked, "export"), "cannot be written: the disk is full")
    monkeypatch.undo()
    assert files_of(worked / "aligned") == before


def test_a_full_disk_during_glossary_add_is_one_line(worked: Path, capsys: Cap,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    names = worked / "glossary" / "names.tsv"
    before = names.read_bytes()
    full_disk_on_write(monkeypatch)
    assert_one_error(run(capsys, worked, "glossary", "add", "Iran", "イラン"),
                     f"{names}: the disk is full")
    monkeypatch.undo()
    assert names.read_bytes() == before
    assert [p.name for p in names.parent.iterdir()] == ["names.tsv"]


def test_a_full_disk_during_import_says_so_and_applies_nothing(
        worked: Path, book: Path, capsys: Cap, monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own `database or disk is full`: the state may grow no further page (as on a
    full disk), and a long final needs new ones."""
    real = project_module.open_sqlite

    def no_room(path: Path, *, write: bool) -> Any:
        db = real(path, write=write)
        if write:
            pages = db.scalar("PRAGMA page_count")
            db.query(f"PRAGMA max_page_count = {pages}")
        return db

    workbook = load_workbook(book)
    workbook[DOC].cell(row=2, column=FINAL).value = "A long final. " * 2000
    workbook.save(book)
    before = state_of(worked)
    monkeypatch.setattr(project_module, "open_sqlite", no_room)
    line = assert_one_error(run(capsys, worked, "import", str(book)),
                            "the disk is full: the change was not saved")
    assert "rebuild" not in line and "damaged" not in line
    monkeypatch.undo()
    assert state_of(worked) == before


@pytest.mark.skipif(not can_unshare(), reason="no mount namespace for a small disk")
def test_a_really_full_disk(worked: Path, book: Path, tmp_path: Path) -> None:
    """The project on a 3 MB disk filled to the last block: export, import and glossary
    add each say the disk is full, and the files and state are as they were."""
    assert subprocess.run(["cp", str(book), str(worked / "edited.xlsx")]).returncode == 0
    workbook = load_workbook(worked / "edited.xlsx")
    workbook[DOC].cell(row=2, column=FINAL).value = "A long final. " * 2000
    workbook.save(worked / "edited.xlsx")
    with Project.open(worked) as project:
        project.update(project.segments(DOC)[5].id, final="New work.", status="reviewed")
    disk = tmp_path / "disk"
    disk.mkdir()
    script = ('mount -t tmpfs -o size=3m tmpfs "$1" && cp -a "$2" "$1/p" && '
              '(cat /dev/zero > "$1/filler" 2>/dev/null; true) && shift 2 && exec "$@"')
    for args, fragment in ((["export"], "the disk is full"),
                           (["import", "edited.xlsx"], "the disk is full"),
                           (["glossary", "add", "Iran", "イラン"], "names.tsv: the disk is full")):
        result = run_process(disk / "p", *args, prefix=(
            "unshare", "-rm", "sh", "-c", script, "sh", str(disk), str(worked)))
        assert_one_error(result, fragment)


# ------------------------------------------------------------------ read-only projects
@pytest.mark.skipif(not can_unshare(), reason="no mount namespace for a read-only mount")
def test_a_read_only_project_folder_still_answers_the_reading_commands(
        worked: Path, tmp_path: Path) -> None:
    (worked / ".workbench" / "lock").unlink()       # a copy of a project: no lock file
    ro = ('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"',
          "sh", str(worked))
    prefix = ("unshare", "-rm", "sh", "-c", *ro)
    elsewhere = tmp_path / "elsewhere"
    for args in (["status"], ["check"], ["segment", DOC], ["export", "-o", str(elsewhere)]):
        result = run_process(worked, *args, prefix=prefix)
        assert result.code in (0, 1), (args, result.err)     # check: 1 = issues found
        if args[0] != "segment":
            assert DOC in result.out
            assert result.err.startswith("note: the project folder cannot be written; "
                                         "showing the state read-only."), result.err
        else:
            assert "アゼルバイジャンとロシアの首脳が会談した。" in result.out
    assert sorted(p.name for p in elsewhere.iterdir()) == [
        f"{DOC}.en.txt", f"{DOC}.ja.txt", f"{DOC}.jsonl", f"{DOC}.tmx"]
    assert_one_error(run_process(worked, "export", prefix=prefix),
                     "the project state cannot be written")
    assert_one_error(run_process(worked, "ingest", prefix=prefix),
                     "the project state cannot be written", "status, check, segment")


def test_an_immutable_state_is_read_only_not_damaged(worked: Path, book: Path,
                                                     capsys: Cap) -> None:
    state = worked / STATE_DIR / STATE_FILE
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(state)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here")
    try:
        before = state.read_bytes()
        result = run(capsys, worked, "status")
        assert result.code == 0 and "tricky" in result.out
        assert result.err.startswith("note: the project folder cannot be written")
        assert_one_error(run(capsys, worked, "import", str(book)),
                         "the project state cannot be written (a read-only or immutable",
                         "read-only commands (status, check, segment, export -o DIR)")
        assert state.read_bytes() == before
    finally:
        subprocess.run(["chattr", "-i", str(state)], check=True)


# ------------------------------------------------------------------ a damaged state
DAMAGED_COMMANDS = [["status"], ["check"], ["export"], ["export", "-o", "elsewhere"],
                    ["import", "book.xlsx"], ["ingest"], ["review"], ["segment", DOC],
                    ["glossary", "suggest"], ["state", "rebuild"]]


@pytest.mark.parametrize("command", DAMAGED_COMMANDS, ids=" ".join)
def test_a_damaged_state_is_one_line_in_every_command(worked: Path, capsys: Cap,
                                                      command: list[str]) -> None:
    state = worked / STATE_DIR / STATE_FILE
    data = state.read_bytes()
    state.write_bytes(data[:4096] + os.urandom(len(data) - 4096))
    (worked / "book.xlsx").write_bytes(b"")
    def files() -> dict[str, bytes]:     # a reader may add the WAL index (-shm) beside it
        return {k: v for k, v in files_of(worked / STATE_DIR).items() if k.endswith(".sqlite")}

    before = files()
    if command == ["state", "rebuild"]:       # the way out: it works on a damaged state
        result = run(capsys, worked, *command)
        assert result.code == 0 and "the replaced state is kept as" in result.err
        return
    assert_one_error(run(capsys, worked, *command),
                     f"{state}: the project state is damaged: database disk image is malformed",
                     "`workbench state restore` lists the backups",
                     "`workbench state rebuild`")
    assert files() == before


# ------------------------------------------------------------------ hangs and sizes
def test_pipes_and_devices_are_refused_without_blocking(worked: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for name in ("pipe.jsonl", "pipe.xlsx"):
        os.mkfifo(tmp_path / name)
    cases = [(["segment", "/dev/zero"], "/dev/zero: is a device"),
             (["ingest", str(fifo)], "pipe.txt: is a named pipe (FIFO)"),
             (["check", str(tmp_path / "pipe.jsonl")], "pipe.jsonl: is a named pipe"),
             (["import", str(tmp_path / "pipe.xlsx")], "pipe.xlsx: is not a regular file"),
             (["glossary", "import", str(tmp_path / "pipe.xlsx")], "is not a regular file")]
    for args, fragment in cases:      # a read that blocked would hang till killed
        assert_one_error(run_process(worked, *args, timeout=30), fragment)


@pytest.mark.slow
def test_a_twenty_megabyte_sentence_takes_seconds(tmp_path: Path) -> None:
    root = tmp_path / "huge"
    for sub in ("sources", "glossary", "aligned"):
        (root / sub).mkdir(parents=True)
    sentence = ("ロシアとアゼルバイジャンの関係について、" * 350_000)[: (20 << 20) // 3]
    (root / "sources" / "huge.txt").write_text(sentence + "。\n", encoding="utf-8")
    for args in (["segment", "huge"], ["ingest"], ["status"], ["check"], ["export"]):
        result = run_process(root, *args)
        assert result.code in (0, 1) and "Traceback" not in result.err, (args, result.err)
    assert_one_error(run_process(root, "export", "-f", "xlsx"), "huge #1",
                     "over Excel's limit of 32,767")


# ------------------------------------------------------------------ security
def test_a_symlink_out_of_the_project_is_not_ingested(tmp_path: Path, capsys: Cap) -> None:
    root = tmp_path / "proj"
    for sub in ("sources", "glossary", "aligned"):
        (root / sub).mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text("秘密の文書です。\n", encoding="utf-8")
    (root / "sources" / "x.txt").symlink_to(secret)
    assert_one_error(run(capsys, root, "ingest"), "x.txt: is a symbolic link to",
                     "outside the project")
    assert run(capsys, root, "export").code == 0
    assert list((root / "aligned").iterdir()) == []


def test_glossary_import_writes_only_into_glossary(worked: Path, tmp_path: Path,
                                                   capsys: Cap) -> None:
    good = tmp_path / "more.csv"
    good.write_text("en,ja,type\nSyria,シリア,place\n", encoding="utf-8")
    assert_one_error(run(capsys, worked, "glossary", "import", str(good), "--name",
                         str(tmp_path / "evil.tsv")), "--name takes a file name, not a path")
    assert not (tmp_path / "evil.tsv").exists()
    html = tmp_path / "page.tbx"
    html.write_text("<html><body><p>not a glossary</p></body></html>", encoding="utf-8")
    assert_one_error(run(capsys, worked, "glossary", "import", str(html)),
                     "page.tbx: holds no glossary entry")
    assert sorted(p.name for p in (worked / "glossary").iterdir()) == ["names.tsv"]


FORMULAS = ("=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)")


def test_csv_and_tsv_outputs_are_defused(worked: Path, tmp_path: Path, capsys: Cap) -> None:
    names = worked / "glossary" / "names.tsv"
    names.write_text(names.read_text(encoding="utf-8") + "".join(
        f"{f}\tナマエ{i}\tperson\n" for i, f in enumerate(FORMULAS)), encoding="utf-8")
    with Project.open(worked) as project:
        record = project.segments(DOC)[2]     # its names are missing: an issue, a CSV row
        project.update(record.id, final="=HYPERLINK(\"http://evil\")", status="reviewed")
    result = run(capsys, worked, "check", "--format", "csv")
    cells = [c for row in csv.reader(io.StringIO(result.out)) for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    for suffix, delimiter in ((".csv", ","), (".tsv", "\t")):
        target = tmp_path / f"g{suffix}"
        assert run(capsys, worked, "glossary", "export", str(target)).code == 0
        rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8")),
                               delimiter=delimiter))
        first = [row[0] for row in rows]
        assert {f"'{f}" for f in FORMULAS} <= set(first)
        assert not any(c.startswith(("=", "+", "-", "@")) for row in rows for c in row)


# ------------------------------------------------------------------ messages
def test_user_text_is_printed_as_it_is(tmp_path: Path, capsys: Cap) -> None:
    """Rich markup and emoji codes in file names and messages stay as typed."""
    root = tmp_path / "proj"
    for sub in ("sources", "glossary", "aligned"):
        (root / sub).mkdir(parents=True)
    for name in ("x:thumbsup:.txt", "[red]red.txt"):
        (root / "sources" / name).write_text("ロシアの文です。\n", encoding="utf-8")
    bad = root / "sources" / "badutf8.txt"
    bad.write_bytes("正しい行です。\n".encode() * 99 + b"\xff\xfe\xfd broken\n")
    result = run(capsys, root, "ingest")
    assert "ingested sources/x:thumbsup:.txt: 1 segments" in result.err
    assert "ingested sources/[red]red.txt: 1 segments" in result.err
    assert f"error: {bad}:100: " in result.err
    status = run(capsys, root, "status").out
    assert "x:thumbsup:" in status and "[red]red" in status and "👍" not in status


def test_lint_errors_stop_the_commands_that_apply_the_glossary(worked: Path,
                                                               capsys: Cap) -> None:
    names = worked / "glossary" / "names.tsv"
    names.write_text("en\tja\ttype\tforbidden\nIran\tイラン\tplace\tIran\n"
                     "Azerbaijan\tアゼルバイジャン\tplace\t\n", encoding="utf-8")
    before = files_of(worked / "aligned")
    for command in (["check"], ["export"], ["review"]):
        assert_one_error(run(capsys, worked, *command),
                         f"{names}:2: forbidden 'Iran' is the canonical name of 'Iran' itself",
                         "workbench glossary lint")
    assert files_of(worked / "aligned") == before


def test_every_error_is_one_line_with_its_hint(worked: Path, capsys: Cap) -> None:
    result = run(capsys, worked, "segment", "nonesuch")
    assert_one_error(result, "no document 'nonesuch' in the project (documents: tricky)")
    assert_one_error(run(capsys, worked, "check", "--format", "xlsx"),
                     "--format xlsx needs --output FILE.xlsx (`workbench check --help` shows")
    assert_one_error(run(capsys, worked, "export", "--bogus"), "No such option '--bogus'")


def test_an_unexpected_failure_is_one_line_too(worked: Path, capsys: Cap,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.InterfaceError("a bug")

    monkeypatch.setattr(Project, "documents", broken)
    result = run(capsys, worked, "status")
    assert result.code == 70 and result.err.count("\n") == 1
    assert "unexpected InterfaceError: a bug (a bug in workbench" in result.err


def test_sync_result_errors_keep_one_line_each(worked: Path, capsys: Cap) -> None:
    with Project.open(worked) as project:
        assert not sync(project).errors
    (worked / "sources" / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    result: Result = run(capsys, worked, "ingest")
    assert result.code == 2
    assert [line for line in result.err.splitlines() if line.startswith("error:")] == [
        f"error: {worked / 'sources' / 'bin.txt'}: is a PNG image, not a text file"]

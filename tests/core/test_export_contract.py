"""One contract, every exporter: the same awkward segments out and back in through each format.

Like translate-toolkit's storage tests: each format is an adapter (export, read back) and
every test below runs against every adapter.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from projects import DOC

from workbench.core.errors import ExportError
from workbench.core.exchange import FORMATS, export_documents
from workbench.core.formats.jsonl import read_jsonl
from workbench.core.formats.tmx import read_tmx
from workbench.core.formats.txt import read_txt_pair
from workbench.core.formats.xlsx import COLUMNS
from workbench.core.formats.xlsx_read import read_xlsx
from workbench.core.project import Project
from workbench.core.records import DONE_STATUSES, SegmentRecord

Pair = tuple[str, str]


@dataclass(frozen=True)
class Adapter:
    """How one format is exported, read back, and what it must hold."""

    fmt: str
    read: Callable[[list[Path]], list[Pair]]
    expected: Callable[[list[SegmentRecord], bool], list[Pair]]


def _pairs(records: list[SegmentRecord]) -> list[Pair]:
    return [(r.source, r.final or "") for r in records]


def _chosen(records: list[SegmentRecord], include_all: bool) -> list[SegmentRecord]:
    return records if include_all else [r for r in records if r.status in DONE_STATUSES]


def _read_txt(paths: list[Path]) -> list[Pair]:
    ja, en = paths
    return read_txt_pair(ja, en)


def _read_tmx(paths: list[Path]) -> list[Pair]:
    return [(u.source, u.target or "") for u in read_tmx(paths[0])]


def _read_jsonl(paths: list[Path]) -> list[Pair]:
    return _pairs(read_jsonl(paths[0]))


def _read_xlsx(paths: list[Path]) -> list[Pair]:
    assert tuple(c.value for c in load_workbook(paths[0])[DOC][1]) == COLUMNS
    return [(row.source, row.final) for row in read_xlsx(paths[0])]


ADAPTERS = [
    Adapter("txt", _read_txt, lambda rs, a: _pairs(_chosen(rs, a))),
    # A TMX unit needs English: segments without a final translation are left out.
    Adapter("tmx", _read_tmx, lambda rs, a: [p for p in _pairs(_chosen(rs, a)) if p[1]]),
    Adapter("jsonl", _read_jsonl, lambda rs, a: _pairs(rs)),
    Adapter("xlsx", _read_xlsx, lambda rs, a: _pairs(rs)),
]


@pytest.fixture(params=ADAPTERS, ids=lambda a: a.fmt)
def adapter(request: pytest.FixtureRequest) -> Adapter:
    return request.param


def test_every_format_has_an_adapter() -> None:
    assert sorted(a.fmt for a in ADAPTERS) == sorted(FORMATS)


@pytest.mark.parametrize("include_all", [False, True], ids=["reviewed", "all"])
def test_round_trip_keeps_every_character(tricky: Project, adapter: Adapter,
                                          tmp_path: Path, include_all: bool) -> None:
    paths = export_documents(tricky, [DOC], [adapter.fmt], include_all=include_all,
                             out_dir=tmp_path / "out")
    records = tricky.segments(DOC)
    assert adapter.read(paths) == adapter.expected(records, include_all)


def test_the_awkward_cases_are_really_exported(tricky: Project, adapter: Adapter,
                                               tmp_path: Path) -> None:
    """Guards the round trip against passing on an empty export."""
    paths = export_documents(tricky, [DOC], [adapter.fmt], include_all=True,
                             out_dir=tmp_path / "out")
    english = "\n".join(e for _, e in adapter.read(paths))
    for needle in ("<b>Tokyo</b> & Osaka", "😀", "met.\nA second line", "C:\\new\\n"):
        assert needle in english


def test_same_state_gives_identical_bytes(tricky: Project, adapter: Adapter,
                                          tmp_path: Path) -> None:
    first = export_documents(tricky, [DOC], [adapter.fmt], out_dir=tmp_path / "a")
    second = export_documents(tricky, [DOC], [adapter.fmt], out_dir=tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_a_change_in_the_state_changes_the_file(tricky: Project, adapter: Adapter,
                                                tmp_path: Path) -> None:
    """Determinism must not come from ignoring the state."""
    before = [p.read_bytes() for p in export_documents(tricky, [DOC], [adapter.fmt],
                                                       out_dir=tmp_path)]
    record = tricky.segments(DOC)[1]
    tricky.update(record.id, final="A changed sentence.", status="approved")
    after = [p.read_bytes() for p in export_documents(tricky, [DOC], [adapter.fmt],
                                                      out_dir=tmp_path)]
    assert before != after


def test_failed_replace_leaves_the_old_file(tricky: Project, adapter: Adapter,
                                            tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    paths = export_documents(tricky, [DOC], [adapter.fmt], out_dir=out)
    old = {p: p.read_bytes() for p in paths}
    record = tricky.segments(DOC)[0]
    tricky.update(record.id, final="Something else entirely.")

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError, match="cannot be written: the disk is full"):
        export_documents(tricky, [DOC], [adapter.fmt], out_dir=out)
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in paths} == old
    assert sorted(out.iterdir()) == sorted(paths), "a temp file was left behind"


def test_unknown_format_is_refused(tricky: Project) -> None:
    with pytest.raises(ExportError, match="unknown format 'docx'"):
        export_documents(tricky, [DOC], ["docx"])

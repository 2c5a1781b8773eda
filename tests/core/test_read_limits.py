"""What the readers refuse before reading: folders, pipes, devices, files over the size a
source may have, symbolic links out of the project; and what an untrusted workbook may be."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from workbench.core.decode import MAX_SOURCE_BYTES, read_bytes
from workbench.core.errors import ExportError, SourceError
from workbench.core.formats import xlsx_read


def test_a_folder_a_pipe_and_a_device_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path, what in ((tmp_path, "is a directory"), (fifo, "is a named pipe"),
                       (Path("/dev/zero"), "is a device")):
        with pytest.raises(SourceError, match=what):
            read_bytes(path)


def test_a_source_over_the_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:          # sparse: no disk used, no time spent
        fh.truncate(MAX_SOURCE_BYTES + 1)
    with pytest.raises(SourceError, match="is 64 MiB; sources are read up to 64 MiB"):
        read_bytes(big)
    assert len(read_bytes(big, limit=MAX_SOURCE_BYTES + 1)) == MAX_SOURCE_BYTES + 1


def test_a_link_out_of_the_project_is_refused_and_one_inside_is_not(tmp_path: Path) -> None:
    project = tmp_path / "proj"
    (project / "sources").mkdir(parents=True)
    outside = tmp_path / "passwd"
    outside.write_text("root:x:0:0\n")
    inside = project / "sources" / "real.txt"
    inside.write_text("本文。\n", encoding="utf-8")
    (project / "sources" / "out.txt").symlink_to(outside)
    (project / "sources" / "in.txt").symlink_to(inside)
    with pytest.raises(SourceError, match="is a symbolic link to .*passwd, outside the project"):
        read_bytes(project / "sources" / "out.txt", inside=project)
    assert read_bytes(project / "sources" / "in.txt", inside=project) == inside.read_bytes()


def _workbook(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def test_workbook_caps_are_checked_before_any_xml_is_parsed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_read, "MAX_UNPACKED_BYTES", 1 << 20)
    monkeypatch.setattr(xlsx_read, "MAX_ROWS", 1000)
    monkeypatch.setattr(xlsx_read, "MAX_CELLS", 2000)
    with pytest.raises(ExportError, match="unpacks to 2 MiB"):
        xlsx_read.check_package(_workbook(tmp_path / "a.xlsx", {"x.xml": b"\0" * (2 << 20)}))
    rows = b"<sheetData>" + b"<row r='1'><c r='A1'/></row>" * 1001 + b"</sheetData>"
    with pytest.raises(ExportError, match="more than 1,000 rows"):
        xlsx_read.check_package(_workbook(tmp_path / "b.xlsx", {"s.xml": rows}))
    cells = b"<row>" + b"<c r='A1'/>" * 2001 + b"</row>"
    with pytest.raises(ExportError, match="2,000 cells"):
        xlsx_read.check_package(_workbook(tmp_path / "c.xlsx", {"s.xml": cells}))
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]><x/>'
    with pytest.raises(ExportError, match="s.xml declares a DOCTYPE"):
        xlsx_read.check_package(_workbook(tmp_path / "d.xlsx", {"s.xml": doctype}))
    # The 1,001st row tag straddles two chunks of the scan: still counted.
    monkeypatch.setattr(xlsx_read, "MAX_UNPACKED_BYTES", 4 << 20)
    straddling = b"<row>" * 1000 + b"x" * ((1 << 20) - 5000 - 2) + b"<row>"
    with pytest.raises(ExportError, match="more than 1,000 rows"):
        xlsx_read.check_package(_workbook(tmp_path / "e.xlsx", {"s.xml": straddling}))
    with pytest.raises(ExportError, match="not a readable Excel workbook"):
        (tmp_path / "f.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
        xlsx_read.check_package(tmp_path / "f.xlsx")

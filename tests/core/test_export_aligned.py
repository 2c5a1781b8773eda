"""Aligned files: line-aligned text, TMX read by an independent reader, JSONL, refresh."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from projects import DOC

from workbench.core.errors import ExportError
from workbench.core.exchange import export_documents, refresh_aligned
from workbench.core.formats.txt import escape_line, read_txt_pair, unescape_line
from workbench.core.project import Project

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@given(st.text())
def test_escaped_line_is_one_line_and_reads_back(text: str) -> None:
    line = escape_line(text)
    assert "\n" not in line and "\r" not in line
    assert unescape_line(line) == text


def test_txt_files_are_line_aligned_and_hold_reviewed_work(tricky: Project,
                                                           tmp_path: Path) -> None:
    ja, en = export_documents(tricky, [DOC], ["txt"], out_dir=tmp_path)
    assert (ja.name, en.name) == (f"{DOC}.ja.txt", f"{DOC}.en.txt")
    ja_lines = ja.read_text(encoding="utf-8").splitlines()
    en_lines = en.read_text(encoding="utf-8").split("\n")[:-1]
    done = [r for r in tricky.segments(DOC) if r.status in ("reviewed", "approved")]
    assert len(ja_lines) == len(en_lines) == len(done) == 4
    assert en_lines[2] == "Leaders of Azerbaijan and Russia met.\\nA second line."
    assert en_lines[3] == "", "a reviewed segment with an empty final keeps its line"


def test_all_keeps_every_segment_with_empty_english_lines(tricky: Project,
                                                          tmp_path: Path) -> None:
    ja, en = export_documents(tricky, [DOC], ["txt"], include_all=True, out_dir=tmp_path)
    pairs = read_txt_pair(ja, en)
    assert len(pairs) == len(tricky.segments(DOC)) == 6
    assert pairs[-1] == ("まだ訳されていない文。", "")


def test_unequal_line_counts_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.ja.txt").write_text("一\n二\n", encoding="utf-8")
    (tmp_path / "a.en.txt").write_text("one\n", encoding="utf-8")
    with pytest.raises(ExportError, match="2 Japanese lines but 1 English"):
        read_txt_pair(tmp_path / "a.ja.txt", tmp_path / "a.en.txt")


def test_tmx_read_by_an_independent_reader(tricky: Project, tmp_path: Path) -> None:
    """The standard library's XML parser, not translate-toolkit's lxml, reads the units."""
    (path,) = export_documents(tricky, [DOC], ["tmx"], include_all=True, out_dir=tmp_path)
    root = ET.parse(path).getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    assert header.get("srclang") == "ja"
    for required in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang",
                     "datatype"):
        assert header.get(required), required
    units = root.findall("body/tu")
    expected = [r for r in tricky.segments(DOC) if r.final]
    assert len(units) == len(expected) == 4
    for tu, record in zip(units, expected, strict=True):
        segs = {tuv.get(XML_LANG): tuv.findtext("seg") for tuv in tu.findall("tuv")}
        assert segs == {"ja": record.source, "en": record.final}
        props = {p.get("type"): p.text for p in tu.findall("prop")}
        assert props == {"x-document": DOC, "x-number": str(record.ordinal),
                         "x-kind": record.kind, "x-status": record.status,
                         "x-mt-engine": "test-engine"}
        assert tu.get("tuid") == record.id
        assert tu.get("changeid") == "reviewer"
        assert record.updated_at is not None
        assert tu.get("changedate") == record.updated_at.replace("-", "").replace(":", "")
        # TMX's DTD: a unit's props come before its variants.
        assert [c.tag for c in tu] == ["prop"] * 5 + ["tuv", "tuv"]


def test_tmx_by_default_holds_reviewed_and_approved_units(tricky: Project,
                                                          tmp_path: Path) -> None:
    (path,) = export_documents(tricky, [DOC], ["tmx"], out_dir=tmp_path)
    statuses = [p.text for p in ET.parse(path).getroot().iter("prop")
                if p.get("type") == "x-status"]
    assert statuses == ["approved", "reviewed", "reviewed"]


def test_jsonl_holds_every_field_of_every_segment(tricky: Project,
                                                  tmp_path: Path) -> None:
    (path,) = export_documents(tricky, [DOC], ["jsonl"], out_dir=tmp_path)
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    records = tricky.segments(DOC)
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row == record.fields()


def test_refresh_rewrites_only_what_changed(tricky: Project) -> None:
    first = refresh_aligned(tricky)
    names = sorted(p.name for p in first)
    assert names == sorted([f"{DOC}.ja.txt", f"{DOC}.en.txt", f"{DOC}.tmx", f"{DOC}.jsonl"])
    stamps = {p: p.stat().st_mtime_ns for p in first}
    assert refresh_aligned(tricky) == [], "nothing changed, nothing rewritten"
    assert {p: p.stat().st_mtime_ns for p in first} == stamps

    record = tricky.segments(DOC)[5]
    tricky.update(record.id, final="Not translated yet, now it is.", status="draft")
    # A draft is not reviewed work: only the JSONL (every segment) changes.
    assert [p.name for p in refresh_aligned(tricky)] == [f"{DOC}.jsonl"]
    tricky.update(record.id, status="reviewed")
    assert sorted(p.name for p in refresh_aligned(tricky)) == names


def test_refresh_writes_into_the_projects_aligned_folder(tricky: Project) -> None:
    paths = refresh_aligned(tricky, [DOC])
    assert {p.parent for p in paths} == {tricky.aligned_dir}
    assert not [n for n in os.listdir(tricky.aligned_dir) if n.endswith(".tmp")]

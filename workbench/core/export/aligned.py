"""Aligned files of one document: line-aligned text, TMX and JSONL, as bytes and back.

Serializers are pure (records in, bytes out) so the same state always gives the same bytes;
writing them to disk is the caller's job. The readers exist for round trips and tests.

The English of a segment is its final translation, or nothing: machine translation and
normalized text are never exported as if a reviewer had written them.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from translate.storage.tmx import tmxfile

from workbench import __version__
from workbench.core.errors import ExportError
from workbench.core.project import DONE_STATUSES, SegmentRecord

SOURCE_LANG = "ja"
TARGET_LANG = "en"
_RECORD_FIELDS = tuple(f.name for f in dataclasses.fields(SegmentRecord))


def select(records: Sequence[SegmentRecord], include_all: bool) -> list[SegmentRecord]:
    """The segments an aligned file holds: reviewed and approved ones, or all of them."""
    if include_all:
        return list(records)
    return [r for r in records if r.status in DONE_STATUSES]


def english(record: SegmentRecord) -> str:
    """The English of a segment in aligned files: its final translation, else empty."""
    return record.final or ""


# ---------------------------------------------------------------------- line-aligned text
def escape_line(text: str) -> str:
    """One segment on one line: backslash, newline and carriage return escaped."""
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")


def unescape_line(line: str) -> str:
    """The inverse of `escape_line`."""
    out = []
    chars = iter(line)
    for ch in chars:
        if ch != "\\":
            out.append(ch)
            continue
        nxt = next(chars, "")
        out.append({"n": "\n", "r": "\r", "\\": "\\"}.get(nxt, "\\" + nxt))
    return "".join(out)


def txt_bytes(records: Sequence[SegmentRecord]) -> tuple[bytes, bytes]:
    """The Japanese and English files: line i of one is line i of the other."""
    ja = "".join(escape_line(r.source) + "\n" for r in records)
    en = "".join(escape_line(english(r)) + "\n" for r in records)
    return ja.encode("utf-8"), en.encode("utf-8")


def read_txt_pair(ja_path: Path, en_path: Path) -> list[tuple[str, str]]:
    """(Japanese, English) pairs of a line-aligned file pair; unequal lengths are an error."""
    ja = ja_path.read_text(encoding="utf-8").split("\n")
    en = en_path.read_text(encoding="utf-8").split("\n")
    for lines in (ja, en):
        if lines and lines[-1] == "":
            lines.pop()
    if len(ja) != len(en):
        raise ExportError(f"{len(ja)} Japanese lines but {len(en)} English lines in "
                          f"{en_path.name}", path=ja_path)
    return [(unescape_line(a), unescape_line(b)) for a, b in zip(ja, en, strict=True)]


# ---------------------------------------------------------------------- TMX 1.4b
@dataclass(frozen=True)
class TmxUnit:
    """A translation unit as read back from a TMX file."""

    id: str
    source: str
    target: str | None
    props: dict[str, str]
    attrs: dict[str, str]


def tmx_date(iso: str | None) -> str | None:
    """ISO 8601 UTC (`2025-01-31T09:00:00Z`) as TMX wants it (`20250131T090000Z`)."""
    if not iso:
        return None
    return iso.replace("-", "").replace(":", "")


def tmx_bytes(records: Sequence[SegmentRecord]) -> bytes:
    """A TMX 1.4b document (srclang ja) with one unit per segment that has English.

    Each unit carries the segment id (tuid), reviewer and change date (changeid,
    changedate) as attributes and the document, number, kind, status and MT engine as
    props. There is no creation date in the header, so equal input gives equal bytes.
    """
    store = tmxfile(sourcelanguage=SOURCE_LANG, targetlanguage=TARGET_LANG)
    store.addheader()
    header = store.document.getroot().find("header")
    header.set("creationtool", "workbench")
    header.set("creationtoolversion", __version__)
    header.set("o-tmf", "workbench")
    header.set("datatype", "plaintext")
    for record in records:
        target = english(record)
        if not target:
            continue
        unit = store.addsourceunit(record.source)
        unit.settarget(target, TARGET_LANG)
        element = unit.xmlelement
        element.set("tuid", record.id)
        if record.updated_at:
            element.set("changedate", tmx_date(record.updated_at))
        if record.updated_by:
            element.set("changeid", record.updated_by)
        props = [("x-document", record.doc), ("x-number", str(record.ordinal)),
                 ("x-kind", record.kind), ("x-status", record.status)]
        if record.mt_engine:
            props.append(("x-mt-engine", record.mt_engine))
        # TMX's DTD orders a unit's children note*, prop*, tuv+: props go first.
        for i, (kind, value) in enumerate(props):
            prop = etree.Element("prop")
            prop.set("type", kind)
            prop.text = value
            element.insert(i, prop)
    out = io.BytesIO()
    store.serialize(out)
    return out.getvalue()


def read_tmx(path: Path) -> list[TmxUnit]:
    """The units of a TMX file, through translate-toolkit."""
    with path.open("rb") as fh:
        store = tmxfile(fh)
    units = []
    for unit in store.units:
        element = unit.xmlelement
        props = {p.get("type"): p.text or "" for p in element.iterfind("prop")}
        target = unit.gettarget(TARGET_LANG)
        units.append(TmxUnit(element.get("tuid", ""), unit.source or "", target, props,
                             dict(element.attrib)))
    return units


# ---------------------------------------------------------------------- JSONL
def jsonl_bytes(records: Sequence[SegmentRecord]) -> bytes:
    """One JSON object per segment, every field of the record, in field order."""
    lines = [json.dumps({name: getattr(r, name) for name in _RECORD_FIELDS},
                        ensure_ascii=False, separators=(", ", ": ")) for r in records]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def read_jsonl(path: Path) -> list[SegmentRecord]:
    """Segment records from a JSONL file written by `jsonl_bytes`."""
    records = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                records.append(SegmentRecord(**{k: data[k] for k in _RECORD_FIELDS}))
            except (ValueError, KeyError, TypeError) as exc:
                raise ExportError(f"not a segment record: {exc}", path=path,
                                  line=number) from None
    return records

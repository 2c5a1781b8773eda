"""TMX 1.4b (srclang ja) of one document, written and read through translate-toolkit."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from translate.storage.tmx import tmxfile

from workbench import __version__
from workbench.core.decode import read_bytes
from workbench.core.errors import ExportError
from workbench.core.formats.units import MAX_ALIGNED_BYTES, english
from workbench.core.records import SegmentRecord

SOURCE_LANG = "ja"
TARGET_LANG = "en"


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


def tmx_bytes(records: Sequence[SegmentRecord],
              merged: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """A TMX 1.4b document (srclang ja) with one unit per segment that has English.

    Each unit carries the segment id (tuid), reviewer and change date (changeid,
    changedate) as attributes and the document, number, kind, status and MT engine as
    props; a segment merged from others (`merged`: id -> the ids of its parts) says so in
    an `x-merged-from` prop. There is no creation date in the header, so equal input gives
    equal bytes.
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
        if merged and record.id in merged:
            props.append(("x-merged-from", " ".join(merged[record.id])))
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
    """The units of a TMX file, through translate-toolkit (a regular file of at most
    MAX_ALIGNED_BYTES)."""
    return parse_tmx(read_bytes(path, limit=MAX_ALIGNED_BYTES), path)


def parse_tmx(data: bytes, path: Path) -> list[TmxUnit]:
    """The units of TMX bytes; anything but a TMX document is an ExportError naming the line.

    Entity declarations are refused before parsing: a TMX never needs them, and a nest of
    them (a "billion laughs") would make a small file expand without end."""
    if not data.strip():
        raise ExportError("is empty: not a TMX file", path=path)
    entity = data.find(b"<!ENTITY")
    if entity >= 0:
        raise ExportError("declares XML entities (<!ENTITY): refused, a TMX file never needs "
                          "them", path=path, line=data.count(b"\n", 0, entity) + 1)
    try:
        store = tmxfile(io.BytesIO(data))
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else None
        raise ExportError(f"not a readable TMX file: {exc.msg}", path=path, line=line) from None
    except (AssertionError, ValueError, KeyError, TypeError, AttributeError,
            IndexError) as exc:
        raise ExportError(f"not a TMX file ({type(exc).__name__}: {exc})"
                          if str(exc) else "not a TMX file (its root element is not <tmx>)",
                          path=path) from None
    units = []
    for unit in store.units:
        element = unit.xmlelement
        props = {p.get("type"): p.text or "" for p in element.iterfind("prop")}
        target = unit.gettarget(TARGET_LANG)
        units.append(TmxUnit(element.get("tuid", ""), unit.source or "", target, props,
                             dict(element.attrib)))
    return units

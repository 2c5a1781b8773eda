"""TMX of any size, read and written as a stream (a million units in constant memory).

Reading takes the Japanese and English of each unit from TMX as CAT tools write it:
language codes in any case, with or without a region (`JA-JP`, `ja`, `en-GB`), in
`xml:lang` (TMX 1.4) or `lang` (1.1), whichever language the unit says is its source;
inline codes (`<bpt>`, `<ept>`, `<ph>`, `<it>`, `<ut>`) are dropped and `<hi>` keeps its
text; the neighbours a tool records (`x-prev`/`x-next`, `prev`/`next`,
`x-context-pre`/`x-context-post`) come as the unit's context. A unit is read as it is:
whether it can be used is for the importer to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lxml import etree

from workbench import __version__
from workbench.core.atomic import atomic_writer

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CODES = frozenset({"bpt", "ept", "ph", "it", "ut"})
_PREV_PROPS = frozenset({"x-prev", "prev", "x-context-pre", "x-context-prev"})
_NEXT_PROPS = frozenset({"x-next", "next", "x-context-post", "x-context-next"})
# What XML 1.0 cannot hold: control characters, lone surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PREV_KEY_PROP = "x-prev-key"
NEXT_KEY_PROP = "x-next-key"


class TmxSyntaxError(ValueError):
    """The file is not well-formed XML, or not TMX; `line` says where."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class TmxEntry:
    """One `<tu>` as read: its Japanese and English (None when it has none), every
    language it holds, its context, who changed it and when (ISO 8601)."""

    line: int
    ja: str | None
    en: str | None
    languages: tuple[str, ...]
    prev: str | None = None
    next: str | None = None
    prev_key: int | None = None
    next_key: int | None = None
    changed_by: str | None = None
    changed_at: str | None = None
    props: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=256)
def language(code: str | None) -> str:
    """The primary language of a code, lower-cased: `JA-JP` → `ja`, `jpn` → `ja`."""
    primary = (code or "").replace("_", "-").split("-")[0].strip().lower()
    return {"jpn": "ja", "eng": "en"}.get(primary, primary)


_TMX_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z")


def iso_date(tmx: str | None) -> str | None:
    """A TMX date (`20250510T093000Z`) as ISO 8601 (`2025-05-10T09:30:00Z`); None when
    it is not one."""
    m = _TMX_DATE.fullmatch(tmx) if tmx else None
    return "{}-{}-{}T{}:{}:{}Z".format(*m.groups()) if m else None


def tmx_date(iso: str | None) -> str | None:
    """ISO 8601 (`2025-05-10T09:30:00Z`) as TMX wants it."""
    return iso.replace("-", "").replace(":", "") if iso else None


def _local(tag: object) -> str:
    """An element's name without its namespace (comments and the like have none)."""
    if type(tag) is not str:
        return ""
    return tag if "}" not in tag else tag.rpartition("}")[2]


def seg_text(seg: etree._Element) -> str:
    """The text of a `<seg>` without its inline codes."""
    if not len(seg):
        return seg.text or ""
    parts = [seg.text or ""]
    for child in seg:
        if _local(child.tag) not in _CODES:
            parts.append(seg_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def read_entries(path: Path) -> Iterator[TmxEntry]:
    """The units of a TMX file, one by one; TmxSyntaxError when it is not TMX or not
    well-formed (after the units before the fault)."""
    try:
        with path.open("rb") as fh:
            head = etree.iterparse(fh, events=("start",), load_dtd=False, no_network=True,
                                   resolve_entities=False, huge_tree=True)
            _, root = next(head)
            if _local(root.tag) != "tmx":
                raise TmxSyntaxError(f"not a TMX file (its root is <{_local(root.tag)}>)",
                                     root.sourceline)
    except etree.XMLSyntaxError as exc:
        raise TmxSyntaxError(f"not well-formed XML: {exc.msg}", exc.lineno) from exc
    except StopIteration:
        raise TmxSyntaxError("empty file", 1) from None
    parsed = etree.iterparse(str(path), events=("end",), tag=("{*}tu", "tu"), load_dtd=False,
                             no_network=True, resolve_entities=False, huge_tree=True)
    done = 0
    try:
        for _, tu in parsed:
            yield _entry(tu)
            done += 1
            tu.clear(keep_tail=False)
            if done % 1000 == 0:
                parent = tu.getparent()
                if parent is not None:
                    del parent[:]   # the units read so far: what iterparse would keep
    except etree.XMLSyntaxError as exc:
        raise TmxSyntaxError(f"not well-formed XML: {exc.msg}", exc.lineno) from exc


def _entry(tu: etree._Element) -> TmxEntry:
    # A million of these: plain comparisons first, the namespace only when there is one.
    ja = en = None
    languages: list[str] = []
    props: dict[str, str] = {}
    for child in tu:
        tag = child.tag
        if tag != "tuv" and tag != "prop":
            tag = _local(tag)
        if tag == "tuv":
            code = child.get(_XML_LANG) or child.get("lang") or ""
            languages.append(code)
            lang = language(code)
            if lang == "ja":
                if ja is None:
                    ja = _tuv_text(child)
            elif lang == "en" and en is None:
                en = _tuv_text(child)
        elif tag == "prop":
            props[child.get("type") or ""] = child.text or ""
    prev = following = None
    prev_key = next_key = None
    if props:
        for kind, value in props.items():
            if kind in _PREV_PROPS:
                prev = value if prev is None else prev
            elif kind in _NEXT_PROPS:
                following = value if following is None else following
        prev_key, next_key = _hex(props.get(PREV_KEY_PROP)), _hex(props.get(NEXT_KEY_PROP))
    attrib = tu.attrib
    return TmxEntry(tu.sourceline or 0, ja, en, tuple(languages), prev, following, prev_key,
                    next_key, attrib.get("changeid") or attrib.get("creationid"),
                    iso_date(attrib.get("changedate") or attrib.get("creationdate")), props)


def _tuv_text(tuv: etree._Element) -> str | None:
    """The text of a `<tuv>`'s `<seg>` (usually its only child)."""
    for seg in tuv:
        if seg.tag == "seg" or _local(seg.tag) == "seg":
            return seg.text or "" if not len(seg) else seg_text(seg)
    return None


def _hex(value: str | None) -> int | None:
    if not value:
        return None
    try:
        number = int(value, 16)
    except ValueError:
        return None
    return number - (1 << 64) if number >= 1 << 63 else number


@dataclass(frozen=True, slots=True)
class TmxOut:
    """A unit to write."""

    ja: str
    en: str
    props: tuple[tuple[str, str], ...] = ()
    changed_by: str | None = None
    changed_at: str | None = None


def key_prop(key: int | None) -> str | None:
    """A context key as the hex a TMX prop holds."""
    return None if key is None else f"{key & ((1 << 64) - 1):016x}"


def write_entries(path: Path, units: Iterable[TmxOut]) -> int:
    """Write a TMX 1.4b file (srclang ja) as a stream, atomically; return how many units."""
    count = 0
    with atomic_writer(path, "wb") as fh, etree.xmlfile(fh, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element("tmx", version="1.4"):
            xf.write(etree.Element(
                "header", creationtool="workbench", creationtoolversion=__version__,
                segtype="sentence", adminlang="en", srclang="ja",
                datatype="plaintext", **{"o-tmf": "workbench"}), pretty_print=True)
            with xf.element("body"):
                for unit in units:
                    xf.write(_tu(unit), pretty_print=True)
                    count += 1
    return count


def _tu(unit: TmxOut) -> etree._Element:
    tu = etree.Element("tu")
    if unit.changed_at:
        tu.set("changedate", tmx_date(unit.changed_at) or "")
    if unit.changed_by:
        tu.set("changeid", unit.changed_by)
    for kind, value in unit.props:
        prop = etree.SubElement(tu, "prop", type=kind)
        prop.text = _NOT_XML.sub("", value)
    for lang, text in (("ja", unit.ja), ("en", unit.en)):
        tuv = etree.SubElement(tu, "tuv")
        tuv.set(_XML_LANG, lang)
        etree.SubElement(tuv, "seg").text = _NOT_XML.sub("", text)
    return tu

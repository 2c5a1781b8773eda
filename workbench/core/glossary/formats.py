"""Glossary file formats: reading and writing one TSV, CSV, XLSX or TBX file (no workflow)."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.atomic import atomic_write_bytes, atomic_write_text
from workbench.core.decode import read_source
from workbench.core.errors import GlossaryError, SourceError
from workbench.core.glossary.model import Entry

COLUMNS: tuple[str, ...] = ("en", "ja", "type", "en_variants", "forbidden", "derived", "note")
"""Columns a glossary file may have, in the order they are written. `en` and `ja` are required."""
REQUIRED_COLUMNS: tuple[str, ...] = ("en", "ja")
LIST_COLUMNS: frozenset[str] = frozenset({"ja", "en_variants", "forbidden", "derived"})
SEPARATOR = "|"
SUFFIXES: tuple[str, ...] = (".tsv", ".csv", ".xlsx", ".tbx")
MAIN_FILE = "names.tsv"
GUESS_MARK = "#? "
"""How `glossary suggest` writes a row whose English is a guess: commented out (so not
read), for lint to point at and a reviewer to confirm."""


# ============================================================================================
# Reading files
# ============================================================================================


@dataclass(frozen=True)
class GlossaryProblem:
    """A finding about a glossary file (from loading or `lint`), located by file and line."""

    severity: str   # "error" | "warning"
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


Collector = list[GlossaryProblem] | None


def report_problem(collector: Collector, path: Path | str, line: int, message: str,
             hint: str | None = None) -> None:
    """Raise a GlossaryError, or record it when collecting (lint reports every problem)."""
    if collector is None:
        raise GlossaryError(message, path=path, line=line or None, hint=hint)
    collector.append(GlossaryProblem("error", str(path), line, message))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(SEPARATOR)]


def _header(cells: Sequence[str], path: Path, line: int) -> list[str]:
    names = [c.strip().lower() for c in cells]
    while names and not names[-1]:
        names.pop()
    for name in names:
        if name not in COLUMNS:
            raise GlossaryError(f"unknown column {name!r}", path=path, line=line,
                                hint=f"columns are {', '.join(COLUMNS)}; en and ja are required.")
    dupes = [n for n, c in Counter(names).items() if c > 1]
    if dupes:
        raise GlossaryError(f"column {dupes[0]!r} appears twice", path=path, line=line)
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise GlossaryError(
            f"no {' or '.join(repr(m) for m in missing)} column in the header", path=path,
            line=line, hint=f"the first row names the columns: {', '.join(COLUMNS)}.")
    return names


def entry_from_cells(values: dict[str, str], path: Path, line: int,
                      collector: Collector) -> Entry | None:
    """Validate one row; a bad row is an error (or a recorded problem), never skipped."""
    en = values.get("en", "").strip()
    if not en:
        report_problem(collector, path, line, "missing `en` (the canonical English)")
        return None
    if SEPARATOR in en:
        report_problem(collector, path, line, f"`en` holds {SEPARATOR!r}: {en!r}",
                 hint="`en` is the one canonical name; put other renderings in en_variants.")
        return None
    lists: dict[str, tuple[str, ...]] = {}
    for column in ("ja", "en_variants", "forbidden", "derived"):
        raw = values.get(column, "").strip()
        if not raw:
            if column == "ja":
                report_problem(collector, path, line, f"empty variant: no `ja` for {en!r}")
                return None
            lists[column] = ()
            continue
        items = _split(raw)
        if any(not v for v in items):
            report_problem(collector, path, line, f"empty variant in `{column}` of {en!r}: {raw!r}",
                     hint=f"variants are separated by a single {SEPARATOR!r}.")
            return None
        if column == "ja":
            blank = [v for v in items if not any(c.isalnum() for c in v)]
            if blank:
                report_problem(collector, path, line, f"variant {blank[0]!r} of {en!r} has nothing "
                                                f"to match (only punctuation or separators)")
                return None
        lists[column] = tuple(dict.fromkeys(items))
    return Entry(en=en, ja=lists["ja"], type=values.get("type", "").strip(),
                 en_variants=lists["en_variants"], forbidden=lists["forbidden"],
                 note=values.get("note", "").strip(), file=str(path), line=line,
                 derived=lists["derived"])


def _rows_from_lines(lines: Iterable[tuple[int, list[str]]], path: Path,
                     collector: Collector, strict_width: bool) -> list[Entry]:
    header: list[str] | None = None
    out: list[Entry] = []
    for number, cells in lines:
        if not any(c.strip() for c in cells):
            continue                                   # blank lines are not rows
        if cells[0].lstrip().startswith("#"):
            continue                                   # comment lines
        if header is None:
            header = _header(cells, path, number)
            continue
        width = len(cells)
        if not strict_width:   # a spreadsheet row simply ends: only stray cells count
            while width > len(header) and not cells[width - 1].strip():
                width -= 1
        bad_width = width != len(header) if strict_width else width > len(header)
        if bad_width:
            report_problem(collector, path, number,
                     f"row has {width} columns, the header has {len(header)}",
                     hint="fields are separated by one tab (TSV) or comma (CSV); empty "
                          "optional fields still need their separator.")
            continue
        values = dict(zip(header, cells, strict=False))
        entry = entry_from_cells(values, path, number, collector)
        if entry is not None:
            out.append(entry)
    if header is None:
        report_problem(collector, path, 0, "no header row",
                 hint=f"the first row names the columns: {', '.join(COLUMNS)}.")
    return out


def read_text(path: Path) -> str:
    """A TSV or CSV glossary's text, decoded as sources are: UTF-8 with or without a BOM,
    UTF-16 (Excel's "Unicode text"), Shift_JIS/CP932 or EUC-JP; CRLF and CR made LF."""
    try:
        return read_source(path).text
    except SourceError as exc:
        raise GlossaryError(exc.detail, path=path, line=exc.line,
                            hint="save the glossary as UTF-8.") from None


def _read_tsv(path: Path, collector: Collector) -> list[Entry]:
    lines = read_text(path).splitlines()
    return _rows_from_lines(((i, line.split("\t")) for i, line in enumerate(lines, 1)),
                            path, collector, strict_width=True)


def _read_csv(path: Path, collector: Collector) -> list[Entry]:
    reader = csv.reader(io.StringIO(read_text(path), newline=""))

    def numbered() -> Iterable[tuple[int, list[str]]]:
        start = 1
        try:
            for cells in reader:
                yield start, cells
                start = reader.line_num + 1
        except csv.Error as exc:
            raise GlossaryError(f"bad CSV: {exc}", path=path, line=reader.line_num) from None

    return _rows_from_lines(numbered(), path, collector, strict_width=True)


def _read_xlsx(path: Path, collector: Collector) -> list[Entry]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:   # openpyxl raises many types for a damaged file
        raise GlossaryError(f"cannot read as an Excel workbook: {exc}", path=path) from None
    try:
        sheet = book["glossary"] if "glossary" in book.sheetnames else book.worksheets[0]
        rows = [(i, ["" if v is None else str(v) for v in row])
                for i, row in enumerate(sheet.iter_rows(values_only=True), 1)]
    finally:
        book.close()
    return _rows_from_lines(rows, path, collector, strict_width=False)


# TBX: administrative status of an English term ↔ its role in an entry.
_TBX_STATUS = {"preferredTerm-admn-sts": "en", "supersededTerm-admn-sts": "en_variants",
               "deprecatedTerm-admn-sts": "forbidden", "admittedTerm-admn-sts": "en_variants"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


# A derived form (`Chechen` for Chechnya) is an English term whose part of speech is an
# adjective: the name itself is a noun.
_DERIVED_POS = "adjective"


def _derived_term(holder: Any) -> bool:
    """Whether a TBX term's `tig`/`termSec` notes it as an adjective (a derived form)."""
    return holder is not None and any(
        _local(note.tag) == "termNote" and note.get("type") == "partOfSpeech" and
        (note.text or "").strip().lower() == _DERIVED_POS
        for note in holder.iter())


def _read_tbx(path: Path, collector: Collector) -> list[Entry]:
    """TBX 2 (`martif`/`termEntry`/`langSet`/`tig`) or TBX 3 (`conceptEntry`/`langSec`)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        line = getattr(exc, "lineno", None)
        raise GlossaryError(f"not a readable TBX file: {exc}", path=path, line=line) from None
    out: list[Entry] = []
    for concept in root.iter():
        if _local(concept.tag) not in ("termEntry", "conceptEntry"):
            continue
        values: dict[str, list[str]] = defaultdict(list)
        for node in concept.iter():
            name = _local(node.tag)
            if name in ("descrip", "termNote") and node.get("type") in ("subjectField",
                                                                           "entityType"):
                values["type"].append((node.text or "").strip())
            elif name == "note" and node.getparent() is concept:
                values["note"].append((node.text or "").strip())
            elif name == "term":
                lang_node = next((a for a in node.iterancestors()
                                  if _local(a.tag) in ("langSet", "langSec")), None)
                lang = (lang_node.get(_XML_LANG) or lang_node.get("lang") or "") \
                    if lang_node is not None else ""
                term = (node.text or "").strip()
                holder = node.getparent()
                status = ""
                if holder is not None:
                    for note in holder.iter():
                        if _local(note.tag) == "termNote" and \
                                note.get("type") == "administrativeStatus":
                            status = (note.text or "").strip()
                if lang.lower().startswith("ja"):
                    values["ja"].append(term)
                elif lang.lower().startswith("en") and _derived_term(holder):
                    values["derived"].append(term)
                elif lang.lower().startswith("en"):
                    values[_TBX_STATUS.get(status, "en_variants" if values["en"] else "en")
                           ].append(term)
        if len(values["en"]) > 1:
            values["en_variants"][:0] = values["en"][1:]
            del values["en"][1:]
        cells = {k: SEPARATOR.join(v) if k in LIST_COLUMNS else "; ".join(x for x in v if x)
                 for k, v in values.items()}
        entry = entry_from_cells(cells, path, concept.sourceline or 0, collector)
        if entry is not None:
            out.append(entry)
    return out


_READERS: dict[str, Callable[[Path, Collector], list[Entry]]] = {
    ".tsv": _read_tsv, ".csv": _read_csv, ".xlsx": _read_xlsx, ".tbx": _read_tbx}


def read_entries(path: Path, problems: list[GlossaryProblem] | None = None) -> list[Entry]:
    """The rows of one glossary file as entries (not merged), each with its file and line.

    A bad row raises GlossaryError naming the file and line; with `problems`, bad rows are
    recorded there instead and reading goes on (for `lint`).
    """
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise GlossaryError(f"not a glossary format ({', '.join(SUFFIXES)})", path=path)
    return reader(path, problems)


def columns_for(entries: Sequence[Entry]) -> list[str]:
    used = ["en", "ja", "type"]
    for column in ("en_variants", "forbidden", "derived", "note"):
        if any(getattr(e, column) for e in entries):
            used.append(column)
    return used


def _cells(entry: Entry, columns: Sequence[str]) -> list[str]:
    out = []
    for column in columns:
        value = getattr(entry, column)
        out.append(SEPARATOR.join(value) if column in LIST_COLUMNS else value)
    return out


def _clean_cell(value: str) -> str:
    return value.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def render_tsv(entries: Sequence[Entry], columns: Sequence[str] | None = None,
               header: bool = True) -> str:
    """Entries as glossary TSV text."""
    cols = list(columns) if columns is not None else columns_for(entries)
    lines = ["\t".join(cols)] if header else []
    lines.extend("\t".join(_clean_cell(c) for c in _cells(e, cols)) for e in entries)
    return "".join(line + "\n" for line in lines)


def write_glossary(entries: Sequence[Entry], path: Path) -> None:
    """Write entries to `path` atomically; the format follows the suffix (.tsv .csv .xlsx .tbx)."""
    suffix = path.suffix.lower()
    columns = columns_for(entries)
    if suffix == ".tsv":
        atomic_write_text(path, render_tsv(entries, columns))
    elif suffix == ".csv":
        buf = io.StringIO(newline="")
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(_cells(e, columns) for e in entries)
        atomic_write_text(path, buf.getvalue())
    elif suffix == ".xlsx":
        atomic_write_bytes(path, _xlsx_bytes(entries, columns))
    elif suffix == ".tbx":
        atomic_write_bytes(path, _tbx_bytes(entries))
    else:
        raise GlossaryError(f"cannot write this format; use one of {', '.join(SUFFIXES)}",
                            path=path)


def _xlsx_bytes(entries: Sequence[Entry], columns: Sequence[str]) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "glossary"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        # Written as strings: a name like "G7" or "1984" must not become a number.
        sheet.append(_cells(entry, columns))
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _tbx_bytes(entries: Sequence[Entry]) -> bytes:
    from lxml import etree

    root = etree.Element("martif", type="TBX")
    root.set(_XML_LANG, "en")
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(etree.SubElement(header, "fileDesc"), "sourceDesc")
    etree.SubElement(desc, "p").text = "workbench glossary"
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    status_of = {"en": "preferredTerm-admn-sts", "en_variants": "supersededTerm-admn-sts",
                 "forbidden": "deprecatedTerm-admn-sts"}
    for i, entry in enumerate(entries, 1):
        node = etree.SubElement(body, "termEntry", id=f"e{i}")
        if entry.type:
            etree.SubElement(node, "descrip", type="subjectField").text = entry.type
        if entry.note:
            etree.SubElement(node, "note").text = entry.note
        en_set = etree.SubElement(node, "langSet")
        en_set.set(_XML_LANG, "en")
        for column in ("en", "en_variants", "forbidden"):
            value = getattr(entry, column)
            for term in (value,) if isinstance(value, str) else value:
                tig = etree.SubElement(en_set, "tig")
                etree.SubElement(tig, "term").text = term
                etree.SubElement(tig, "termNote", type="administrativeStatus").text = \
                    status_of[column]
        for term in entry.derived:
            tig = etree.SubElement(en_set, "tig")
            etree.SubElement(tig, "term").text = term
            etree.SubElement(tig, "termNote", type="administrativeStatus").text = \
                "admittedTerm-admn-sts"
            etree.SubElement(tig, "termNote", type="partOfSpeech").text = _DERIVED_POS
        ja_set = etree.SubElement(node, "langSet")
        ja_set.set(_XML_LANG, "ja")
        for term in entry.ja:
            etree.SubElement(etree.SubElement(ja_set, "tig"), "term").text = term
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                pretty_print=True))

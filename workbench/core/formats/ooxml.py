"""A small streaming XLSX (SpreadsheetML) writer: fast, deterministic, formatting kept.

Why not openpyxl or xlsxwriter: both spend 10-15 µs per cell in Python (cell objects,
per-cell style resolution), so a 100,000-segment workbook takes as long as a plain
`pandas.DataFrame.to_excel`. Here a row is one f-string per cell into a streamed,
deflated part, with styles registered once per workbook. The output is byte-identical for
the same input (fixed zip timestamps, no creation dates), so workbooks diff and cache well.

It writes only what the workbench needs: inline strings (plain and rich text runs),
numbers, cell styles (bold, font colour, fill, wrap, top alignment, number formats), column
widths, row heights that fit wrapped text, frozen panes, list validations, an autofilter,
hidden sheets and a print setup (landscape, the columns fitted to the page width, the
header row on every page). Reading is openpyxl's job.
"""

from __future__ import annotations

import queue
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from workbench.core.atomic import atomic_writer
from workbench.core.batch import gc_paused
from workbench.core.chars import display_width
from workbench.core.errors import ExportError

MAX_CELL_CHARS = 32767
"""Excel refuses (repairs) a cell longer than this."""
MAX_ROWS = 1_048_576
"""Excel's rows per sheet."""

MAX_SHEET_NAME = 31
LINE_HEIGHT = 15.0
"""Points per line of the default font (Calibri 11) in a wrapped cell."""
MAX_ROW_HEIGHT = 409.0
"""Excel's tallest row, in points."""
# How many of a column's width units (the width of a digit) a line of text fills before it
# wraps: proportional text is narrower than digits, but a line breaks between words, not at
# the last unit, and CJK (counted double) is a little wider than two digits.
_FILL = 0.9
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot carry; SpreadsheetML spells them _xHHHH_ (ST_Xstring).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPED_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NEEDS_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_"
                           ).search
# The same test as one class of characters (any `_`): a scan in C more than twice as fast as
# the alternation, and text with neither markup nor `_` (nearly all of it) goes no further.
_MAY_NEED_ESCAPE = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff_]").search


@dataclass(frozen=True)
class Font:
    """A run or cell font: only what differs from the workbook default."""

    bold: bool = False
    italic: bool = False
    color: str | None = None  # RRGGBB
    underline: bool = False


@dataclass(frozen=True)
class Style:
    """A cell format; register it with `Workbook.style` to get the index cells refer to."""

    font: Font = Font()
    fill: str | None = None  # RRGGBB background
    wrap: bool = False
    valign_top: bool = True
    border_bottom: bool = False
    number_format: str | None = None  # "0.0%": a number shown as a percentage


@dataclass(frozen=True)
class Rich:
    """Rich text: runs of (text, font); a run with font None takes the cell's font."""

    runs: tuple[tuple[str, Font | None], ...]

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass(frozen=True)
class Styled:
    """A value with a style other than its column's."""

    value: str | int | float | Rich | None
    style: int


Value = str | int | float | Rich | Styled | None


@dataclass(frozen=True)
class Column:
    """A column: header title, width in characters, the style of its body cells."""

    title: str
    width: float
    style: int = 0


@dataclass(frozen=True)
class ListValidation:
    """A drop-down of allowed words over a column's body rows (header row excluded)."""

    column: int  # 0-based
    choices: Sequence[str]
    error: str = ""


@dataclass
class Sheet:
    """A worksheet to write: its columns, header and the rows (any iterable, read once)."""

    name: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[Value]]
    header_style: int = 0
    freeze_rows: int = 1
    freeze_cols: int = 0
    validations: Sequence[ListValidation] = ()
    autofilter: bool = True
    hidden: bool = False
    printed: bool = True
    """Print setup: landscape, columns fitted to one page width, the header row on every
    page, grid lines, page numbers."""
    _row_count: int = field(default=0, init=False)


class Workbook:
    """Sheets and styles of one workbook; `save` streams it to disk atomically."""

    def __init__(self) -> None:
        self._fonts: list[Font] = [Font()]
        self._fills: list[str | None] = [None, None]  # none, gray125: reserved by the format
        self._styles: list[Style] = [Style(valign_top=False)]
        self._style_index: dict[Style, int] = {self._styles[0]: 0}
        self._sheets: list[Sheet] = []
        self._names: set[str] = set()

    def style(self, style: Style) -> int:
        """The index of `style` in this workbook, registering it on first use."""
        index = self._style_index.get(style)
        if index is None:
            index = self._style_index[style] = len(self._styles)
            self._styles.append(style)
            if style.font not in self._fonts:
                self._fonts.append(style.font)
            if style.fill is not None and style.fill not in self._fills:
                self._fills.append(style.fill)
        return index

    def sheet_name(self, wanted: str) -> str:
        """Reserve a legal sheet name close to `wanted`, unique in the workbook (any case)."""
        base = _SHEET_NAME_FORBIDDEN.sub("_", wanted).strip("'") or "Sheet"
        name = base[:MAX_SHEET_NAME]
        n = 2
        while name.casefold() in self._names or name.casefold() == "history":
            suffix = f"~{n}"
            name = base[:MAX_SHEET_NAME - len(suffix)].rstrip("'") + suffix
            n += 1
        self._names.add(name.casefold())
        return name

    def add(self, sheet: Sheet) -> Sheet:
        """Queue a sheet, written in the order added; its name comes from `sheet_name`."""
        if sheet.name.casefold() not in self._names:
            raise ValueError(f"sheet name {sheet.name!r} was not reserved with sheet_name()")
        if any(s.name.casefold() == sheet.name.casefold() for s in self._sheets):
            raise ValueError(f"a sheet named {sheet.name!r} is already in the workbook")
        self._sheets.append(sheet)
        return sheet

    def save(self, path: Path, *, compresslevel: int = 1) -> Path:
        """Write the workbook to `path` atomically (temp file, fsync, os.replace)."""
        if not any(not s.hidden for s in self._sheets):
            raise ValueError("a workbook needs at least one visible sheet")
        with gc_paused(), atomic_writer(Path(path), "wb") as fh:
            self._write(fh, compresslevel)
        return Path(path)

    # ------------------------------------------------------------------ parts
    def _write(self, fh: IO[bytes], level: int) -> None:
        runs = _RunFormatter()
        # Parts opened by name get zipfile's fixed 1980-01-01 timestamp: equal bytes each run.
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf, \
                _Deflater(zf) as out:
            out.part("[Content_Types].xml", [self._content_types()])
            out.part("_rels/.rels", [_ROOT_RELS])
            out.part("xl/_rels/workbook.xml.rels", [self._workbook_rels()])
            out.part("xl/styles.xml", [self._styles_xml()])
            for number, sheet in enumerate(self._sheets, 1):
                out.part(f"xl/worksheets/sheet{number}.xml",
                         self._sheet_xml(sheet, number - 1, runs))
            # Last: the autofilter ranges it names are known once the rows are written.
            out.part("xl/workbook.xml", [self._workbook_xml()])

    def _content_types(self) -> str:
        sheets = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self._sheets) + 1))
        return (
            f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            f"{sheets}</Types>")

    def _workbook_xml(self) -> str:
        active = next(i for i, s in enumerate(self._sheets) if not s.hidden)
        sheets = []
        names = []
        for i, sheet in enumerate(self._sheets):
            state = ' state="hidden"' if sheet.hidden else ""
            sheets.append(f'<sheet name="{_attr(sheet.name)}" sheetId="{i + 1}"{state} '
                          f'r:id="rId{i + 1}"/>')
            quoted = "'" + sheet.name.replace("'", "''") + "'"
            if sheet.autofilter:
                last = column_letter(len(sheet.columns) - 1)
                names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" '
                             f'hidden="1">{_text(quoted)}!$A$1:${last}$'
                             f'{max(sheet._row_count, 2)}</definedName>')
            if sheet.printed and sheet.freeze_rows:
                # The header rows repeat at the top of every printed page.
                names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
                             f'{_text(quoted)}!$1:${sheet.freeze_rows}</definedName>')
        body = "".join(sheets)
        defined = "".join(names)
        return (f'{_DECL}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
                f'<bookViews><workbookView activeTab="{active}" firstSheet="{active}"/>'
                f"</bookViews><sheets>{body}</sheets>"
                + (f"<definedNames>{defined}</definedNames>" if defined else "")
                + "</workbook>")

    def _workbook_rels(self) -> str:
        rels = [f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" '
                f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(self._sheets) + 1)]
        n = len(self._sheets)
        rels.append(f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" '
                    'Target="styles.xml"/>')
        return f'{_DECL}<Relationships xmlns="{_PKG_REL_NS}">{"".join(rels)}</Relationships>'

    def _styles_xml(self) -> str:
        fonts = "".join(f"<font>{_font_props(f, run=False)}</font>" for f in self._fonts)
        fills = ['<fill><patternFill patternType="none"/></fill>',
                 '<fill><patternFill patternType="gray125"/></fill>']
        fills += [f'<fill><patternFill patternType="solid"><fgColor rgb="FF{c}"/>'
                  '<bgColor indexed="64"/></patternFill></fill>' for c in self._fills[2:]]
        borders = ('<border><left/><right/><top/><bottom/><diagonal/></border>'
                   '<border><left/><right/><top/><bottom style="thin"><color rgb="FF808080"/>'
                   '</bottom><diagonal/></border>')
        formats = list(dict.fromkeys(s.number_format for s in self._styles if s.number_format))
        format_ids = {f: 164 + i for i, f in enumerate(formats)}  # 164 on: custom formats
        xfs = []
        for style in self._styles:
            font = self._fonts.index(style.font)
            fill = self._fills.index(style.fill) if style.fill is not None else 0
            border = 1 if style.border_bottom else 0
            number = format_ids.get(style.number_format or "", 0)
            align = ""
            if style.wrap or style.valign_top:
                align = ("<alignment" + (' vertical="top"' if style.valign_top else "")
                         + (' wrapText="1"' if style.wrap else "") + "/>")
            applied = (f' applyFont="{int(font != 0)}" applyFill="{int(fill != 0)}"'
                       f' applyBorder="{border}" applyAlignment="{int(bool(align))}"'
                       + (' applyNumberFormat="1"' if number else ""))
            head = (f'<xf numFmtId="{number}" fontId="{font}" fillId="{fill}" '
                    f'borderId="{border}" xfId="0"{applied}')
            xfs.append(f"{head}>{align}</xf>" if align else f"{head}/>")
        numbers = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(f)}"/>'
                          for f, i in format_ids.items())
        return (f'{_DECL}<styleSheet xmlns="{_MAIN_NS}">'
                + (f'<numFmts count="{len(formats)}">{numbers}</numFmts>' if formats else "")
                + f'<fonts count="{len(self._fonts)}">{fonts}</fonts>'
                f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
                f'<borders count="2">{borders}</borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
                f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
                "</cellStyles></styleSheet>")

    def _sheet_xml(self, sheet: Sheet, index: int, runs: _RunFormatter) -> Iterator[str]:
        columns = sheet.columns
        letters = [column_letter(i) for i in range(len(columns))]
        last = letters[-1]
        yield f'{_DECL}<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        if sheet.printed:
            yield '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        yield _sheet_view(sheet, index == self._first_visible())
        yield '<sheetFormatPr defaultRowHeight="15"/><cols>'
        yield "".join(f'<col min="{i}" max="{i}" width="{c.width:g}" style="{c.style}" '
                      'customWidth="1"/>' for i, c in enumerate(columns, 1))
        yield "</cols><sheetData>"
        head = sheet.header_style
        yield ('<row r="1">' + "".join(
            f'<c r="{letters[i]}1" s="{head}" t="inlineStr"><is><t xml:space="preserve">'
            f"{_text(c.title)}</t></is></c>" for i, c in enumerate(columns)) + "</row>")
        plain = [c.style for c in columns]
        width = len(columns)
        # Wrapped columns and how many width units a line of each holds: a row is made as
        # tall as its tallest wrapped cell, since LibreOffice does not grow a row on its own
        # and a cell taller than its row is cut off or runs over the next one.
        wrapped = [(i, max(c.width * _FILL - 1, 1.0)) for i, c in enumerate(columns)
                   if self._styles[c.style].wrap]
        rich = runs.xml
        may_need_escape = _MAY_NEED_ESCAPE
        last_rich: Rich | None = None
        last_xml = ""
        r = 1
        buffer: list[str] = []
        # The hot loop: strings are written inline (t="inlineStr"), so a cell is one
        # f-string with no lookup in a shared-string table.
        for r, row in enumerate(sheet.rows, 2):
            if r > MAX_ROWS:
                raise ExportError(f"sheet {sheet.name!r} would have more than Excel's "
                                  f"{MAX_ROWS:,} rows", hint="export fewer documents at once")
            if len(row) != width:
                raise ValueError(f"sheet {sheet.name!r} row {r}: {len(row)} cells, "
                                 f"expected {width}")
            lines = 1
            for i, room in wrapped:
                text = row[i]
                if type(text) is Styled:
                    text = text.value
                if type(text) is Rich:
                    text = text.text
                # a character is at most two widths: a shorter text fits on one line
                if type(text) is str and text and (2 * len(text) > room or "\n" in text):
                    lines = max(lines, text_lines(text, room))
            cells = [f'<row r="{r}">' if lines == 1 else
                     f'<row r="{r}" ht="{min(lines * LINE_HEIGHT, MAX_ROW_HEIGHT):g}" '
                     'customHeight="1">']
            for i, value in enumerate(row):
                style = plain[i]
                kind = type(value)
                if kind is Styled:
                    style = value.style  # type: ignore[union-attr]
                    value = value.value  # type: ignore[union-attr]
                    kind = type(value)
                if kind is str:
                    # An empty cell is left out: its column's style formats it when typed in.
                    if value:
                        if len(value) > MAX_CELL_CHARS:  # type: ignore[arg-type]
                            raise _too_long(sheet.name, f"{letters[i]}{r}",
                                            value)  # type: ignore[arg-type]
                        if may_need_escape(value) is not None:  # type: ignore[arg-type]
                            value = _text(value)  # type: ignore[arg-type]
                        cells.append(f'<c r="{letters[i]}{r}" s="{style}" t="inlineStr"><is>'
                                     f'<t xml:space="preserve">{value}</t></is></c>')
                elif kind is Rich:
                    if value is not last_rich:  # the same highlighted text in MT, final…
                        if len(value.text) > MAX_CELL_CHARS:  # type: ignore[union-attr]
                            raise _too_long(sheet.name, f"{letters[i]}{r}",
                                            value.text)  # type: ignore[union-attr]
                        last_rich, last_xml = value, rich(value)  # type: ignore[assignment,arg-type]
                    cells.append(f'<c r="{letters[i]}{r}" s="{style}" t="inlineStr"><is>'
                                 f"{last_xml}</is></c>")
                elif value is None:
                    pass
                elif kind is int or kind is float:
                    cells.append(f'<c r="{letters[i]}{r}" s="{style}"><v>{value!r}</v></c>')
                else:
                    raise TypeError(f"cannot write {kind.__name__} to a cell")
            cells.append("</row>")
            buffer.append("".join(cells))
            if len(buffer) >= 512:
                yield "".join(buffer)
                buffer.clear()
        yield "".join(buffer)
        sheet._row_count = r
        yield "</sheetData>"
        if sheet.autofilter:
            yield f'<autoFilter ref="A1:{last}{max(r, 2)}"/>'
        if sheet.validations and r > 1:
            yield f'<dataValidations count="{len(sheet.validations)}">'
            for v in sheet.validations:
                col = column_letter(v.column)
                formula = _text('"' + ",".join(v.choices) + '"')
                error = (f' errorTitle="Not allowed" error="{_attr(v.error)}"'
                         if v.error else "")
                yield (f'<dataValidation type="list" allowBlank="0" showErrorMessage="1"'
                       f'{error} sqref="{col}2:{col}{r}"><formula1>{formula}</formula1>'
                       "</dataValidation>")
            yield "</dataValidations>"
        if sheet.printed:
            yield '<printOptions gridLines="1"/>'
        yield ('<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" '
               'footer="0.3"/>')
        if sheet.printed:
            # Landscape, every column on one page width, as many pages down as it takes.
            yield ('<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
                   '<headerFooter><oddFooter>&amp;L&amp;A&amp;RPage &amp;P of &amp;N'
                   '</oddFooter></headerFooter>')
        yield "</worksheet>"

    def _first_visible(self) -> int:
        return next(i for i, s in enumerate(self._sheets) if not s.hidden)


class _RunFormatter:
    """Rich text as SpreadsheetML runs, with each font's run properties built once."""

    def __init__(self) -> None:
        self._props: dict[Font, str] = {}

    def xml(self, value: Rich) -> str:
        out = []
        for text, font in value.runs:
            if font is None:
                out.append(f'<r><t xml:space="preserve">{_text(text)}</t></r>')
                continue
            props = self._props.get(font)
            if props is None:
                props = self._props[font] = f"<rPr>{_font_props(font, run=True)}</rPr>"
            out.append(f'<r>{props}<t xml:space="preserve">{_text(text)}</t></r>')
        return "".join(out)


def _too_long(sheet: str, cell: str, text: str) -> ExportError:
    return ExportError(f"sheet {sheet!r} cell {cell}: {len(text):,} characters, over Excel's "
                       f"limit of {MAX_CELL_CHARS:,} a cell ({text[:30]!r}…)",
                       hint="export txt, tmx or jsonl, which have no such limit")


def _font_props(font: Font, *, run: bool) -> str:
    parts = []
    if font.bold:
        parts.append("<b/>")
    if font.italic:
        parts.append("<i/>")
    if font.underline:
        parts.append("<u/>")
    parts.append('<sz val="11"/>')
    if font.color:
        parts.append(f'<color rgb="FF{font.color}"/>')
    parts.append('<rFont val="Calibri"/>' if run else '<name val="Calibri"/>')
    parts.append('<family val="2"/>')
    return "".join(parts)


def _sheet_view(sheet: Sheet, selected: bool) -> str:
    tab = ' tabSelected="1"' if selected else ""
    rows, cols = sheet.freeze_rows, sheet.freeze_cols
    if not rows and not cols:
        return f'<sheetViews><sheetView workbookViewId="0"{tab}/></sheetViews>'
    top_left = f"{column_letter(cols)}{rows + 1}"
    pane = "bottomRight" if rows and cols else ("bottomLeft" if rows else "topRight")
    split = (f' xSplit="{cols}"' if cols else "") + (f' ySplit="{rows}"' if rows else "")
    return (f'<sheetViews><sheetView workbookViewId="0"{tab}>'
            f'<pane{split} topLeftCell="{top_left}" activePane="{pane}" state="frozen"/>'
            f'<selection pane="{pane}" activeCell="{top_left}" sqref="{top_left}"/>'
            "</sheetView></sheetViews>")


def text_lines(text: str, room: float) -> int:
    """About how many lines `text` takes in a wrapped cell `room` digit widths wide: each
    line of it wrapped on its own (CJK counted double, `display_width`)."""
    room = int(room)
    if "\n" not in text:
        return max(1, -(-display_width(text) // room))
    return sum(max(1, -(-display_width(line) // room)) for line in text.split("\n"))


def column_letter(index: int) -> str:
    """Spreadsheet column letters of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(value: str) -> str:
    """`value` as XML character data (SpreadsheetML's _xHHHH_ for what XML cannot carry)."""
    if _MAY_NEED_ESCAPE(value) is None or _NEEDS_ESCAPE(value) is None:
        return value
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # A literal _xHHHH_ would read back as an escape: escape its underscore first.
    value = _ESCAPED_LOOKALIKE.sub(r"_x005F_\1", value)
    value = value.replace("\r", "&#13;")
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")


class _Deflater:
    """Zip parts compressed on a second thread while this one builds the next XML.

    zlib releases the GIL, so on two cores deflating costs almost no wall time.
    """

    _DONE = object()

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self._zf = zf
        self._queue: queue.Queue[object] = queue.Queue(maxsize=16)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="xlsx-deflate", daemon=True)

    def __enter__(self) -> _Deflater:
        self._thread.start()
        return self

    def part(self, name: str, chunks: Iterable[str]) -> None:
        """Add the part `name` made of `chunks` (consumed here, compressed there)."""
        self._put(("open", name))
        for chunk in chunks:
            if chunk:
                self._put(chunk.encode("utf-8"))
        self._put(("close", name))

    def _put(self, item: object) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(item)

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self._queue.put(self._DONE)
        self._thread.join()
        if exc_type is None and self._error is not None:
            raise self._error

    def _run(self) -> None:
        handle: IO[bytes] | None = None
        while True:
            item = self._queue.get()
            if item is self._DONE:
                if handle is not None:
                    handle.close()
                return
            if self._error is not None:
                continue  # drain: the producer raises the error on its next put
            try:
                if isinstance(item, bytes):
                    handle.write(item)  # type: ignore[union-attr]
                elif item[0] == "open":  # type: ignore[index]
                    handle = self._zf.open(item[1], "w")  # type: ignore[index]
                else:
                    handle.close()  # type: ignore[union-attr]
                    handle = None
            except BaseException as exc:  # handed to the producer thread
                self._error = exc


_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
    f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>")

"""Reading any aligned file of a document back as segment records (for `workbench check`, the
export guard and `workbench state rebuild`): `.jsonl`, `.tmx`, or one file of a
`<doc>.ja.txt` / `<doc>.en.txt` pair. Every reader refuses what is not such a file with an
ExportError naming it (and the line), never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.formats.jsonl import parse_jsonl, read_jsonl
from workbench.core.formats.tmx import TmxUnit, parse_tmx, read_tmx
from workbench.core.formats.txt import parse_txt_pair, read_txt_pair
from workbench.core.records import STATUSES, SegmentRecord

PAIR_SUFFIXES = (".ja.txt", ".en.txt")


def read_aligned(path: Path, *, as_work: bool = False) -> list[SegmentRecord]:
    """Segments of an aligned file. For checking, every English line of a text pair is
    taken as a reviewed final (a blank one is an untranslated reviewed segment); `as_work`
    reads them as the work recorded (a blank line: no final, status new)."""
    name = path.name
    if name.endswith(".jsonl"):
        return read_jsonl(path)
    if name.endswith(".tmx"):
        return tmx_records(read_tmx(path), name[: -len(".tmx")])
    for lang, other in ((".ja.txt", ".en.txt"), (".en.txt", ".ja.txt")):
        if name.endswith(lang):
            doc = name[: -len(lang)]
            partner = path.with_name(doc + other)
            if not partner.exists() and path.exists():
                raise WorkbenchError(f"no {partner.name} beside it to align with", path=path)
            ja, en = (path, partner) if lang == ".ja.txt" else (partner, path)
            return pair_records(read_txt_pair(ja, en), doc, as_work=as_work)
    if not path.exists():
        raise WorkbenchError("no such file", path=path)
    raise WorkbenchError("not an aligned file (.jsonl, .tmx, or a .ja.txt/.en.txt pair)",
                         path=path)


def parse_aligned(fmt: str, doc: str, files: Sequence[tuple[Path, bytes]]
                  ) -> list[SegmentRecord]:
    """The records of one format of one document from its files' bytes (as the work
    recorded, see `read_aligned`): `files` is the one `.jsonl` or `.tmx`, or the `.ja.txt`
    and `.en.txt` of a pair, in that order."""
    if fmt == "jsonl":
        return parse_jsonl(files[0][1], files[0][0])
    if fmt == "tmx":
        return tmx_records(parse_tmx(files[0][1], files[0][0]), doc)
    (ja_path, ja), (en_path, en) = files
    return pair_records(parse_txt_pair(ja, ja_path, en, en_path), doc, as_work=True)


def tmx_records(units: Sequence[TmxUnit], doc: str) -> list[SegmentRecord]:
    """TMX units as records: document, number, kind and status from the unit's props (as
    `tmx_bytes` writes them), reviewed when it has none."""
    out = []
    for i, unit in enumerate(units, 1):
        number = unit.props.get("x-number", "")
        status = unit.props.get("x-status", "reviewed")
        changed = unit.attrs.get("changedate")
        out.append(SegmentRecord.of(
            id=unit.id, doc=unit.props.get("x-document", doc),
            ordinal=int(number) if number.isdigit() else i, source=unit.source,
            line_start=i, line_end=i, kind=unit.props.get("x-kind", "text"),
            final=unit.target, status=status if status in STATUSES else "reviewed",
            updated_by=unit.attrs.get("changeid"), updated_at=_iso(changed) if changed else None))
    return out


def pair_records(pairs: Sequence[tuple[str, str]], doc: str, *,
                 as_work: bool = False) -> list[SegmentRecord]:
    """Line pairs as records numbered by line, reviewed; with `as_work` a blank English
    line is a segment with no final (new), as `--all` exports write one."""
    return [SegmentRecord.of(doc=doc, ordinal=i, source=source, line_start=i, line_end=i,
                             final=target if target or not as_work else None,
                             status="reviewed" if target or not as_work else "new")
            for i, (source, target) in enumerate(pairs, 1)]


def _iso(tmx_date: str) -> str:
    """`20250131T090000Z` (TMX) as `2025-01-31T09:00:00Z` (the state's format)."""
    d = tmx_date
    if len(d) == 16 and d[8] == "T":
        return f"{d[0:4]}-{d[4:6]}-{d[6:8]}T{d[9:11]}:{d[11:13]}:{d[13:15]}Z"
    return d

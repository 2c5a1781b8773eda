"""Reading any aligned file of a document back as segment records (for `workbench check`):
`.jsonl`, `.tmx`, or one file of a `<doc>.ja.txt` / `<doc>.en.txt` pair."""

from __future__ import annotations

from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.formats.jsonl import read_jsonl
from workbench.core.formats.tmx import read_tmx
from workbench.core.formats.txt import read_txt_pair
from workbench.core.records import SegmentRecord


def read_aligned(path: Path) -> list[SegmentRecord]:
    """Segments of an aligned file for checking. Their English is taken as final."""
    name = path.name
    if not path.exists():
        raise WorkbenchError("no such file", path=path)
    if name.endswith(".jsonl"):
        return read_jsonl(path)
    if name.endswith(".tmx"):
        doc = name[: -len(".tmx")]
        return [SegmentRecord.of(id=u.id, doc=u.props.get("x-document", doc),
                                 ordinal=int(u.props.get("x-number", i)), source=u.source,
                                 line_start=i, line_end=i, kind=u.props.get("x-kind", "text"),
                                 final=u.target, status=u.props.get("x-status", "reviewed"))
                for i, u in enumerate(read_tmx(path), 1)]
    for lang, other in ((".ja.txt", ".en.txt"), (".en.txt", ".ja.txt")):
        if name.endswith(lang):
            doc = name[: -len(lang)]
            partner = path.with_name(doc + other)
            if not partner.exists():
                raise WorkbenchError(f"no {partner.name} beside it to align with", path=path)
            ja, en = (path, partner) if lang == ".ja.txt" else (partner, path)
            return [SegmentRecord.of(doc=doc, ordinal=i, source=source, line_start=i,
                                     line_end=i, final=target, status="reviewed")
                    for i, (source, target) in enumerate(read_txt_pair(ja, en), 1)]
    raise WorkbenchError("not an aligned file (.jsonl, .tmx, or a .ja.txt/.en.txt pair)",
                         path=path)

"""A project whose segments are awkward, for the export and import tests (the `tricky`
fixture in tests/conftest.py builds it)."""

from __future__ import annotations

from pathlib import Path

from workbench.core.project import Project
from workbench.core.records import SegmentRecord

DOC = "tricky"
SOURCES = (
    "<b>東京</b>と大阪&京都の関係。",
    "絵文字😀を含む文です。",
    "アゼルバイジャンとロシアの首脳が会談した。",
    "「引用」と_x000B_のような文字列。",
    "タブ\tを含む。",
    "まだ訳されていない文。",
)
# (final, status) per source above: tags and &, emoji, two lines, a backslash and a literal
# `\n`, an empty final, and no final at all.
WORK = (
    ("<b>Tokyo</b> & Osaka & Kyoto: a relationship.", "approved"),
    ("A sentence with an emoji 😀.", "reviewed"),
    ("Leaders of Azerbaijan and Russia met.\nA second line.", "reviewed"),
    ("A quote and _x000B_ as text, C:\\new\\n and a \\ alone.", "draft"),
    ("", "reviewed"),
    (None, "new"),
)
GLOSSARY = "en\tja\ttype\nAzerbaijan\tアゼルバイジャン\tplace\nRussia\tロシア\tplace\n"


def make_project(root: Path, sources: tuple[str, ...] = SOURCES, doc: str = DOC,
                 glossary: str = GLOSSARY) -> Path:
    """A project folder with one document holding `sources`, one sentence a paragraph."""
    for sub in ("sources", "glossary", "aligned"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "sources" / f"{doc}.ja.txt").write_text("\n\n".join(sources) + "\n",
                                                    encoding="utf-8")
    (root / "glossary" / "names.tsv").write_text(glossary, encoding="utf-8")
    return root


def add_work(project: Project, work: tuple[tuple[str | None, str], ...] = WORK,
             doc: str = DOC) -> list[SegmentRecord]:
    """Give the document's segments their finals and statuses, in order."""
    records = project.segments(doc)
    assert [r.source for r in records][:len(work)] == list(SOURCES)[:len(work)]
    project.set_mt([(r.id, f"MT of {r.source}", "test-engine") for r in records])
    changes = [(r.id, final, status)
               for r, (final, status) in zip(records, work, strict=False)]
    project.update_many(changes, by="reviewer")
    return project.segments(doc)


def use_backend(root: Path, url: str | None) -> Path:
    """Point the project at `root` to the backend (`backend` fixture); returns `root`."""
    if url is not None:
        from workbench.core.settings import write_state_url

        write_state_url(root, url)
    return root

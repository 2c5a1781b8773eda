"""The Normalized pane says why each rewrite was made and how sure it is, and shows a
rewrite too unsure to make as a suggestion that the accepted text does not take."""

from __future__ import annotations

from pathlib import Path

from driving import drive, pane, reviewing, screen_text, settle, stored

from workbench.core.enforce import APPLY_AT
from workbench.core.ingest import sync
from workbench.core.project import Project
from workbench.tui.widgets.panes import suggested_spans

GLOSSARY = """\
en\tja\ttype
Astana\tアスタナ\tplace
Kazakhstan\tカザフスタン\tplace
Azerbaijan\tアゼルバイジャン\tplace
Abulfaz Elchibey\tエルチベイ\tperson
"""
SOURCE = "アスタナはカザフスタンの首都で、エルチベイはアゼルバイジャンにいた。\n"
MT = "The capital of Kazakstan is Astara, and Elchibei was in Azerbaidzhan."


def mt_project(root: Path) -> Path:
    (root / "sources" / "capital.ja.txt").write_text(SOURCE, encoding="utf-8")
    (root / "glossary" / "names.tsv").write_text(GLOSSARY, encoding="utf-8")
    with Project.open(root) as project:
        sync(project)
        segment = project.segments("capital")[0]
        project.set_mt([(segment.id, MT, "test-engine")])
    return root


@drive
async def test_each_rewrite_says_why_and_an_unsure_one_is_only_suggested(
        empty_project: Path, argos_packages_dir: Path) -> None:
    root = mt_project(empty_project)
    async with reviewing(root, doc="capital") as (app, pilot):
        shown = pane(app, "normalized")
        assert shown.splitlines()[0] == ("The capital of Kazakhstan is Astara, and Elchibey "
                                         "was in Azerbaijan.")
        enforced = app.review.current.enforced      # type: ignore[union-attr]
        spans = suggested_spans(enforced.changes, enforced.suggestions)
        assert [enforced.text[a:b] for a, b in spans] == ["Astara"]   # underlined there
        assert "Kazakstan → Kazakhstan · 1 letter off · 0.85" in shown
        assert "Elchibei → Elchibey · transliteration: y/i · 0.95" in shown
        assert "Azerbaidzhan → Azerbaijan · transliteration: dzh/dj/j · 0.95" in shown
        suggestion = next(line for line in shown.splitlines() if line.startswith("? "))
        assert suggestion.startswith("? Astara → Astana ·")
        assert suggestion.endswith("suggested, not applied")
        confidence = float(suggestion.split(" · ")[-1].split()[0])
        assert confidence < APPLY_AT
        assert "rewritten · 1 suggested" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        final = stored(root, "capital")[0].final
        assert final is not None and "is Astara," in final and "Kazakhstan" in final

"""The checks of the English as text (Japanese left over, spaces, brackets and quotes, the
final punctuation, the capital, repeated words) and the catalog, each on a real sentence of
the demo sources."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from workbench.core.checks import CATALOG, CHECKS, check_records, check_segments, explain
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.model import Glossary
from workbench.core.records import Issue, Segment, SegmentRecord
from workbench.core.segment import segment_file

REPO = Path(__file__).resolve().parents[2]
MEDVEDEV = "Dmitry MedvedevはAzerbaijanに迎えている"


@lru_cache(maxsize=1)
def _sentences() -> tuple[Segment, ...]:
    return tuple(s for p in sorted((REPO / "sources").glob("*.txt"))
                 for s in segment_file(p).segments)


def sentence(fragment: str) -> Segment:
    """The segment of the demo sources that holds `fragment` (so the test's sentence is real)."""
    found = [s for s in _sentences() if fragment in s.source]
    assert len(found) >= 1, f"no source sentence holds {fragment!r}"
    return found[0]


def worked(segment: Segment, final: str | None, status: str = "reviewed",
           mt: str | None = None) -> SegmentRecord:
    return SegmentRecord(segment, mt=mt, final=final, status=status)


def issues_of(record: SegmentRecord, check: str, glossary: Glossary | None = None
              ) -> list[Issue]:
    return [i for i in check_segments([record], glossary or Glossary([])) if i.check == check]


@pytest.fixture(scope="module")
def real() -> Glossary:
    return load_glossary(REPO / "glossary")


# ------------------------------------------------------------------------------ catalog


def test_every_check_has_an_id_a_severity_and_one_line() -> None:
    assert len({c.id for c in CATALOG}) == len(CATALOG) >= 17
    for info in CATALOG:
        assert info.severity in ("error", "warning", "info", "by status")
        assert info.explanation and "\n" not in info.explanation and explain(info.id)
    assert {"japanese-left", "whitespace", "unpaired", "end-punctuation", "capital",
            "repeated-word", "length", "spelling"} <= set(CHECKS)


# ------------------------------------------------------------------------------ Japanese left


def test_a_half_japanese_final_accepted_as_reviewed_is_an_error(real: Glossary) -> None:
    segment = sentence("メドベージェフはアゼルバイジャンに迎えている")
    for status, severity in (("reviewed", "error"), ("approved", "error"),
                             ("draft", "warning")):
        found = issues_of(worked(segment, MEDVEDEV, status), "japanese-left", real)
        assert [(i.severity, i.message) for i in found] == [
            (severity, "Japanese left in the English: は, に迎えている"
             + (f", but marked {status}" if status != "draft" else ""))]
    # the batch check a project runs reports it too, and fails on it
    report = check_records([worked(segment, MEDVEDEV)], real)
    assert [i.check for i in report.at_or_above("error")] == ["japanese-left"]
    # a copied source is `identical`, not also Japanese left over
    copied = worked(segment, segment.source)
    assert issues_of(copied, "japanese-left") == [] and issues_of(copied, "identical")


def test_japanese_punctuation_left_in_the_english_counts() -> None:
    segment = sentence("米国はカザフスタンにも興味を持っています")
    found = issues_of(worked(segment, "The United States is also interested in Kazakhstan。"),
                      "japanese-left")
    assert len(found) == 1 and "。" in found[0].message


def test_an_empty_final_marked_approved_is_an_error() -> None:
    segment = sentence("米国はカザフスタンにも興味を持っています")
    found = issues_of(worked(segment, "", "approved"), "untranslated")
    assert [(i.severity, i.message) for i in found] == [
        ("error", "an empty final translation, but marked approved")]


# ------------------------------------------------------------------------------ spaces


@pytest.mark.parametrize("final, message", [
    ("Relations between Vietnam and  Azerbaijan are based on international law.",
     "a double space after 'and'"),
    (" Relations between Vietnam and Azerbaijan are based on international law.",
     "a space at the start"),
    ("Relations between Vietnam and Azerbaijan are based on international law. ",
     "a space at the end"),
    ("Relations between Vietnam and Azerbaijan are based on international law.", None),
    ("Relations between Vietnam and Azerbaijan\nare based on international law.", None),
])
def test_whitespace(final: str, message: str | None) -> None:
    segment = sentence("ベトナムとアゼルバイジャンの関係は、国際法")
    found = issues_of(worked(segment, final), "whitespace")
    assert [i.message for i in found] == ([message] if message else [])


# ------------------------------------------------------------------------------ brackets


@pytest.mark.parametrize("final, message", [
    ("Since 1992, Vietnam and Azerbaijan (hereinafter “the two countries” have built a "
     "strong friendship.", "unpaired ( after 'Azerbaijan'"),
    ("Since 1992, Vietnam and Azerbaijan (hereinafter “the two countries) have built a "
     "strong friendship.", "unpaired “ after '(hereinafter'"),
    ('Since 1992, Vietnam and Azerbaijan (hereinafter "the two countries) have built a '
     "strong friendship.", "unpaired \" after '(hereinafter'"),
    ("Since 1992, Vietnam and Azerbaijan (hereinafter “the two countries”) have built the "
     "countries’ strong friendship.", None),        # ’ alone is an apostrophe
])
def test_unpaired_brackets_and_quotes(final: str, message: str | None) -> None:
    segment = sentence("ベトナムとアゼルバイジャン(以下、「両国」という)は")
    found = issues_of(worked(segment, final), "unpaired")
    assert [i.message for i in found] == ([message] if message else [])


def test_a_mark_the_source_leaves_unpaired_is_not_reported() -> None:
    segment = sentence("МИДРоссииопровергин")           # `^ “”МИД…”` : an odd quote there
    assert segment.source.count("”") != segment.source.count("“")
    final = "^ “”The Russian Foreign Ministry denied the reports."
    assert issues_of(worked(segment, final), "unpaired") == []


# ------------------------------------------------------------------------------ sentence ends


@pytest.mark.parametrize("source_end, final, message", [
    ("。", "The United States is also interested in Kazakhstan",
     "ends with no punctuation, not '.'"),
    ("。", "Is the United States also interested in Kazakhstan?", "ends with '?', not '.'"),
    ("。", "The United States is also interested in Kazakhstan.", None),
    ("。", "The United States is “also interested” in Kazakhstan.”", None),
    ("？", "Is the United States also interested in Kazakhstan.", "ends with '.', not '?'"),
    ("？", "Is the United States also interested in Kazakhstan?", None),
    ("！", "The United States is also interested in Kazakhstan!", None),
    ("！", "The United States is also interested in Kazakhstan.", None),   # toned down
])
def test_end_punctuation(source_end: str, final: str, message: str | None) -> None:
    real = sentence("米国はカザフスタンにも興味を持っています")
    segment = Segment(real.id, real.doc, real.ordinal, real.source[:-1] + source_end,
                      real.line_start, real.line_end, real.kind)
    found = issues_of(worked(segment, final), "end-punctuation")
    assert [message in i.message for i in found] == ([True] if message else [])


def test_a_heading_gets_no_full_stop() -> None:
    heading = sentence("中央アジアの隣人")
    assert heading.kind == "heading"
    found = issues_of(worked(heading, "Central Asian neighbours."), "end-punctuation")
    assert len(found) == 1 and "has no full stop" in found[0].message
    assert issues_of(worked(heading, "Central Asian neighbours"), "end-punctuation") == []


# ------------------------------------------------------------------------------ capital


def test_a_sentence_starts_with_a_capital() -> None:
    segment = sentence("米国はカザフスタンにも興味を持っています")
    found = issues_of(worked(segment, "the United States is also interested in Kazakhstan."),
                      "capital")
    assert [i.message for i in found] == ["the target starts with a small letter: 'the'"]
    for fine in ("The United States is also interested in Kazakhstan.",
                 "“The United States” is also interested in Kazakhstan.",
                 "iPhone sales in Kazakhstan interest the United States.",
                 "1990s interest in Kazakhstan came from the United States."):
        assert issues_of(worked(segment, fine), "capital") == [], fine
    # a fragment (a table cell, a label) may start as it likes
    label = sentence("写真:トン・ニャット/VNA")
    assert issues_of(worked(label, "photo: Tong Nhat/VNA"), "capital") == []


# ------------------------------------------------------------------------------ repeated words


@pytest.mark.parametrize("final, message", [
    ("The the two sides will strengthen the exchange of information.",
     "a word repeated: 'The the'"),
    ("The two sides will strengthen the the exchange of information, information.",
     "a word repeated: 'the the'"),
    ("The two sides will strengthen the exchange of information information.",
     "a word repeated: 'information information'"),
    ("The two sides will strengthen the exchange. Exchange of information matters.", None),
    ("What the two sides had had in mind was an exchange of information.", None),
])
def test_repeated_words(final: str, message: str | None) -> None:
    segment = sentence("双方は情報交換を強化し")
    found = issues_of(worked(segment, final), "repeated-word")
    assert [i.message for i in found] == ([message] if message else [])


def test_a_clean_translation_of_a_real_sentence_has_no_issue(real: Glossary) -> None:
    segment = sentence("双方は情報交換を強化し")
    final = ("The two sides will strengthen the exchange of information and promote "
             "cooperation in oil and gas development, oil and gas services and the training "
             "of oil and gas personnel.")
    assert check_segments([worked(segment, final)], real) == []

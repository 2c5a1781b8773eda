"""The English side of an alignment: sentences out of damaged text, numbers, words."""

from __future__ import annotations

import pytest

from workbench.core.align.anchors import number_key
from workbench.core.align.languages import target_language
from workbench.core.cleanup_latin import clean_latin
from workbench.core.errors import WorkbenchError
from workbench.core.numbers import english_numbers, japanese_numbers

EN = target_language("en")


@pytest.mark.parametrize("text", [
    "Mr. Smith met the U.S. delegation in Baku.",
    "The figure is on p. 98 of the report.",
    "Many names, e.g. Aliyev, are common.",
    "President N. A. Nazarbayev spoke at length.",
    "J. R. R. Tolkien wrote it.",
    "Trade grew by 3.6 percent to $2.43 billion.",
    "Talks were held in Washington, D.C. on Monday.",
    "It was built on two pillars: (a) people and (b) infrastructure.",
    "See the site baotintuc.vn for the text.",
])
def test_these_do_not_end_a_sentence(text: str) -> None:
    assert EN.split(text) == [text]
    assert EN.split(f"{text} The next one begins here.") == [text, "The next one begins here."]


def test_sentences_keep_their_order_and_text() -> None:
    text = ('He said "stop." Then he left! Was it 1992? In 2024 too, Russia said so. '
            "Gen. Smith came (at last). Then the UN. The end.")
    assert EN.split(text) == ['He said "stop."', "Then he left!", "Was it 1992?",
                              "In 2024 too, Russia said so.", "Gen. Smith came (at last).",
                              "Then the UN.", "The end."]
    assert EN.split("   ") == []


EXTRACT = """DIPLOMATIC BLUEBOOK 2025
Since the establishment of diplomatic relations in 1992, Vietnam and Azerbaijan have
fostered a strong, traditional friendship and developed multifaceted coop-
eration based on trust, equality and mutual respect, with a multi-
vector policy towards the region of the Nagorno-
Karabakh conflict and elsewhere.(1) The two countries have also agreed to

12

DIPLOMATIC BLUEBOOK 2025
strengthen their relations in every field, in particular that of energy and
trade, as their leaders said in Baku, where they met for the third time in a
multi-vector setting.
Political relations
(1)\tA footnote about the relations that runs over the whole width of the
page and a little more.

The two sides will promote delegation exchanges at all levels, including the
highest, and will increase exchanges through all channels of the parties.
13
DIPLOMATIC BLUEBOOK 2025
"""


def test_a_page_extract_is_cleaned_before_it_is_split() -> None:
    split = EN.sentences(EXTRACT)
    assert split.layout == "pdf"
    texts = [s.text for s in split.sentences]
    assert texts[0].startswith("Since the establishment")
    assert "cooperation based on trust" in texts[0]          # coop- ⏎ eration: one word
    assert "multi-vector policy" in texts[0]      # a real hyphen stays (written so elsewhere)
    assert "Nagorno-Karabakh conflict" in texts[0]
    assert texts[1] == ("The two countries have also agreed to strengthen their relations in "
                        "every field, in particular that of energy and trade, as their leaders "
                        "said in Baku, where they met for the third time in a multi-vector "
                        "setting.")   # a page break
    assert texts[2] == "Political relations"
    # The footnote body goes after the unit it interrupted, not into the next sentence.
    assert texts[3] == "A footnote about the relations that runs over the whole width of the " \
                       "page and a little more."
    assert texts[4].startswith("The two sides will promote")
    assert [s.kind for s in split.sentences][2] == "heading"
    reasons = {(d.line, d.reason) for d in split.deletions}
    assert {(1, "page-furniture"), (6, "footnote-marker"), (8, "page-furniture"),
            (10, "page-furniture"), (15, "footnote-label"), (20, "page-furniture"),
            (21, "page-furniture")} <= reasons
    assert split.sentences[1].line == 6


def test_a_paragraph_a_line_text_is_not_joined() -> None:
    text = ("Kazakhstan pursues a balanced policy. It is a member of many associations.\n"
            "The country has the image of a serious partner.\n\nThe big neighbour\n\n"
            "China is one of the largest investors.\n")
    split = EN.sentences(text)
    assert split.layout == "plain"
    assert [s.text for s in split.sentences] == [
        "Kazakhstan pursues a balanced policy.", "It is a member of many associations.",
        "The country has the image of a serious partner.", "The big neighbour",
        "China is one of the largest investors."]
    assert [s.unit for s in split.sentences] == [0, 0, 1, 2, 3]
    assert split.sentences[3].kind == "heading"


def test_a_heading_repeated_now_and_then_is_not_page_furniture() -> None:
    body = ("word " * 14 + "\n") * 400
    text = "\n".join(f"Overview\n\n{body}" for _ in range(3))
    cleaned = clean_latin(text)
    assert sum(u.text == "Overview" for u in cleaned.units) == 3


def test_dates_and_amounts_are_read_alike_on_both_sides() -> None:
    pairs = [("2024年5月", "May 2024"), ("3億ドル", "$300 million"), ("令和6年", "in 2024"),
             ("平成元年", "1989"), ("５％", "5 percent"), ("二〇二四年", "2024"),
             ("19.911億ドル", "$1.99 billion")]
    for ja, en in pairs:
        assert {number_key(v) for v in japanese_numbers(ja)} == \
            {number_key(v) for v in english_numbers(en)}, (ja, en)


def test_words_are_folded_for_matching() -> None:
    assert EN.words("The Parties' agreements on the countries' energy") == {
        "party", "agreement", "country", "energy"}


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(WorkbenchError, match="no aligner support for the language 'xx'"):
        target_language("xx")

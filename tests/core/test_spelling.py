"""English spelling with Debian's Hunspell dictionary (through spylls), the project's known
words, and what happens without a dictionary."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from workbench.core import spelling
from workbench.core.checks import check_context, check_records
from workbench.core.glossary.folder import load_glossary
from workbench.core.records import SegmentRecord
from workbench.core.spelling import Speller, SpellingUnavailable, find_dictionary

REPO = Path(__file__).resolve().parents[2]


def _installed() -> bool:
    try:
        find_dictionary()
    except SpellingUnavailable:
        return False
    return True


pytestmark = pytest.mark.skipif(not _installed(), reason="no Hunspell en_US dictionary "
                                                         "(apt install hunspell-en-us)")
COOPERATION = "双方は、エネルギー分野における協力を強力に推進し"


@pytest.fixture(scope="module")
def speller() -> Speller:
    return Speller.load(["Mishustin"])


def test_misspellings_are_found_and_english_is_not(speller: Speller) -> None:
    text = ("The two sides agreed to strengthen cooperaton in the energy sector, Russia's "
            "co-operation with the U.S. and the G7 in the 1990s, and NATO’s recieved plans; "
            "Mishustin said so.")
    assert speller.misspelt(text) == ["cooperaton", "recieved"]
    assert [(m.word, text[m.start:m.end]) for m in speller.check(text)] == [
        ("cooperaton", "cooperaton"), ("recieved", "recieved")]


@pytest.mark.parametrize("word, known", [
    ("The", True),           # a lower-case word may start a sentence
    ("paris", False),        # a name is written with its capital
    ("Paris", True),
    ("Paris's", True),
    ("unstrengthened", False),
    ("well-known", True),
    ("NATO", True),          # capitals: an acronym, not checked
    ("Ilham", False),        # a name the dictionary does not know …
    ("Mishustin", True),     # … and one the project does
])
def test_words(speller: Speller, word: str, known: bool) -> None:
    assert (speller.misspelt(word) == []) is known


def test_the_expanded_dictionary_agrees_with_spylls(tmp_path: Path) -> None:
    """The cached word list accepts what Hunspell's lookup (spylls) accepts, and no more."""
    from spylls.hunspell import Dictionary

    dic = find_dictionary()
    hunspell = Dictionary.from_files(str(dic.with_suffix("")))
    speller = Speller(spelling.dictionary_words(dic))
    rng = random.Random(4)
    forms = rng.sample(sorted(speller.words), 1500)
    letters = "abcdefghijklmnopqrstuvwxyz"
    typos = [w[:i] + rng.choice(letters) + w[i + 1:] for w in forms[:1500]
             for i in [rng.randrange(len(w))]]
    for word in forms + typos + [w.capitalize() for w in forms[:500]]:
        if word.isupper() or "'" in word or len(word) < 2:
            continue
        assert (speller.misspelt(word) == []) is bool(hunspell.lookup(word)), word


def test_the_word_list_is_cached_by_the_dictionarys_contents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    dic = find_dictionary()
    words = spelling._expanded_words(dic)
    cached = list((tmp_path / "cache" / "workbench" / "hunspell").glob("en_US-*.txt"))
    assert len(cached) == 1 and "government" in words

    def no_expansion(dic: Path) -> set[str]:
        raise AssertionError("expanded again")

    monkeypatch.setattr(spelling, "expand_dictionary", no_expansion)
    assert spelling._expanded_words(dic) == words


def test_the_check_knows_glossary_names_and_the_project_word_list(tmp_path: Path) -> None:
    folder = tmp_path / "glossary"
    folder.mkdir()
    (folder / "names.tsv").write_text((REPO / "glossary" / "names.tsv").read_text(
        encoding="utf-8"), encoding="utf-8")
    source = next(s for s in _real_sources() if COOPERATION in s)
    final = ("The two sides agreed to promote cooperaton in the energy sector with Elchibey "
             "and Tokayev.")
    record = SegmentRecord.of(id="s1", doc="d", ordinal=1, source=source, final=final,
                              status="reviewed")
    found = [i.message for i in check_records([record], load_glossary(folder)).issues
             if i.check == "spelling"]
    assert len(found) == 2 and "'cooperaton'" in found[0] and "'Tokayev'" in found[1]
    assert "add it to the glossary or to glossary/words.txt" in found[1]
    (folder / "words.txt").write_text("# people not in the glossary\nTokayev\n",
                                      encoding="utf-8")
    found = [i.message for i in check_records([record], load_glossary(folder)).issues
             if i.check == "spelling"]
    assert len(found) == 1 and "'cooperaton'" in found[0]


def test_without_a_dictionary_the_check_says_how_to_install_one_and_the_rest_runs(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(spelling.DICTIONARY_ENV, str(tmp_path / "none" / "en_US.dic"))
    glossary = load_glossary(REPO / "glossary")
    context = check_context(glossary)
    assert context.speller is None
    assert "apt install hunspell-en-us" in context.notes[0]
    source = next(s for s in _real_sources() if COOPERATION in s)
    record = SegmentRecord.of(id="s1", doc="d", ordinal=1, source=source,
                              final="the two sides agreed to promote cooperaton", status="reviewed")
    report = check_records([record], glossary)
    assert report.notes == context.notes
    assert {i.check for i in report.issues} == {"capital", "end-punctuation"}


def _real_sources() -> list[str]:
    from workbench.core.segment import segment_file

    return [s.source for p in sorted((REPO / "sources").glob("*.txt"))
            for s in segment_file(p).segments]


def test_a_name_the_glossary_rewrites_or_japanese_left_is_reported_once() -> None:
    glossary = load_glossary(REPO / "glossary")
    elchibey = next(s for s in _real_sources() if s.startswith("エルチベイの1年間の統治"))
    record = SegmentRecord.of(id="s1", doc="d", ordinal=1, source=elchibey, status="reviewed",
                              final="During Abulfaz Elchbey's year in power, Azerbaijan–Russia "
                                    "relations were damaged.")
    checks = [i.check for i in check_records([record], glossary).issues]
    assert "off-canonical" in checks and "spelling" not in checks
    # an MT that stopped halfway: its missing full stop is not worth saying as well
    kazakhstan = next(s for s in _real_sources() if s.startswith("米国はカザフスタンにも興味"))
    record = SegmentRecord.of(id="s2", doc="d", ordinal=2, source=kazakhstan, status="reviewed",
                              final="The United States is alsoにも興味を持っています")
    checks = [i.check for i in check_records([record], glossary).issues]
    assert "japanese-left" in checks and "end-punctuation" not in checks

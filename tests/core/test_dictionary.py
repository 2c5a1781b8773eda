"""The offline dictionary (JMdict, JMnedict through jamdict), the transliteration of names,
and what `glossary suggest` and `glossary lint` make of them."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workbench.core.dictionary import DictionaryUnavailable, JapaneseDictionary, lookup
from workbench.core.glossary.folder import load_glossary
from workbench.core.glossary.lint import lint_glossary
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.glossary.romaji import name_romanization
from workbench.core.glossary.suggest import GUESS_MARK, suggest_names, suggestions_tsv
from workbench.core.segment import segment_file

REPO = Path(__file__).resolve().parents[2]


def _installed() -> bool:
    try:
        JapaneseDictionary().lookup("辞書")
    except DictionaryUnavailable:
        return False
    return True


needs_dictionary = pytest.mark.skipif(not _installed(), reason="jamdict-data is not installed")


def _hunspell() -> bool:
    from workbench.core.spelling import SpellingUnavailable, find_dictionary

    try:
        find_dictionary()
    except SpellingUnavailable:
        return False
    return True


@pytest.fixture(scope="module")
def dictionary() -> JapaneseDictionary:
    return JapaneseDictionary()


@pytest.fixture(scope="module")
def demo_texts() -> list[tuple[str, str]]:
    return [(s.doc, s.source) for p in sorted((REPO / "sources").glob("*.txt"))
            for s in segment_file(p).segments]


# ------------------------------------------------------------------------------ transliteration


@pytest.mark.parametrize("kana, latin", [
    ("ミシュスチン", "Mishustin"), ("トカエフ", "Tokayev"), ("メレドフ", "Meredov"),
    ("ヌルベク", "Nurbek"), ("サイードフ", "Saidov"), ("ラフィエフ", "Rafiyev"),
    ("プーチン", "Putin"), ("ショイグ", "Shoigu"), ("クラスノダール", "Krasnodar"),
    ("カシムジョマルト・トカエフ", "Kashimujomart Tokayev"),
])
def test_names_are_transliterated_by_russian_and_turkic_conventions(kana: str,
                                                                    latin: str) -> None:
    assert name_romanization(kana) == latin


# ------------------------------------------------------------------------------ lookups


def test_the_dictionary_is_not_loaded_until_a_lookup() -> None:
    code = ("import sys; import workbench.cli, workbench.core.dictionary, "
            "workbench.core.checks, workbench.core.glossary.suggest\n"
            "print([m for m in ('jamdict', 'spylls') if m in sys.modules])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert proc.stdout.strip() == "[]"


def test_a_missing_dictionary_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jamdict", None)      # as if not installed
    with pytest.raises(DictionaryUnavailable, match="jamdict is not installed") as exc:
        JapaneseDictionary().lookup("ロシア")
    assert "pip install jamdict jamdict-data" in str(exc.value)


@needs_dictionary
def test_one_dictionary_serves_every_thread() -> None:
    """The review looks words up in a worker thread after the UI thread did: SQLite's
    connections are bound to their thread, so each thread gets its own."""
    dictionary = JapaneseDictionary()
    assert dictionary.lookup("関係")
    found: list[object] = []

    def look() -> None:
        try:
            found.append(dictionary.word_at("エルチベイの1年間の統治", 7))
        except Exception as exc:   # noqa: BLE001 - what the thread met is the result
            found.append(exc)

    for _ in range(2):
        worker = threading.Thread(target=look)
        worker.start()
        worker.join()
    assert [getattr(f, "word", f) for f in found] == ["年間", "年間"]


@needs_dictionary
@pytest.mark.parametrize("kana, english, source", [
    ("ベトナム", "Vietnam", "JMdict"), ("シリア", "Syria", "JMdict"),
    ("ジョージア", "Georgia", "JMdict"), ("ダゲスタン", "Dagestan", "JMnedict"),
    ("ウィキリークス", "WikiLeaks", "JMnedict"),
])
def test_place_and_loanword_names_get_the_dictionarys_english(
        dictionary: JapaneseDictionary, kana: str, english: str, source: str) -> None:
    found = dictionary.english(kana)
    assert found is not None and (found.text, found.source, found.guess) == (english, source,
                                                                              False)


@needs_dictionary
def test_a_common_word_is_a_guess(dictionary: JapaneseDictionary) -> None:
    found = dictionary.english("ウラン")
    assert found is not None and found.text == "uranium" and found.guess
    assert dictionary.english("ミシュスチン") is None


@needs_dictionary
def test_kanji_person_names_in_either_order(dictionary: JapaneseDictionary) -> None:
    def english(kanji: str, given_first: bool = True) -> str:
        found = dictionary.person(kanji, given_first=given_first)
        assert found is not None and not found.guess
        return found.text

    assert english("石破茂") == "Shigeru Ishiba"
    assert english("石破茂", given_first=False) == "Ishiba Shigeru"
    assert english("額賀福志郎") == "Fukushiro Nukaga"        # JMnedict's Fukushirou
    split = dictionary.person("辻󠄀清人")             # not in JMnedict whole: surname + given
    assert split is not None and split.text == "Kiyoto Tsuji" and split.guess


@needs_dictionary
def test_the_word_at_the_cursor(dictionary: JapaneseDictionary) -> None:
    text = "ロシアとの関係を強化する"
    for pos in (5, 6):                               # anywhere in 関係
        found = lookup(text, pos)
        assert found is not None and (found.word, found.start, found.end) == ("関係", 5, 7)
        assert "relation" in found.entries[0].summary()
    found = lookup(text, 1)                          # a katakana word whole
    assert found is not None and found.word == "ロシア"
    selected = dictionary.word_at(text, 8, 10)       # the selection, exactly
    assert selected is not None and selected.word == "強化"
    assert lookup("", 0) is None and dictionary.word_at(text, 3, 3) is None


# ------------------------------------------------------------------------------ suggest


@needs_dictionary
def test_suggest_gives_real_english_on_the_demo(dictionary: JapaneseDictionary,
                                                 demo_texts: list[tuple[str, str]]) -> None:
    glossary = load_glossary(REPO / "glossary")
    found = {s.spellings[0][0]: s for s in suggest_names(demo_texts, glossary,
                                                         dictionary=dictionary)}
    english = {k: (s.guess_en, s.guess) for k, s in found.items()}
    assert english["ベトナム"] == ("Vietnam", False)
    assert english["シリア"] == ("Syria", False)
    assert english["ジョージア"] == ("Georgia", False)
    assert english["ダゲスタン"] == ("Dagestan", False)
    assert english["ミシュスチン"] == ("Mishustin", True)       # transliterated: to confirm
    assert "en from JMdict" in found["ベトナム"].as_entry().note
    assert "en from a transliteration (Russian and Turkic name conventions): a guess" in \
        found["ミシュスチン"].as_entry().note
    tsv = suggestions_tsv(list(found.values()), ["en", "ja", "type", "note"]).splitlines()
    assert tsv[0] == "en\tja\ttype\tnote"
    assert any(line.startswith("Vietnam\tベトナム\t") for line in tsv)
    assert any(line.startswith(GUESS_MARK + "Mishustin\tミシュスチン\t") for line in tsv)


@needs_dictionary
def test_kanji_names_follow_the_glossarys_order(dictionary: JapaneseDictionary) -> None:
    texts = [("d", "石破茂総理大臣は岸田文雄前総理大臣と会談した。")]
    western = Glossary([Entry("Fukushiro Nukaga", ("額賀福志郎",), "person")])
    eastern = Glossary([Entry("Nukaga Fukushiro", ("額賀福志郎",), "person")])
    for glossary, expected in ((western, "Shigeru Ishiba"), (eastern, "Ishiba Shigeru"),
                               (Glossary([]), "Shigeru Ishiba")):
        found = {s.spellings[0][0]: s for s in suggest_names(texts, glossary,
                                                             dictionary=dictionary)}
        assert found["石破茂"].guess_en == expected and not found["石破茂"].guess
        assert "en from JMnedict" in found["石破茂"].as_entry().note


# ------------------------------------------------------------------------------ lint


def _lint(folder: Path, rows: str, dictionary: JapaneseDictionary | None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "names.tsv").write_text("en\tja\ttype\tnote\n" + rows, encoding="utf-8")
    return [f"{p.line}: {p.message}" for p in lint_glossary(folder, dictionary)]


@needs_dictionary
@pytest.mark.skipif(not _hunspell(), reason="no Hunspell en_US dictionary")
def test_lint_flags_an_english_that_is_still_a_romanized_guess(
        tmp_path: Path, dictionary: JapaneseDictionary) -> None:
    problems = _lint(tmp_path / "g", "Jojia\tジョージア\tplace\t\n"
                                     "Betonamu\tベトナム\tplace\t\n"
                                     "Baku\tバクー\tplace\t\n"                 # Hepburn, and right
                                     "Mishustin\tミシュスチン\tperson\t\n"     # confirmed
                                     "Kasupi\tカスピ\tplace\tan old guess\n", dictionary)
    assert problems == [
        "2: `en` 'Jojia' is the romanization of ジョージア, not its English name (the "
        "dictionary has 'Georgia')",
        "3: `en` 'Betonamu' is the romanization of ベトナム, not its English name (the "
        "dictionary has 'Vietnam')",
        "6: `en` 'Kasupi' is the romanization of カスピ, not its English name (no English "
        "dictionary knows it)"]


def test_lint_flags_a_generic_term_named_as_one_dated_event(tmp_path: Path) -> None:
    problems = _lint(tmp_path / "g", "33rd G8 summit (Heiligendamm, 2007)\tG8サミット\tevent\t\n"
                                     "2024 Presidential Address to the Federal Assembly\t年次教書"
                                     "\tevent\t\n"
                                     "Diplomatic Bluebook 2025\tDIPLOMATIC BLUEBOOK 2025"
                                     "\tother\t\n"
                                     "10th anniversary of the reunion\t再統合10周年\tevent\t\n"
                                     "Russo-Persian War (1826–1828)\t日露ペルシャ戦争\tevent\t\n",
                     None)
    assert [p.split(":")[0] for p in problems] == ["2", "3"]
    assert "'33rd G8 summit (Heiligendamm, 2007)' names one dated event (33)" in problems[0]
    assert "names one dated event (2024) but 年次教書 is generic" in problems[1]


def test_lint_lists_suggested_rows_still_commented_out_as_guesses(tmp_path: Path) -> None:
    problems = _lint(tmp_path / "g", "Russia\tロシア\tplace\t\n"
                                     f"{GUESS_MARK}Mishustin\tミシュスチン\tperson\ta guess\n",
                     None)
    assert problems == ["3: suggested row for 'ミシュスチン' is still a guess ('Mishustin'): "
                        "check its English and take off the leading `#?`"]
    assert load_glossary(tmp_path / "g").find("ミシュスチン") == []     # not canonical

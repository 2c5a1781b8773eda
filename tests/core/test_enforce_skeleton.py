"""What enforcement builds on: transliteration skeletons, the English word list and derived
forms, and the glossary's `derived` column in every file format."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbench.core.errors import GlossaryError
from workbench.core.glossary.english import derived_forms, english_word, propose_derived
from workbench.core.glossary.folder import load_glossary, merge_entries
from workbench.core.glossary.formats import read_entries, write_glossary
from workbench.core.glossary.model import Entry, Glossary
from workbench.core.glossary.skeleton import differences, skeleton


@pytest.mark.parametrize("a, b, rule", [
    ("Dzhafarov", "Jafarov", "dzh/dj/j"), ("Djafarov", "Jafarov", "dzh/dj/j"),
    ("Zhomart", "Jomart", "zh/j"), ("Ilkham", "Ilham", "kh/h"), ("Geydar", "Heydar", "g/h"),
    ("Ekaterinburg", "Yekaterinburg", "ye/e"), ("Aliev", "Aliyev", "y/i"),
    ("Alieva", "Aliyeva", "y/i"), ("Dmitriy", "Dmitry", "y/i"),
    ("Dmitrii", "Dmitry", "y/i"), ("Grigorian", "Grigoryan", "y/i"),
    ("Mamadov", "Mammadov", "doubled letters"), ("Roussian", "Russian", "ou/u"),
    ("Nagorno Karabakh", "Nagorno-Karabakh", "hyphen/space"),
    ("NagornoKarabakh", "Nagorno-Karabakh", "hyphen/space"), ("Toqaev", "Tokayev", "q/k"),
    ("Elçibəy", "Elçibay", "diacritics"), ("Wladimir", "Vladimir", "w/v"),
    ("Tchetchnia", "Chechnya", "tch/ch"), ("Aleksei", "Alexei", "x/ks"),
])
def test_spellings_of_one_name_share_a_skeleton(a: str, b: str, rule: str) -> None:
    assert skeleton(a).key == skeleton(b).key
    assert rule in differences(a, b)


@pytest.mark.parametrize("a, b", [("Chechen", "Chechnya"), ("Russian", "Russia"),
                                  ("Samedov", "Mamedov"), ("Kazakh", "Kazakhstan"),
                                  ("Ivanova", "Ivanov"), ("Iran", "Iraq")])
def test_other_words_do_not(a: str, b: str) -> None:
    assert skeleton(a).key != skeleton(b).key


@given(st.text(alphabet="aeiouyhkgjdzcstqxwnrvlAEKDGZ -'çşğəı", max_size=16))
def test_a_skeleton_is_a_key_of_lower_case_letters(text: str) -> None:
    key = skeleton(text).key
    assert key == key.lower() and " " not in key and "-" not in key
    assert skeleton(text.upper()).key == key


def test_english_words_and_proper_nouns() -> None:
    assert english_word("Strengthened") == "common"      # an ordinary word, capitalized
    assert english_word("Chechen") == "proper" and english_word("Chechens") == "proper"
    assert english_word("Dmitri") == "proper"
    assert english_word("Nazarbayev") == english_word("Tokaev") == ""


@pytest.mark.parametrize("name, derived", [
    ("Russia", ("Russian",)), ("Chechnya", ("Chechen",)), ("Kazakhstan", ("Kazakh",)),
    ("Germany", ("German", "Germanic")), ("Turkey", ("Turkish",)), ("Japan", ("Japanese",)),
    ("Moscow", ()), ("Putin", ()), ("Azerbaijanis", ()),
])
def test_derived_forms_from_the_word_list(name: str, derived: tuple[str, ...]) -> None:
    assert derived_forms(name) == derived


def test_propose_derived_offers_what_the_entry_does_not_state() -> None:
    assert propose_derived(Entry("Chechnya", ("チェチェン",), "place")) == ("Chechen",)
    assert propose_derived(Entry("Chechnya", ("チェチェン",), "place",
                                 derived=("Chechen",))) == ()
    assert propose_derived(Entry("Nagorno-Karabakh", ("ナゴルノ",), "place")) == ()


ROWS = [Entry("Chechnya", ("チェチェン",), "place", derived=("Chechen", "Chechens")),
        Entry("Baku", ("バクー",), "place", en_variants=("Bakou",), note="capital")]


@pytest.mark.parametrize("suffix", [".tsv", ".csv", ".xlsx", ".tbx"])
def test_the_derived_column_round_trips_in_every_format(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"names{suffix}"
    write_glossary(ROWS, path)
    read = read_entries(path)
    assert [(e.en, e.derived, e.en_variants, e.note) for e in read] == \
        [(e.en, e.derived, e.en_variants, e.note) for e in ROWS]


def test_a_derived_column_in_a_tsv(tmp_path: Path) -> None:
    (tmp_path / "names.tsv").write_text(
        "en\tja\ttype\tderived\nChechnya\tチェチェン\tplace\tChechen|Chechens\n"
        "Chechnya\tチェチニャ\tplace\tChechenian\n", encoding="utf-8")
    entry = load_glossary(tmp_path).get("Chechnya")
    assert entry is not None and entry.derived == ("Chechen", "Chechens", "Chechenian")
    (tmp_path / "names.tsv").write_text("en\tja\tderived\nChechnya\tチェチェン\tChechen||\n",
                                        encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"names.tsv:2: empty variant in `derived`"):
        load_glossary(tmp_path)


def test_the_fingerprint_changes_with_derived_forms_only_where_stated() -> None:
    plain = Entry("Baku", ("バクー",), "place")
    assert Glossary([plain]).fingerprint == Glossary([Entry("Baku", ("バクー",), "place",
                                                            derived=())]).fingerprint
    assert Glossary([plain]).fingerprint != \
        Glossary([Entry("Baku", ("バクー",), "place", derived=("Bakuvian",))]).fingerprint
    merged = merge_entries([Entry("Baku", ("バクー",), "place", derived=("Bakuvian",)),
                            Entry("Baku", ("バク",), "place", derived=("Bakinets",))])
    assert merged[0].derived == ("Bakuvian", "Bakinets")

"""Mining names the glossary lacks from source texts (`workbench glossary suggest`).

The English of each candidate comes, in this order, from the entry it looks like a variant
of, from the dictionary (JMdict for places and loanwords, JMnedict for names: ベトナム →
Vietnam, 石破茂 → Shigeru Ishiba), from its own Latin spelling, or, for a katakana name the
dictionary does not know, from a transliteration by the conventions of names from Russian and
the Turkic languages (ミシュスチン → Mishustin). Each says where its English came from; a
guess is written commented out (`#? `), so that appending the output to a glossary never makes
a guess canonical: the reviewer checks the English and takes the `#? ` off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from workbench.core.chars import ends_word, is_katakana, starts_word
from workbench.core.dictionary import DictionaryUnavailable, English, JapaneseDictionary
from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.formats import GUESS_MARK, render_tsv
from workbench.core.glossary.model import Entry, Glossary, is_latin_text
from workbench.core.glossary.romaji import name_romanization, romanize

TRANSLITERATED = "a transliteration (Russian and Turkic name conventions)"

# Katakana words of political and economic prose that are not names; `suggest` leaves them
# out unless asked for everything.
_LOANWORDS = (
    "パートナー", "パートナーシップ", "メカニズム", "プログラム", "プロジェクト", "エネルギー",
    "ガス", "インフラ", "メディア", "サービス", "システム", "ミサイル", "テロ", "テロリズム",
    "サイバー", "グリーン", "ハイテク", "パンデミック", "イメージ", "リーダー", "メンバー",
    "プロセス", "コンソーシアム", "セクター", "ビジネス", "テクノロジー", "デジタル",
    "ネットワーク", "レベル", "ルート", "パイプライン", "コミュニケーション", "プラットフォーム",
    "ディアスポラ", "ハンドブック", "マイノリティ", "ボトル", "ケーブル", "ウォッカ",
    "コンテンツ", "リンク", "レビュー", "ステップ", "アップ", "モニター", "ロジスティクス",
    "センター", "カテゴリー", "パートナー国", "スポーツ", "バランス", "トップ", "ポスト",
    "ミッション", "インタビュー", "マルチベクトル", "タンカー", "コントラバンド", "オーディオ",
    "ビデオ", "アーカイブ", "アナリスト", "フォーラム", "アジェンダ", "グループ", "チャネル",
    "ガイドライン", "イニシアチブ", "マスター", "プラン", "セミナー", "シンポジウム",
    "ワークショップ", "トレーニング", "プレゼンス", "ダイアログ", "ビジョン", "ロードマップ",
    "スキーム", "キャンペーン", "テーマ", "ポイント", "パーセント", "キロ", "メートル", "トン",
    "ユーロ", "ハイレベル", "クリーン", "テレビ", "アクセス", "アピール", "イニシアティブ",
    "イベント", "イラスト", "インフレ", "エリート", "キロメートル", "ゲスト", "ゲートウェイ",
    "コスト", "サッカー", "ウェア", "シェア", "ジェンダー", "タスク", "フェーズアウト",
    "プライス", "キャップ", "プラス", "ヘルスケア", "ベクトル", "ホームページ", "レアメタル",
    "コロナウイルス", "ウイルス", "ワクチン", "データ", "ニュース", "メッセージ", "ルール",
    "ポリシー", "パッケージ", "プレゼンテーション", "スピーチ", "ステートメント", "コメント",
    "リスト", "テキスト", "サイト", "ウェブサイト", "オンライン", "インターネット", "ソーシャル",
    "サミット", "ハイブリッド", "エネルギ", "モデル", "ケース", "ゾーン", "エリア", "ライン",
    "ターミナル", "ハブ", "ロジスティック", "インフラストラクチャー", "トランジット",
    "マーケット", "ブランド", "ビザ", "パスポート", "ツアー", "ホテル", "スタジアム", "ホール",
    "コンサート", "オリンピック", "チーム", "ゲーム", "クラブ", "アート", "デザイン",
    "ファッション", "フード", "レストラン",
)
LOANWORDS: frozenset[str] = frozenset(fold_key(w) for w in _LOANWORDS)


def _is_loanword(key: str) -> bool:
    """A folded katakana word made only of common loanwords (イメージプログラム)."""
    if key in LOANWORDS:
        return True
    ends = {0}
    for end in range(1, len(key) + 1):
        if any(start in ends and key[start:end] in LOANWORDS for start in range(end)):
            ends.add(end)
    return len(key) in ends

_KATA_RUN = re.compile(r"[\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9f][\u30a1-\u30fc\u31f0-\u31ff"
                       r"\uff66-\uff9f]*(?:[・･=＝][\u30a1-\u30fa\u31f0-\u31ff\uff66-\uff9f]"
                       r"[\u30a1-\u30fc\u31f0-\u31ff\uff66-\uff9f]*)*")
# Capitalized words, several in a row making one name (Shanghai Cooperation Organization),
# or an acronym. Longer single words are run-together extraction debris, not names.
_TITLE_WORD = r"[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]+(?:-[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zß-öø-ÿа-яё]+)*"
# An acronym takes the digits written onto it (COP29, G20): the matcher reads them as one word.
_CAPITALIZED = re.compile(rf"{_TITLE_WORD}(?: {_TITLE_WORD})*|[A-ZА-ЯЁ]{{2,}}\d*(?![a-zа-яё])")
_MAX_WORD = 18
# Japanese (and Chinese) names in kanji have no mark of their own: they are found before a
# title (深澤陽一政務官, 石破総理大臣, 辻󠄀外務副大臣, 習近平国家主席), as the shortest run of
# one to five kanji at the start of a kanji word that a title follows.
_KANJI_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]"
_NAME_TITLES = (r"(?:前|元|現|次期)?(?:総理大臣|首相|大統領|副大統領|国家主席|外務大臣政務官|"
                r"外務副大臣|外務大臣|外相|官房長官|防衛大臣|財務大臣|経済産業大臣|大臣政務官|"
                r"政務官|副大臣|衆議院議長|参議院議長|書記長|大使|外務次官|次官|長官|氏)")
# What follows a person's name: the titles above, and ones too general to find a kanji name
# before (大臣 after 文部科学 would take the ministry for the name) or not of kanji names.
_PERSON_AFTER = re.compile(rf"^(?:{_NAME_TITLES}|(?:前|元|現)?(?:大臣|議長|外務|国防相|総裁|元帥"
                           r"|国王|将軍|博士|教授|夫人))")
_KANJI_ONLY = re.compile(rf"(?:{_KANJI_CHAR}[\ufe00-\ufe0f\U000e0100-\U000e01ef]?)+")
_KANJI_NAME = re.compile(rf"(?<!{_KANJI_CHAR})(?:{_KANJI_CHAR}"
                         rf"[\ufe00-\ufe0f\U000e0100-\U000e01ef]?){{1,5}}?(?={_NAME_TITLES})")
# What ends a country, a body or a place, never a person's name (韓国大統領, 同国外相);
# what begins a word that is no name (同氏, 両国首相, 親大統領派); the one-kanji names of
# countries (露外相); the pieces of titles (外務第一次官, 副首相兼外相).
_NOT_A_NAME_END = frozenset("国省府庁会党軍部州市県院局都")
_NOT_A_NAME_START = frozenset("同両各自本当前元現新旧親反")
_COUNTRY_KANJI = frozenset("日米露中韓朝英独仏伊加豪印台蘭西")
_TITLE_PIECES = ("外務", "第", "副", "兼", "首相", "大臣", "長官", "総理", "議長", "政務", "主席")
# Kana or kanji: what an English name never holds (lint warns of an `en` that does).
_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PLACE_AFTER = re.compile(r"^(?:川|湖|山|島|市|州|県|地方|地域|空港|港|海|半島|共和国|油田)")
_MIN_KANA = 3


@dataclass(frozen=True)
class Suggestion:
    """A name the sources use and the glossary lacks, with where it occurs."""

    key: str                    # the folded form the spellings are grouped by
    spellings: tuple[tuple[str, int], ...]   # (surface, count), most frequent first
    count: int
    docs: tuple[str, ...]
    context: str                # the first occurrence, with some text around it
    guess_en: str               # the English: the entry it is close to, the dictionary's, …
    guess_type: str
    variant_of: Entry | None = None
    similar_to: str = ""        # the existing variant it resembles
    part_of: str = ""           # a longer name found too that starts with it (辻󠄀 of 辻󠄀清人)
    en_source: str = ""         # where the English came from (JMdict, JMnedict, …)
    guess: bool = True          # the English is for a reviewer to confirm

    def as_entry(self) -> Entry:
        """The candidate as a glossary row ready to review (`note` says why it is here)."""
        note = [f"{self.count}x in {', '.join(self.docs)}"]
        if self.part_of:
            note.append(f"part of {self.part_of}? (then a spelling of that row)")
        if self.variant_of is not None:
            note.append(f"variant of {self.variant_of.en}? (close to {self.similar_to})")
        elif not any("a" <= c <= "z" for c in self.guess_en.lower()):
            note.append("en to write: the English name is not known")   # kanji: no reading
        elif self.en_source:
            note.append(f"en from {self.en_source}" + (": a guess to check" if self.guess
                                                        else ""))
        note.append(f"context: {self.context}")
        return Entry(en=self.guess_en, ja=tuple(s for s, _ in self.spellings),
                     type=self.guess_type, note="; ".join(note))


def suggestions_tsv(found: Sequence[Suggestion], columns: Sequence[str], *,
                    header: bool = True) -> str:
    """Suggestions as glossary TSV in `columns`: a row whose English is a guess commented
    out with GUESS_MARK (the glossary skips it; `glossary lint` lists it until a reviewer
    has checked the English and taken the mark off)."""
    lines = [render_tsv([], columns, header=True).rstrip("\n")] if header else []
    for suggestion in found:
        row = render_tsv([suggestion.as_entry()], columns, header=False).rstrip("\n")
        lines.append(GUESS_MARK + row if suggestion.guess else row)
    return "".join(line + "\n" for line in lines)


@dataclass
class _Candidate:
    key: str
    surfaces: Counter[str] = field(default_factory=Counter)
    docs: dict[str, None] = field(default_factory=dict)
    context: str = ""
    after: str = ""


def suggest_names(texts: Iterable[tuple[str, str]], glossary: Glossary, *,
                  min_count: int = 1, include_loanwords: bool = False,
                  dictionary: JapaneseDictionary | None = None) -> list[Suggestion]:
    """Katakana runs, capitalized Latin or Cyrillic words and kanji names before a title
    (石破総理大臣) of `(doc, text)` pairs that no glossary entry covers, grouped by folded
    form; likely variants of an entry come first. With a `dictionary`, their English comes
    from it where it knows them."""
    found: dict[str, _Candidate] = {}
    for doc, text in texts:
        covered = [(h.start, h.end) for h in glossary.find(text)]
        for start, end, surface in _name_spans(text, covered):
            key = fold_key(surface)
            if len(key.replace(" ", "")) < _MIN_KANA and any(map(is_katakana, surface)):
                continue
            if not include_loanwords and _is_loanword(key):
                continue
            cand = found.get(key)
            if cand is None:
                cand = found[key] = _Candidate(key)
                cand.context = _context(text, start, end)
                cand.after = text[end:end + 6]
            cand.surfaces[surface] += 1
            cand.docs[doc] = None
    similar = _Similarity(glossary)
    english = _EnglishFinder(glossary, dictionary)
    out = []
    for cand in found.values():
        count = sum(cand.surfaces.values())
        if count < min_count:
            continue
        spellings = tuple(cand.surfaces.most_common())
        top = spellings[0][0]
        entry, like = similar.match(top)
        guess_type = ("person" if _PERSON_AFTER.match(cand.after) else
                      "place" if _PLACE_AFTER.match(cand.after) else "")
        if entry is not None:
            en, source, guess = entry.en, "", False
        else:
            found_en = english.of(top, guess_type)
            en, source, guess = found_en.text, found_en.source, found_en.guess
        out.append(Suggestion(
            key=cand.key, spellings=spellings, count=count, docs=tuple(cand.docs),
            context=cand.context, guess_en=en,
            guess_type=entry.type if entry else guess_type, variant_of=entry, similar_to=like,
            en_source=source, guess=guess))
    # A kanji surname alone (辻󠄀外務副大臣) beside the full name (辻󠄀清人外務副大臣): one person.
    kanji = sorted((s.spellings[0][0] for s in out if _KANJI_ONLY.fullmatch(s.spellings[0][0])),
                   key=len)
    for i, s in enumerate(out):
        top = s.spellings[0][0]
        if top in kanji:
            longer = next((k for k in kanji if len(k) > len(top) and k.startswith(top)), "")
            if longer:
                out[i] = replace(s, part_of=longer)
    out.sort(key=lambda s: (s.variant_of is None, -s.count, s.key))
    return out


def _name_spans(text: str, covered: Sequence[tuple[int, int]]
                ) -> Iterable[tuple[int, int, str]]:
    """Uncovered pieces of katakana runs, kanji names before a title, and capitalized words."""
    for m in _KATA_RUN.finditer(text):
        start = m.start()
        for cs, ce in sorted(covered):
            if ce <= start or cs >= m.end():
                continue
            if cs > start:
                yield from _trimmed(text, start, cs)
            start = max(start, ce)
        if start < m.end():
            yield from _trimmed(text, start, m.end())
    for m in _KANJI_NAME.finditer(text):
        name = m.group()
        if name[-1] in _NOT_A_NAME_END or name[0] in _NOT_A_NAME_START or \
                name in _COUNTRY_KANJI or any(piece in name for piece in _TITLE_PIECES):
            continue
        if not any(cs < m.end() and m.start() < ce for cs, ce in covered):
            yield m.start(), m.end(), name
    for m in _CAPITALIZED.finditer(text):
        # Inside a longer word (`eBay`, `iPhone`) it is no name; the camelCase parts of
        # run-together extraction (`…встречеГейдара`) are.
        if not starts_word(text, m.start()) or not ends_word(text, m.end()):
            continue
        if any(cs < m.end() and m.start() < ce for cs, ce in covered):
            continue
        if max(len(w) for w in m.group().split()) > _MAX_WORD:
            continue
        yield m.start(), m.end(), m.group()


def _trimmed(text: str, start: int, end: int) -> Iterable[tuple[int, int, str]]:
    piece = text[start:end]
    stripped = piece.strip("・･=＝")
    if stripped:
        offset = piece.index(stripped)
        yield start + offset, start + offset + len(stripped), stripped


def _context(text: str, start: int, end: int, width: int = 24) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    snippet = ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
    return " ".join(snippet.split())


class _EnglishFinder:
    """The English of a candidate name: the dictionary's, its own Latin spelling, or a
    transliteration (marked a guess); kanji names in the glossary's order of names."""

    def __init__(self, glossary: Glossary, dictionary: JapaneseDictionary | None) -> None:
        self.glossary = glossary
        self.dictionary = dictionary
        self._given_first: bool | None = None

    def of(self, surface: str, kind: str) -> English:
        if is_latin_text(surface):
            return English(surface, "", guess=False)     # CSTO, SCO: its own English
        katakana = any(is_katakana(c) for c in surface)
        if _KANJI_ONLY.fullmatch(surface):
            found = self._person(surface, self.given_first)
            return found or English(surface, "", guess=True)
        if not katakana:
            return English(surface, "", guess=True)      # Cyrillic: to write
        found = self._english(surface)
        if found is not None:
            return found
        parts = [p for p in re.split(r"[・･=＝]", surface) if p]
        if len(parts) > 1:
            words, sources = [], []
            for part in parts:
                known = self._english(part)
                word = known.text if known else name_romanization(part)
                words.append(word[:1].upper() + word[1:])    # Apulia Summit
                sources.append(known.source if known else TRANSLITERATED)
            return English(" ".join(words), ", ".join(dict.fromkeys(sources)), guess=True)
        return English(name_romanization(surface), TRANSLITERATED, guess=True)

    def _english(self, surface: str) -> English | None:
        if self.dictionary is None:
            return None
        try:
            return self.dictionary.english(surface)
        except DictionaryUnavailable:
            self.dictionary = None      # not installed: the rest is transliterated
            return None

    def _person(self, kanji: str, given_first: bool) -> English | None:
        if self.dictionary is None:
            return None
        try:
            return self.dictionary.person(kanji, given_first=given_first)
        except DictionaryUnavailable:
            self.dictionary = None
            return None

    @property
    def given_first(self) -> bool:
        """Whether the glossary writes Japanese names given name first (Shigeru Ishiba), as
        most of its people whose full kanji name JMnedict knows say; given name first when
        none does."""
        if self._given_first is None:
            votes = Counter[bool]()
            for entry in self.glossary.entries:
                if entry.type != "person" or len(entry.en.split()) != 2:
                    continue
                for variant in entry.ja:
                    if len(variant) < 3 or not _KANJI_ONLY.fullmatch(variant):
                        continue
                    known = self._person(variant, True)
                    if known is not None and not known.guess:
                        words = known.text.split()
                        if entry.en.split() == words:
                            votes[True] += 1
                        elif entry.en.split() == words[::-1]:
                            votes[False] += 1
            self._given_first = votes[False] <= votes[True]
        return self._given_first


class _Similarity:
    """Finds the glossary variant a new spelling resembles.

    Katakana is compared with katakana variants that are names through and through (no
    kanji: ジョージア is not a spelling of ジョージア政府), by romanized form and by ・-part;
    Latin and Cyrillic with the Latin and Cyrillic forms of entries as wholes, and with the
    parts of people's names.
    """

    CUTOFF = 85.0
    MIN_LENGTH = 4

    def __init__(self, glossary: Glossary) -> None:
        self.kana: tuple[list[str], list[tuple[Entry, str]]] = ([], [])
        self.latin: tuple[list[str], list[tuple[Entry, str]]] = ([], [])
        for entry in glossary.entries:
            person = entry.type == "person"
            for variant in entry.ja:
                if _KATAKANA_NAME.fullmatch(variant):
                    self._add(self.kana, entry, variant, _name_parts(variant))
                elif _LETTERS_NAME.fullmatch(variant):
                    parts = _name_parts(variant) if person else [variant.lower()]
                    self._add(self.latin, entry, variant, parts)
            for form in (entry.rendering, *entry.en_variants):
                parts = _name_parts(form) if person else [form.lower()]
                self._add(self.latin, entry, form, parts)

    def _add(self, table: tuple[list[str], list[tuple[Entry, str]]], entry: Entry, form: str,
             parts: Iterable[str]) -> None:
        for part in parts:
            if len(part) >= self.MIN_LENGTH:
                table[0].append(part)
                table[1].append((entry, form))

    def match(self, surface: str) -> tuple[Entry | None, str]:
        kana = any(is_katakana(c) for c in surface)
        choices, owners = self.kana if kana else self.latin
        if not choices:
            return None, ""
        best: tuple[float, int] | None = None
        # Words of a Latin phrase are ordinary words (Organization): only the whole counts.
        pieces = _name_parts(surface) if kana or " " not in surface else [surface.lower()]
        for part in pieces:
            if len(part) < self.MIN_LENGTH:
                continue
            hit = process.extractOne(part, choices, scorer=fuzz.ratio,
                                     score_cutoff=self.CUTOFF)
            if hit is not None and (best is None or hit[1] > best[0]):
                best = (hit[1], hit[2])
        if best is None:
            return None, ""
        return owners[best[1]]


_KATAKANA_NAME = re.compile(r"[\u30a1-\u30fa\u30fcｦ-ﾟ・･=＝ ]+")
_LETTERS_NAME = re.compile(r"[A-Za-zÀ-ɏА-яЁё][A-Za-zÀ-ɏА-яЁё .'’-]*")
_CAMEL = re.compile(r"(?<=[a-zß-ÿа-яё])(?=[A-ZÀ-ÞА-ЯЁ])")


def _name_parts(text: str) -> list[str]:
    """Comparable pieces of a name: romanized, lower-cased, split at separators, spaces and
    camelCase joins (ИльхамАлиев), plus the whole."""
    text = _CAMEL.sub(" ", text)
    roman = romanize(text) if any(is_katakana(c) for c in text) else text.lower()
    parts = [p for p in re.split(r"[\s・=\-]+", roman) if p]
    return parts if len(parts) <= 1 else [*parts, "".join(parts)]

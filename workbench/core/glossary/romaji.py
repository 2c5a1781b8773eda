"""Romanization of kana, for comparing katakana with Latin spellings (not for publishing)."""

from __future__ import annotations

import re
import unicodedata

_ROMAJI_TABLE = """
ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko サ sa シ shi ス su セ se ソ so
タ ta チ chi ツ tsu テ te ト to ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi フ fu ヘ he ホ ho
マ ma ミ mi ム mu メ me モ mo ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro ワ wa ヰ i ヱ e
ヲ o ン n ガ ga ギ gi グ gu ゲ ge ゴ go ザ za ジ ji ズ zu ゼ ze ゾ zo ダ da ヂ ji ヅ zu デ de
ド do バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po ヴ vu ァ a ィ i ゥ u ェ e
ォ o ャ ya ュ yu ョ yo ヮ wa ヵ ka ヶ ke
キャ kya キュ kyu キョ kyo シャ sha シュ shu ショ sho チャ cha チュ chu チョ cho
ニャ nya ニュ nyu ニョ nyo ヒャ hya ヒュ hyu ヒョ hyo ミャ mya ミュ myu ミョ myo
リャ rya リュ ryu リョ ryo ギャ gya ギュ gyu ギョ gyo ジャ ja ジュ ju ジョ jo
ビャ bya ビュ byu ビョ byo ピャ pya ピュ pyu ピョ pyo
シェ she ジェ je チェ che ティ ti ディ di トゥ tu ドゥ du テュ tyu デュ dyu
ファ fa フィ fi フェ fe フォ fo フュ fyu ウィ wi ウェ we ウォ wo イェ ye
ヴァ va ヴィ vi ヴェ ve ヴォ vo ヴュ vyu ツァ tsa ツィ tsi ツェ tse ツォ tso
クァ kwa クィ kwi クェ kwe クォ kwo グァ gwa スィ si ズィ zi
"""
_ROMAJI: dict[str, str] = dict(zip(*[iter(_ROMAJI_TABLE.split())] * 2, strict=True))


def romanize(text: str) -> str:
    """A plain Hepburn reading of kana (long vowels dropped); other characters pass through.

    Only for comparing spellings (エルチビー ≈ エルチベイ as "eruchibi" ≈ "eruchibei") and for
    guessing an English form; not a transliteration to publish.
    """
    text = unicodedata.normalize("NFKC", text)
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)
    out: list[str] = []
    double = False
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _ROMAJI:
            syllable, i = _ROMAJI[pair], i + 2
        elif text[i] in _ROMAJI:
            syllable, i = _ROMAJI[text[i]], i + 1
        else:
            ch = text[i]
            i += 1
            if ch == "ッ":
                double = True
                continue
            if ch in "ー":
                continue
            syllable = " " if ch in "・=゠" else ch.lower()
        if double and syllable[0] not in "aeiou n":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return "".join(out)


# Small ィ after a kana of the u column writes the Russian ы (ルィジェンコフ: Рыженков).
_YERU = {"ルィ": "ry", "ブィ": "by", "ムィ": "my", "ヌィ": "ny", "スィ": "sy", "ズィ": "zy",
         "トゥィ": "ty", "ドゥィ": "dy", "フィ": "fi", "クィ": "ky", "グィ": "gy", "プィ": "py"}
_VOWELS = "aeiou"
# The vowel Japanese adds to a consonant with none (ス in ミシュスチン, ク in ヌルベク) is
# dropped before another consonant and at the end of a word.
_EPENTHETIC = {"su": "s", "ku": "k", "fu": "f", "bu": "b", "pu": "p", "ru": "r", "gu": "g"}
# A final ト or ド after a consonant is a final t or d (ジョマルト: Jomart).
_FINAL_STOP = {"to": "t", "do": "d"}


def name_romanization(kana: str) -> str:
    """A katakana name in Latin letters by the conventions of names from Russian and the
    Turkic languages (BGN/PCGN): ミシュスチン → Mishustin, トカエフ → Tokayev, メレドフ →
    Meredov, ヌルベク → Nurbek. A transliteration to confirm, not a lookup: the English of
    a name the dictionary knows comes from the dictionary."""
    words = [w for w in re.split(r"[・=゠\s]+", unicodedata.normalize("NFKC", kana)) if w]
    return " ".join(_name_word(w) for w in words)


def _name_word(word: str) -> str:
    syllables = _syllables(word)
    out: list[str] = []
    dropped = False
    for i, syllable in enumerate(syllables):
        after = syllables[i + 1] if i + 1 < len(syllables) else ""
        last = out[-1][-1] if out else ""
        after_vowel = bool(last) and last in _VOWELS
        consonant_next = not after or after[0] not in _VOWELS
        if syllable == "e" and after_vowel:
            syllable = "ye"          # е after a vowel: Tokayev, Aliyev, Rafiyev
        elif syllable == "chi" and after == "n" and i + 2 == len(syllables):
            syllable = "ti"          # -тин: Putin, Mishustin
        elif syllable == "fu" and last in ("o", "e") and consonant_next:
            syllable = "v"           # -ов, -ев: Meredov, Tokayev
        elif syllable in _EPENTHETIC and consonant_next and after != "n" and \
                after[:1] != "y" and _drops(syllable, out, after, dropped):
            syllable = _EPENTHETIC[syllable]
            dropped = True
            out.append(syllable)
            continue
        elif syllable in _FINAL_STOP and not after and last and last not in _VOWELS:
            syllable = _FINAL_STOP[syllable]
        dropped = False
        out.append(syllable)
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _drops(syllable: str, out: list[str], after: str, dropped: bool) -> bool:
    """Whether the vowel of `syllable` is one Japanese added (`_EPENTHETIC`): after a vowel
    or ン (-nsk), in a final cluster (Smolensk), at the start before r (Gleb, Krasnodar) and
    s before any consonant (Smolensk); never a final gu (Shoigu)."""
    if not after and syllable == "gu":
        return False
    if not out:
        return after[:1] == "r" or syllable == "su"
    last = out[-1][-1]
    return last in _VOWELS or out[-1] == "n" or (not after and dropped)


def _syllables(word: str) -> list[str]:
    """The romanized syllables of a katakana word (ッ doubling the next consonant, long
    vowel marks dropped)."""
    word = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in word)
    out: list[str] = []
    double = False
    i = 0
    while i < len(word):
        for size, table in ((2, _YERU), (2, _ROMAJI), (1, _ROMAJI)):
            piece = word[i:i + size]
            if len(piece) == size and piece in table:
                syllable = table[piece]
                i += size
                break
        else:
            ch = word[i]
            i += 1
            if ch == "ッ":
                double = True
            elif ch != "ー":
                out.append(ch.lower())
            continue
        if double and syllable[0] not in _VOWELS + "n":
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return out

"""Romanization of kana, for comparing katakana with Latin spellings (not for publishing)."""

from __future__ import annotations

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

"""A TMX file as other CAT tools write them, for the translation memory tests: region and
upper-case language codes, inline codes, context props, conflicting units, a unit in three
languages, one with English first, an empty target, one with no Japanese, one whose
Japanese side is not Japanese, and a sentence that differs from a project's only in a
number."""

from __future__ import annotations

from pathlib import Path

# (line of each <tu> in FOREIGN_TMX is found by the tests through `line_of`)
FOREIGN_TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="SomeCAT" creationtoolversion="9" segtype="sentence" o-tmf="x"
          adminlang="EN-US" srclang="JA-JP" datatype="plaintext"/>
  <body>
    <tu changeid="kato" changedate="20240110T080000Z">
      <prop type="x-next">首脳は経済協力について協議した。</prop>
      <tuv xml:lang="JA-JP"><seg>両首脳はモスクワで会談した。</seg></tuv>
      <tuv xml:lang="EN-US"><seg>The two leaders met in Moscow.</seg></tuv>
    </tu>
    <tu changeid="kato" changedate="20240111T080000Z">
      <prop type="x-prev">両首脳はモスクワで会談した。</prop>
      <tuv xml:lang="ja-JP"><seg>首脳は経済協力について協議した。</seg></tuv>
      <tuv xml:lang="en-GB"><seg>The leaders discussed economic cooperation.</seg></tuv>
    </tu>
    <tu tuid="tagged">
      <tuv xml:lang="ja"><seg><bpt i="1" x="1">&lt;b&gt;</bpt>ロシア<ept
        i="1">&lt;/b&gt;</ept>の外相は<ph x="2">&lt;br/&gt;</ph>バクーを訪れた。</seg></tuv>
      <tuv xml:lang="en"><seg>The <bpt i="1">&lt;b&gt;</bpt>Russian<ept
        i="1">&lt;/b&gt;</ept> foreign minister<ph x="2"/> visited Baku.</seg></tuv>
    </tu>
    <tu changedate="20230301T000000Z">
      <tuv xml:lang="JA"><seg>両国は協定に署名した。</seg></tuv>
      <tuv xml:lang="EN"><seg>The two countries signed an agreement.</seg></tuv>
    </tu>
    <tu changedate="20250301T000000Z">
      <tuv xml:lang="ja"><seg>両国は協定に署名した。</seg></tuv>
      <tuv xml:lang="en-US"><seg>Both sides signed the agreement.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ja-JP"><seg>外交関係は安定している。</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Les relations diplomatiques sont stables.</seg></tuv>
      <tuv xml:lang="en-US"><seg>Diplomatic relations are stable.</seg></tuv>
    </tu>
    <tu srclang="en-US">
      <tuv xml:lang="en-US"><seg>The ministers issued a joint statement.</seg></tuv>
      <tuv xml:lang="ja-JP"><seg>閣僚は共同声明を発表した。</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ja-JP"><seg>まだ訳のない文。</seg></tuv>
      <tuv xml:lang="en-US"><seg>  </seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="de-DE"><seg>Die Minister trafen sich.</seg></tuv>
      <tuv xml:lang="en-US"><seg>The ministers met.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="ja-JP"><seg>Press release</seg></tuv>
      <tuv xml:lang="en-US"><seg>Press release</seg></tuv>
    </tu>
    <tu>
      <tuv lang="JA-JP"><seg>2019年の両国間の貿易額は3億ドルだった。</seg></tuv>
      <tuv lang="EN-US"><seg>Trade between the two countries was $300 million in 2019.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

TAKEN = 8
"""Units of FOREIGN_TMX with Japanese and English (the tagged one, both conflicting ones,
the three-language one and the reversed one included)."""

GLOSSARY = ("en\tja\ttype\nRussia\tロシア\tplace\nMoscow\tモスクワ\tplace\n"
            "Baku\tバクー\tplace\nAzerbaijan\tアゼルバイジャン\tplace\n"
            "Dmitry Medvedev\tメドベージェフ|ドミトリー・メドヴェージェフ\tperson\n"
            "Ilham Aliyev\tイルハム・アリエフ|アリエフ\tperson\n")


def write_foreign_tmx(folder: Path, name: str = "othercat.tmx") -> Path:
    path = folder / name
    path.write_text(FOREIGN_TMX, encoding="utf-8")
    return path


def line_of(text: str) -> int:
    """The line of FOREIGN_TMX holding `text` (1-based) and the <tu> before it."""
    lines = FOREIGN_TMX.splitlines()
    at = next(i for i, line in enumerate(lines) if text in line)
    while "<tu" not in lines[at] or "<tuv" in lines[at]:
        at -= 1
    return at + 1

"""Benchmark: glossary enforcement on English as MT and older transliteration systems write
names: how many respelled names it restores, how much correct English it rewrites, and how
fast it is against the enforcement it replaces.

The corpus is `enforce_corpus.txt` (news and diplomatic English written for this benchmark,
names marked) and the English of ../shared/reference/alignment_sample_002.tsv when it is
there; the glossary is the demo glossary without its `en_variants` (so that what restores a
name is the transliteration-aware matching, not a listed spelling) plus `EXTRA` entries
that it lacks (Tokayev, Mirziyoyev, Tbilisi…). Each sentence's source is the Japanese of the
entries it names, so enforcement knows them as a segment's hits.

Each name of each sentence is respelled, one at a time (fixed seeds): by the systematic
variants of romanization systems (`SYSTEMATIC`: kh/h, Russian g for h, dzh/dj/j, zh/j,
ye/e, -yev/-ev/-iev, -y/-iy/-ii, ya/ia, doubled and single letters, ou for u, hyphen/space/
nothing, tch, -ow) and by one random edit (a letter dropped, added, changed or two swapped,
never the first; names of six letters or more). A respelling that is an English word or
another entry's name is left out: restoring it would rewrite a correct word.

- restored: the respelled sentence comes back exactly (the name restored, nothing else
  changed); `suggested` counts the names only offered (below the confidence threshold)
- false rewrites: original sentences (and the rest of respelled ones) changed
- speed: segments per second over every sentence and respelling, CPU time, best of N runs
  interleaved with the anchor's: the enforcement of the anchor commit (`ANCHOR`: the
  algorithm before transliteration skeletons), which `git show` brings into a temporary
  module

    python tests/benchmarks/bench_enforce.py [--repeat N] [--show N]

Prints one line per figure, each ending with the ratio to the anchor (new / anchor).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from timing import best_of

from workbench.core.enforce import Enforcer
from workbench.core.enforce.forms import forms_of, known_words, word_bounded
from workbench.core.glossary.english import english_word
from workbench.core.glossary.folder import load_glossary, merge_entries
from workbench.core.glossary.model import Entry, Glossary

ANCHOR = "1b09f48"
"""The commit whose `workbench/core/enforce.py` is the enforcement measured against."""
CORPUS = Path(__file__).with_name("enforce_corpus.txt")
PASSES = 1
"""Passes over the corpus a timed run makes (a run of a few tens of milliseconds is at the
mercy of a shared machine's scheduler)."""
REFERENCE = REPO.parent / "shared" / "reference" / "alignment_sample_002.tsv"

EXTRA = """\
Kassym-Jomart Tokayev	カシムジョマルト・トカエフ|トカエフ	person
Shavkat Mirziyoyev	シャフカト・ミルジヨエフ|ミルジヨエフ	person
Nikol Pashinyan	ニコル・パシニャン|パシニャン	person
Sergey Lavrov	セルゲイ・ラブロフ|ラブロフ	person
Jeyhun Bayramov	ジェイフン・バイラモフ|バイラモフ	person
Hikmet Hajiyev	ヒクメト・ハジエフ|ハジエフ	person
Ramzan Kadyrov	ラムザン・カディロフ|カディロフ	person
Dzhokhar Dudayev	ジョハル・ドゥダエフ|ドゥダエフ	person
Emomali Rahmon	エモマリ・ラフモン|ラフモン	person
Gurbanguly Berdimuhamedov	グルバングリ・ベルディムハメドフ	person
Serdar Berdimuhamedov	セルダル・ベルディムハメドフ	person
Recep Tayyip Erdoğan	レジェップ・タイイップ・エルドアン|エルドアン	person
Mikheil Saakashvili	ミヘイル・サアカシュヴィリ|サアカシュヴィリ	person
Eduard Shevardnadze	エドゥアルド・シェワルナゼ|シェワルナゼ	person
Boris Yeltsin	ボリス・エリツィン|エリツィン	person
Mikhail Gorbachev	ミハイル・ゴルバチョフ|ゴルバチョフ	person
Yevgeny Primakov	エフゲニー・プリマコフ|プリマコフ	person
Levon Ter-Petrosyan	レヴォン・テルペトロシャン|テルペトロシャン	person
Robert Kocharyan	ロベルト・コチャリャン|コチャリャン	person
Sergei Shoigu	セルゲイ・ショイグ|ショイグ	person
Georgia	ジョージア	place
Tbilisi	トビリシ	place
Yerevan	エレバン	place
Tashkent	タシケント	place
Bishkek	ビシュケク	place
Dushanbe	ドゥシャンベ	place
Almaty	アルマトイ	place
Ganja	ギャンジャ	place
Shusha	シュシャ	place
Stepanakert	ステパナケルト	place
Khankendi	ハンケンディ	place
Nakhchivan	ナヒチェヴァン	place
Sumgait	スムガイト	place
Lachin	ラチン	place
Aghdam	アグダム	place
Dagestan	ダゲスタン	place
Makhachkala	マハチカラ	place
Grozny	グロズヌイ	place
Ingushetia	イングーシ	place
Astrakhan	アストラハン	place
Derbent	デルベント	place
Zhanaozen	ジャナオゼン	place
Aktau	アクタウ	place
Karaganda	カラガンダ	place
Gyumri	ギュムリ	place
Brussels	ブリュッセル	place
Caspian Sea	カスピ海	place
"""


# ----------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Sentence:
    """A correct English sentence, the names in it (span and entry), and its source."""

    text: str
    names: tuple[tuple[int, int, Entry], ...]
    source: str


def benchmark_glossary() -> Glossary:
    """The demo glossary without its listed English variants, and the `EXTRA` entries."""
    demo = load_glossary(REPO / "glossary")
    rows = [replace(e, en_variants=()) for e in demo.entries]
    for number, line in enumerate(EXTRA.splitlines(), 1):
        en, ja, kind = line.split("\t")
        rows.append(Entry(en, tuple(ja.split("|")), kind, file="EXTRA", line=number))
    return Glossary(merge_entries(rows))


def _forms_named(glossary: Glossary) -> dict[str, list[Entry]]:
    """Which entries each English form names, of the first kind that has it: renderings,
    other full forms, derived forms (with their plurals), parts."""
    by_form: dict[str, list[Entry]] = {}
    for rank in range(4):
        found_now: dict[str, list[Entry]] = {}
        for entry in glossary.entries:
            forms = forms_of(entry)
            if rank == 0:
                found: tuple[str, ...] = (forms.rendering,)
            elif rank == 1:
                found = forms.accepted
            elif rank == 2:
                found = tuple(t.english for t in forms.targets if t.derived)
                found += tuple(f + "s" for f in found)
            else:
                found = tuple(t.english for t in forms.targets if not t.derived)
            for form in found:
                if form not in by_form:
                    found_now.setdefault(form, []).append(entry)
        by_form.update(found_now)
    return by_form


_MARK = re.compile(r"\[([^\]|]+)(?:\|([^\]]+))?\]")


def read_corpus(glossary: Glossary) -> list[Sentence]:
    """The sentences of `CORPUS`, their marked names resolved to entries."""
    by_form = _forms_named(glossary)
    out = []
    for number, line in enumerate(CORPUS.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        text, names, at = [], [], 0
        for m in _MARK.finditer(line):
            text.append(line[at:m.start()])
            start = sum(map(len, text))
            form, en = m.group(1), m.group(2)
            entry = glossary.get(en) if en else None
            if entry is None:
                found = by_form.get(form, [])
                if len(found) != 1:
                    raise SystemExit(f"{CORPUS.name}:{number}: {form!r} names "
                                     f"{[e.en for e in found] or 'no entry'}")
                entry = found[0]
            text.append(form)
            names.append((start, start + len(form), entry))
            at = m.end()
        text.append(line[at:])
        entries = list(dict.fromkeys(e for _, _, e in names))
        out.append(Sentence("".join(text), tuple(names), "、".join(e.ja[0] for e in entries)))
    return out


def read_reference(glossary: Glossary) -> list[Sentence]:
    """The English of the reference sample, with the names its source's hits have in it."""
    if not REFERENCE.exists():
        return []
    by_form = _forms_named(glossary)
    out = []
    for line in REFERENCE.read_text("utf-8").splitlines()[1:]:
        source, english = line.split("\t")
        entries = {h.entry for h in glossary.find(source)}
        names = []
        for form, named in sorted(by_form.items(), key=lambda kv: -len(kv[0])):
            for entry in named:
                if entry not in entries:
                    continue
                for m in re.finditer(re.escape(form), english):
                    if word_bounded(english, *m.span()) and \
                            not any(s < m.end() and m.start() < e for s, e, _ in names):
                        names.append((m.start(), m.end(), entry))
        out.append(Sentence(english, tuple(sorted(names, key=lambda n: n[0])), source))
    return out


# ----------------------------------------------------------------------------- respelling

# Canonical spelling → another system's: (name, pattern, replacement).
SYSTEMATIC: tuple[tuple[str, str, str], ...] = (
    ("kh→h", "kh", "h"), ("Kh→H", "Kh", "H"),
    ("h→kh", "(?<=[aeiou])h(?=[aeiouy])", "kh"), ("H→Kh", r"\bH(?=[aeiouy])", "Kh"),
    ("H→G (Russian)", r"\bH(?=[aeiouy])", "G"), ("h→g (Russian)", "(?<=[aeiou])h(?=[aeiou])", "g"),
    ("j→dzh", "(?<=[aeiou])j", "dzh"), ("J→Dzh", r"\bJ", "Dzh"), ("J→Dj", r"\bJ", "Dj"),
    ("dzh→j", "dzh", "j"), ("Dzh→J", "Dzh", "J"), ("zh→j", "zh", "j"), ("Zh→J", "Zh", "J"),
    ("Ye→E", r"\bYe", "E"), ("E→Ye", r"\bE(?=[a-z])", "Ye"),
    ("-yev→-ev", "yev(?=a?\\b)", "ev"), ("-yev→-iev", "yev(?=a?\\b)", "iev"),
    ("-ev→-yev", "(?<=[aeiou])ev(?=a?\\b)", "yev"),
    ("-y→-iy", "(?<=[^aeiouy])y\\b", "iy"), ("-y→-i", "(?<=[^aeiouy])y\\b", "i"),
    ("-y→-ii", "(?<=[^aeiouy])y\\b", "ii"), ("-iy→-y", "iy\\b", "y"),
    ("ya→ia", "ya", "ia"), ("ia→ya", "(?<=[a-z])ia", "ya"), ("yu→iu", "yu", "iu"),
    ("ay→ai", "ay", "ai"), ("ey→ei", "ey", "ei"),
    ("doubled→single", r"([a-z])\1", r"\1"),
    ("single→doubled", "(?<=[aeiou])([bdfklmnprstvz])(?=[aeiou])", r"\1\1"),
    ("u→ou", "(?<=[^aeiou])u(?=[^aeiou])", "ou"), ("x→ks", "x", "ks"), ("ks→x", "ks", "x"),
    ("-ov→-ow", "ov\\b", "ow"), ("Ch→Tch", r"\bCh", "Tch"),
    ("hyphen→space", "(?<=[a-z])-(?=[A-Z])", " "), ("hyphen→none", "(?<=[a-z])-(?=[A-Za-z])", ""),
    ("space→hyphen", r"\b([A-Z][a-z]+) (?=[A-Z])", r"\1-"),
)


def systematic(name: str) -> list[tuple[str, str]]:
    """(rule, spelling) of each systematic respelling that changes `name` (at its first
    place)."""
    out = []
    for rule, pattern, repl in SYSTEMATIC:
        spelling = re.sub(pattern, repl, name, count=1)
        if spelling != name:
            out.append((rule, spelling))
    return out


def random_edit(name: str, rng: random.Random) -> tuple[str, str] | None:
    """One random edit of the longest word of `name` (six letters or more), never its first
    letter: a letter dropped, added, changed, or two swapped."""
    words = list(re.finditer(r"[^\W\d_]+", name))
    longest = max(words, key=lambda m: len(m.group()), default=None)
    if longest is None or len(longest.group()) < 6:
        return None
    word = longest.group()
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "add", "change", "swap"])
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "drop":
        edited = word[:at] + word[at + 1:]
    elif kind == "add":
        edited = word[:at] + letter + word[at:]
    elif kind == "change":
        edited = word[:at] + letter + word[at + 1:]
    else:
        edited = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if edited == word:
        return None
    return f"random: {kind}", name[:longest.start()] + edited + name[longest.end():]


def _capitalized_change(name: str, spelling: str) -> bool:
    """Whether what a respelling changes lies in capitalized words of the name."""
    a, b = name.split(" "), spelling.split(" ")
    if len(a) != len(b):
        return True     # a hyphen made a space, or the other way round, between capitals
    return all(x[:1].isupper() for x, y in zip(a, b, strict=True) if x != y)


@dataclass(frozen=True)
class Case:
    """A sentence with one name respelled, and the sentence it must become."""

    text: str
    expected: str
    source: str
    rule: str
    span: tuple[int, int]     # the respelled name in `text`


def respellings(sentences: Sequence[Sentence], known: frozenset[str],
                seed: int = 20260101) -> tuple[list[Case], Counter[str]]:
    """Every sentence with each of its names respelled (up to two systematic respellings
    and one random edit, chosen with a fixed seed); and the counts of respellings left out
    because they are English words or another entry's name."""
    rng = random.Random(seed)
    cases, left_out = [], Counter[str]()
    for sentence in sentences:
        for start, end, _ in sentence.names:
            name = sentence.text[start:end]
            found = systematic(name)
            chosen = rng.sample(found, min(2, len(found)))
            edit = random_edit(name, rng)
            if edit is not None:
                chosen.append(edit)
            for rule, spelling in chosen:
                if any(english_word(w) or w.lower() in known
                       for w in re.findall(r"[^\W\d_]+", spelling)
                       if w not in re.findall(r"[^\W\d_]+", name)):
                    left_out[rule.split(":")[0]] += 1
                    continue
                if not _capitalized_change(name, spelling):
                    continue    # enforcement looks at names, capitalized words
                text = sentence.text[:start] + spelling + sentence.text[end:]
                cases.append(Case(text, sentence.text, sentence.source, rule,
                                  (start, start + len(spelling))))
    return cases, left_out


# ----------------------------------------------------------------------------- measuring


def load_anchor() -> ModuleType:
    """The enforcement module of `ANCHOR`, imported from a temporary file."""
    try:
        code = subprocess.run(["git", "-C", str(REPO), "show",
                               f"{ANCHOR}:workbench/core/enforce.py"],
                              check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise SystemExit(f"cannot read the anchor's enforcement from git ({ANCHOR}): {exc}") \
            from None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "enforce_anchor.py"
        path.write_text(code, "utf-8")
        spec = importlib.util.spec_from_file_location("enforce_anchor", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["enforce_anchor"] = module      # dataclasses look their module up there
        spec.loader.exec_module(module)
    return module


Run = Callable[[str, str], tuple[str, list[tuple[int, int]], list[tuple[int, int]]]]


def runner(enforcer: object, glossary: Glossary, new: bool) -> Run:
    """(text, source) → (normalized text, spans changed, spans suggested)."""
    hits_of: dict[str, list[Entry]] = {}

    def run(text: str, source: str) -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
        entries = hits_of.get(source)
        if entries is None:
            entries = hits_of[source] = list(dict.fromkeys(h.entry for h in glossary.find(source)))
        if new:
            result = enforcer.enforce(text, entries, source)  # type: ignore[attr-defined]
            return (result.text, [(c.start, c.end) for c in result.changes],
                    [(c.start, c.end) for c in result.suggestions])
        result = enforcer.enforce(text, entries)  # type: ignore[attr-defined]
        return result.text, [(c.start, c.end) for c in result.changes], []
    return run


@dataclass
class Scores:
    restored: int = 0
    suggested: int = 0
    cases: int = 0
    false_sentences: int = 0
    false_in_cases: int = 0
    sentences: int = 0
    by_rule: Counter[str] | None = None
    misses: list[tuple[str, str, str]] | None = None
    false: list[tuple[str, str]] | None = None


def score(run: Run, sentences: Sequence[Sentence], cases: Sequence[Case]) -> Scores:
    """Restoration over `cases`, false rewrites over `sentences` and around each case's name."""
    out = Scores(by_rule=Counter(), misses=[], false=[])
    assert out.by_rule is not None and out.misses is not None and out.false is not None
    for sentence in sentences:
        out.sentences += 1
        text, _, _ = run(sentence.text, sentence.source)
        if text != sentence.text:
            out.false_sentences += 1
            out.false.append((sentence.text, text))
    for case in cases:
        out.cases += 1
        text, changed, suggested = run(case.text, case.source)
        s, e = case.span
        if text == case.expected:
            out.restored += 1
            out.by_rule[case.rule.split(":")[0]] += 1
            continue
        if any(a < e and s < b for a, b in suggested):
            out.suggested += 1
        if any(not (a < e and s < b) for a, b in changed):
            out.false_in_cases += 1
            out.false.append((case.text, text))
        out.misses.append((case.rule, case.text[s:e], case.expected))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21, help="best of N runs (speed)")
    parser.add_argument("--show", type=int, default=0,
                        help="print up to N misses and every false rewrite")
    args = parser.parse_args()

    glossary = benchmark_glossary()
    sentences = read_corpus(glossary) + read_reference(glossary)
    cases, left_out = respellings(sentences, known_words(glossary))
    anchor_module = load_anchor()
    new = runner(Enforcer(glossary), glossary, True)
    old = runner(anchor_module.Enforcer(glossary), glossary, False)
    mine, theirs = score(new, sentences, cases), score(old, sentences, cases)
    names = sum(len(s.names) for s in sentences)
    print(f"corpus: {len(sentences)} sentences naming {names} glossary forms "
          f"({len(read_reference(glossary))} from the reference sample); glossary: "
          f"{len(glossary)} entries; {len(cases)} respellings "
          f"({sum(left_out.values())} left out as English words or other names)")

    def ratio(a: float, b: float) -> str:
        return f"{a / b:.2f}x" if b else "n/a"

    rules = Counter(c.rule.split(":")[0] for c in cases)
    for label, wanted in (("systematic", lambda r: r != "random"),
                          ("random edits", lambda r: r == "random")):
        total = sum(n for r, n in rules.items() if wanted(r))
        a = sum(n for r, n in (mine.by_rule or {}).items() if wanted(r))
        b = sum(n for r, n in (theirs.by_rule or {}).items() if wanted(r))
        print(f"restored, {label}: {a}/{total} = {a / total:.1%} "
              f"(anchor {b / total:.1%}), ratio {ratio(a, b)}")
    print(f"restored, all respellings: {mine.restored}/{mine.cases} = "
          f"{mine.restored / mine.cases:.1%} (anchor {theirs.restored / theirs.cases:.1%}); "
          f"{mine.suggested} more only suggested; ratio {ratio(mine.restored, theirs.restored)}")
    false_new = mine.false_sentences + mine.false_in_cases
    false_old = theirs.false_sentences + theirs.false_in_cases
    print(f"false rewrites: {mine.false_sentences} of {mine.sentences} correct sentences "
          f"changed, {mine.false_in_cases} respelled ones changed elsewhere (anchor "
          f"{theirs.false_sentences} and {theirs.false_in_cases}), ratio "
          f"{ratio(false_new, false_old)}")

    texts = [(s.text, s.source) for s in sentences] + [(c.text, c.source) for c in cases]
    for run in (new, old):      # warm up: forms, skeletons, patterns, the word list
        for text, source in texts:
            run(text, source)
    # Interleaved, so that both see the same load of a shared machine: best of each.
    seconds_new = seconds_old = float("inf")
    for _ in range(args.repeat):
        for which, run in (("new", new), ("old", old)):
            seconds, _ = best_of(1, lambda run=run: [run(t, s) for t, s in texts * PASSES],
                                 clock=time.process_time, collect=True)
            seconds /= PASSES
            if which == "new":
                seconds_new = min(seconds_new, seconds)
            else:
                seconds_old = min(seconds_old, seconds)
    n = len(texts)
    print(f"speed: {n / seconds_new:,.0f} segments/s, {seconds_new / n * 1e6:.0f} µs/segment "
          f"(anchor {n / seconds_old:,.0f} segments/s, {seconds_old / n * 1e6:.0f} µs/segment), "
          f"ratio (time per segment) {ratio(seconds_new, seconds_old)}")
    if args.show:
        by_rule = Counter(rule.split(":")[0] for rule, _, _ in (mine.misses or []))
        print("misses by rule: " + ", ".join(f"{r} {n}" for r, n in by_rule.most_common()))
        for rule, spelling, expected in (mine.misses or [])[:args.show]:
            print(f"  miss [{rule}] {spelling!r}: {expected}")
        for before, after in mine.false or []:
            print(f"  false rewrite: {before}\n              → {after}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

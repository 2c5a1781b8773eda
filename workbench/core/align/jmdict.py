"""English words for Japanese sentences from JMdict and JMnedict (through jamdict's data).

The words of a sentence are its runs of kanji, cut into the longest dictionary words from the
left (国際協力 → 国際, 協力), and its katakana words (プーチン, エネルギー). Each word's first two
senses give a few English words (協力 → cooperation, collaboration; プーチン → Putin), which
the aligner meets in the target as `w:` anchors.

jamdict and its 300 MB database are imported and opened only when a dictionary is asked for;
the words of every sentence are looked up in a few batched queries on the database (one
jamdict lookup per word costs half a millisecond; a batch of 500 about as much as one).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from workbench.core.align.language import TargetLanguage
from workbench.core.errors import WorkbenchError

_KANJI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々]{2,}")
_KATAKANA_RUN = re.compile(r"[ァ-ヺー]{2,}")
_PARENTHESES = re.compile(r"\([^)]*\)")
LONGEST_WORD = 6
SENSES = 2
GLOSSES = 4
BATCH = 500


def jamdict_database() -> Path:
    """Where jamdict keeps JMdict: its configured database, else jamdict-data's."""
    try:
        from jamdict import Jamdict
    except ImportError as exc:
        raise WorkbenchError("the dictionary anchors need jamdict",
                             hint="pip install jamdict jamdict-data (offline once "
                                  "installed), or align without --dictionary.") from exc
    path = getattr(Jamdict(), "db_file", None)
    if not path or not Path(path).is_file():
        raise WorkbenchError("jamdict has no dictionary database",
                             hint="pip install jamdict-data, or align without --dictionary.")
    return Path(path)


class Dictionary:
    """Japanese words to folded English words, cached for the life of the process."""

    def __init__(self, language: TargetLanguage, path: Path | None = None) -> None:
        self.language = language
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._known: dict[str, frozenset[str]] = {}     # word -> English words (or empty)
        self._lock = threading.Lock()

    def __call__(self, sentences: Sequence[str]) -> list[set[str]]:
        """The English words of each sentence's Japanese words."""
        runs = [(_KANJI_RUN.findall(s), _split_katakana(_KATAKANA_RUN.findall(s)))
                for s in sentences]
        with self._lock:
            wanted = {sub for kanji, _ in runs for run in kanji for sub in _substrings(run)}
            wanted |= {word for _, katakana in runs for word in katakana}
            self._look_up(wanted - self._known.keys())
            out = []
            for kanji, katakana in runs:
                words: set[str] = set()
                for word in [*(w for run in kanji for w in self._cut(run)), *katakana]:
                    words |= self._known.get(word, frozenset())
                out.append(words)
        return out

    def _cut(self, run: str) -> list[str]:
        """A kanji run as the longest dictionary words from the left (unknown kanji skip)."""
        words = []
        at = 0
        while at < len(run) - 1:
            for end in range(min(len(run), at + LONGEST_WORD), at + 1, -1):
                if self._known.get(run[at:end]):
                    words.append(run[at:end])
                    at = end
                    break
            else:
                at += 1
        return words

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            path = self.path or jamdict_database()
            try:
                self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                             check_same_thread=False)
            except sqlite3.Error as exc:
                raise WorkbenchError(f"cannot open the dictionary: {exc}", path=path) from exc
        return self._conn

    def _look_up(self, words: Iterable[str]) -> None:
        pending = sorted(words)
        found: dict[str, list[tuple[int, str]]] = {w: [] for w in pending}
        conn = self._connection()
        kanji = [w for w in pending if not _KATAKANA_RUN.fullmatch(w)]
        katakana = [w for w in pending if _KATAKANA_RUN.fullmatch(w)]
        # `+g.lang`: SQLite would otherwise read the glosses by language, all of them.
        queries = [(kanji, "SELECT k.text, s.ID, g.text FROM Kanji k JOIN Sense s ON "
                           "s.idseq = k.idseq JOIN SenseGloss g ON g.sid = s.ID WHERE k.text "
                           "IN ({}) AND +g.lang = 'eng'"),
                   (katakana, "SELECT k.text, s.ID, g.text FROM Kana k JOIN Sense s ON "
                              "s.idseq = k.idseq JOIN SenseGloss g ON g.sid = s.ID WHERE "
                              "k.text IN ({}) AND +g.lang = 'eng'"),
                   # Names (JMnedict): プーチン → Putin.
                   (katakana, "SELECT k.text, -1, g.text FROM NEKana k JOIN NETranslation t "
                              "ON t.idseq = k.idseq JOIN NETransGloss g ON g.tid = t.ID WHERE "
                              "k.text IN ({})")]
        for chosen, sql in queries:
            for at in range(0, len(chosen), BATCH):
                chunk = chosen[at:at + BATCH]
                for word, sense, gloss in conn.execute(sql.format(", ".join("?" * len(chunk))),
                                                       chunk):
                    found[word].append((sense, gloss))
        for word, glosses in found.items():
            self._known[word] = self._english(glosses)

    def _english(self, glosses: list[tuple[int, str]]) -> frozenset[str]:
        senses: dict[int, list[str]] = {}
        for sense, text in sorted(glosses):
            senses.setdefault(sense, []).append(text)
        words: set[str] = set()
        for texts in list(senses.values())[:SENSES]:
            for text in texts[:GLOSSES]:
                words |= self.language.words(_PARENTHESES.sub(" ", text))
        return frozenset(words)


def _substrings(run: str) -> list[str]:
    return [run[a:b] for a in range(len(run) - 1)
            for b in range(a + 2, min(len(run), a + LONGEST_WORD) + 1)]


def _split_katakana(runs: list[str]) -> list[str]:
    return [part for run in runs for part in run.split("・") if len(part) >= 2]

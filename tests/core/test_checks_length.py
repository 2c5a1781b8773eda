"""The length check: a target far from the length its document's translations run to.

The documents are real sentences of the demo sources with made-up English of a length drawn
around a per-document ratio (fixed seeds): the check must find a truncated or doubled target
against its own document, whatever that document's ratio is.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from workbench.core.checks import check_segments
from workbench.core.checks.length import MIN_JAPANESE, MIN_SAMPLES, build_models, source_counts
from workbench.core.glossary.model import Glossary
from workbench.core.records import SegmentRecord
from workbench.core.segment import segment_file

REPO = Path(__file__).resolve().parents[2]
WORDS = ("the", "two", "sides", "agreed", "to", "strengthen", "cooperation", "in", "energy",
         "trade", "and", "transport", "between", "both", "countries", "with", "support")


def english_of_length(length: int, rng: random.Random) -> str:
    words: list[str] = []
    while len(" ".join(words)) < length - 1:
        words.append(rng.choice(WORDS))
    return (" ".join(words)[:length - 1].rstrip() + ".").capitalize()


def document(doc: str, per_letter: float, seed: int) -> list[SegmentRecord]:
    """The long sentences of the Vietnam–Azerbaijan statement as document `doc`, translated
    to about `per_letter` English characters per Japanese one."""
    rng = random.Random(seed)
    path = REPO / "sources" / "vietnam-azerbaijan-strategic-partnership.ja.txt"
    out = []
    for s in segment_file(path).segments:
        japanese, carried = source_counts(s.source)
        if japanese < MIN_JAPANESE:
            continue
        length = round((per_letter * japanese + carried) * math.exp(rng.gauss(0, 0.12)))
        out.append(SegmentRecord.of(id=f"{doc}-{s.ordinal}", doc=doc, ordinal=s.ordinal,
                                    source=s.source, final=english_of_length(length, rng),
                                    status="reviewed"))
    return out


def length_issues(records: list[SegmentRecord]) -> dict[str, str]:
    return {i.segment_id or "": i.message for i in check_segments(records, Glossary([]))
            if i.check == "length"}


def test_a_truncated_and_a_padded_target_are_found_against_their_document() -> None:
    records = document("joint-statement", 2.6, seed=1)
    assert len(records) >= 20 and length_issues(records) == {}
    rng = random.Random(2)
    cut, long = records[5], records[9]
    records[5] = SegmentRecord(cut.segment, final=english_of_length(len(cut.final or "") // 3,
                                                                    rng), status="reviewed")
    records[9] = SegmentRecord(long.segment, final=(long.final or "") + " " + (long.final or "")
                               + " " + (long.final or ""), status="reviewed")
    found = length_issues(records)
    assert set(found) == {cut.id, long.id}
    assert "too short: this document's translations of a source this long run to" in \
        found[cut.id]
    assert "too long" in found[long.id]


def test_the_model_is_the_documents_own_not_a_constant() -> None:
    terse = document("terse", 1.6, seed=3)        # a document translated tersely …
    wordy = document("wordy", 3.6, seed=3)        # … and one translated at length
    assert length_issues(terse + wordy) == {}
    models = build_models(terse + wordy, [r.final for r in terse + wordy])
    assert models["terse"].per_letter < 2.0 < 3.0 < models["wordy"].per_letter
    # the terse document's translation of a sentence, put in the wordy one, is too short there
    moved = SegmentRecord(wordy[4].segment, final=terse[4].final, status="reviewed")
    found = length_issues(terse + wordy[:4] + [moved] + wordy[5:])
    assert list(found) == [moved.id] and "too short" in found[moved.id]


def test_a_document_with_few_translations_is_judged_by_the_whole_project() -> None:
    big = document("big", 2.6, seed=5)
    small = document("small", 2.6, seed=6)[:MIN_SAMPLES - 1]
    short = SegmentRecord(small[0].segment, final="It agreed.", status="reviewed")
    found = length_issues(big + [short] + small[1:])
    assert list(found) == [short.id] and "the project's translations" in found[short.id]
    # alone, with no model at all, nothing is said
    assert length_issues([short] + small[1:]) == {}

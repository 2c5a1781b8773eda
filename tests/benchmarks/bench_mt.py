"""Benchmark: the workbench's MT engine against argostranslate and raw CTranslate2.

A stand-in of realistic size (the echo fixture scaled to 6+6 layers, d_model 512, 32k
vocabulary, int8) translates 500 seed sentences three ways, all with beam 4:

  (a) workbench.core.mt.Engine.translate (tokenize, sort, batch, decode, in order)
  (b) argostranslate.translate.translate, one call per sentence, default settings
  (c) ctranslate2.Translator.translate_batch on pre-tokenized input, the engine's
      translator settings (the ceiling for (a))

Prints sentences/s for each and the ratios a/c (target ≥ 0.9) and a/b (target ≥ 4).
`--sweep` instead measures thread and batch settings for the engine on this machine.

    python tests/benchmarks/bench_mt.py [--sentences 500] [--sweep] [--skip-argos]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
BEAM = 4


def seed_sentences(count: int) -> list[str]:
    """`count` segments of the seed documents as the workbench segments them (460 of them:
    the list starts over to reach `count`)."""
    from workbench.core.segment import segment_text

    sentences: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        doc = segment_text(path.stem, path.read_text(encoding="utf-8"))
        sentences += [s.source for s in doc.segments]
    if not sentences:
        raise SystemExit(f"no seed documents in {SEEDS}")
    return (sentences * (count // len(sentences) + 1))[:count]


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"{label}: {per_second:8.1f} sentences/s  ({count} in {seconds:.2f} s)")
    return per_second


def timed(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--sweep", action="store_true",
                        help="measure inter/intra threads and batch sizes instead")
    parser.add_argument("--rounds", type=int, default=3, help="runs of (a) and (c): best counts")
    parser.add_argument("--argos-rounds", type=int, default=1, help="runs of (b), the slow one")
    parser.add_argument("--skip-argos", action="store_true", help="skip (b)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-mt-"))
    # Before argostranslate is imported: it reads ARGOS_PACKAGES_DIR once.
    os.environ["ARGOS_PACKAGES_DIR"] = str(work / "packages")
    sys.path.insert(0, str(REPO / "tests"))
    from argos_fixture import REALISTIC, build_fixture

    from workbench.core import mt

    start = time.perf_counter()
    # SentencePiece trained on the seeds themselves: ~25 pieces a sentence, as a real
    # Japanese model gives (the fixture's own 400-piece model falls back to bytes).
    seed_text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    package = build_fixture(work / "standin.argosmodel", text=seed_text, sp_vocab_size=8000,
                            **REALISTIC)
    model = mt.install_model(package)
    print(f"stand-in: {package.stat().st_size / 1e6:.1f} MB, built and installed in "
          f"{time.perf_counter() - start:.1f} s; cores: {len(os.sched_getaffinity(0))}")
    sentences = seed_sentences(args.sentences)
    if args.sweep:
        sweep(mt, model, sentences)
        return

    engine = mt.Engine(model, beam_size=BEAM)
    tokens = engine._tokenizer.encode(sentences)  # (c) gets them pre-tokenized: not timed
    translator = engine._translator
    print(f"engine: {engine!r}; {sum(map(len, tokens)) / len(tokens):.1f} pieces a sentence; "
          f"best of {args.rounds} runs, taking turns")
    result = engine.translate(sentences)  # warm up, and check the echo
    folded = [re.sub(" +", " ", s.strip(" ")) for s in sentences]  # SentencePiece folds spaces
    wrong = sum(out != want for out, want in zip(result, folded, strict=True))
    print(f"    outputs equal to their inputs: {len(sentences) - wrong}/{len(sentences)}")

    def raw() -> None:
        translator.translate_batch(tokens, beam_size=BEAM, length_penalty=mt.LENGTH_PENALTY,
                                   max_batch_size=engine.batch_size, max_input_length=0,
                                   max_decoding_length=1024)

    raw()
    runs_a, runs_c = [], []
    for _ in range(args.rounds):
        runs_a.append(timed(lambda: engine.translate(sentences)))
        runs_c.append(timed(raw))
    a = rate("(a) workbench Engine", len(sentences), min(runs_a))
    c = rate("(c) raw translate_batch", len(sentences), min(runs_c))
    print(f"a/c: {a / c:.2f}  (target ≥ 0.9)")
    if args.skip_argos:
        return

    from argostranslate import translate as argos

    argos.translate(sentences[0], "ja", "en")  # warm up: loads the model, the splitter
    runs_b = [timed(lambda: [argos.translate(s, "ja", "en") for s in sentences])
              for _ in range(args.argos_rounds)]
    b = rate("(b) argostranslate.translate per sentence", len(sentences), min(runs_b))
    print(f"a/b: {a / b:.2f}  (target ≥ 4)")


def sweep(mt: object, model: object, sentences: list[str], rounds: int = 3) -> None:
    """Sentences/s of the engine for thread and batch settings, best of `rounds` (the
    settings take turns, so load from other processes hits them alike); the anchor is
    CTranslate2's default, inter=1 intra=0."""
    Engine = mt.Engine  # type: ignore[attr-defined]
    settings = [(1, 0, 32), (1, 1, 32), (1, 2, 32), (2, 0, 32), (2, 1, 32), (4, 1, 32),
                (2, 1, 16), (2, 1, 64), (1, 2, 64)]
    engines = {s: Engine(model, beam_size=BEAM, inter_threads=s[0], intra_threads=s[1],
                         batch_size=s[2]) for s in settings}
    best = dict.fromkeys(settings, 0.0)
    for _ in range(rounds):
        for setting, engine in engines.items():
            engine.translate(sentences[:8])
            per_second = len(sentences) / timed(lambda e=engine: e.translate(sentences))
            best[setting] = max(best[setting], per_second)
    anchor = best[settings[0]]
    for (inter, intra, batch), per_second in best.items():
        print(f"inter={inter} intra={intra} batch={batch:3d}: {per_second:7.1f} sentences/s  "
              f"×{per_second / anchor:.2f} vs inter=1 intra=0 batch=32")


if __name__ == "__main__":
    main()

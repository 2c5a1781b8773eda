"""The batched CTranslate2 engine on the echo package: one output per input, in order, whole."""

from __future__ import annotations

import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.core.errors import ModelError
from workbench.core.mt import engine as mt
from workbench.core.mt.engine import Cancelled, Engine
from workbench.core.mt.packages import ModelInfo

LONG = "アゼルバイジャンとロシアの関係について説明します。" * 150  # ~3300 pieces


@pytest.fixture
def engine(installed_model: ModelInfo) -> Engine:
    return Engine(installed_model, batch_size=4)


def pieces(engine: Engine, text: str) -> int:
    return len(engine._tokenizer.encode([text])[0])


def test_a_batch_returns_each_input_in_order(engine: Engine) -> None:
    texts = ["これはテストです。", "snake_case_name と __init__ を比較してください。",
             "絵文字 😀🇯🇵 も訳文に残る。", "This is a test sentence.", "2024年10月の会議。",
             "全角　スペース、「かぎ括弧」（丸括弧）", "This is a test sentence."]
    assert engine.translate(texts) == texts


def test_segments_of_1000_pieces_and_longer_come_back_whole(engine: Engine) -> None:
    low, high = 0, len(LONG)  # the longest prefix of at most 1000 pieces
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if pieces(engine, LONG[:mid]) <= 1000 else (low, mid - 1)
    thousand = LONG[:low]
    assert pieces(engine, thousand) >= 998
    assert pieces(engine, LONG) > 2 * mt.MAX_INPUT_TOKENS  # split into three and joined
    texts = ["短い文。", thousand, LONG, "もう一つ。"]
    assert engine.translate(texts) == texts
    assert engine.truncated == 0


def test_blank_inputs_give_blank_outputs_without_disturbing_the_rest(engine: Engine) -> None:
    assert engine.translate(["", "これはテストです。", "  ", ""]) == [
        "", "これはテストです。", "", ""]
    assert engine.translate([]) == []


def test_an_output_cut_at_the_length_limit_is_decoded_again(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "両国は外交関係を樹立しました。" * 10
    monkeypatch.setattr(mt, "DECODE_RATIO", 0.3)  # first pass stops at a third, retry at 1.2×
    monkeypatch.setattr(mt, "DECODE_MARGIN", 0)
    assert engine.translate([text, "短い文。"]) == [text, "短い文。"]
    assert engine.truncated == 0


def test_an_output_still_cut_after_the_retry_is_counted(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "両国は外交関係を樹立しました。" * 10
    monkeypatch.setattr(mt, "DECODE_RATIO", 0.1)
    monkeypatch.setattr(mt, "DECODE_MARGIN", 0)
    [out] = engine.translate([text])
    assert text.startswith(out) and len(out) < len(text)
    assert engine.truncated == 1


def test_progress_counts_every_input(engine: Engine) -> None:
    calls: list[tuple[int, int]] = []
    texts = [f"{i}番目の文です。" for i in range(10)]
    engine.translate(texts, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (10, 10)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert len(calls) == 3  # batches of 4


def test_a_short_job_is_shared_between_the_translators(installed_model: ModelInfo
                                                       ) -> None:
    engine = Engine(installed_model, batch_size=32, inter_threads=2)
    calls: list[tuple[int, int]] = []
    texts = [f"{i}番目の文です。" for i in range(10)]
    assert engine.translate(texts, progress=lambda d, t: calls.append((d, t))) == texts
    assert calls == [(5, 10), (10, 10)]


def test_cancel_stops_after_the_batches_under_way(engine: Engine) -> None:
    cancel = threading.Event()
    texts = [f"{i}番目の文です。" for i in range(40)]

    def progress(done: int, total: int) -> None:
        cancel.set()

    with pytest.raises(Cancelled) as caught:
        engine.translate(texts, progress=progress, cancel=cancel)
    done = caught.value.done
    assert 0 < len(done) < len(texts)
    assert all(texts[i] == out for i, out in done.items())


def test_engine_id_names_package_version_and_settings(installed_model: ModelInfo
                                                      ) -> None:
    beam4 = Engine(installed_model)
    greedy = Engine(installed_model, beam_size=1, batch_size=7, inter_threads=1)
    assert beam4.engine_id.startswith("translate-ja_en@0.0.1 beam=4 ")
    assert greedy.engine_id.startswith("translate-ja_en@0.0.1 beam=1 ")
    assert beam4.compute_type in beam4.engine_id
    # Threads and batch size do not change the output, so they do not change the id.
    assert Engine(installed_model, batch_size=7, inter_threads=1).engine_id == beam4.engine_id


def test_cpu_threads_default_to_one_translator_per_core() -> None:
    inter, intra = mt.default_threads("cpu")
    assert inter >= 1 and intra == 1
    assert mt.default_threads("cuda") == (1, 1)


def test_a_device_without_support_is_a_model_error(installed_model: ModelInfo
                                                   ) -> None:
    if mt_cuda_available():
        pytest.skip("a GPU is present")
    with pytest.raises(ModelError, match="cannot load the model on cuda"):
        Engine(installed_model, device="cuda")


def mt_cuda_available() -> bool:
    import ctranslate2

    return bool(ctranslate2.get_cuda_device_count())


# SentencePiece folds runs of spaces (and drops them at the ends), so the property holds
# for single-spaced text.
words = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
                min_size=1, max_size=12)
sentences = st.lists(words, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture])
@given(texts=st.lists(sentences, min_size=1, max_size=9))
def test_echo_property_any_text_comes_back_in_place(engine: Engine, texts: list[str]) -> None:
    assert engine.translate(texts) == texts

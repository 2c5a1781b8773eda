"""translate_project on the demo project: stores MT with its engine id, caches, resumes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from workbench.core.ingest import sync
from workbench.core.mt.engine import Engine
from workbench.core.mt.packages import ModelInfo
from workbench.core.pipeline import translate_project
from workbench.core.project import Project


@pytest.fixture
def project(demo_project: Path) -> Iterator[Project]:
    with Project.open(demo_project) as opened:
        sync(opened)
        yield opened


@pytest.fixture
def engine(installed_model: ModelInfo) -> Engine:
    return Engine(installed_model, beam_size=1, batch_size=16)


def test_every_segment_gets_its_mt_and_the_engine_id(project: Project, engine: Engine) -> None:
    report = translate_project(project, engine=engine)
    segments = project.segments()
    assert len(segments) > 100
    assert all(s.mt == s.source and s.mt_engine == engine.engine_id for s in segments)
    assert report.translated == len(segments) and report.cached == report.skipped == 0
    assert not report.cancelled and report.engine_id == engine.engine_id
    assert project.cached_mt([s.source for s in segments], engine.engine_id).keys() == {
        s.source for s in segments}


def test_a_second_run_costs_nothing(project: Project, engine: Engine,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    translate_project(project, engine=engine)
    monkeypatch.setattr(engine, "translate_batches", None)  # calling the model would fail
    report = translate_project(project, engine=engine)
    assert report.translated == report.cached == 0
    assert report.skipped == len(project.segments())


def test_text_translated_before_comes_from_the_cache(project: Project, engine: Engine,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    translate_project(project, engine=engine)
    segments = project.segments()
    # Another engine's MT replaced ours (set_mt also clears the normalized text).
    project.set_mt([(s.id, "other", "other-engine") for s in segments])
    monkeypatch.setattr(engine, "translate_batches", None)
    report = translate_project(project, engine=engine)
    assert report.cached == len(segments) and report.translated == 0
    assert all(s.mt == s.source and s.mt_engine == engine.engine_id
               for s in project.segments())


def test_another_engine_id_translates_again(project: Project, installed_model: ModelInfo,
                                            engine: Engine) -> None:
    doc = project.documents()[0].name
    translate_project(project, [doc], engine=engine)
    beam2 = Engine(installed_model, beam_size=2)
    report = translate_project(project, [doc], engine=beam2)
    assert report.translated == len(project.segments(doc)) and report.cached == 0
    assert {s.mt_engine for s in project.segments(doc)} == {beam2.engine_id}


def test_only_the_documents_asked_for(project: Project, engine: Engine) -> None:
    first, *others = [d.name for d in project.documents()]
    report = translate_project(project, [first], engine=engine)
    assert report.translated == len(project.segments(first)) and report.docs == [first]
    assert all(s.mt is None for doc in others for s in project.segments(doc))


def test_a_repeated_source_is_translated_once(project: Project, engine: Engine,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sources: list[str] = []
    original = engine.translate_batches

    def spy(texts: list[str], **kwargs: Any) -> Iterator[list[tuple[int, str]]]:
        sources.extend(texts)
        return original(texts, **kwargs)

    monkeypatch.setattr(engine, "translate_batches", spy)
    segments = project.segments()
    assert len({s.source for s in segments}) < len(segments)  # the demo repeats headings
    report = translate_project(project, engine=engine)
    assert len(sources) == len(set(sources)) == len({s.source for s in segments})
    assert report.translated == len(segments)
    assert all(s.mt == s.source for s in project.segments())


def test_cancel_keeps_what_was_done_and_the_next_run_finishes(project: Project,
                                                              engine: Engine) -> None:
    cancel = threading.Event()
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if done:
            cancel.set()

    report = translate_project(project, engine=engine, progress=progress, cancel=cancel)
    total = len(project.segments())
    assert report.cancelled and 0 < report.translated < total
    assert calls[0] == (0, total)
    stored = [s for s in project.segments() if s.mt is not None]
    assert len(stored) == report.translated
    assert all(s.mt == s.source for s in stored)
    # A fresh connection sees the same: each batch was committed as it finished.
    with Project.open(project.root, write=False) as reader:
        assert sum(s.mt is not None for s in reader.segments()) == report.translated
    again = translate_project(project, engine=engine)
    assert not again.cancelled
    assert again.skipped == report.translated and again.translated == total - report.translated

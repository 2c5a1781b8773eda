"""What thread workers report back to the UI thread, named for what already happened."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.message import Message

from workbench.core.glossary.model import Glossary
from workbench.core.records import Issue, SegmentRecord


class DocumentLoaded(Message):
    """A worker read a document's segments."""

    def __init__(self, doc: str, records: Sequence[SegmentRecord]) -> None:
        super().__init__()
        self.doc = doc
        self.records = records


class DocumentRefreshed(Message):
    """A worker re-read a document (normalized text, QA issues) for the list."""

    def __init__(self, doc: str, revision: int, records: Sequence[SegmentRecord],
                 issues: Sequence[Issue], glossary: Glossary | None = None,
                 note: str = "") -> None:
        super().__init__()
        self.doc = doc
        self.revision = revision
        self.records = records
        self.issues = issues
        self.glossary = glossary
        self.note = note


class ModelChecked(Message):
    """The MT model was looked up: `problem` says how to install one when there is none."""

    def __init__(self, problem: str | None) -> None:
        super().__init__()
        self.problem = problem


class TranslationProgressed(Message):
    """MT finished `done` of `total` segments."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total


class TranslationFinished(Message):
    """MT of a document ended (completed or cancelled); `report` is the core's report."""

    def __init__(self, doc: str, report: Any, cancelled: bool) -> None:
        super().__init__()
        self.doc = doc
        self.report = report
        self.cancelled = cancelled


class FilesWritten(Message):
    """Aligned files or an export were written."""

    def __init__(self, what: str, paths: Sequence[Path]) -> None:
        super().__init__()
        self.what = what
        self.paths = list(paths)

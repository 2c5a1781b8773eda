"""Machine-translation commands: manage Argos models, translate the project's segments."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table
from rich.text import Text

from workbench.cli._common import (
    EXIT_OK,
    Context,
    err,
    glossary_folder,
    label,
    out,
    refresh_normalized_text,
)
from workbench.core import pipeline
from workbench.core.errors import WorkbenchError
from workbench.core.glossary.lint import checked_glossary
from workbench.core.mt import engine as mt_engine
from workbench.core.mt import packages

EXIT_INTERRUPTED = 130
T = TypeVar("T")


@click.group()
def models() -> None:
    """Manage the Argos Translate models: list, install, remove.

    They live in $ARGOS_PACKAGES_DIR, else ~/.local/share/argos-translate/packages.
    """


@models.command("list")
def models_list() -> int:
    """Show the installed models; `*` marks the one `workbench translate` uses."""
    folder = packages.packages_dir()
    installed = packages.list_models()
    if not installed:
        out.print(f"no models installed in {folder}")
        err.print(f"  {packages.INSTALL_HINT}")
        return EXIT_OK
    try:
        used: packages.ModelInfo | None = packages.find_model("ja", "en")
    except WorkbenchError:
        used = None
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("", "name", "pair", "version", "size"):
        table.add_column(column, justify="right" if column == "size" else "left")
    for model in installed:
        table.add_row("*" if model == used else "", model.name,
                      f"{model.from_code}→{model.to_code}", model.version,
                      f"{model.size / 1e6:.1f} MB")
    out.print(table)
    out.print(f"in {folder}")
    return EXIT_OK


@models.command("install")
@click.argument("source")
def models_install(source: str) -> int:
    """Install SOURCE: a local .argosmodel file, or a pair like `ja-en` (needs the network).

    A file is checked before anything is written; a malformed package is refused with
    the reason.
    """
    with Progress(TextColumn("downloading"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(), console=err,
                  transient=True) as bar:
        task = bar.add_task("download", total=None, visible=False)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total or None, visible=True)

        model = packages.install_model(source, progress=progress)
    out.print(f"installed {model.name} ({model.from_code}→{model.to_code}, version "
              f"{model.version}) in {model.path.parent}")
    return EXIT_OK


@models.command("remove")
@click.argument("name")
def models_remove(name: str) -> int:
    """Uninstall a model by NAME (as `models list` shows it), package code or pair."""
    packages.remove_model(name)
    out.print(f"removed {name}")
    return EXIT_OK


class _RateColumn(ProgressColumn):
    """Segments/s and ETA from the average since the start: batches finish in bursts, which
    makes rich's moving estimate swing wildly."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        if not task.completed or not elapsed:
            return Text("– segments/s  eta –", style="progress.remaining")
        rate = task.completed / elapsed
        eta = (task.total - task.completed) / rate if task.total is not None else 0.0
        minutes, seconds = divmod(round(eta), 60)
        return Text(f"{rate:.1f} segments/s  eta {minutes}:{seconds:02d}",
                    style="progress.remaining")


@click.command()
@click.argument("docs", nargs=-1)
@click.option("--device", type=click.Choice(["cpu", "cuda", "auto"]), default="cpu",
              show_default=True, help="Where CTranslate2 runs the model.")
@click.option("--beam-size", type=click.IntRange(min=1), default=mt_engine.DEFAULT_BEAM_SIZE,
              show_default=True, help="Beam search width (1 = greedy: faster, rougher).")
@click.option("--batch-size", type=click.IntRange(min=1), default=mt_engine.DEFAULT_BATCH_SIZE,
              show_default=True, help="Segments per CTranslate2 batch.")
@click.pass_obj
def translate(ctx: Context, docs: tuple[str, ...], device: str, beam_size: int,
              batch_size: int) -> int:
    """Machine-translate the segments of DOCS (default: every document) with the installed
    ja→en model.

    Segments already translated by the same engine are skipped, and texts it translated
    before come from the cache. Ctrl-C stops after the batches under way; what was done is
    kept, and the next run carries on.
    """
    model = packages.find_model("ja", "en")  # before anything else: no model, no work
    checked_glossary(glossary_folder(ctx))     # the normalized text needs a sound glossary
    project = ctx.open_project()
    names = [project.resolve_document(d) for d in docs] if docs else None
    if not (names or project.documents()):
        out.print("no documents yet: put Japanese .txt files in sources/ and run "
                  "`workbench ingest`.")
        return EXIT_OK
    engine = mt_engine.Engine(model, device=device, beam_size=beam_size, batch_size=batch_size)
    cancel = threading.Event()
    with Progress(TextColumn("translating"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task("translate", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = _run_cancellable(lambda: pipeline.translate_project(
            project, names, engine=engine, progress=progress, cancel=cancel), cancel, bar)
    refresh_normalized_text(project)
    _print_report(report)
    return EXIT_INTERRUPTED if report.cancelled else EXIT_OK


def _run_cancellable(work: Callable[[], T], cancel: threading.Event, bar: Progress) -> T:
    """Run `work` in a thread so that Ctrl-C reaches this one at once.

    The first Ctrl-C sets `cancel` and waits for the batches under way; a second quits
    on the spot (every finished batch is committed already). Waiting is done on an Event
    in short steps: a join() interrupted by Ctrl-C can leave the thread looking finished.
    """
    box: dict[str, Any] = {}
    finished = threading.Event()

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # re-raised in the calling thread
            box["error"] = exc
        finally:
            finished.set()

    threading.Thread(target=target, name="workbench-translate", daemon=True).start()
    try:
        while not finished.wait(0.1):
            pass
    except KeyboardInterrupt:
        cancel.set()
        err.print("stopping after the batches under way (Ctrl-C again to quit now)…")
        try:
            while not finished.wait(0.1):
                pass
        except KeyboardInterrupt:
            bar.stop()
            err.print("interrupted")
            # The worker is inside CTranslate2: the interpreter cannot shut down around
            # it (it would crash), so leave at once; the lock is released by the kernel.
            os._exit(EXIT_INTERRUPTED)
    if "error" in box:
        raise box["error"]
    result: T = box["result"]
    return result


def _print_report(report: pipeline.TranslateReport) -> None:
    rate = f", {report.per_second:.1f} segments/s" if report.translated else ""
    verb = "stopped" if report.cancelled else "done"
    out.print(f"{verb}: {report.translated} translated, {report.cached} from the cache, "
              f"{report.skipped} already done ({report.seconds:.1f} s{rate})")
    out.print(f"engine: {report.engine_id}")
    if report.truncated:
        err.print(label("warning", f"{report.truncated} outputs reached the decoding "
                                   "length limit and may be cut short; check them in review."))
    if report.cancelled:
        err.print("what was translated is kept; run `workbench translate` again to finish.")


COMMANDS: list[click.Command] = [models, translate]

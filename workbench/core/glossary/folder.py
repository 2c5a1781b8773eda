"""A glossary folder: its files merged and loaded (cached by content), and changes to it
(add an entry, start an empty names.tsv), each written under the folder's file lock."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from workbench.core.atomic import atomic_write_text
from workbench.core.errors import GlossaryError
from workbench.core.glossary.fold import fold_key
from workbench.core.glossary.formats import (
    COLUMNS,
    MAIN_FILE,
    SEPARATOR,
    SUFFIXES,
    GlossaryProblem,
    columns_for,
    entry_from_cells,
    read_entries,
    read_text,
    render_tsv,
    report_problem,
    write_glossary,
)
from workbench.core.glossary.model import Entry, Glossary


def glossary_files(folder: Path) -> list[Path]:
    """The glossary files of a folder, sorted by name (README and other files ignored)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(
                      (".", "~$")))


def glossary_stamp(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """What changes when a glossary file of `folder` is added, removed or saved: each file's
    name, modification time and size (a few `stat` calls, cheap enough to poll)."""
    stamp = []
    for path in glossary_files(folder):
        try:
            info = path.stat()
        except OSError:     # removed between listing and stat: the next look sees it gone
            continue
        stamp.append((path.name, info.st_mtime_ns, info.st_size))
    return tuple(stamp)


def merge_entries(rows: Sequence[Entry], problems: list[GlossaryProblem] | None = None
                  ) -> list[Entry]:
    """Merge rows with the same `en`; a source variant of two different names is an error.

    The error names the rows of both names (file and line). With `problems`, every conflict
    is recorded there instead of raising on the first.
    """
    merged: dict[str, Entry] = {}
    for row in rows:
        prior = merged.get(row.en)
        if prior is None:
            merged[row.en] = row
            continue
        merged[row.en] = replace(
            prior,
            ja=tuple(dict.fromkeys(prior.ja + row.ja)),
            type=prior.type or row.type,
            en_variants=tuple(dict.fromkeys(prior.en_variants + row.en_variants)),
            forbidden=tuple(dict.fromkeys(prior.forbidden + row.forbidden)),
            derived=tuple(dict.fromkeys(prior.derived + row.derived)),
            note="; ".join(n for n in dict.fromkeys((prior.note, row.note)) if n))
    row_of: dict[tuple[str, str], Entry] = {}
    for row in rows:
        for variant in row.ja:
            row_of.setdefault((row.en, variant), row)
    owners: dict[str, tuple[Entry, str]] = {}
    for entry in merged.values():
        for variant in entry.ja:
            key = fold_key(variant)
            owner = owners.setdefault(key, (entry, variant))
            other, other_variant = owner
            if other.en == entry.en:
                continue
            here = row_of.get((entry.en, variant), entry)
            there = row_of.get((other.en, other_variant), other)
            same = "" if other_variant == variant else \
                f" (as {other_variant!r}; both fold to {key!r})"
            report_problem(problems, here.file, here.line,
                     f"variant {variant!r} of {entry.en!r} is also a variant of {other.en!r} "
                     f"at {there.where}{same}",
                     hint="a source spelling must name one thing: remove it from one entry.")
    return list(merged.values())


def load_glossary(folder: Path) -> Glossary:
    """Merge every glossary file in `folder`; a missing or empty folder is an empty glossary.

    The same files (by content) give the same Glossary object, matcher and all: a command
    that refreshes the normalized text and then checks, or the workbench opening after that
    refresh, reads and compiles the glossary once.
    """
    files = glossary_files(folder)
    try:
        key = (str(folder.resolve()),
               tuple((p.name, hashlib.blake2b(p.read_bytes()).digest()) for p in files))
    except OSError:
        key = None      # unreadable: read_entries says why
    if key is not None:
        with _LOADED_LOCK:
            cached = _LOADED.get(key)
        if cached is not None:
            return cached
    rows: list[Entry] = []
    for path in files:
        rows.extend(read_entries(path))
    glossary = Glossary(merge_entries(rows), folder)
    if key is not None:
        with _LOADED_LOCK:
            _LOADED[key] = glossary
            while len(_LOADED) > _LOADED_KEPT:
                del _LOADED[next(iter(_LOADED))]     # the oldest
    return glossary


# Glossaries by folder and file contents (a few: the TUI reloads as files change).
_LOADED: dict[tuple[str, tuple[tuple[str, bytes], ...]], Glossary] = {}
_LOADED_KEPT = 4
_LOADED_LOCK = threading.Lock()


def start_glossary(folder: Path) -> Path | None:
    """Give a folder with no glossary file an empty `names.tsv` (its header: the columns a
    reviewer fills in); None when it has one already."""
    if glossary_files(folder):
        return None
    path = folder / MAIN_FILE
    atomic_write_text(path, render_tsv([], COLUMNS))
    return path


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the glossary folder's exclusive lock: every change to its files is made under it
    (read, change, write), so two `glossary add` at once (or one and the workbench's add
    term) never lose each other's row. Waits for the holder; released if it dies.

    The lock is on the folder itself (flock on its descriptor), not on a file: the files are
    replaced atomically, so a lock on one would stay behind on the old copy, and a lock file
    would show up in the reviewers' version control."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise GlossaryError(f"cannot change the glossary: {exc.strerror or exc}",
                            path=folder) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def add_entry(folder: Path, en: str, ja: Sequence[str], type: str = "",
              note: str = "") -> Entry:
    """`_add_entry` under the folder's lock: the file is read and written by one writer at a
    time, so concurrent adds all land."""
    with folder_lock(folder):
        return _add_entry(folder, en, ja, type, note)


def _add_entry(folder: Path, en: str, ja: Sequence[str], type: str, note: str) -> Entry:
    """Add an entry to `glossary/names.tsv`, or merge variants into its row with the same `en`.

    The whole glossary is re-validated with the change before anything is written (a variant
    that already names something else is a GlossaryError and the file is untouched). The
    file keeps its comments and column order; it is replaced atomically. Returns the merged
    entry as the glossary now holds it.
    """
    path = folder / MAIN_FILE
    new = entry_from_cells({"en": en.strip(), "ja": SEPARATOR.join(v.strip() for v in ja),
                             "type": type, "note": note}, path, 0, None)
    assert new is not None   # a bad row raised
    rows = read_entries(path) if path.exists() else []
    lines = read_text(path).splitlines() if path.exists() else []
    at = next((i for i, row in enumerate(rows) if row.en == new.en), None)
    if at is None:
        changed = replace(new, line=len(lines) + 1 + (0 if lines else 1))
        rows.append(changed)
    else:
        row = rows[at]
        changed = rows[at] = replace(
            row, ja=tuple(dict.fromkeys(row.ja + new.ja)), type=row.type or new.type,
            note="; ".join(n for n in dict.fromkeys((row.note, new.note)) if n))
    others = [r for p in glossary_files(folder) if p != path for r in read_entries(p)]
    merged = {e.en: e for e in merge_entries(others + rows)}
    lines = _with_columns(lines, columns_for([changed]))
    columns = _header_columns(lines) or list(COLUMNS)
    rendered = render_tsv([changed], columns, header=False).rstrip("\n")
    if at is None:
        lines.append(rendered)
    else:
        lines[changed.line - 1] = rendered
    atomic_write_text(path, "".join(line + "\n" for line in lines))
    return merged[new.en]


def import_file(folder: Path, source: Path, *, name: str | None = None,
                force: bool = False) -> tuple[Path, list[Entry]]:
    """Bring a glossary file (TSV, CSV, XLSX or TBX) into `folder` as TSV; return the file
    written and its entries.

    The result is checked with the glossary already there first (a spelling that names
    something else there is an error and nothing is written). `name` is a file name in the
    folder, never a path elsewhere; a file with no entry at all is refused (an HTML page
    saved as .tbx reads as nothing).
    """
    rows = read_entries(source)
    if not rows:
        raise GlossaryError("holds no glossary entry", path=source,
                            hint="check that the file is a glossary (a header row with en and "
                                 "ja, or TBX term entries).")
    wanted = name or source.with_suffix(".tsv").name
    if Path(wanted).name != wanted or wanted in ("", ".", ".."):
        raise GlossaryError(f"--name takes a file name, not a path: {wanted!r}", path=folder,
                            hint="the file is written into glossary/; give it a plain name.")
    target = folder / wanted
    if target.suffix.lower() != ".tsv":
        target = target.with_suffix(".tsv")
    with folder_lock(folder):
        if target.exists() and not force:
            raise GlossaryError("already exists", path=target,
                                hint="pass --force to replace it, or --name to choose another.")
        others = [r for p in glossary_files(folder) if p.resolve() != target.resolve()
                  for r in read_entries(p)]
        merge_entries(others + rows)
        write_glossary(rows, target)
    return target, rows


def _header_columns(lines: Sequence[str]) -> list[str] | None:
    """The columns a TSV glossary's header names (its first line that is not a comment)."""
    header = next((line for line in lines if line.strip() and not line.lstrip().startswith("#")),
                  None)
    if header is None:
        return None
    columns = [c.strip().lower() for c in header.split("\t")]
    while columns and not columns[-1]:
        columns.pop()
    return columns


def suggestion_columns(folder: Path) -> list[str]:
    """The columns `glossary suggest` writes: those of glossary/names.tsv, so that its rows
    append to it as they are (and its own order when there is no such file)."""
    path = folder / MAIN_FILE
    columns = _header_columns(read_text(path).splitlines()) if path.is_file() else None
    return columns if columns and "en" in columns and "ja" in columns else \
        ["en", "ja", "type", "note"]


def _with_columns(lines: list[str], needed: Sequence[str]) -> list[str]:
    """TSV lines whose header has the `needed` columns (added at the end, rows padded)."""
    out = list(lines)
    header_at = next((i for i, line in enumerate(out)
                      if line.strip() and not line.lstrip().startswith("#")), None)
    if header_at is None:
        return [*out, "\t".join(needed)]
    columns = [c.strip().lower() for c in out[header_at].split("\t")]
    missing = [c for c in needed if c not in columns]
    if not missing:
        return out
    out[header_at] = "\t".join(columns + missing)
    for i in range(header_at + 1, len(out)):
        if out[i].strip() and not out[i].lstrip().startswith("#"):
            out[i] += "\t" * len(missing)
    return out

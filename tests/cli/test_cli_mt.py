"""`workbench models …` and `workbench translate` as a user runs them, on the demo project."""

from __future__ import annotations

import os
import random
import re
import socket
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from argos_fixture import build_malformed

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.core.mt.packages import ModelInfo
from workbench.core.project import Project


def run(capsys: pytest.CaptureFixture[str], project: Path, *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, ["-C", str(project), *args])
    captured = capsys.readouterr()
    return code, captured.out, " ".join(captured.err.split())  # rich wraps long lines


def test_translate_without_a_model_exits_2_with_the_install_hint(
        demo_project: Path, argos_packages_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, demo_project, "translate")
    assert code == 2 and out == ""
    assert "error: no ja→en translation model is installed" in err
    assert "workbench models install" in err and ".argosmodel" in err
    assert not (demo_project / ".workbench").exists()  # no model, no work


def test_everything_else_works_without_a_model(demo_project: Path,
                                               argos_packages_dir: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, demo_project, "ingest")[0] == 0
    code, out, _ = run(capsys, demo_project, "status")
    assert code == 0 and "kazakhstan-foreign-policy" in out
    code, out, err = run(capsys, demo_project, "models", "list")
    assert code == 0 and "no models installed" in out and "models install" in err


def test_install_list_translate_status_remove(demo_project: Path,
                                              argos_packages_dir: Path,
                                              fixture_package: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, demo_project, "models", "install", str(fixture_package))
    assert code == 0
    assert f"installed translate-ja_en-fixture (ja→en, version 0.0.1) in {argos_packages_dir}" \
        in " ".join(out.split())
    code, out, _ = run(capsys, demo_project, "models", "list")
    assert code == 0
    assert re.search(r"\*\s+translate-ja_en-fixture\s+ja→en\s+0\.0\.1\s+[\d.]+ MB", out)

    code, out, err = run(capsys, demo_project, "translate", "--beam-size", "2")
    assert code == 0, err
    assert re.search(r"done: 460 translated, 0 from the cache, 0 already done", out)
    assert "engine: translate-ja_en@0.0.1 beam=2 " in out
    with Project.open(demo_project, write=False) as project:
        segments = project.segments()
        assert len(segments) == 460 and all(s.mt == s.source for s in segments)
    assert run(capsys, demo_project, "status")[0] == 0

    code, out, _ = run(capsys, demo_project, "translate", "--beam-size", "2")
    assert code == 0 and "done: 0 translated, 0 from the cache, 460 already done" in out

    code, out, _ = run(capsys, demo_project, "models", "remove", "translate-ja_en-fixture")
    assert code == 0 and "removed translate-ja_en-fixture" in out
    assert list(argos_packages_dir.iterdir()) == []


def test_translate_named_documents_only(demo_project: Path,
                                        installed_model: ModelInfo,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, demo_project, "translate", "kazakhstan", "vietnam")
    assert code == 0 and "done: 152 translated" in out
    code, _, err = run(capsys, demo_project, "translate", "no-such-doc")
    assert code == 2 and "no document 'no-such-doc'" in err


def test_a_malformed_package_is_refused_with_its_reason(
        demo_project: Path, installed_model: ModelInfo, fixture_package: Path,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = build_malformed(fixture_package, tmp_path / "bad.argosmodel", "two-top-level")
    code, _, err = run(capsys, demo_project, "models", "install", str(bad))
    assert code == 2
    assert "not a usable Argos package: expected exactly one top-level folder" in err
    assert [p.name for p in installed_model.path.parent.iterdir()] == [installed_model.name]


def test_install_a_pair_offline_fails_fast_and_says_how_to_install_a_file(
        demo_project: Path, argos_packages_dir: Path,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from argostranslate import settings

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(settings, "remote_package_index", f"http://127.0.0.1:{port}/index.json")
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "index.json")
    start = time.monotonic()
    code, _, err = run(capsys, demo_project, "models", "install", "ja-en")
    assert time.monotonic() - start < 5
    assert code == 2 and "cannot reach the Argos package index" in err
    assert "workbench models install path/to/translate-ja_en" in err


def test_a_device_that_is_not_there_is_a_clear_error(demo_project: Path,
                                                     installed_model: ModelInfo,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    import ctranslate2

    if ctranslate2.get_cuda_device_count():
        pytest.skip("a GPU is present")
    code, _, err = run(capsys, demo_project, "translate", "--device", "cuda")
    assert code == 2 and "cannot load the model on cuda" in err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_ctrl_c_stops_cleanly_and_keeps_what_was_done(demo_project: Path,
                                                      installed_model: ModelInfo
                                                      ) -> None:
    import pty

    rng = random.Random(7)
    kanji = [chr(c) for c in range(0x4E00, 0x9FA0)]  # mostly outside the fixture's pieces
    lines = ["".join(rng.choice(kanji) for _ in range(60)) + "。" for _ in range(160)]
    for old in (demo_project / "sources").iterdir():
        old.unlink()
    (demo_project / "sources" / "slow.ja.txt").write_text("\n\n".join(lines) + "\n",
                                                          encoding="utf-8")
    pid, fd = pty.fork()
    if pid == 0:  # the child: a user's terminal running the command
        os.chdir(demo_project)
        os.execv(sys.executable, [sys.executable, "-m", "workbench", "translate",
                                  "--batch-size", "4"])
    seen, pressed = b"", False
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        seen += data
        if not pressed and re.search(rb"[1-9]\d*/160", seen):
            os.write(fd, b"\x03")  # Ctrl-C, as the terminal sends it
            pressed = True
    _, status = os.waitpid(pid, 0)
    text = seen.decode("utf-8", "replace")
    assert pressed, text
    assert os.waitstatus_to_exitcode(status) == 130, text
    assert "stopped:" in text and "Traceback" not in text
    done = int(re.search(r"stopped: (\d+) translated", text).group(1))  # type: ignore[union-attr]
    with sqlite3.connect(demo_project / ".workbench" / "state.sqlite") as db:
        stored = db.execute("SELECT count(mt) FROM segments WHERE active=1").fetchone()[0]
    assert 0 < done == stored < 160


def test_translate_leaves_the_glossary_normalized_text_ready(
        demo_project: Path, installed_model: ModelInfo,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Export and review read the normalized text from the state: translate refreshes it."""
    code, _, _ = run(capsys, demo_project, "translate", "azerbaijan-russia-relations")
    assert code == 0
    with Project.open(demo_project, write=False) as project:
        records = project.segments("azerbaijan-russia-relations")
    assert records and all(r.mt is not None and r.normalized is not None for r in records)
    elchibey = [r for r in records if r.source.startswith("エルチベイの1年間")]
    assert elchibey and "Elchibey" in elchibey[0].normalized
    assert "エルチベイ" in elchibey[0].mt  # the echo model's raw output stays as it was

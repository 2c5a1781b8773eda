"""The team commands as a user runs them: --user, init --state, state copy, assign, status by
reviewer, the settings file's mistakes, and serve's tabs (without a browser)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli import cli
from workbench.cli._common import run_cli
from workbench.cli.serve_cmds import reviewer_for, tab_command
from workbench.core.project import Project

DOC = "azerbaijan-russia-relations"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run_cli(cli, list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_user_names_who_made_the_change(demo_project: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKBENCH_USER", "from-env")
    assert run(capsys, "-C", str(demo_project), "--user", "alice", "assign", DOC, "bob")[0] == 0
    assert run(capsys, "-C", str(demo_project), "assign", f"{DOC}:1-3", "carol")[0] == 0
    with Project.open(demo_project, write=False) as project:
        by = [r[0] for r in project.db.query("SELECT assigned_by FROM assignments ORDER BY seq")]
    assert by == ["alice", "from-env"]
    code, _, err = run(capsys, "-C", str(demo_project), "--user", "a\nb", "status")
    assert code == 2 and "not a usable reviewer name" in err


def test_assign_and_status_by_reviewer(demo_project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    root = str(demo_project)
    code, out, _ = run(capsys, "-C", root, "assign", "azerbaijan:1-20", "alice")
    assert code == 0 and "azerbaijan-russia-relations:1-20 is alice's now: 20 segments" in out
    assert run(capsys, "-C", root, "assign", "azerbaijan:11-", "bob")[0] == 0
    assert run(capsys, "-C", root, "assign", "azerbaijan:15", "--nobody")[0] == 0
    code, out, _ = run(capsys, "-C", root, "assign")
    lines = [line.split() for line in out.splitlines()[1:]]
    assert [(row[0], row[1], row[2]) for row in lines] == [
        ("azerbaijan-russia-relations:1-20", "alice", "10"),
        ("azerbaijan-russia-relations:11-", "bob", "130"),
        ("azerbaijan-russia-relations:15", "(nobody)", "1")]
    code, out, _ = run(capsys, "-C", root, "status")
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert rows["alice"][1:5] == ["10", "0", "10", "0%"]
    assert rows["bob"][1] == "130" and rows["(unassigned)"][1] == str(460 - 140)
    for bad, message in ((["assign", "azerbaijan:0-2", "alice"], "empty"),
                         (["assign", "azerbaijan:3"], "give a USER"),
                         (["assign", "azerbaijan:3", "bob", "--nobody"], "not both"),
                         (["assign", "nothing-like-it", "bob"], "no document")):
        code, _, err = run(capsys, "-C", root, *bad)
        assert code == 2 and message in err, (bad, err)


def test_status_without_assignments_has_no_reviewer_table(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "-C", str(demo_project), "status")
    assert code == 0 and "reviewer" not in out


def test_init_state_refuses_a_password_and_an_unreachable_server(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "new"
    code, _, err = run(capsys, "init", str(root), "--state",
                       "postgresql://alice:s3cret@db.example.org/bluebook")
    assert code == 2 and "holds a password" in err and "s3cret" not in err
    assert not root.exists()
    code, _, err = run(capsys, "init", str(root), "--state",
                       "postgresql://alice@127.0.0.1:1/bluebook?connect_timeout=2")
    assert code == 2 and "cannot reach the project state" in err and "PGPASSWORD" in err
    assert not (root / "workbench.toml").exists()
    code, _, err = run(capsys, "init", str(root), "--state", "mysql://x/y")
    assert code == 2 and "not a PostgreSQL URL" in err


def test_a_settings_file_with_a_password_or_bad_toml_is_refused(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = demo_project / "workbench.toml"
    settings.write_text('[state]\nurl = "postgresql://a:pw@h/db"\n', encoding="utf-8")
    code, _, err = run(capsys, "-C", str(demo_project), "status")
    assert code == 2 and "workbench.toml:2:" in err and "holds a password" in err
    assert "pw@" not in err
    settings.write_text('[state]\nurl = "postgresql://a@h/db\n', encoding="utf-8")
    code, _, err = run(capsys, "-C", str(demo_project), "status")
    assert code == 2 and "workbench.toml:2:" in err and "not valid TOML" in err


def test_init_state_on_a_project_with_work_points_to_state_copy(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "-C", str(demo_project), "status")[0] == 0
    code, _, err = run(capsys, "init", str(demo_project), "--state", "postgresql://a@h/db")
    assert code == 2 and "state copy --to" in err
    assert not (demo_project / "workbench.toml").exists()


def test_init_state_and_state_copy_through_postgresql(
        demo_project: Path, pg_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    fresh = tmp_path / "team"
    code, out, _ = run(capsys, "init", str(fresh), "--state", pg_url)
    assert code == 0 and "the state is in" in out
    assert (fresh / "workbench.toml").read_text(encoding="utf-8") == \
        f'[state]\nurl = "{pg_url}"\n'
    with Project.open(fresh, write=False) as project:
        assert project.db.dialect == "postgresql" and "assignments" in project.db.tables()

    root = str(demo_project)
    run(capsys, "-C", root, "--user", "alice", "assign", DOC, "alice")
    code, out, err = run(capsys, "-C", root, "state", "copy", "--to", pg_url)
    assert code == 0, err
    table = {line.split()[0]: line.split()[1:] for line in out.splitlines() if line.strip()}
    assert table["segments"] == ["460", "460"] and table["assignments"] == ["1", "1"]
    assert table["checksum"][0] == table["checksum"][1]
    assert "the project now uses postgresql://" in out and "kept as" in out
    code, out, err = run(capsys, "-C", root, "state", "copy", "--to", pg_url)
    assert code == 2 and "already there" in err
    code, out, err = run(capsys, "-C", root, "state", "copy", "--to", "sqlite")
    assert code == 0 and "the project now uses its own SQLite state" in out
    assert not (demo_project / "workbench.toml").exists()
    code, _, err = run(capsys, "-C", root, "state", "copy", "--to", "sqlite")
    assert code == 2 and "already there" in err
    other = tmp_path / "other.sqlite"
    other.write_bytes(b"x")
    code, _, err = run(capsys, "-C", root, "state", "copy", "--to", str(other))
    assert code == 2 and "exists" in err


def test_sqlite_commands_never_load_psycopg(demo_project: Path) -> None:
    code = ("import sys; from workbench.cli import main\n"
            "try:\n    main(['-C', sys.argv[1], 'status'])\nexcept SystemExit:\n    pass\n"
            "print('psycopg' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(demo_project)], capture_output=True,
                          text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "False"


def test_each_tab_runs_its_own_workbench_as_its_reviewer(tmp_path: Path) -> None:
    command = tab_command(tmp_path / "my project", "o'brien", "doc")
    assert command.endswith("-C '" + str(tmp_path / "my project") +
                            "' --user 'o'\"'\"'brien' review --tab doc")
    assert reviewer_for({}, None, "served-as") == "served-as"
    assert reviewer_for({"X-Remote-User": "alice"}, "X-Remote-User", "x") == "alice"
    assert reviewer_for({}, "X-Remote-User", "x") is None
    assert reviewer_for({"X-Remote-User": "a\x1bb"}, "X-Remote-User", "x") is None


def test_a_locked_project_is_explained_in_the_tab(demo_project: Path,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr("workbench.cli.notice.show_notice",
                        lambda title, message: shown.append((title, message)))
    with Project.open(demo_project):
        code, _, err = run(capsys, "-C", str(demo_project), "review", "--tab")
    assert code == 2 and err == ""
    assert "open in another workbench" in shown[0][1]
    assert "state copy --to postgresql://" in shown[0][1]


def test_the_notice_app_shows_the_message() -> None:
    import asyncio

    from workbench.cli.notice import NoticeApp

    async def go() -> str:
        app = NoticeApp("Cannot open", "project is open in another workbench (pid 1)")
        async with app.run_test(size=(80, 24)) as pilot:
            text = str(app.query_one("#notice-message").render())
            await pilot.press("q")
        return text

    assert "open in another workbench" in asyncio.run(go())


def test_serve_refuses_a_request_the_proxy_did_not_name(tmp_path: Path) -> None:
    """With --user-header, a request without it (not through the proxy) gets 403."""
    import os
    import signal
    import socket
    import time
    import urllib.error
    import urllib.request

    from projects import make_project

    root = make_project(tmp_path / "proj")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "-C", str(root), "serve",
                             "--port", str(port), "--user-header", "X-Remote-User"],
                            start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(
                    url, headers={"X-Remote-User": "alice"}), timeout=1).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        else:
            raise AssertionError("serve did not answer")
        for path in ("", "ws"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(url + path, timeout=2)
            assert refused.value.code == 403
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)

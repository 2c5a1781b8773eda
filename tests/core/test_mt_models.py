"""Installing, listing and removing Argos packages; the package index offline and online."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argos_fixture import DEFECTS, build_fixture, build_malformed

from workbench.core.errors import ModelError
from workbench.core.mt import packages as mt
from workbench.core.mt.packages import ModelInfo


def snapshot(folder: Path) -> dict[str, int]:
    """Every file under `folder` with its size: what "left intact" is checked against."""
    return {p.relative_to(folder).as_posix(): p.stat().st_size
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_install_from_file_then_list_find_and_remove(argos_packages_dir: Path,
                                                     fixture_package: Path
                                                     ) -> None:
    assert mt.packages_dir() == argos_packages_dir
    assert mt.list_models() == []
    model = mt.install_model(fixture_package)
    assert (model.name, model.code, model.version) == (
        "translate-ja_en-fixture", "translate-ja_en", "0.0.1")
    assert (model.from_code, model.to_code) == ("ja", "en")
    assert model.path == argos_packages_dir / "translate-ja_en-fixture"
    assert (model.path / "model" / "model.bin").is_file()
    assert mt.list_models() == [model]
    assert mt.find_model("ja", "en") == model
    # Nothing but the package lands in the packages folder (no staging left behind).
    assert [p.name for p in argos_packages_dir.iterdir()] == [model.name]
    assert not list(argos_packages_dir.parent.glob(".workbench-install-*"))
    mt.remove_model("translate-ja_en-fixture")
    assert mt.list_models() == [] and list(argos_packages_dir.iterdir()) == []


def test_argostranslate_reads_what_the_workbench_installed(installed_model: ModelInfo
                                                           ) -> None:
    from argostranslate import package

    [pkg] = package.get_installed_packages(path=[installed_model.path.parent])
    assert (pkg.from_code, pkg.to_code, pkg.package_version) == ("ja", "en", "0.0.1")


def test_find_model_without_one_names_the_folder_and_how_to_install(
        argos_packages_dir: Path) -> None:
    with pytest.raises(ModelError) as caught:
        mt.find_model("ja", "en")
    message = str(caught.value)
    assert "no ja→en translation model" in message and str(argos_packages_dir) in message
    assert "workbench models install" in message and ".argosmodel" in message


def test_newest_version_of_a_pair_is_used(argos_packages_dir: Path,
                                          tmp_path: Path) -> None:
    old = build_fixture(tmp_path / "old.argosmodel", dirname="ja_en-old", package_version="1.0")
    new = build_fixture(tmp_path / "new.argosmodel", dirname="ja_en-new", package_version="1.10")
    mt.install_model(new)
    mt.install_model(old)
    assert mt.find_model().name == "ja_en-new"  # 1.10 > 1.0 (not compared as text)
    with pytest.raises(ModelError, match="matches several models"):
        mt.remove_model("ja-en")
    mt.remove_model("ja_en-new")
    assert mt.find_model().name == "ja_en-old"
    mt.remove_model("ja-en")
    assert mt.list_models() == []


def test_installing_the_same_package_twice_is_refused(installed_model: ModelInfo,
                                                      fixture_package: Path
                                                      ) -> None:
    before = snapshot(installed_model.path.parent)
    with pytest.raises(ModelError, match="already installed as translate-ja_en-fixture"):
        mt.install_model(fixture_package)
    assert snapshot(installed_model.path.parent) == before


def test_removing_an_unknown_model_lists_the_installed(installed_model: ModelInfo
                                                       ) -> None:
    with pytest.raises(ModelError, match="installed: translate-ja_en-fixture"):
        mt.remove_model("nope")


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_malformed_package_is_refused_and_the_folder_left_intact(
        defect: str, installed_model: ModelInfo, fixture_package: Path,
        tmp_path: Path) -> None:
    folder = installed_model.path.parent
    bad = build_malformed(fixture_package, tmp_path / f"{defect}.argosmodel", defect)
    before = snapshot(folder)
    with pytest.raises(ModelError, match="not a usable Argos package") as caught:
        mt.install_model(bad)
    assert str(bad) in str(caught.value)
    assert snapshot(folder) == before
    assert mt.list_models() == [installed_model]
    assert not list(folder.parent.glob(".workbench-install-*"))


@pytest.mark.parametrize(("defect", "reason"), [
    ("not-a-zip", "not a zip archive"),
    ("two-top-level", "exactly one top-level folder, found stray, translate-ja_en-fixture"),
    ("no-top-folder", "outside the package folder"),
    ("unsafe-path", "unsafe entry"),
    ("no-metadata", "no metadata.json"),
    ("bad-metadata", "metadata.json is not valid JSON"),
    ("no-codes", "metadata.json has no from_code"),
    ("no-model", "no CTranslate2 model"),
    ("bad-model", "model/model.bin is not a CTranslate2 model"),
    ("no-tokenizer", "no tokenizer"),
    ("bad-tokenizer", "sentencepiece.model is not a SentencePiece model"),
])
def test_the_refusal_says_what_is_wrong(defect: str, reason: str, fixture_package: Path,
                                        tmp_path: Path) -> None:
    bad = build_malformed(fixture_package, tmp_path / "bad.argosmodel", defect)
    with pytest.raises(ModelError) as caught:
        mt.check_package_file(bad)
    assert reason in str(caught.value)


def test_a_missing_file_is_not_mistaken_for_a_pair(argos_packages_dir: Path,
                                                   tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such file"):
        mt.install_model(tmp_path / "absent.argosmodel")
    with pytest.raises(ModelError, match="neither a .argosmodel file nor a language pair"):
        mt.install_model("japanese")


def test_a_stray_folder_in_the_packages_folder_is_skipped(installed_model: ModelInfo
                                                          ) -> None:
    (installed_model.path.parent / "not-a-package").mkdir()
    assert mt.list_models() == [installed_model]


# ------------------------------------------------------------------ the package index
@pytest.fixture
def index_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """argostranslate's local index and downloads folder, moved into the test's tmp_path."""
    from argostranslate import settings

    folder = tmp_path / "argos-data"
    folder.mkdir()
    monkeypatch.setattr(settings, "local_package_index", folder / "index.json")
    monkeypatch.setattr(settings, "downloads_dir", folder / "downloads")
    return folder


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_offline_index_fails_fast_with_the_way_to_install_a_file(
        argos_packages_dir: Path, index_files: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index",
                        f"http://127.0.0.1:{closed_port()}/index.json")
    start = time.monotonic()
    with pytest.raises(ModelError) as caught:
        mt.install_model("ja-en")
    assert time.monotonic() - start < 1
    message = str(caught.value)
    assert "cannot reach the Argos package index" in message
    assert "`workbench models install path/to/translate-ja_en-….argosmodel`" in message
    assert not (index_files / "index.json").exists() and mt.list_models() == []


def test_an_index_that_never_answers_fails_within_the_deadline(
        argos_packages_dir: Path, index_files: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from argostranslate import settings

    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setattr(settings, "remote_package_index",
                            f"http://127.0.0.1:{silent.getsockname()[1]}/index.json")
        monkeypatch.setattr(mt, "INDEX_TIMEOUT", 0.5)
        start = time.monotonic()
        with pytest.raises(ModelError, match="cannot reach the Argos package index"):
            mt.install_model("ja-en")
        assert time.monotonic() - start < 1.5


@pytest.fixture
def index_server(tmp_path: Path, fixture_package: Path
                 ) -> Iterator[str]:
    """A local HTTP server with an Argos index (ja→en 0.0.1, en→de) and the package file."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "pkg.argosmodel").write_bytes(fixture_package.read_bytes())
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: http.server.SimpleHTTPRequestHandler(
            *a, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    entry = {"package_version": "0.0.1", "argos_version": "1.11.0", "type": "translate",
             "from_code": "ja", "to_code": "en", "from_name": "Japanese",
             "to_name": "English", "code": "translate-ja_en"}
    (root / "index.json").write_text(json.dumps([
        {**entry, "links": [f"{base}/missing.argosmodel", f"{base}/pkg.argosmodel"]},
        {**entry, "from_code": "en", "to_code": "de", "links": [f"{base}/none"]},
    ]))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_a_pair_is_installed_from_the_index_when_online(
        argos_packages_dir: Path, index_files: Path, index_server: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from argostranslate import settings

    monkeypatch.setattr(settings, "remote_package_index", f"{index_server}/index.json")
    seen: list[tuple[int, int]] = []
    model = mt.install_model("ja-en", progress=lambda done, total: seen.append((done, total)))
    assert (model.from_code, model.to_code, model.version) == ("ja", "en", "0.0.1")
    assert mt.find_model() == model
    assert seen and seen[-1][0] == seen[-1][1] > 0
    # argostranslate's own index API now works offline from the refreshed local index.
    assert json.loads((index_files / "index.json").read_text())[0]["code"] == "translate-ja_en"
    assert list((index_files / "downloads").iterdir()) == []  # the download is not kept
    with pytest.raises(ModelError, match="has no ja→fr package"):
        mt.install_model("ja-fr")

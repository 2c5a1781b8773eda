"""Argos Translate packages: where they live, which are installed, installing one from a
file or from the package index (online; offline it fails at once and says how to install from
a file), removing one.

argostranslate is used for what it does well: the package format, the package index and
where packages live. It is imported inside functions, so the workbench starts fast and works
without it."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import threading
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from workbench.core.atomic import atomic_write_bytes
from workbench.core.errors import ModelError

Progress = Callable[[int, int], None]
"""progress(done, total): called from the translating thread after each batch."""

INDEX_TIMEOUT = 4.0
"""Seconds allowed to fetch the package index: offline, `install ja-en` fails within this."""

DOWNLOAD_TIMEOUT = 30.0
"""Seconds a package download may stall (per read) before it is abandoned."""

DEFAULT_BEAM_SIZE = 4


INSTALL_HINT = ("install one from a file: `workbench models install "
                "translate-ja_en-1_1.argosmodel` (download it on any connected machine from "
                "https://www.argosopentech.com/argospm/index/), or online: "
                "`workbench models install ja-en`.")

_PAIR = re.compile(r"(?:translate-)?([a-z]{2,3})[-_]([a-z]{2,3})")


@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos Translate package (`name` is its folder in the packages folder)."""

    name: str
    version: str
    from_code: str
    to_code: str
    path: Path
    code: str = ""
    """The package code of the index (e.g. `translate-ja_en`); `name` when it has none."""

    @property
    def size(self) -> int:
        """Bytes on disk."""
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def packages_dir() -> Path:
    """The folder Argos packages are installed in: $ARGOS_PACKAGES_DIR, else argostranslate's.

    Read on every call (argostranslate reads it once, at import), so a changed environment
    (tests, a second project) is honoured.
    """
    env = os.environ.get("ARGOS_PACKAGES_DIR")
    if env:
        return Path(env).expanduser()
    from argostranslate import settings

    return Path(settings.get_setting("ARGOS_PACKAGES_DIR",
                                     default=settings.data_dir / "packages")).expanduser()


def list_models() -> list[ModelInfo]:
    """Installed packages, by name; folders that are not readable packages are skipped."""
    folder = packages_dir()
    if not folder.is_dir():
        return []
    models = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and not path.name.startswith("."):
            info = _read_installed(path)
            if info is not None:
                models.append(info)
    return models


def find_model(from_code: str = "ja", to_code: str = "en") -> ModelInfo:
    """The installed translation package for a pair (the newest version if several)."""
    found = [m for m in list_models() if (m.from_code, m.to_code) == (from_code, to_code)]
    if not found:
        raise ModelError(f"no {from_code}→{to_code} translation model is installed "
                         f"(packages folder {packages_dir()})", hint=INSTALL_HINT)
    return max(found, key=lambda m: (_version_key(m.version), m.name))


def remove_model(name: str) -> None:
    """Uninstall a package by folder name, code (`translate-ja_en`) or pair (`ja-en`)."""
    models = list_models()
    exact = [m for m in models if m.name == name]
    matches = exact or [m for m in models if m.code == name or _pair_of(name) == (
        m.from_code, m.to_code)]
    if not matches:
        installed = ", ".join(m.name for m in models) or "none"
        raise ModelError(f"no installed model {name!r}", path=packages_dir(),
                         hint=f"installed: {installed}")
    if len(matches) > 1:
        raise ModelError(f"{name!r} matches several models: "
                         f"{', '.join(m.name for m in matches)}", hint="name one of them.")
    target = matches[0].path
    # Move it out, then delete: the package disappears at once, never half-deleted
    # (argostranslate fails on any folder without metadata.json in the packages folder).
    trash = _staging_dir(target.parent)
    try:
        os.replace(target, trash / target.name)
    except OSError as exc:
        raise ModelError(f"cannot remove: {exc.strerror}", path=target) from None
    finally:
        shutil.rmtree(trash, ignore_errors=True)


def install_model(source: str | Path, *, progress: Progress | None = None) -> ModelInfo:
    """Install from a local `.argosmodel` file, or a pair such as `ja-en` from the index.

    A file is validated completely before anything is written; a pair needs the network
    and fails within INDEX_TIMEOUT seconds without it. `progress(bytes, total)` follows a
    download.
    """
    path = Path(source).expanduser()
    if isinstance(source, Path) or path.exists() or path.suffix == ".argosmodel" or "/" in str(
            source):
        return _install_file(path)
    pair = _pair_of(str(source))
    if pair is None:
        raise ModelError(f"{source!r} is neither a .argosmodel file nor a language pair",
                         hint="give a path to a .argosmodel file, or a pair such as `ja-en`.")
    return _install_from_index(*pair, progress=progress)


@dataclass(frozen=True)
class _Checked:
    top: str
    metadata: dict[str, Any]


def check_package_file(path: Path) -> dict[str, Any]:
    """Validate a `.argosmodel` without writing anything; return its metadata.

    ModelError names the first problem: not a zip, not exactly one top-level folder, an
    unsafe entry, metadata.json without from_code/to_code, no CTranslate2 model in
    `model/`, no readable `sentencepiece.model` or `bpe.model`.
    """
    return _check_package(path).metadata


def _check_package(path: Path) -> _Checked:
    def refuse(reason: str) -> ModelError:
        return ModelError(f"not a usable Argos package: {reason}", path=path,
                          hint="an .argosmodel is a zip of one folder holding metadata.json, "
                               "model/ (CTranslate2) and sentencepiece.model or bpe.model.")

    if not path.is_file():
        raise ModelError("no such file" if not path.exists() else "is not a file", path=path,
                         hint=INSTALL_HINT)
    if not zipfile.is_zipfile(path):
        raise refuse("not a zip archive")
    try:
        with zipfile.ZipFile(path) as zf:
            names = [i.filename for i in zf.infolist()]
            tops = set()
            for name in names:
                parts = PurePosixPath(name).parts
                if (not parts or name.startswith(("/", "\\")) or "\\" in name
                        or ".." in parts or ":" in parts[0]):
                    raise refuse(f"unsafe entry {name!r}")
                tops.add(parts[0])
                if len(parts) == 1 and not name.endswith("/"):
                    raise refuse(f"{name!r} lies outside the package folder "
                                 "(expected exactly one top-level folder)")
            if len(tops) != 1:
                listing = ", ".join(sorted(tops)[:5]) or "nothing"
                raise refuse(f"expected exactly one top-level folder, found {listing}")
            top = tops.pop()
            if top.startswith("."):
                raise refuse(f"hidden top-level folder {top!r}")
            files = {n[len(top) + 1:] for n in names if not n.endswith("/")}
            metadata = _check_metadata(zf, f"{top}/metadata.json", files, refuse)
            _check_model(zf, top, files, refuse)
            _check_tokenizer(zf, top, files, refuse)
    except zipfile.BadZipFile as exc:
        raise refuse(f"damaged zip archive ({exc})") from None
    return _Checked(top, metadata)


def _check_metadata(zf: zipfile.ZipFile, name: str, files: set[str],
                    refuse: Callable[[str], ModelError]) -> dict[str, Any]:
    if "metadata.json" not in files:
        raise refuse("no metadata.json in the package folder")
    try:
        metadata = json.loads(zf.read(name).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise refuse(f"metadata.json is not valid JSON ({exc})") from None
    if not isinstance(metadata, dict):
        raise refuse("metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        if not isinstance(metadata.get(key), str) or not metadata[key]:
            raise refuse(f"metadata.json has no {key}")
    if metadata.get("type", "translate") != "translate":
        raise refuse(f"a {metadata['type']!r} package, not a translation package")
    return metadata


def _check_model(zf: zipfile.ZipFile, top: str, files: set[str],
                 refuse: Callable[[str], ModelError]) -> None:
    if "model/model.bin" not in files:
        raise refuse("no CTranslate2 model (model/model.bin)")
    vocabularies = {"shared_vocabulary.json", "shared_vocabulary.txt", "source_vocabulary.json",
                    "source_vocabulary.txt"}
    if not any(f"model/{v}" in files for v in vocabularies):
        raise refuse("the CTranslate2 model in model/ has no vocabulary file")
    # model.bin starts with a uint32 format version, then (version ≥ 2) the spec name as a
    # uint16-length string, e.g. 6, "TransformerSpec".
    with zf.open(f"{top}/model/model.bin") as fh:
        head = fh.read(64)
    version = int.from_bytes(head[:4], "little") if len(head) >= 4 else 0
    ok = 1 <= version <= 64
    if ok and version >= 2:
        size = int.from_bytes(head[4:6], "little")
        spec = head[6:6 + size].rstrip(b"\0")
        ok = 0 < size <= len(head) - 6 and spec.endswith(b"Spec") and spec.isascii()
    if not ok:
        raise refuse("model/model.bin is not a CTranslate2 model")


def _check_tokenizer(zf: zipfile.ZipFile, top: str, files: set[str],
                     refuse: Callable[[str], ModelError]) -> None:
    if "sentencepiece.model" in files:
        import sentencepiece as spm

        try:
            spm.SentencePieceProcessor(model_proto=zf.read(f"{top}/sentencepiece.model"))
        except (RuntimeError, OSError, TypeError):
            raise refuse("sentencepiece.model is not a SentencePiece model") from None
    elif "bpe.model" not in files:
        raise refuse("no tokenizer (sentencepiece.model or bpe.model)")


def _install_file(path: Path) -> ModelInfo:
    checked = _check_package(path)
    folder = packages_dir()
    target = folder / checked.top
    code = _code_of(checked.metadata, checked.top)
    version = str(checked.metadata.get("package_version", ""))
    for model in list_models():
        if model.name == checked.top or (model.code, model.version) == (code, version):
            raise ModelError(f"{code} {version} is already installed as {model.name}",
                             path=path, hint=f"to replace it: `workbench models remove "
                                             f"{model.name}`, then install again.")
    if target.exists():
        raise ModelError(f"{target} is in the way (not a readable package)", path=path,
                         hint="move that folder aside and install again.")
    folder.mkdir(parents=True, exist_ok=True)
    staging = _staging_dir(folder)
    try:
        with zipfile.ZipFile(path) as zf:
            zf.extractall(staging)
        # The package appears whole or not at all: argostranslate lists every folder here.
        os.replace(staging / checked.top, target)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"cannot install: {exc}", path=path) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    info = _read_installed(target)
    if info is None:  # checked above; only a concurrent change gets here
        raise ModelError("the installed package cannot be read", path=target)
    return info


def _staging_dir(folder: Path) -> Path:
    """A temp folder on the packages folder's file system, outside it where possible."""
    for parent in (folder.parent, folder):
        with contextlib.suppress(OSError):
            staging = Path(tempfile.mkdtemp(prefix=".workbench-install-", dir=parent))
            if staging.stat().st_dev == folder.stat().st_dev:
                return staging
            shutil.rmtree(staging, ignore_errors=True)
    raise ModelError("cannot write to the packages folder", path=folder)


def _read_installed(path: Path) -> ModelInfo | None:
    try:
        metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    from_code, to_code = metadata.get("from_code"), metadata.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str):
        return None
    return ModelInfo(name=path.name, version=str(metadata.get("package_version", "")),
                     from_code=from_code, to_code=to_code, path=path,
                     code=_code_of(metadata, path.name))


def _code_of(metadata: dict[str, Any], fallback: str) -> str:
    code = metadata.get("code")
    if isinstance(code, str) and code:
        return code
    return f"translate-{metadata['from_code']}_{metadata['to_code']}" if metadata.get(
        "from_code") else fallback


def _pair_of(text: str) -> tuple[str, str] | None:
    match = _PAIR.fullmatch(text.strip())
    return (match.group(1), match.group(2)) if match else None


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


# -------------------------------------------------------------------- the index
def _install_from_index(from_code: str, to_code: str, *, progress: Progress | None) -> ModelInfo:
    """Refresh argostranslate's package index, then download and install the pair's package.

    argostranslate's `get_available_packages()` recurses for ~50 s when there is no local
    index and no network, so the index is fetched here first, with a deadline.
    """
    from argostranslate import package, settings

    offline_hint = (f"offline? on a connected machine, download the {from_code}→{to_code} "
                    f"package (translate-{from_code}_{to_code}-….argosmodel) from "
                    "https://www.argosopentech.com/argospm/index/, then `workbench models "
                    f"install path/to/translate-{from_code}_{to_code}-….argosmodel`.")
    try:
        data = _fetch(settings.remote_package_index, INDEX_TIMEOUT)
        index = json.loads(data.decode("utf-8"))
        if not isinstance(index, list):
            raise ValueError("not a list of packages")
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot reach the Argos package index at "
                         f"{settings.remote_package_index} ({_reason(exc)})",
                         hint=offline_hint) from None
    atomic_write_bytes(Path(settings.local_package_index), data)
    candidates = [p for p in package.get_available_packages()
                  if getattr(p, "type", "translate") == "translate"
                  and (p.from_code, p.to_code) == (from_code, to_code)]
    if not candidates:
        raise ModelError(f"the Argos package index has no {from_code}→{to_code} package",
                         hint="language codes are ISO 639, e.g. `ja-en`.")
    best = max(candidates, key=lambda p: _version_key(p.package_version))
    downloads = Path(settings.downloads_dir)
    downloads.mkdir(parents=True, exist_ok=True)
    target = downloads / f"{package.argospm_package_name(best)}-{best.package_version}.argosmodel"
    errors = []
    for url in best.links:
        try:
            _download(url, target, progress)
            break
        except OSError as exc:
            errors.append(f"{url}: {_reason(exc)}")
    else:
        raise ModelError(f"cannot download {best.code or best} {best.package_version}: "
                         + ("; ".join(errors) or "the index lists no link"), hint=offline_hint)
    try:
        return _install_file(target)
    finally:
        target.unlink(missing_ok=True)


def _fetch(url: str, timeout: float) -> bytes:
    """GET `url` within `timeout` seconds overall (name lookup included)."""
    box: dict[str, Any] = {}

    def get() -> None:
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})
            with urllib.request.urlopen(request, timeout=timeout) as response:
                box["data"] = response.read()
        except Exception as exc:  # handed to the caller's thread
            box["error"] = exc

    worker = threading.Thread(target=get, name="workbench-index", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"no answer within {timeout:g} s")
    if "error" in box:
        error = box["error"]
        raise error if isinstance(error, OSError | ValueError) else OSError(str(error))
    data: bytes = box["data"]
    return data


def _download(url: str, target: Path, progress: Progress | None) -> None:
    partial = target.with_name(target.name + ".part")
    request = urllib.request.Request(url, headers={"User-Agent": "ArgosTranslate"})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response, \
                open(partial, "wb") as fh:
            total = int(response.headers.get("Content-Length") or 0)
            done = 0
            while chunk := response.read(1 << 20):
                fh.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    return str(reason if reason is not None else exc) or type(exc).__name__

"""A project's settings file, `workbench.toml` in the project folder: where its state lives.

```toml
[state]
url = "postgresql://alice@db.example.org/bluebook"
```

No `[state] url` (or no file) means the SQLite state in `.workbench/`, the default. A URL
never holds a password: libpq takes it from PGPASSWORD or ~/.pgpass, so the file can be
committed with the project. Only the `url` line is ever written; anything else a person put
in the file is kept as it is.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from workbench.core.atomic import atomic_write_text
from workbench.core.errors import ProjectError

SETTINGS_FILE = "workbench.toml"
PG_SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class Settings:
    """What workbench.toml says (the defaults when it says nothing)."""

    state_url: str | None = None
    """A `postgresql://` URL, or None for the SQLite state in `.workbench/`."""

    @property
    def shared(self) -> bool:
        """Whether several workbenches may write the project at once (a database server)."""
        return self.state_url is not None


def is_postgres_url(text: str) -> bool:
    return text.split(":", 1)[0].lower() in PG_SCHEMES and "://" in text


def redact_url(url: str) -> str:
    """The URL with any password replaced by `***`, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def check_state_url(url: str, *, where: Path | None = None, line: int | None = None) -> str:
    """`url` if it is a PostgreSQL URL without a password; a ProjectError saying what to
    do otherwise."""
    if not is_postgres_url(url):
        raise ProjectError(f"not a PostgreSQL URL: {url!r}", path=where, line=line,
                           hint="write it as postgresql://USER@HOST[:PORT]/DATABASE.")
    parts = urlsplit(url)
    if parts.password is not None or "password" in parse_qs(parts.query):
        raise ProjectError(
            f"the state URL holds a password ({redact_url(url)}); it would be written into "
            "the project", path=where, line=line,
            hint="leave it out of the URL and set PGPASSWORD, or put it in ~/.pgpass.")
    if not parts.path.strip("/"):
        raise ProjectError(f"the state URL names no database: {url!r}", path=where, line=line,
                           hint="write it as postgresql://USER@HOST[:PORT]/DATABASE.")
    return url


def read_settings(root: Path) -> Settings:
    """The settings of the project at `root` (defaults when it has no workbench.toml)."""
    path = root / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectError(f"cannot read the project settings: {exc}", path=path) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = str(exc).replace(where.group(0), "").strip() if where else str(exc)
        raise ProjectError(f"not valid TOML: {message}", path=path,
                           line=int(where.group(1)) if where else None) from exc
    state = data.get("state", {})
    if not isinstance(state, dict):
        raise ProjectError("[state] must be a table", path=path, line=_line_of(text, "state"))
    url = state.get("url")
    if url is None:
        return Settings()
    if not isinstance(url, str):
        raise ProjectError("[state] url must be a string", path=path, line=_line_of(text, "url"))
    return Settings(check_state_url(url, where=path, line=_line_of(text, "url")))


def write_state_url(root: Path, url: str | None) -> Path:
    """Set (or, with None, remove) `[state] url` in the project's workbench.toml."""
    if url is not None:
        check_state_url(url)
    path = root / SETTINGS_FILE
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    read_settings(root)     # a broken file is reported, not overwritten
    lines = text.splitlines()
    section: str | None = None
    state_at: int | None = None
    url_at: int | None = None
    for i, raw in enumerate(lines):
        header = re.match(r"\s*\[([^\]]+)\]\s*(#.*)?$", raw)
        if header:
            section = header.group(1).strip()
            if section == "state":
                state_at = i
            continue
        if section == "state" and re.match(r"\s*url\s*=", raw):
            url_at = i
    entry = f"url = {_toml_string(url)}" if url is not None else None
    if url_at is not None:
        if entry is None:
            del lines[url_at]
        else:
            lines[url_at] = entry
    elif entry is not None:
        if state_at is None:
            if lines and lines[-1].strip():
                lines.append("")
            lines += ["[state]", entry]
        else:
            lines.insert(state_at + 1, entry)
    new_text = "\n".join(lines).strip("\n")
    new_text = new_text + "\n" if new_text else ""
    if new_text == "" and url is None and not path.exists():
        return path
    if re.fullmatch(r"\s*(\[state\]\s*)?", new_text):
        new_text = ""       # nothing left but an empty [state]: the defaults
    if new_text:
        atomic_write_text(path, new_text)
    elif path.exists():
        path.unlink()
    return path


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line_of(text: str, key: str) -> int | None:
    for number, raw in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*(\[\s*)?{re.escape(key)}\b", raw):
            return number
    return None

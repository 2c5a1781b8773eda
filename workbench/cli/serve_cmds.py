"""`workbench serve`: the review workbench in a browser, through textual-serve.

Each browser tab is a workbench process of its own (`workbench --user NAME review --tab`),
talking to the tab over a websocket. On a PostgreSQL project every tab reviews at once, each
as its own reviewer; on a SQLite project the lock lets one tab write and tells the others why
they cannot. The reviewer of a tab is the name an authenticating reverse proxy puts in the
header named by `--user-header`, else the serving user.
"""

from __future__ import annotations

import asyncio
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from workbench.cli._common import EXIT_OK, Context, out
from workbench.core.errors import WorkbenchError
from workbench.core.project import Project, check_user

if TYPE_CHECKING:
    from aiohttp import web


def tab_command(root: Path, user: str, doc: str | None) -> str:
    """The shell command textual-serve runs for one tab."""
    args = [sys.executable, "-m", "workbench", "-C", str(root), "--user", user, "review",
            "--tab"]
    if doc:
        args.append(doc)
    return shlex.join(args)


def reviewer_for(headers: Any, header: str | None, default: str) -> str | None:
    """The reviewer of a request: the proxy's header when one is configured (None when the
    request lacks it or it is not a usable name), else `default`."""
    if header is None:
        return default
    value = headers.get(header)
    if not value:
        return None
    try:
        return check_user(value)
    except WorkbenchError:
        return None


def make_server(root: Path, doc: str | None, user: str, host: str, port: int,
                user_header: str | None, public_url: str | None) -> Any:
    """A textual-serve Server whose every websocket starts a workbench as its reviewer."""
    try:
        from aiohttp import WSMsgType, web
        from textual_serve.app_service import AppService
        from textual_serve.server import Server
    except ImportError as exc:
        raise WorkbenchError("serving the workbench to browsers needs textual-serve",
                             hint="pip install textual-serve") from exc

    class TabServer(Server):
        async def handle_index(self, request: web.Request) -> Any:
            if reviewer_for(request.headers, user_header, user) is None:
                raise web.HTTPForbidden(text=f"no reviewer name in the {user_header} header: "
                                             "open the workbench through its proxy.\n")
            return await super().handle_index(request)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            reviewer = reviewer_for(request.headers, user_header, user)
            if reviewer is None:
                raise web.HTTPForbidden(text=f"no reviewer name in the {user_header} header\n")
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _int(request.query.get("width"), 80)
            height = _int(request.query.get("height"), 24)
            service: AppService | None = None
            try:
                await websocket.prepare(request)
                service = AppService(tab_command(root, reviewer, doc),
                                     write_bytes=websocket.send_bytes,
                                     write_str=websocket.send_str, close=_closer(websocket),
                                     download_manager=self.download_manager, debug=self.debug)
                await service.start(width, height)
                async for message in websocket:
                    if message.type != WSMsgType.TEXT:
                        continue
                    await _forward(service, message.json())
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                if service is not None:
                    await service.stop()
            return websocket

    return TabServer(f"workbench {root.name}", host=host, port=port,
                     title=f"workbench: {root.name}", public_url=public_url)


def _closer(websocket: Any) -> Any:
    async def close() -> None:
        await websocket.close()

    return close


async def _forward(service: Any, envelope: list[Any]) -> None:
    """One message of the browser to the tab's workbench: keys, size, focus."""
    kind = envelope[0]
    data: Any = envelope[1] if len(envelope) > 1 else {}
    if kind == "stdin":
        await service.send_bytes(str(data).encode("utf-8"))
    elif kind == "resize":
        await service.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
    elif kind == "blur":
        await service.blur()
    elif kind == "focus":
        await service.focus()


def _int(value: Any, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return default


@click.command()
@click.argument("doc", required=False)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (only this machine by default: put an "
                   "authenticating reverse proxy in front to open it to others).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="The port to listen on.")
@click.option("--user-header", metavar="HEADER",
              help="Take each tab's reviewer from this request header, set by the reverse "
                   "proxy that authenticated them (e.g. X-Remote-User); requests without it "
                   "are refused.")
@click.option("--public-url", metavar="URL",
              help="The address browsers reach the workbench at, behind a proxy "
                   "(e.g. https://review.example.org).")
@click.pass_obj
def serve(ctx: Context, doc: str | None, host: str, port: int, user_header: str | None,
          public_url: str | None) -> int:
    """Serve the review workbench to web browsers (each tab its own workbench).

    On a PostgreSQL project every tab reviews at once as its own reviewer; on a SQLite
    project one tab at a time writes and the others are told why. Stop with ctrl+c.
    """
    with Project.open(Path(ctx.project_dir), write=False, user=ctx.user) as project:
        root, user, shared = project.root, project.user, project.shared
    server = make_server(root, doc, user, host, port, user_header, public_url)
    mode = "each tab its own reviewer" if shared else \
        "one tab at a time writes (SQLite state)"
    who = f"reviewers from the {user_header} header" if user_header else f"as {user}"
    out.print(f"serving {root} on http://{host}:{port} ({mode}; {who})")
    server.serve()
    return EXIT_OK


COMMANDS: list[click.Command] = [serve]

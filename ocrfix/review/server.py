"""Run the review application on a local address until interrupted."""

from __future__ import annotations

import re
import secrets
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from ocrfix.errors import BadInputError
from ocrfix.locks import folder_lock
from ocrfix.outputs import SUMMARY

DEFAULT_HOST = "127.0.0.1"
LOCK_FILE = ".ocrfix-review.lock"  # held while a review server serves the folder


@contextmanager
def review_lock(out_dir: Path) -> Iterator[None]:
    """Hold OUTDIR's review lock: a second server on the same folder is refused (two
    servers would each write decisions.json from what they read, and lose the other's)."""
    if not (out_dir / SUMMARY).is_file():
        yield  # not a batch: create_app says so
        return
    with folder_lock(
        out_dir / LOCK_FILE,
        busy=f"another ocrfix review is serving {out_dir}",
        hint="use the address it printed, or stop it first",
    ):
        yield


_QUERY = re.compile(r"\?[^\s\"']*")  # a request's query string: where the session token travels
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def log_line(message: str) -> str:
    """A request log line fit for a terminal or a file: no query string (so no
    session token) and no ANSI colour codes."""
    return _QUERY.sub("?…", _ANSI.sub("", message))


def _request_handler(log: TextIO | None):  # type: ignore[no-untyped-def]
    """werkzeug's request handler, logging only failed requests (status 400 and up) as
    one plain line on ``log`` (stderr), without the query string that carries the token."""
    from werkzeug.serving import WSGIRequestHandler

    class QuietRequestHandler(WSGIRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            if str(code)[:1] in ("4", "5"):
                self.log("info", '"%s" %s', self.requestline, code)

        def log(self, type: str, message: str, *args: object) -> None:  # noqa: A002 (werkzeug's name)
            out = log or sys.stderr
            out.write(f"review: {type}: {log_line(message % args if args else message)}\n")
            out.flush()

    return QuietRequestHandler


def new_token() -> str:
    return secrets.token_urlsafe(24)


def review_url(host: str, port: int, token: str) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def serve(
    out_dir: Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = 0,
    token: str | None = None,
    announce: Callable[[str], None] | None = None,
    stdout: TextIO | None = None,
    log: TextIO | None = None,
) -> None:
    """Serve the review of ``out_dir`` until interrupted.

    ``port=0`` takes a free port. The address with the session token is
    printed on stdout (or given to ``announce``) once the server listens.
    Failed requests are logged on ``log`` (stderr), without their query string
    (no token) and without colours; successful ones are not logged.
    """
    from werkzeug.serving import make_server

    token = token or new_token()
    with review_lock(Path(out_dir)):
        try:
            # bind first: the port may be 0
            server = make_server(host, port, None, threaded=True, request_handler=_request_handler(log))
        except OSError as exc:
            raise BadInputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
        _serve(server, Path(out_dir), host, token, announce, stdout)


def _serve(server, out_dir: Path, host: str, token: str, announce, stdout) -> None:  # type: ignore[no-untyped-def]
    from ocrfix.review.app import create_app

    try:
        bound_port = server.server_port
        shown = f"[{host}]" if ":" in host else host
        hosts = {f"{shown}:{bound_port}"}
        if host in ("127.0.0.1", "::1", "localhost"):
            hosts |= {f"127.0.0.1:{bound_port}", f"localhost:{bound_port}", f"[::1]:{bound_port}"}
        server.app = create_app(out_dir, token=token, allowed_hosts=tuple(sorted(hosts)))
        url = review_url(host, bound_port, token)
        if announce is not None:
            announce(url)
        else:
            out = stdout or sys.stdout
            out.write(f"{url}\n")
            out.flush()
        server.serve_forever()
    finally:
        server.server_close()

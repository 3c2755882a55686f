"""Run the review application on a local address until interrupted."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ocrfix.errors import BadInputError

DEFAULT_HOST = "127.0.0.1"


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
) -> None:
    """Serve the review of ``out_dir`` until interrupted.

    ``port=0`` takes a free port. The address with the session token is
    printed on stdout (or given to ``announce``) once the server listens.
    """
    from werkzeug.serving import make_server

    from ocrfix.review.app import create_app

    token = token or new_token()
    try:
        server = make_server(host, port, None, threaded=True)  # bind first: the port may be 0
    except OSError as exc:
        raise BadInputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    bound_port = server.server_port
    shown = f"[{host}]" if ":" in host else host
    hosts = {f"{shown}:{bound_port}"}
    if host in ("127.0.0.1", "::1", "localhost"):
        hosts |= {f"127.0.0.1:{bound_port}", f"localhost:{bound_port}", f"[::1]:{bound_port}"}
    server.app = create_app(Path(out_dir), token=token, allowed_hosts=tuple(sorted(hosts)))
    url = review_url(host, bound_port, token)
    if announce is not None:
        announce(url)
    else:
        out = stdout or sys.stdout
        out.write(f"{url}\n")
        out.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()

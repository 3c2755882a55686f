"""Review a finished batch in the browser and record the reviewer's decisions.

``create_app(out_dir, token=...)`` builds the Flask application;
``serve(out_dir, host=..., port=..., token=...)`` runs it locally and prints
the address with the session token. Decisions land in
``OUTDIR/<page>/decisions.json`` (see :mod:`ocrfix.review.decisions`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def create_app(out_dir: Path, *, token: str, allowed_hosts: tuple[str, ...] | None = None) -> Flask:
    from ocrfix.review.app import create_app as _create_app

    return _create_app(out_dir, token=token, allowed_hosts=allowed_hosts)


def serve(out_dir: Path, *, host: str = "127.0.0.1", port: int = 0, token: str | None = None) -> None:
    from ocrfix.review.server import serve as _serve

    _serve(out_dir, host=host, port=port, token=token)


__all__ = ["create_app", "serve"]

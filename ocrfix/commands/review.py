"""``ocrfix review OUTDIR``: the click command over :func:`ocrfix.review.serve`."""

from __future__ import annotations

from pathlib import Path

import click

from ocrfix.review.server import DEFAULT_HOST


@click.command()
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("--port", type=click.IntRange(min=0, max=65535), default=0, show_default=True, help="Port (0: a free one).")
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on. Anything but 127.0.0.1 exposes the archive's pages to the network.",
)
def review(out_dir: str, port: int, host: str) -> int:
    """Review a finished batch in the browser: accept, reject or retype each change.

    Prints the address to open (with this session's token) and serves until
    interrupted. Decisions are saved at once to OUTDIR/<page>/decisions.json.
    """
    from ocrfix.review.server import serve

    if host not in (DEFAULT_HOST, "localhost", "::1"):
        click.echo(f"warning: listening on {host}; anyone who can reach it and has the token can review", err=True)
    try:
        serve(Path(out_dir), host=host, port=port, announce=lambda url: click.echo(f"review: {url}"))
    except KeyboardInterrupt:  # Ctrl-C is how a review session ends
        click.echo("review: stopped; every decision is saved", err=True)
    return 0

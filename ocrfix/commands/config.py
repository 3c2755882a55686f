"""`ocrfix config show`: the effective settings, as a TOML file."""

from __future__ import annotations

import click

from ocrfix.config import Config, to_toml


@click.group(name="config")
def config() -> None:
    """Show the settings in effect (see docs/configuration.md)."""


@config.command("show")
@click.pass_context
def show(ctx: click.Context) -> int:
    """Print the effective settings (defaults < --config file) as TOML, ready to edit and pass back with --config."""
    obj = ctx.find_root().obj or {}
    click.echo(to_toml(obj.get("config") or Config()), nl=False)
    return 0

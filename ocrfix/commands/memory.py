"""``ocrfix memory list|remove MEMORY.json``: the click commands over :mod:`ocrfix.memory`."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.group()
def memory() -> None:
    """Show or remove what reviewers taught a collection memory."""


@memory.command("list")
@click.argument("memory_path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Write the lessons as JSON.")
def list_command(memory_path: str, as_json: bool) -> int:
    """List every lesson: its id, what it does, whether it is used, and where it came from."""
    from ocrfix.memory import dictionary, memory_entries

    entries = memory_entries(Path(memory_path), dictionary())
    if as_json:
        click.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return 0
    for entry in entries:
        arrow = f"{entry['original']} → {entry['replacement']}" if entry["entry"] != "word" else entry["replacement"]
        click.echo(f"{entry['id']}  {entry['entry']:<9} {arrow}  ×{entry['count']}  [{entry['state']}]")
        for source in entry["sources"]:
            ids = f" words {','.join(source['word_ids'])}" if source["word_ids"] else ""
            click.echo(f"          from {source['page']} item {source['item'] or '?'}{ids} on {source['decided_at'] or '?'}")
    click.echo(f"{len(entries)} lesson(s)", err=True)
    return 0


@memory.command("remove")
@click.argument("memory_path", type=click.Path(dir_okay=False))
@click.argument("ids", nargs=-1, required=True)
def remove_command(memory_path: str, ids: tuple[str, ...]) -> int:
    """Remove lessons by their ids (from `ocrfix memory list`); the decisions that taught them are not learned again."""
    from ocrfix.memory import dictionary, remove_entries
    from ocrfix.review.decisions import now

    gone = remove_entries(Path(memory_path), ids, now(), dictionary())
    for entry in gone:
        click.echo(f"removed {entry['id']}: {entry['entry']} {entry['original']} → {entry['replacement']}")
    return 0

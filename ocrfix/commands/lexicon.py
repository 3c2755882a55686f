"""`ocrfix lexicon build` and `ocrfix lexicon add`: thin click wrappers."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import click

from ocrfix.config import Config, CorrectConfig
from ocrfix.errors import ExitCode
from ocrfix.lexicon.sources import CURATED_KINDS


def _correct_config(ctx: click.Context) -> CorrectConfig:
    obj = ctx.find_root().obj or {}
    config = obj.get("config") if isinstance(obj, dict) else None
    return (config or Config()).correct


@click.group(name="lexicon")
def lexicon() -> None:
    """Build the compiled lexicon, or add words an archive needs."""


@lexicon.command("build")
@click.option("--force", is_flag=True, help="Rebuild even when the cached lexicon is current.")
@click.pass_context
def build(ctx: click.Context, force: bool) -> int:
    """Compile the dictionary, the frequency list and the curated lexicons into the cache
    (about a minute the first time, with a progress bar on a terminal)."""
    from ocrfix.lexicon.store import load_lexicon

    started = time.perf_counter()
    with _BuildProgress() as progress:
        lex = load_lexicon(_correct_config(ctx), rebuild=force, report=progress.note, on_step=progress.step)
    click.echo(f"{len(lex):,} word forms ({len(lex.overlay):,} curated) in {lex.base_dir} "
               f"[{time.perf_counter() - started:.1f} s]")
    return int(ExitCode.OK)


class _BuildProgress:
    """The build's steps as a bar on a terminal's stderr (its clock kept running
    through long steps), else one line per step."""

    def __init__(self) -> None:
        from ocrfix.lexicon.store import BUILD_STEPS

        self.total = len(BUILD_STEPS)
        self.bar = None
        self.interactive = sys.stderr.isatty()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> _BuildProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.bar is not None:
            self.bar.close()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self.bar.refresh()

    def note(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            click.echo(message, err=True)

    def step(self, index: int, name: str) -> None:
        if not self.interactive:
            if index < self.total:
                click.echo(f"[lexicon {index + 1}/{self.total}] {name}", err=True)
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="step", file=sys.stderr, dynamic_ncols=True,
                            bar_format="{desc}{bar} {n_fmt}/{total_fmt} steps [{elapsed}]")
            self._ticker = threading.Thread(target=self._tick, daemon=True)
            self._ticker.start()
        self.bar.set_description(f"lexicon: {name}", refresh=False)
        self.bar.update(index - self.bar.n)


@lexicon.command("add")
@click.argument("words", nargs=-1)
@click.option("--file", "word_file", type=click.Path(dir_okay=False), default=None,
              help="A file with one entry per line.")
@click.option("--kind", type=click.Choice(sorted(CURATED_KINDS)), default="names", show_default=True,
              help="Which curated lexicon the words belong to.")
@click.pass_context
def add(ctx: click.Context, words: tuple[str, ...], word_file: str | None, kind: str) -> int:
    """Add WORDS (lemmas; names and places are inflected) to your own word lists
    (in the user data folder, or $OCRFIX_DATA_DIR), which the lexicon merges with the curated ones."""
    from ocrfix.lexicon.curate import add_entries, read_word_file
    from ocrfix.lexicon.store import lexicon_dirs, load_lexicon

    config = _correct_config(ctx)
    entries = list(words) + (read_word_file(Path(word_file)) if word_file else [])
    curated, user = lexicon_dirs(config)
    path, new = add_entries(user, kind, entries, known_dirs=[curated])
    if new:
        load_lexicon(config, report=lambda message: click.echo(message, err=True))  # the overlay now, not on the next run
    click.echo(f"added {len(new)} new entr{'y' if len(new) == 1 else 'ies'} to {path}"
               + (f" ({len(entries) - len(new)} already there)" if len(entries) > len(new) else ""))
    return int(ExitCode.OK)

"""`ocrfix regenerate`: the click command over :func:`ocrfix.regenerate.regenerate`."""

from __future__ import annotations

from pathlib import Path

import click

from ocrfix.errors import BadInputError
from ocrfix.export.documents import FOLDER as DOCUMENTS_FOLDER
from ocrfix.regenerate import COLLECTION_TEXT, DEFAULT_MIN_CONFIDENCE, HYPHENATION, POLICIES, regenerate


@click.command("regenerate")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("-o", "--output", "clean_dir", required=True, type=click.Path(file_okay=False), help="Folder for the cleaned transcriptions.")
@click.option(
    "--policy",
    type=click.Choice(POLICIES),
    default="reviewed",
    show_default=True,
    help="Undecided corrections on pages not reviewed: undo them (reviewed), keep the confident ones (confident) or keep all (all).",
)
@click.option("--hyphenation", type=click.Choice(HYPHENATION), default="keep", show_default=True,
              help="Keep words broken at line ends, or join them (text outputs).")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0.0, 1.0),
    default=DEFAULT_MIN_CONFIDENCE,
    show_default=True,
    help="With --policy confident: the confidence a correction needs to stay.",
)
@click.option(
    "--memory",
    "memory_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Collection memory to teach with this batch's decisions (created when missing); give it to `ocrfix run --memory`.",
)
@click.option("--pdf", is_flag=True, help="Also write a searchable PDF per document: the original images with the text as an invisible layer.")
def regenerate_command(
    out_dir: str, clean_dir: str, policy: str, hyphenation: str, min_confidence: float, memory_path: str | None,
    pdf: bool,
) -> int:
    """Write cleaned transcriptions (text, ALTO, PAGE XML, hOCR; per page and per document) of a reviewed batch."""
    if memory_path:  # a broken memory is said before anything is written
        from ocrfix.memory import load_memory

        load_memory(Path(memory_path))
    summary = regenerate(
        Path(out_dir), Path(clean_dir), policy=policy, hyphenation=hyphenation, min_confidence=min_confidence, pdf=pdf
    )
    if memory_path:
        from ocrfix.review.learn import update_memory_from_decisions

        memory = update_memory_from_decisions(Path(out_dir), Path(memory_path))
        click.echo(
            f"memory: {memory_path} ({len(memory.fixes())} fix(es), {len(memory.forbidden())} forbidden change(s))",
            err=True,
        )
    click.echo(
        f"{len(summary.pages)} page(s), {summary.reviewed_pages} reviewed: "
        f"{summary.accepted} accepted, {summary.rejected} rejected, {summary.typed} typed"
    )
    if summary.skipped:
        click.echo(f"skipped (no result in the batch): {', '.join(summary.skipped)}", err=True)
    click.echo(f"collection: {Path(clean_dir) / COLLECTION_TEXT}")
    click.echo(f"documents: {Path(clean_dir) / DOCUMENTS_FOLDER}")
    if summary.without_pdf:
        raise BadInputError(f"no searchable PDF for {len(summary.without_pdf)} document(s): " + "; ".join(summary.without_pdf))
    return 0

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
    default="all",
    show_default=True,
    help="Undecided corrections on pages not reviewed: keep them all (all), keep the confident ones (confident) or undo them (reviewed).",
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
        from ocrfix.memory import dictionary
        from ocrfix.review.learn import update_memory_from_decisions

        known = dictionary()
        memory = update_memory_from_decisions(Path(out_dir), Path(memory_path), known)
        refused = memory.refused(known)
        click.echo(
            f"memory: {memory_path} ({len(memory.fixes(known))} fix(es), {len(memory.forbidden())} forbidden change(s), "
            f"{len(refused)} lesson(s) refused)",
            err=True,
        )
        for (original, replacement), why in refused.items():
            click.echo(f"memory: not learned {original} → {replacement}: {why}", err=True)
    click.echo(
        f"{len(summary.pages)} page(s), {summary.reviewed_pages} reviewed: "
        f"{summary.accepted} accepted, {summary.rejected} rejected, {summary.published} published, {summary.typed} typed"
    )
    kept = sum(p.undecided_kept for p in summary.pages if not p.reviewed)
    if summary.left_out:
        click.echo(
            f"left out {summary.left_out} undecided correction(s) of {summary.unreviewed_pages} page(s) not reviewed "
            f"({summary.left_out_reason()}); kept {kept}"
        )
    elif summary.unreviewed_pages:
        click.echo(
            f"{summary.unreviewed_pages} page(s) not reviewed: kept all {kept} of their undecided correction(s) "
            f"(policy '{summary.policy}')"
        )
    stale = sum(p.stale_decisions for p in summary.pages)
    if stale:
        click.echo(f"{stale} stale decision(s) not applied (their words are no longer on the page; see the review)", err=True)
    if summary.skipped:
        click.echo(f"skipped (no result in the batch): {', '.join(summary.skipped)}", err=True)
    click.echo(f"collection: {Path(clean_dir) / COLLECTION_TEXT}")
    click.echo(f"documents: {Path(clean_dir) / DOCUMENTS_FOLDER}")
    if summary.without_pdf:
        raise BadInputError(f"no searchable PDF for {len(summary.without_pdf)} document(s): " + "; ".join(summary.without_pdf))
    return 0

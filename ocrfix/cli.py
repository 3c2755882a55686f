"""The command line: a thin shell over the stages, and the only place exit codes are made.

Every command raises :class:`ocrfix.errors.OcrfixError` subclasses for problems;
``main`` turns them into one line on stderr and the error's exit code (a
traceback only with ``-v``). stdout carries results only; logs go to stderr.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

import click

from ocrfix import __version__
from ocrfix.config import Config, load_config
from ocrfix.errors import BadInputError, ExitCode, OcrfixError, write_error

PROG = "ocrfix"


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _existing_file(path: str) -> Path:
    p = Path(path)
    if not p.exists():
        raise BadInputError(f"no such file: {path}")
    if p.is_dir():
        raise BadInputError(f"{path} is a folder, a file was expected")
    return p


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=PROG)
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and more detail on errors.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML file with settings ([preprocess], [ocr], [correct], [reconcile]).",
)
@click.pass_context
def cli(ctx: click.Context, verbose: bool, config_path: str | None) -> None:
    """Turn archive scans of Russian typewritten documents into trustworthy transcriptions."""
    ctx.obj = {"verbose": verbose, "config": load_config(config_path)}


def _config(ctx: click.Context) -> Config:
    return ctx.obj["config"]


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option(
    "--transcription",
    type=click.Path(dir_okay=False),
    default=None,
    help="Published transcription to compare with (one input page); by default <stem>.published.txt beside each image.",
)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help="Parallel pages (default: all cores).")
@click.option("--force", is_flag=True, help="Redo pages that are already finished.")
@click.option(
    "--redo-reviewed",
    is_flag=True,
    help="Also redo reviewed pages whose input did not change (their decisions are carried over).",
)
@click.option("--fail-fast", is_flag=True, help="Stop at the first page that fails.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", default=None, help="Dask scheduler address (with --executor dask).")
@click.option("--no-correct", is_flag=True, help="Skip post-correction (raw OCR only).")
@click.option(
    "--memory",
    type=click.Path(dir_okay=False),
    default=None,
    help="Collection memory of reviewer decisions (from `ocrfix regenerate --memory`): its fixes are made, its rejected changes never proposed.",
)
@click.option(
    "--collection-scope",
    type=click.Choice(["batch", "page"]),
    default="batch",
    show_default=True,
    help="Count the collection lexicon (recurring names and terms) over the whole batch, or over each page alone.",
)
@click.pass_context
def run(
    ctx, inputs, out_dir, transcription, jobs, force, redo_reviewed, fail_fast, executor, scheduler, no_correct, memory,
    collection_scope,
) -> int:
    """OCR and correct scans, and report against the published transcription.

    INPUTS are image files (PNG, JPEG, TIFF, PDF), folders, globs or manifests.
    """
    from ocrfix.batch import run_batch

    config = _config(ctx)
    if no_correct:
        config = config.override("correct", enabled=False)
    if memory:
        if not Path(memory).is_file():
            raise BadInputError(f"no such memory file: {memory}")
        config = config.override("correct", memory=str(Path(memory).resolve()))
    summary = run_batch(
        list(inputs),
        Path(out_dir),
        config,
        jobs=jobs,
        transcription=Path(transcription) if transcription else None,
        force=force,
        redo_reviewed=redo_reviewed,
        fail_fast=fail_fast,
        executor=executor,
        scheduler=scheduler,
        log=_echo_err,
        collection_scope=collection_scope,
    )
    click.echo(f"results: {Path(out_dir) / 'index.html'}")
    click.echo(f"summary: {Path(out_dir) / 'summary.json'}")
    return int(ExitCode.BATCH_FAILURES) if summary.failed else int(ExitCode.OK)


@cli.command()
@click.argument("image")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="Output PNG.")
@click.option("--page", "page_number", type=click.IntRange(min=1), default=1, show_default=True,
              help="Page of a multi-page file (PDF, TIFF), counting from 1 as page ids and messages do.")
@click.option("--keep-intermediates", type=click.Path(file_okay=False), default=None, help="Write each step's image here.")
@click.pass_context
def preprocess(ctx, image, output, page_number, keep_intermediates) -> int:
    """Clean a scan for OCR (crop, deskew, flatten, binarise, rescale)."""
    import cv2

    from ocrfix import preprocess as stage
    from ocrfix.fileio import atomic_write_bytes

    config = _config(ctx).preprocess
    loaded = stage.load_page(_existing_file(image), page_number - 1, config=config)
    result = stage.preprocess(
        loaded, config, intermediates_dir=Path(keep_intermediates) if keep_intermediates else None
    )
    ok, png = cv2.imencode(".png", result.image)
    if not ok:
        raise OcrfixError(f"could not encode the preprocessed image for {output}")
    atomic_write_bytes(Path(output), png.tobytes())
    _echo_err(f"skew {result.skew_degrees:+.2f}°, scale {result.scale:.2f}" + (", empty page" if result.empty else ""))
    return int(ExitCode.OK)


OCR_FORMATS = ("text", "hocr", "alto", "page", "json")


@cli.command()
@click.argument("image")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here instead of stdout.")
@click.option("--format", "fmt", type=click.Choice(OCR_FORMATS), default="text", show_default=True)
@click.option("--no-preprocess", is_flag=True, help="Give Tesseract the image as it is.")
@click.option("--page", "page_number", type=click.IntRange(min=1), default=1, show_default=True,
              help="Page of a multi-page file (PDF, TIFF), counting from 1 as page ids and messages do.")
@click.pass_context
def ocr(ctx, image, output, fmt, no_preprocess, page_number) -> int:
    """OCR one page with Tesseract's Russian model."""
    from ocrfix import ocr as stage
    from ocrfix.pipeline import recognize_file

    config = _config(ctx)
    if no_preprocess:
        config = config.override("preprocess", enabled=False)
    page, _, _ = recognize_file(_existing_file(image), config, page_number - 1)
    from ocrfix.recognition import verdict_of

    verdict = verdict_of(page) or {}
    if verdict.get("status") == "doubtful":  # the reading is written all the same; the doubt goes to stderr
        _echo_err(f"doubtful page: {verdict.get('reason')} (read {verdict.get('chosen')})")
    writers = {
        "text": stage.to_text,
        "hocr": stage.to_hocr,
        "alto": stage.to_alto,
        "page": stage.to_page_xml,
        "json": lambda p: json.dumps(stage.to_json(p), ensure_ascii=False, indent=2) + "\n",
    }
    _emit(writers[fmt](page), output)
    return int(ExitCode.OK)


@cli.command()
@click.argument("text")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None, help="Write here instead of stdout.")
@click.option("--report", type=click.Path(dir_okay=False), default=None, help="Write every correction as JSON here.")
@click.pass_context
def correct(ctx, text, output, report) -> int:
    """Correct OCR text (a file, or - for stdin) with the lexicon and the error model."""
    from ocrfix.correct import correct_text
    from ocrfix.fileio import atomic_write_json, decode_text, read_text
    from ocrfix.lexicon.shared import get_lexicon

    config = _config(ctx).correct
    if text == "-":
        source = decode_text(sys.stdin.buffer.read(), "the standard input")
    else:
        source = read_text(_existing_file(text))
    result = correct_text(source, get_lexicon(config, report=_echo_err), config)
    if report:
        atomic_write_json(Path(report), [c.to_dict() for c in result.corrections])
    _emit(result.text, output)
    _echo_err(f"{len(result.corrections)} correction(s)")
    return int(ExitCode.OK)


@cli.command()
@click.argument("reference")
@click.argument("hypothesis")
@click.option("--html", type=click.Path(dir_okay=False), default=None, help="Write a side-by-side HTML report.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), default=None, help="Write operations and metrics as JSON.")
@click.option("--unified", is_flag=True, help="Print a unified diff of lines after the metrics.")
def diff(reference, hypothesis, html, json_path, unified) -> int:
    """Compare two text files: print CER and WER (REFERENCE is the trusted one).

    The files are read as dinglehopper reads text files (each line stripped, a final
    newline is no character), so the figures are dinglehopper 0.11's on the same files."""
    from ocrfix import report
    from ocrfix.align import error_rates
    from ocrfix.align.text_files import file_text
    from ocrfix.fileio import read_text

    # read as dinglehopper reads text files: its CER and WER on the same files
    ref = file_text(read_text(_existing_file(reference)))
    hyp = file_text(read_text(_existing_file(hypothesis)))
    rates = error_rates(ref, hyp)
    click.echo(f"CER {rates.cer:.4f} ({rates.char_edits}/{rates.char_ref_len})")
    click.echo(f"WER {rates.wer:.4f} ({rates.word_edits}/{rates.word_ref_len})")
    if html or json_path:
        report.write_diff_files(
            reference=ref,
            hypothesis=hyp,
            html_path=Path(html) if html else None,
            json_path=Path(json_path) if json_path else None,
            reference_label=Path(reference).name,
            hypothesis_label=Path(hypothesis).name,
        )
    if unified:
        click.echo(report.unified_diff(ref, hyp, reference_label=reference, hypothesis_label=hypothesis), nl=False)
    return int(ExitCode.OK)


@cli.command()
@click.pass_context
def doctor(ctx) -> int:
    """Check Tesseract, its Russian data and the lexicon; say how to fix what is missing."""
    from ocrfix.doctor import run_checks

    checks = run_checks(_config(ctx), report=_echo_err)
    for check in checks:
        mark = "ok " if check.ok else ("-- " if check.optional else "!! ")
        click.echo(f"{mark} {check.name}: {check.detail}")
        if not check.ok and check.fix:
            click.echo(f"     fix: {check.fix}")
    missing = [c for c in checks if not c.ok and not c.optional]
    return int(ExitCode.MISSING_DEPENDENCY) if missing else int(ExitCode.OK)


def _add_stage_commands() -> None:
    """Commands defined in :mod:`ocrfix.commands` (config, lexicon, memory, review, regenerate);
    then every command accepts the global options after its name too."""
    from ocrfix.commands.config import config
    from ocrfix.commands.lexicon import lexicon
    from ocrfix.commands.memory import memory
    from ocrfix.commands.regenerate import regenerate_command
    from ocrfix.commands.review import review

    cli.add_command(config)
    cli.add_command(lexicon)
    cli.add_command(review)
    cli.add_command(regenerate_command)
    cli.add_command(memory)
    for command in cli.commands.values():
        _accept_global_options(command)


def _set_verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        _root_obj(ctx)["verbose"] = True


def _set_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        _root_obj(ctx)["config"] = load_config(value)


def _root_obj(ctx: click.Context) -> dict:
    root = ctx.find_root()
    if root.obj is None:
        root.obj = {}
    return root.obj


def _accept_global_options(command: click.Command) -> None:
    """Give a command (and a group's commands) the global options, so that
    `ocrfix run ... -v --config FILE` means `ocrfix -v --config FILE run ...`."""
    names = {opt for param in command.params for opt in getattr(param, "opts", [])}
    if not names & {"-v", "--verbose"}:
        command.params.append(click.Option(["-v", "--verbose"], is_flag=True, expose_value=False, callback=_set_verbose,
                                           help="Same as -v before the command."))
    if "--config" not in names:
        command.params.append(click.Option(["--config"], type=click.Path(dir_okay=False), expose_value=False,
                                           callback=_set_config, help="Same as --config before the command."))
    for sub in getattr(command, "commands", {}).values():
        _accept_global_options(sub)


def _emit(text: str, output: str | None) -> None:
    if output:
        from ocrfix.fileio import atomic_write_text

        atomic_write_text(Path(output), text)
    else:
        click.echo(text, nl=False)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    verbose = any(a in ("-v", "--verbose") for a in args)

    def fail(message: str) -> None:
        if verbose:
            traceback.print_exc()
        _echo_err(f"{PROG}: {message}")

    try:
        _add_stage_commands()
        code = cli.main(args=args, prog_name=PROG, standalone_mode=False)
    except click.exceptions.Exit as exc:  # --help, --version
        code = exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        _echo_err(f"{PROG}: interrupted")
        code = ExitCode.INTERRUPTED
    except click.ClickException as exc:  # usage errors
        exc.show()
        code = exc.exit_code
    except OcrfixError as exc:
        fail(f"error: {exc.one_line()}")
        code = exc.exit_code
    except BrokenPipeError:
        code = ExitCode.OK
    except OSError as exc:  # a write the code did not wrap: a full disk or a read-only file system is still said plainly
        typed = write_error(exc, writing=False)
        if typed is None:
            fail(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
            code = ExitCode.INTERNAL_ERROR
        else:
            fail(f"error: {typed.one_line()}")
            code = typed.exit_code
    except Exception as exc:
        fail(f"internal error: {type(exc).__name__}: {exc} (run with -v for the traceback)")
        code = ExitCode.INTERNAL_ERROR
    sys.exit(int(code or 0))


if __name__ == "__main__":
    main()

"""Benchmark of reconciliation: the scan and a second witness of the same document, read together.

Two sets, each page scored against its ground truth (CER, layout-insensitive:
whitespace runs as one space, line-end hyphenation undone):

  (a) seed     page1's scan (scans/sample/page1.jpg, typed from the gold reading) with the
               archive's real published transcription (tests/data/seed_published.txt);
  (b) pages    PAGES pages typed with scripts/typewriter.py from windows of the sample texts;
               each typed sheet is scanned twice with different damage (medium and heavy, in
               turn). ocrfix reads the first scan (Tesseract `rus`); the second witness is
               another OCR of the other scan: ocrfix's preprocessing and Tesseract's
               `Cyrillic` script model (Debian tesseract-ocr-script-cyrl), uncorrected, as an
               archive would publish it. Nobody wrote these witnesses' errors by hand.

For each page: CER of the second witness, of ocrfix without it (OCR + correction), and
reconciled; the disagreements and how many were decided right (the chosen reading equals
the ground truth there, judged on the scan's words aligned with the ground truth); words
both witnesses read alike that ocrfix changed anyway (and whether rightly).

Split before tuning: a page of (b) belongs to the test part when the SHA-256 of its name
is odd (fixed here, before any tuning); tune on --part dev, report --part test. (a) is
reported on its own. Added later to the development part only (the test part unchanged):
EXTRA_DEV pages typed from texts no (b) page uses, the development texts of the
corrector's corpus (scans/correct/texts, bench_correct.py's part_of), in every font the
machine has, Liberation Mono included (the hash put all of its sample-text pages in test).

    .venv/bin/python scripts/bench_reconcile.py [--part dev|test|all] [--pages 12] [--limit N]
                                                [--cache DIR] [--json out.json] [--calibration]

Rendering and OCR are cached in --cache (default: $XDG_CACHE_HOME/ocrfix-bench/reconcile),
keyed by the page's recipe and the ocrfix, Tesseract and model versions, so a rerun only
corrects and reconciles (a few seconds).

Targets (issue 14): on (b) test, reconciled CER <= 0.6 x the better witness (the best of
the published text, the published text corrected by ocrfix, and ocrfix alone) in total, and never above either witness on any page; (a) reconciled CER
<= 0.5% with иен; at most 1 change of an agreed word per 2,000 words.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import typewriter  # noqa: E402

from ocrfix.align import error_rates  # noqa: E402
from ocrfix.config import Config, ReconcileConfig  # noqa: E402
from ocrfix.reconcile import AGREE, align_witnesses  # noqa: E402

SEED_SCAN = REPO / "scans" / "sample" / "page1.jpg"
SEED_TRUTH = REPO / "scans" / "sample" / "page1.gt.txt"
SEED_PUBLISHED = REPO / "tests" / "data" / "seed_published.txt"
TEXTS = [REPO / "tests" / "data" / "seed_gold.txt", *(REPO / "scans" / "texts" / f"page{i}.txt" for i in range(2, 6))]
LINES_PER_PAGE = 24
CHARS_PER_LINE = 62
LEVELS = ("medium", "heavy")
CORPUS_TEXTS = REPO / "scans" / "correct" / "texts"
# the corrector's corpus's development texts (bench_correct.part_of), typed as extra development pages
EXTRA_DEV = ("memo-nkid-trade", "memo-wool-prices", "protocol-grain", "protocol-textbooks", "report-epidemic",
             "report-nomads", "report-railway", "telegram-urumchi")
EXTRA_FONTS = ("liberation-mono", "freemono", "liberation-mono", "nimbus-mono", "liberation-mono",
               "dejavu-sans-mono", "liberation-mono", "freemono-bold")
SECOND_MODEL = "Cyrillic"
RECIPE_VERSION = "1"
FRESH = False  # --fresh: recognise again instead of reading the cache


def part_of(name: str) -> str:
    """'test' or 'dev', fixed by the page's name (an extra development page, 'x..', is always dev)."""
    if name.startswith("x"):
        return "dev"
    return "test" if hashlib.sha256(name.encode()).digest()[-1] % 2 else "dev"


def _paragraphs(paths) -> str:
    return "\n".join(p.strip() for path in paths for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())


def page_texts(count: int) -> list[str]:
    """``count`` windows of the sample texts, each about a page of lines, starting at a word."""
    text = _paragraphs(TEXTS)
    chars = LINES_PER_PAGE * CHARS_PER_LINE
    step = max(1, (len(text) - chars) // max(1, count - 1))
    windows = []
    for i in range(count):
        start = min(i * step, max(0, len(text) - chars))
        start = text.find(" ", start) + 1 if start else 0
        windows.append(text[start : start + chars].rsplit(" ", 1)[0])
    return windows


@dataclass(frozen=True)
class Recipe:
    name: str
    text: str
    font: str
    seed: int
    scan_level: str  # damage of the scan ocrfix reads
    other_level: str  # damage of the scan the second witness reads

    def key(self, versions: str) -> str:
        return hashlib.sha256(json.dumps([asdict(self), versions, RECIPE_VERSION]).encode()).hexdigest()[:24]


def recipes(count: int) -> list[Recipe]:
    fonts = typewriter.available_fonts()
    texts = page_texts(count)
    result = []
    for i in range(count):
        scan, other = LEVELS[i % 2], LEVELS[(i + 1) % 2]
        font = fonts[i % len(fonts)]
        result.append(Recipe(f"r{i + 1:02d}-{scan}-{font}", texts[i], font, 14_000 + i, scan, other))
    return result


def extra_dev_recipes() -> list[Recipe]:
    """The extra development pages: each EXTRA_DEV text's first page of lines, typed in EXTRA_FONTS
    (those installed), the damage levels swapped every two pages."""
    installed = set(typewriter.available_fonts())
    chars = LINES_PER_PAGE * CHARS_PER_LINE
    result = []
    for i, (name, font) in enumerate(zip(EXTRA_DEV, EXTRA_FONTS)):
        if font not in installed:
            continue
        text = _paragraphs([CORPUS_TEXTS / f"{name}.txt"])
        text = text if len(text) <= chars else text[:chars].rsplit(" ", 1)[0]
        scan, other = LEVELS[(i // 2) % 2], LEVELS[((i // 2) + 1) % 2]
        result.append(Recipe(f"x{i + 1:02d}-{scan}-{font}-{name}", text, font, 15_000 + i, scan, other))
    return result


def render_two_scans(recipe: Recipe, folder: Path) -> tuple[Path, Path, str]:
    """One typed sheet, scanned twice with different damage: (scan, other scan, ground truth)."""
    import numpy as np

    layout = typewriter.PageLayout()
    rng = np.random.default_rng(recipe.seed)
    typing_rng, first_rng, second_rng = rng.spawn(3)
    lines = typewriter.layout_lines(recipe.text, layout.chars_per_line)
    typed = typewriter.type_page(lines, typing_rng, typewriter.TypingStyle(font=recipe.font), layout)
    paths = []
    for level, scan_rng, suffix in ((recipe.scan_level, first_rng, "scan"), (recipe.other_level, second_rng, "other")):
        damage = typewriter.damage_preset(level)
        scanned = typewriter.scan_page(typed.image, damage, scan_rng)
        path = folder / f"{recipe.name}.{suffix}.png"
        path.write_bytes(typewriter.encode_image(scanned.image, ".png"))
        paths.append(path)
    truth = "\n".join(" ".join(line.split()) for line in typed.lines) + "\n"
    return paths[0], paths[1], unicodedata.normalize("NFC", truth)


def versions(config: Config) -> str:
    """What the cached recognitions depend on: Tesseract and its models (ocrfix's own recognition code
    is not part of it, so that others' work on it does not make every run OCR again: --fresh does)."""
    from ocrfix.ocr import probe

    info = probe(config.ocr)
    other = probe(replace(config.ocr, languages=SECOND_MODEL))
    return json.dumps([info.version, info.traineddata, other.traineddata])


def recognised(image: Path, config: Config, prepared: Path | None = None):
    """The page recognised from ``image``; ``prepared``: where to keep the image its boxes refer to."""
    from ocrfix.pipeline import recognize_file

    page, pixels, _ = recognize_file(image, config)
    if prepared is not None:
        prepared.write_bytes(typewriter.encode_image(pixels, ".png"))
    return page


def prepared_image(name: str, scan: Path, cache: Path, config: Config):
    """The image the scan's boxes refer to (for the third witness), kept in the cache beside the scan."""
    import numpy as np
    from PIL import Image

    path = cache / "images" / f"{name}.prepared.png"
    if not path.is_file() or FRESH:
        recognised(scan, config, path)
    with Image.open(path) as opened:
        return np.asarray(opened.convert("L"))


def cached_case(recipe: Recipe, cache: Path, config: Config, stamp: str) -> dict:
    """The recipe's ground truth, the scan's recognised page (JSON) and the second witness's text."""
    from ocrfix import ocr

    entry = cache / f"{recipe.key(stamp)}.json"
    if entry.is_file() and not FRESH:
        return json.loads(entry.read_text(encoding="utf-8"))
    folder = cache / "images"
    folder.mkdir(parents=True, exist_ok=True)
    scan, other, truth = render_two_scans(recipe, folder)
    page = recognised(scan, config, folder / f"{recipe.name}.prepared.png")
    second = recognised(other, replace(config, ocr=replace(config.ocr, languages=SECOND_MODEL)))
    data = {"truth": truth, "page": ocr.to_json(page), "published": ocr.to_text(second)}
    entry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return data


def seed_case(cache: Path, config: Config, stamp: str) -> dict:
    from ocrfix import ocr

    key = hashlib.sha256(SEED_SCAN.read_bytes() + stamp.encode()).hexdigest()[:24]
    entry = cache / f"seed-{key}.json"
    if entry.is_file() and not FRESH:
        data = json.loads(entry.read_text(encoding="utf-8"))
    else:
        data = {"page": ocr.to_json(recognised(SEED_SCAN, config, cache / "images" / "seed.prepared.png"))}
        entry.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    data["truth"] = SEED_TRUTH.read_text(encoding="utf-8")
    data["published"] = SEED_PUBLISHED.read_text(encoding="utf-8")
    return data


@dataclass
class PageFigures:
    name: str
    part: str
    words: int
    cer_published: float
    cer_published_corrected: float  # the published witness after ocrfix's correction
    cer_scan: float  # raw OCR
    cer_corrected: float  # ocrfix without the second witness
    cer_reconciled: float
    edits_published: int
    edits_published_corrected: int
    edits_corrected: int
    edits_reconciled: int
    truth_length: int
    disagreements: int
    decided_right: int
    decided_wrong: int  # another candidate was the truth
    agreed_changed: int  # agreed readings that are words, changed anyway (the target)
    agreed_changed_right: int
    agreed_nonwords_corrected: int  # agreed readings with a word no lexicon knows, corrected
    agreed_nonwords_right: int
    examples: list[str]
    reads_yen: bool = False  # the reconciled text has '10.286 иен' (page1)
    # per place both witnesses read: (the scan's error rate from its confidence, scan wrong, published wrong)
    calibration: list[tuple[float, bool, bool]] = field(default_factory=list)


def score_case(name: str, part: str, data: dict, config: Config, image=None) -> PageFigures:
    from ocrfix import ocr
    from ocrfix.correct import correct_text
    from ocrfix.correct.vocabulary import Vocabulary
    from ocrfix.ocr import page_from_json
    from ocrfix.pipeline import correct, get_lexicon, reconcile
    from ocrfix.reconcile import without_markup
    from ocrfix.reconcile.evidence import all_words, error_rate_of_confidence

    page = page_from_json(data["page"])
    truth, published = data["truth"], data["published"]
    corrected, changes = correct(page, config)
    result = reconcile(page, corrected, changes, published, config, image=image)
    vocab = Vocabulary(get_lexicon(config.correct))
    published_corrected = correct_text(without_markup(published).text, get_lexicon(config.correct), config.correct).text
    rates = {key: error_rates(truth, text, layout_insensitive=True) for key, text in (
        ("published", published), ("published_corrected", published_corrected),
        ("scan", ocr.to_text(page)), ("corrected", ocr.to_text(corrected)),
        ("reconciled", ocr.to_text(result.page)))}
    truth_units = align_witnesses(page, truth).units
    truth_of_word: dict[int, int] = {w: i for i, unit in enumerate(truth_units) for w in unit.words}
    right = wrong = agreed_changed = agreed_right = nonwords = nonwords_right = disagreements = 0
    examples = []
    calibration = []
    failed = any(step.settings.get("scan_failed") for step in result.page.steps)
    for decision in result.decisions:
        unit = decision.unit
        if unit.words and unit.published and not failed:
            truth_text = _truth_for(unit, truth_units, truth_of_word)
            rate = max(error_rate_of_confidence(page.words[w].confidence, 0.1) for w in unit.words)
            calibration.append((rate, unit.scan_text != truth_text, unit.published_text != truth_text))
        if unit.agree and decision.source == AGREE:
            continue
        truth_text = _truth_for(unit, truth_units, truth_of_word)
        if unit.agree:
            if not all_words(unit.scan_text, vocab):
                nonwords += 1
                nonwords_right += decision.chosen.text == truth_text
            else:
                agreed_changed += 1
                agreed_right += decision.chosen.text == truth_text
                examples.append(f"agreed {unit.scan_text!r} -> {decision.chosen.text!r} (truth {truth_text!r}): {decision.reason}")
            continue
        disagreements += 1
        if decision.chosen.text == truth_text:
            right += 1
        elif any(c.text == truth_text for c in decision.candidates):
            wrong += 1
            if len(examples) < 40:
                examples.append(f"wrong: scan {unit.scan_text!r} published {unit.published_text!r} chose "
                                f"{decision.chosen.text!r}, truth {truth_text!r}")
    return PageFigures(
        name, part, len(truth.split()), rates["published"].cer, rates["published_corrected"].cer, rates["scan"].cer,
        rates["corrected"].cer, rates["reconciled"].cer, rates["published"].char_edits,
        rates["published_corrected"].char_edits, rates["corrected"].char_edits,
        rates["reconciled"].char_edits, rates["reconciled"].char_ref_len, disagreements, right, wrong,
        agreed_changed, agreed_right, nonwords, nonwords_right, examples, "10.286 иен" in ocr.to_text(result.page),
        calibration,
    )


def _truth_for(unit, truth_units, truth_of_word) -> str:
    """The ground truth's reading of a unit's scan words (the truth words aligned with them)."""
    if not unit.words:  # words only the published text has: the truth has words here if they were not read
        following = [u for u in truth_units if not u.words and u.after == unit.after]
        return " ".join(u.published_text for u in following)
    indexes = sorted({truth_of_word[w] for w in unit.words if w in truth_of_word})
    return " ".join(truth_units[i].published_text for i in indexes if truth_units[i].published)


CALIBRATION_EDGES = (0.0, 0.03, 0.1, 0.2, 0.35, 0.5, 0.7, 1.0)


def print_calibration(rows: list[PageFigures]) -> None:
    """How often each witness is wrong where the scan's confidence puts its error rate (pages whose scan failed left out)."""
    print("\nwitness errors by the scan's error rate from its confidence (places both witnesses read)")
    print("| scan's error rate | places | mean | scan wrong | published wrong |\n|---|---:|---:|---:|---:|")
    points = [point for row in rows for point in row.calibration]
    for low, high in zip(CALIBRATION_EDGES, CALIBRATION_EDGES[1:]):
        inside = [p for p in points if low <= p[0] < high or (high == CALIBRATION_EDGES[-1] and p[0] == high)]
        if inside:
            count = len(inside)
            print(f"| {low:.2f}-{high:.2f} | {count} | {percent(sum(p[0] for p in inside) / count)} | "
                  f"{percent(sum(p[1] for p in inside) / count)} | {percent(sum(p[2] for p in inside) / count)} |")


def percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def print_rows(rows: list[PageFigures], title: str) -> dict:
    print(f"\n{title}")
    print("| page | part | words | published | published corrected | scan raw | ocrfix alone | reconciled "
          "| disagreements | right | wrong | agreed words changed | agreed non-words corrected |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r.name} | {r.part} | {r.words} | {percent(r.cer_published)} | {percent(r.cer_published_corrected)} | "
              f"{percent(r.cer_scan)} | {percent(r.cer_corrected)} | {percent(r.cer_reconciled)} | {r.disagreements} | "
              f"{r.decided_right} | {r.decided_wrong} | {r.agreed_changed} ({r.agreed_changed_right} right) | "
              f"{r.agreed_nonwords_corrected} ({r.agreed_nonwords_right} right) |")
    length = sum(r.truth_length for r in rows) or 1
    total = {
        "pages": len(rows),
        "words": sum(r.words for r in rows),
        "cer_published": sum(r.edits_published for r in rows) / length,
        "cer_published_corrected": sum(r.edits_published_corrected for r in rows) / length,
        "cer_corrected": sum(r.edits_corrected for r in rows) / length,
        "cer_reconciled": sum(r.edits_reconciled for r in rows) / length,
        "disagreements": sum(r.disagreements for r in rows),
        "decided_right": sum(r.decided_right for r in rows),
        "decided_wrong": sum(r.decided_wrong for r in rows),
        "agreed_changed": sum(r.agreed_changed for r in rows),
        "agreed_changed_right": sum(r.agreed_changed_right for r in rows),
        "agreed_nonwords_corrected": sum(r.agreed_nonwords_corrected for r in rows),
        "agreed_nonwords_right": sum(r.agreed_nonwords_right for r in rows),
    }
    print(f"| total | | {total['words']} | {percent(total['cer_published'])} | {percent(total['cer_published_corrected'])} "
          f"| | {percent(total['cer_corrected'])} | {percent(total['cer_reconciled'])} | {total['disagreements']} | "
          f"{total['decided_right']} | {total['decided_wrong']} | {total['agreed_changed']} "
          f"({total['agreed_changed_right']} right) | {total['agreed_nonwords_corrected']} "
          f"({total['agreed_nonwords_right']} right) |")
    return total


def check(rows: list[PageFigures], total: dict, *, seed: bool) -> list[str]:
    failures = []
    if seed:
        if total["cer_reconciled"] > 0.005:
            failures.append(f"(a) reconciled CER {percent(total['cer_reconciled'])} > 0.5%")
        if not all(r.reads_yen for r in rows):
            failures.append("(a) the reconciled page does not read '10.286 иен'")
        return failures
    better = min(total["cer_published"], total["cer_published_corrected"], total["cer_corrected"])
    if total["cer_reconciled"] > 0.6 * better:
        failures.append(f"(b) reconciled CER {percent(total['cer_reconciled'])} > 0.6 x better witness {percent(better)}")
    for r in rows:
        if r.cer_reconciled > r.cer_published + 1e-12 or r.cer_reconciled > r.cer_corrected + 1e-12:
            failures.append(f"{r.name}: reconciled {percent(r.cer_reconciled)} above a witness "
                            f"(published {percent(r.cer_published)}, ocrfix alone {percent(r.cer_corrected)})")
    if total["agreed_changed"] * 2000 > max(total["words"], 1):
        failures.append(f"{total['agreed_changed']} agreed words changed in {total['words']} words (> 1 per 2,000)")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("dev", "test", "all"), default="test", help="which pages of (b) (default: test)")
    parser.add_argument("--pages", type=int, default=24, help="pages of (b) before the split (default 24: about 12 each)")
    parser.add_argument("--limit", type=int, default=None, help="score at most N pages of (b) (development)")
    parser.add_argument("--no-seed", action="store_true", help="leave (a) out")
    parser.add_argument("--cache", type=Path, default=Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
                        / "ocrfix-bench" / "reconcile")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    parser.add_argument("--examples", action="store_true", help="print the wrong decisions and agreed-word changes")
    parser.add_argument("--calibration", action="store_true",
                        help="print how often each witness errs by the scan's confidence (the published error model)")
    parser.add_argument("--fresh", action="store_true", help="render and recognise again (after changes to recognition)")
    parser.add_argument("--third-witness", choices=("on", "off"), default=None,
                        help="[reconcile] third_witness for this run (default: the setting's default)")
    parser.add_argument("--third-below", type=float, default=ReconcileConfig().third_witness_below,
                        help="[reconcile] third_witness_below with --third-witness")
    args = parser.parse_args()
    global FRESH
    FRESH = args.fresh
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    config = Config()
    if args.third_witness is not None:
        config = config.override("reconcile", third_witness=args.third_witness == "on",
                                 third_witness_below=args.third_below)
    args.cache.mkdir(parents=True, exist_ok=True)
    (args.cache / "images").mkdir(exist_ok=True)
    stamp = versions(config)
    failures: list[str] = []
    report: dict = {}
    if not args.no_seed:
        image = prepared_image("seed", SEED_SCAN, args.cache, config) if config.reconcile.third_witness else None
        seed_rows = [score_case("page1 + seed published", "a", seed_case(args.cache, config, stamp), config, image)]
        report["seed"] = {"pages": [asdict(r) for r in seed_rows],
                          "total": print_rows(seed_rows, "(a) seed: page1's scan and the archive's published transcription")}
        failures += check(seed_rows, report["seed"]["total"], seed=True)
        if args.examples:
            print("\n".join(seed_rows[0].examples))
    chosen = [r for r in recipes(args.pages) + extra_dev_recipes() if args.part == "all" or part_of(r.name) == args.part]
    if args.limit is not None:
        chosen = chosen[: args.limit]
    rows = []
    for recipe in chosen:
        print(f"  {recipe.name} ...", file=sys.stderr, flush=True)
        data = cached_case(recipe, args.cache, config, stamp)
        image = None
        if config.reconcile.third_witness:
            image = prepared_image(recipe.name, args.cache / "images" / f"{recipe.name}.scan.png", args.cache, config)
        rows.append(score_case(recipe.name, part_of(recipe.name), data, config, image))
    if rows:
        total = print_rows(rows, f"(b) {args.part}: a second OCR ({SECOND_MODEL} model, another scan) as the published witness")
        report["pages"] = {"part": args.part, "pages": [asdict(r) for r in rows], "total": total}
        failures += check(rows, total, seed=False)
        better = min(total["cer_published"], total["cer_published_corrected"], total["cer_corrected"])
        print(f"\nreconciled / better witness: {total['cer_reconciled'] / better:.2f} (target <= 0.6)" if better else "")
        if args.calibration:
            print_calibration(rows)
        if args.examples:
            for r in rows:
                for line in r.examples:
                    print(f"{r.name}: {line}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\ntargets: " + ("all met" if not failures else "MISSED: " + "; ".join(failures)))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())

"""Scores and tables: CER per engine and item, summaries per source and profile, rank correlation."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from typing import Any

from ocrfix.align import error_rates

WORSE_MARGIN = 0.005  # the promise: ocrfix's CER <= plain Tesseract's + 0.5 points
GOOD_CER = 0.02  # an item ocrfix reads at most this badly, and not worse than plain Tesseract, is a good one:
# a flag on it costs the user a look for nothing


def cer(truth: str, text: str) -> tuple[float, float]:
    """(CER ignoring layout, CER as dinglehopper defines it): both over NFC grapheme clusters.

    The first collapses whitespace runs and undoes line-end hyphenation in both texts,
    so a different line breaking or paragraph spacing costs nothing; it is the one reported.
    """
    loose = error_rates(truth, text, layout_insensitive=True).cer
    strict = error_rates(truth, text).cer
    return _finite(loose), _finite(strict)


def _finite(value: float) -> float:
    return 1.0 if math.isinf(value) else value


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman's rank correlation (ties get their mean rank); None for fewer than 3 pairs or no spread."""
    if len(xs) < 3 or len(xs) != len(ys):
        return None
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def _ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def plain_best(row: dict[str, Any], plain: list[str]) -> float | None:
    values = [row["cer"][e] for e in plain if row["cer"].get(e) is not None]
    return min(values) if values else None


def summarise(rows: list[dict[str, Any]], engines: list[str], plain: list[str]) -> list[dict[str, Any]]:
    """One record per (source, profile), then one per source ('all'), in a stable order."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[(row["source"], row["profile"])].append(row)
        groups[(row["source"], "all")].append(row)
    records = []
    for (source, profile), members in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] == "all", kv[0][1])):
        record: dict[str, Any] = {"source": source, "profile": profile, "items": len(members)}
        for engine in engines:
            values = [r["cer"][engine] for r in members if r["cer"].get(engine) is not None]
            seconds = [r["seconds"][engine] for r in members if r["seconds"].get(engine) is not None]
            record[f"{engine}_mean"] = statistics.fmean(values) if values else None
            record[f"{engine}_worst"] = max(values) if values else None
            record[f"{engine}_seconds"] = statistics.fmean(seconds) if seconds else None
        worse = [r for r in members if _worse(r, plain)]
        record["ocrfix_worse"] = len(worse)
        record["ocrfix_errors"] = sum(1 for r in members if r["errors"].get("ocrfix"))
        record.update(doubt(members, plain))
        pairs = [(r["quality"], r["cer"]["ocrfix"]) for r in members if r.get("quality") is not None]
        record["quality_items"] = len(pairs)
        record["quality_spearman"] = spearman([p[0] for p in pairs], [p[1] for p in pairs]) if pairs else None
        estimated = [(r["ocrfix_verdict"]["estimated_cer"], r["cer"]["ocrfix"]) for r in members
                     if (r.get("ocrfix_verdict") or {}).get("estimated_cer") is not None]  # fmt: skip
        record["estimated_cer_spearman"] = spearman(*map(list, zip(*estimated))) if estimated else None
        records.append(record)
    return records


def flagged(row: dict[str, Any]) -> bool:
    """Did ocrfix tell the user to look at this item: a status other than "ok" ("doubtful", "empty"),
    or a failure (an exit code)? (The other half of promise 1: a doubtful page is flagged.)"""
    return bool(row["errors"].get("ocrfix")) or row.get("ocrfix_status") not in (None, "ok")


def doubt(members: list[dict[str, Any]], plain: list[str]) -> dict[str, Any]:
    """How ocrfix's flags sort the items: how many it flagged; of the items it reads worse than plain
    Tesseract, how many it flagged and how many it did not ("silently worse"); of the good items
    (:data:`GOOD_CER`, not worse), how many it flagged; the mean CER of flagged and unflagged items.
    Every figure is None when no item records ocrfix's status (a run from before the status was kept)."""
    keys = ("flagged", "worse_flagged", "silently_worse", "good", "good_flagged", "flagged_cer", "unflagged_cer")
    known = [r for r in members if "ocrfix_status" in r and r["cer"].get("ocrfix") is not None]
    if not known:
        return dict.fromkeys(keys)
    worse = [r for r in known if _worse(r, plain)]
    good = [r for r in known if r["cer"]["ocrfix"] <= GOOD_CER and not _worse(r, plain)]
    cers = {True: [], False: []}
    for r in known:
        cers[flagged(r)].append(r["cer"]["ocrfix"])
    return {
        "flagged": len(cers[True]),
        "worse_flagged": sum(flagged(r) for r in worse),
        "silently_worse": sum(not flagged(r) for r in worse),
        "good": len(good),
        "good_flagged": sum(flagged(r) for r in good),
        "flagged_cer": statistics.fmean(cers[True]) if cers[True] else None,
        "unflagged_cer": statistics.fmean(cers[False]) if cers[False] else None,
    }


def doubt_markdown(records: list[dict[str, Any]]) -> str:
    """:func:`doubt` per source and profile as a Markdown table (empty when no record has it)."""
    if all(r.get("flagged") is None for r in records):
        return ""
    head = ["source", "profile", "n", "flagged", "worse: flagged / silently", "good: flagged",
            "CER flagged", "CER unflagged"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in records:
        if r.get("flagged") is None:
            continue
        cer = ["-" if r[k] is None else f"{100 * r[k]:.2f}" for k in ("flagged_cer", "unflagged_cer")]
        cells = [r["source"], "**all**" if r["profile"] == "all" else r["profile"], str(r["items"]), str(r["flagged"]),
                 f"{r['worse_flagged']} / {r['silently_worse']}", f"{r['good_flagged']} of {r['good']}", *cer]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _worse(row: dict[str, Any], plain: list[str]) -> bool:
    return worse_than_plain(row["cer"].get("ocrfix"), plain_best(row, plain))


def worse_than_plain(ours: float | None, plain: float | None) -> bool:
    """Does ocrfix's CER ``ours`` break the promise against plain Tesseract's best, ``plain`` (by more than WORSE_MARGIN)?"""
    return plain is not None and ours is not None and ours > plain + WORSE_MARGIN


LABELS = {"tesseract_psm3": "psm 3", "tesseract_psm4": "psm 4", "tesseract_psm6": "psm 6", "tesseract_psm7": "psm 7",
          "ocrfix": "ocrfix", "ocrmypdf": "OCRmyPDF"}  # fmt: skip


def markdown(records: list[dict[str, Any]], engines: list[str]) -> str:
    """The summary as a Markdown table: CER % mean (worst) per engine, items where ocrfix is worse, seconds."""
    labels = [LABELS.get(e, e) for e in engines]
    with_quality = any(r["quality_spearman"] is not None for r in records)
    with_estimate = any(r.get("estimated_cer_spearman") is not None for r in records)
    head = ["source", "profile", "n", *labels, "ocrfix worse", "s/item " + " / ".join(labels)]
    head += ["quality ρ"] if with_quality else []
    head += ["estimated CER ρ"] if with_estimate else []
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in records:
        profile = "**all**" if r["profile"] == "all" else r["profile"]
        cells = [r["source"], profile, str(r["items"])]
        for e in engines:
            mean, worst = r.get(f"{e}_mean"), r.get(f"{e}_worst")
            cells.append("-" if mean is None else f"{100 * mean:.2f} ({100 * worst:.1f})")
        cells.append(str(r["ocrfix_worse"]) + (f" ({r['ocrfix_errors']} failed)" if r["ocrfix_errors"] else ""))
        cells.append(" / ".join("-" if r.get(f"{e}_seconds") is None else f"{r[f'{e}_seconds']:.1f}" for e in engines))
        if with_quality:
            rho = r["quality_spearman"]
            cells.append("-" if rho is None else f"{rho:+.2f} (n={r['quality_items']})")
        if with_estimate:
            rho = r.get("estimated_cer_spearman")
            cells.append("-" if rho is None else f"{rho:+.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


READ_ONCE, READ_AGAIN = "pages read once", "pages read again"  # by ocrfix: in one preparation, in more


def time_ratios(rows: list[dict[str, Any]], engine: str = "ocrfix", reference: str = "tesseract_psm3") -> list[dict[str, Any]]:
    """``engine``'s time against ``reference``'s on the same items, per source (pages and lines apart), then
    over the pages ocrfix read once and those it read in more than one preparation (its verdict's
    ``tried``: the first reading's fixed cost apart from the fallbacks'), then over every page: the ratio
    of the mean times, and the median and worst of the items' own ratios; wall-clock and CPU seconds
    (the CPU ratio varies far less with other work on the machine)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[row["source"]].append(row)
        if row.get("kind", "page") == "page":
            groups["all pages"].append(row)
            if tried := (row.get("ocrfix_verdict") or {}).get("tried"):
                groups[READ_ONCE if len(tried) == 1 else READ_AGAIN].append(row)
    records = []
    last = {READ_ONCE: 1, READ_AGAIN: 2, "all pages": 3}
    for source, members in sorted(groups.items(), key=lambda kv: (last.get(kv[0], 0), kv[0])):
        record: dict[str, Any] = {"source": source}
        for clock in ("seconds", "cpu_seconds"):
            pairs = [(r[clock][reference], r[clock][engine]) for r in members
                     if r.get(clock, {}).get(reference) and r.get(clock, {}).get(engine) is not None]  # fmt: skip
            record[f"{clock}_items"] = len(pairs)
            if not pairs:
                continue
            ratios = [ours / theirs for theirs, ours in pairs]
            record[f"{clock}_{reference}"] = statistics.fmean(p[0] for p in pairs)
            record[f"{clock}_{engine}"] = statistics.fmean(p[1] for p in pairs)
            record[f"{clock}_ratio_of_means"] = record[f"{clock}_{engine}"] / record[f"{clock}_{reference}"]
            record[f"{clock}_median_ratio"] = statistics.median(ratios)
            record[f"{clock}_worst_ratio"] = max(ratios)
        records.append(record)
    return records


def time_markdown(records: list[dict[str, Any]], engine: str = "ocrfix", reference: str = "tesseract_psm3") -> str:
    """:func:`time_ratios` as a Markdown table."""
    head = ["source", "n", f"s/item {LABELS.get(reference, reference)} / {LABELS.get(engine, engine)}",
            "mean ratio", "median ratio", "worst ratio", "CPU s/item", "CPU mean ratio", "CPU median ratio", "CPU worst ratio"]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in records:
        cells = [r["source"], str(r.get("seconds_items", 0))]
        for clock in ("seconds", "cpu_seconds"):
            if not r.get(f"{clock}_items"):
                cells += ["-"] * 4
                continue
            cells.append(f"{r[f'{clock}_{reference}']:.2f} / {r[f'{clock}_{engine}']:.2f}")
            cells += [f"{r[f'{clock}_{key}']:.2f}" for key in ("ratio_of_means", "median_ratio", "worst_ratio")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"

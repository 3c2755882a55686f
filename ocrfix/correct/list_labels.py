"""A lettered list's label read as a digit: 'а) ...' / '6) ...' / 'в) ...' -> 'б)'.

Typewritten minutes and reports list their points as а), б), в), each at a line's start. A
letter whose shape a digit shares (б and 6, з and 3, о and 0: the error model's confusions)
is read as that digit, and the label then breaks its list's run. The label before it and
the one after it say which letter the list needs there: a digit the error model reads as
that letter, cheaply, becomes it. The evidence: the confusion's cost (channel) and the
neighbours that confirm the run (context, one link each)."""

from __future__ import annotations

from collections.abc import Callable

import regex

from ocrfix.correct import tables
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.scoring import Candidate, Evidence

LETTERS = tables.column("list_letters")
MAX_COST = 0.5  # a listed confusion of shapes (6 for б costs 0.3); an arbitrary edit costs 1.0
LABEL = regex.compile(r"(?m)^[ \t]*(\w)\)(?=[ \t])")  # a list item's label at a line's start: 'б) '


def list_labels(text: str, model: ErrorModel, free: Callable[[int, int], bool]) -> list[Candidate]:
    """The labels read as digits that a cheap confusion makes the letter their neighbours'
    run needs (the label before it the letter before, or the one after it the letter after)."""
    labels = [(m.start(1), m.group(1)) for m in LABEL.finditer(text)]
    out = []
    for k, (start, label) in enumerate(labels):
        if not label.isdigit() or not free(start, start + 1):
            continue
        before = labels[k - 1][1] if k else None
        after = labels[k + 1][1] if k + 1 < len(labels) else None
        best = None
        for i, letter in enumerate(LETTERS):
            cost = model.cost(label, letter)
            if cost > MAX_COST:
                continue
            links = (i > 0 and before == LETTERS[i - 1]) + (i + 1 < len(LETTERS) and after == LETTERS[i + 1])
            if links and (best is None or (links, -cost) > (best[0], -best[2])):
                best = (links, letter, cost)
        if best is not None:
            links, letter, cost = best
            out.append(Candidate(start, start + 1, letter, "list-label",
                                 f"a lettered list's label '{letter})' read as '{label})' (its neighbours run "
                                 f"{before or '-'}) … {after or '-'}))", Evidence(channel=cost, context=float(links))))
    return out

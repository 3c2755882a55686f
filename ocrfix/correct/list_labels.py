"""A lettered list's label read as a digit: 'а) ...' / '6) ...' / 'в) ...' -> 'б)'.

Typewritten minutes and reports list their points as а), б), в), each at a line's start. A
letter whose shape a digit shares (б and 6, з and 3, о and 0: the error model's confusions)
is read as that digit, and the label then breaks its list's run. The label before it and
the one after it say which letter the list needs there: a digit the error model reads as
that letter, cheaply, becomes it. The evidence: the confusion's cost (channel) and the
neighbours that confirm the run (context, one link each).

The items of such a list but the last close with a semicolon ('в золоте;' / 'б) в Кульдже'),
whose dot the OCR loses: a comma closing the line before a label that continues the run is
read as the semicolon. The error model does not price marks read for marks, so the change is
scored by its kind's prior alone (whether it pays is the ablation's to say).

A numbered list's items ('1. Предложить ...' / '2. Разрешить ...') are sentences: the line
before an item whose number continues the run (the item before it numbered one less) ends the
item before with a period. A comma closing that line is the period's lower half, a letter
closing it lost the period ('колхозников' / '2. Все больные'); either is given the period, by
its kind's prior alone."""

from __future__ import annotations

from collections.abc import Callable

import regex

from ocrfix.correct import tables
from ocrfix.correct.error_model import ErrorModel
from ocrfix.correct.scoring import Candidate, Evidence
from ocrfix.correct.tokens import line_blank_before

LETTERS = tables.column("list_letters")
MAX_COST = 0.5  # a listed confusion of shapes (6 for б costs 0.3); an arbitrary edit costs 1.0
LABEL = regex.compile(r"(?m)^[ \t]*(\w)\)(?=[ \t])")  # a list item's label at a line's start: 'б) '
NUMBERED = regex.compile(r"(?m)^[ \t]*(\d{1,2})\.[ \t]+\p{Lu}")  # a numbered item at a line's start: '2. Все'


def list_labels(text: str, model: ErrorModel, free: Callable[[int, int], bool]) -> list[Candidate]:
    """The labels read as digits that a cheap confusion makes the letter their neighbours'
    run needs (the label before it the letter before, or the one after it the letter after)."""
    labels = [(m.start(1), m.group(1)) for m in LABEL.finditer(text)]
    out = []
    read = [label for _, label in labels]  # the labels as the list needs them
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
            read[k] = letter
            out.append(Candidate(start, start + 1, letter, "list-label",
                                 f"a lettered list's label '{letter})' read as '{label})' (its neighbours run "
                                 f"{before or '-'}) … {after or '-'}))", Evidence(channel=cost, context=float(links))))
    out.extend(_separators(text, labels, read, free))
    out.extend(_item_ends(text, free))
    return out


def _item_ends(text: str, free: Callable[[int, int], bool]) -> list[Candidate]:
    """The period closing the line before a numbered item that continues its run (the item
    before it numbered one less): a comma there read as it, or the period lost after a letter."""
    out = []
    numbers = [(m.start(), int(m.group(1))) for m in NUMBERED.finditer(text)]
    for (_, before), (start, number) in zip(numbers, numbers[1:]):
        if number != before + 1:
            continue
        closing = _line_end_before(text, start)
        if closing < 1 or not text[closing - 1].isalpha():
            continue
        if text[closing] == "," and free(closing, closing + 1):
            out.append(Candidate(closing, closing + 1, ".", "item-end",
                                 f"a numbered item closed with '.' read as ',' (item {number}. follows)"))
        elif text[closing].isalpha() and free(closing + 1, closing + 1):
            out.append(Candidate(closing + 1, closing + 1, ".", "item-end",
                                 f"a numbered item's closing '.' lost (item {number}. follows)"))
    return out


def _separators(text: str, labels: list[tuple[int, str]], read: list[str],
                free: Callable[[int, int], bool]) -> list[Candidate]:
    """The commas closing the line before a label that continues a lettered list's run (the
    label before it the letter before), read as the semicolon that separates its items."""
    out = []
    for k in range(1, len(labels)):
        if read[k] not in LETTERS or read[k - 1] not in LETTERS or LETTERS.index(read[k]) != LETTERS.index(read[k - 1]) + 1:
            continue
        closing = _line_end_before(text, labels[k][0])
        if closing < 0 or text[closing] != "," or not text[closing - 1:closing].isalpha() or not free(closing, closing + 1):
            continue
        out.append(Candidate(closing, closing + 1, ";", "list-separator",
                             f"a lettered list's item closed with ';' read as ',' (the next item {read[k]}) continues the run)"))
    return out


def _line_end_before(text: str, start: int) -> int:
    """The offset of the last character but spaces and tabs of the line before the one ``start``
    is in (-1 when there is none): what closes the item before a list item."""
    end = text.rfind("\n", 0, start)
    return line_blank_before(text, end) - 1 if end > 0 else -1

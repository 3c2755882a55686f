"""A unified diff of lines, for people who live in terminals."""

from __future__ import annotations

import difflib

from ocrfix.align import aligned_lines, nfc


def unified_diff(
    reference: str,
    hypothesis: str,
    *,
    reference_label: str = "reference",
    hypothesis_label: str = "hypothesis",
    context: int = 3,
    follow_hypothesis_lines: bool = True,
) -> str:
    """``diff -u``-style text; empty when the texts do not differ.

    By default the reference is first cut to the hypothesis's lines (see
    :func:`ocrfix.align.aligned_lines`), so a transcription with other line
    breaks still diffs line against line, and whitespace runs and line-end
    hyphenation make no difference. With ``follow_hypothesis_lines=False``
    the two texts' own lines are compared as they are.
    """
    if follow_hypothesis_lines:
        pairs = aligned_lines(reference, hypothesis)
        old = [ref for ref, _ in pairs]
        new = [hyp for _, hyp in pairs]
    else:
        old, new = nfc(reference).splitlines(), nfc(hypothesis).splitlines()
    lines = difflib.unified_diff(old, new, fromfile=reference_label, tofile=hypothesis_label, n=context, lineterm="")
    text = "\n".join(lines)
    return text + "\n" if text else ""

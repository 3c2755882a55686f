"""A word the OCR broke in two where a letter was damaged: 'строи гельство' for
'строительство', 'побы зала' for 'побывала', 'о..ытных' for 'опытных', 'н,‚авится' for 'нравится',
'ЗДРАВООХ: АНЕНИЯ' for 'ЗДРАВООХРАНЕНИЯ', 'С, еднесуточная' for 'Среднесуточная' (a fragment of one
letter is joined across marks, or beside a space where it is no word alone, but never a letter
with a period: 'т.т.' is an abbreviation).

On a worn typescript a faint or broken letter is often read as a space, as a mark or two
(the marks a speck is read as), or as a space and a wrong letter beside it, so the word
comes out as two fragments, at least one of them no word at all. Each fragment searched alone finds, at best, a plausible but wrong shorter
word ('пособное' -> 'подобное' for 'трудоспособное'); the two read together, the space a
lost letter or nothing, the marks the lost letter, are searched as one word through the error model instead. The
change is scored as any other (scoring.py): the error model's cost of the letters changed,
the gain in frequency over the printed fragments, the rival readings; its kind's prior
(``gap-join``) is learned with the others on the development part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import regex

from ocrfix.correct import scoring
from ocrfix.correct.candidates import edits, score, window
from ocrfix.correct.error_model import CHEAP_COST, ErrorModel
from ocrfix.correct.inner_marks import MARKS, with_cheap_second
from ocrfix.correct.scoring import Candidate, Evidence
from ocrfix.correct.structural import DASHES, pairs_beside
from ocrfix.correct.tokens import Token, apply_case, case_shape, one_letter_word
from ocrfix.correct.vocabulary import Vocabulary

KIND = "gap-join"
MIN_LENGTH = 6  # letters two fragments a space apart hold together (a mark between them counts as one): shorter pairs are too easily some word
MIN_MARKED_LENGTH = 4  # ... and two a mark apart (as inner_marks.MIN_LETTERS)
_MARK = "[" + regex.escape("".join(c for c in MARKS if c not in DASHES)) + "]"  # hyphens: inner_marks.py's
_GAP = regex.compile(rf" |{_MARK}{{2}}| ?{_MARK}{{1,2}} |(?: {_MARK}{{1,2}})")  # a space, marks, marks beside one
MIN_ZIPF = 2.0  # the joined word must be at least this common (a rare form is too easily made)
MAX_COST = 1.0  # the error-model cost the joined reading may take: the lost letter, or one letter read wrong
SECOND_MAX_COST = MAX_COST + CHEAP_COST  # ... with one listed confusion besides it, when that alone makes no word
# (only across a gap with a mark: between fragments a plain space apart it found nothing more on the
# development and fresh pages, and cost 7% more of the corrector's work)
REACH = 1  # the one edit lies this many letters or fewer from the gap


def gap_joins(tokens: Sequence[Token], keys: Sequence[str], text: str, vocab: Vocabulary, model: ErrorModel,
              free: Callable[[int, int], bool], weak_at: Sequence[int]) -> Iterator[list[Candidate]]:
    """Joins of two neighbouring fragments, a space or marks apart on a line (a lone mark between
    letters is inner_marks.py's: 'истор“и', 'тов.Литвинова'), at least one of them
    weak (Vocabulary.weak: unknown, or a form only the web frequency list knows: two dictionary words stay two;
    ``weak_at``, the indices of the weak tokens), into
    the known word one edit of the error model at the gap makes of them (the lost letter
    restored, or the letter beside the space read right): the best reading by the
    noisy-channel score, when it beats the printed fragments (Corrector.add_join admits it only
    with the letters kept of a fragment read as a word of its own: 'товари на' is not 'товарища')."""
    known, zipf = vocab.known, vocab.zipf
    # only the pairs with a weak fragment can join: found from the text's weak words (most of a page's
    # words are not weak), not by testing every pair of neighbours
    for i in sorted(pairs_beside(weak_at, len(tokens))):
        left, right = tokens[i], tokens[i + 1]
        a, b = keys[i], keys[i + 1]
        gap = text[left.end:right.start]
        if not (a.isalpha() and b.isalpha()):
            continue
        # (a mark in the gap is the lost letter's place: it counts as a letter of the word, 'отхо, е' -> 'отходе')
        if " " in gap and (len(a) + len(b) + (gap != " ") < MIN_LENGTH or (gap == " " and (one_letter_word(a) or one_letter_word(b)))):
            continue  # a letter alone beside a plain space is a word of one letter ('в', 'и'), unless none is ('ь')
        if (len(b) < 2 and text[right.end:right.end + 1] == ".") or (len(a) < 2 and text[left.start - 1:left.start] == "."):
            continue  # a letter with a period is an abbreviation ('послани: т.т.Литвинову')
        if len(a) + len(b) < MIN_MARKED_LENGTH:
            continue
        shapes = case_shape(left.text), case_shape(right.text)
        if shapes != ("upper", "upper") and (shapes[1] != "lower" or shapes[0] not in {"lower", "title"}):
            continue
        if gap != " " and not _GAP.fullmatch(gap):  # (the pattern after the tests without one)
            continue
        if not free(left.start, right.end) or known(a + b):
            continue
        at = len(a)  # edits at the gap: a letter inserted there, or one of the letters beside it changed
        # ... inside the joined letters' window (candidates.window): an edit outside it makes no known word
        p, s = window(a + b, vocab)
        variants = edits(a + b, model, min(at + REACH - 1, p), max(at - REACH + 1, s), cheap_only=False,
                         letters=vocab.letters, held_by=vocab.known_sets)  # (the known ones only)
        found = {w: c for w, c in variants.items() if c <= MAX_COST and zipf(w) >= MIN_ZIPF}
        if not found and gap != " ":
            # where a mark says a letter was damaged, the edit at the gap and one listed confusion besides it
            # ('произв“ цился': о lost, д read as ц): the edits at the gap whose reading still begins a known
            # form past the gap, though it need not end one yet (the second edit may make it one)
            firsts = edits(a + b, model, min(at + REACH - 1, p), at - REACH + 1, cheap_only=False, letters=vocab.letters)
            found = with_cheap_second({f: c for f, c in firsts.items() if vocab.has_prefix(f[:at + 1])}, vocab, model,
                                      SECOND_MAX_COST, MIN_ZIPF)
        if not found:
            continue
        ranked = sorted((score(c, zipf(w)), w, c) for w, c in found.items())[:5]
        scores = [s for s, *_ in ranked]
        # the printed reading: its least likely fragment; across a space, a fragment of two letters or more only
        # the web frequency list knows (Vocabulary.weak: it is full of such fragments) counts as no word for a
        # dictionary word that keeps its letters, as structural.split_word_join counts it ('сост ва' -> 'состава');
        # a fragment the reading edits counts as printed (it may be a short word misread: 'зё границу' is no
        # 'заграницу'), and so do a letter alone (a reading without it drops it: 'частей х' is no 'частей') and
        # fragments across marks, which may be the punctuation between two words ('Наркомвнешторг, тов.')
        readings = []
        for reading_score, reading, cost in ranked:
            printed = scoring.pieces_zipf((a, b), _printed_word(reading, a, b, gap == " " and not vocab.weak(reading),
                                                                known, vocab.weak), zipf)
            if reading_score > -printed:
                continue
            evidence = Evidence(channel=cost, language=zipf(reading) - printed,
                                rival=scoring.share(reading_score, scores))
            readings.append(Candidate(left.start, right.end, apply_case(left.text, reading), KIND,
                                      f"a word broken in two by a damaged letter read as '{gap}' joined (edit cost {cost:.2f})",
                                      evidence, tuple((apply_case(left.text, w), round(s, 3)) for s, w, _ in ranked)))
        if readings:
            yield readings


def _printed_word(reading: str, a: str, b: str, strong: bool, known: Callable[[str], bool],
                  weak: Callable[[str], bool]) -> Callable[[str], bool]:
    """Whether a fragment of the printed pair (``a`` before the gap, ``b`` after it) counts as a word
    weighed against ``reading`` (gap_joins): a known one, but for a weak fragment of two letters or more
    the ``strong`` reading (a dictionary word, across a space) keeps as read."""
    def word(piece: str) -> bool:
        if not known(piece):
            return False
        if not strong or len(piece) < 2 or not weak(piece):
            return True
        return not (reading.startswith(piece) if piece == a else reading.endswith(piece))
    return word

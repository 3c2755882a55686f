"""Learning the error model from the data: confusions estimated from a batch's own
confident corrections, or from corrections a reviewer accepted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ocrfix.config import CorrectConfig
from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.correct.confidence import CONFIDENT
from ocrfix.correct.error_model import ErrorModel, confusion_counts
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import fold
from ocrfix.model import Correction


def model_from_corrections(model: ErrorModel, corrections: Iterable[Correction | tuple[str, str]], *,
                           reference_text: str = "", prior_strength: float = 20.0) -> ErrorModel:
    """``model`` updated with the character confusions of confirmed corrections
    (Correction records or (original, replacement) pairs, e.g. a reviewer's accepted fixes).
    ``reference_text`` (correct text of the same collection) gives how often each
    character was read at all; without it the counts' own totals are used."""
    pairs = [(c.original, c.replacement) if isinstance(c, Correction) else (c[0], c[1]) for c in corrections]
    counts = confusion_counts(pairs)
    if not counts:
        return model
    totals = None
    if reference_text:
        totals = Counter(fold(reference_text))
        for (_seen, intended), n in counts.items():
            totals[intended] += n
    return model.updated(counts, totals, prior_strength=prior_strength)


def learn_error_model(texts: Iterable[str], lexicon: Lexicon, config: CorrectConfig, *,
                      model: ErrorModel | None = None, collection: CollectionLexicon | None = None) -> ErrorModel:
    """Estimate a batch's confusions from its confident corrections (a calibrated confidence of
    at least :data:`~ocrfix.correct.confidence.CONFIDENT`, the threshold `regenerate --policy
    confident` and the review app use, to a word that clearly won) and return the updated model,
    to correct the batch with."""
    from ocrfix.correct.engine import correct_text
    from ocrfix.correct.error_model import default_error_model

    base = model or default_error_model(lexicon)
    confident: list[tuple[str, str]] = []
    corrected: list[str] = []
    for text in texts:
        result = correct_text(text, lexicon, config, collection=collection, error_model=base)
        corrected.append(result.text)
        for c in result.corrections:
            if c.confidence is None or c.confidence < CONFIDENT or " " in c.original or not c.original.isalpha():
                continue
            if len(c.candidates) > 1 and c.candidates[1][1] - c.candidates[0][1] < 1.0:
                continue  # a close second candidate: not a confident match
            confident.append((c.original, c.replacement))
    return model_from_corrections(base, confident, reference_text="\n".join(corrected))

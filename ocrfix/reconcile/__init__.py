"""Two witnesses of one text: the scan (Tesseract's reading, corrected) and the transcription the
archive published (another engine's OCR, with markup). Where they agree the reading stands; where
they differ the evidence decides (lexicon, error model, Tesseract's confidences and alternatives,
context; :mod:`.evidence`), and both readings are kept.

* :mod:`.markup` -- the archive's markup taken out, offsets kept;
* :mod:`.units` -- the two witnesses aligned word by word into units;
* :mod:`.evidence` -- every reading scored in log10 probabilities;
* :mod:`.decide` -- the choice for each unit, and why;
* :mod:`.page` -- the reconciled page and its record;
* :mod:`.split` -- one transcription of a document cut into its pages' shares.
"""

from ocrfix.reconcile.decide import AGREE, CORRECTOR, PUBLISHED, SCAN, Candidate, Decision
from ocrfix.reconcile.markup import without_markup
from ocrfix.reconcile.page import Reconciled, reconcile_page
from ocrfix.reconcile.units import Unit, align_witnesses

__all__ = [
    "AGREE",
    "CORRECTOR",
    "PUBLISHED",
    "SCAN",
    "Candidate",
    "Decision",
    "Reconciled",
    "Unit",
    "align_witnesses",
    "reconcile_page",
    "without_markup",
]

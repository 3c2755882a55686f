"""Post-correction of OCR text: a lexicon, an OCR error model, the collection and the context."""

from ocrfix.correct.collection import build_collection_lexicon
from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.correct.engine import CorrectionResult, correct_text, default_error_model
from ocrfix.correct.error_model import ErrorModel, confusion_counts, load_error_model
from ocrfix.correct.learn import learn_error_model, model_from_corrections
from ocrfix.correct.page import correct_page

__all__ = [
    "CollectionLexicon",
    "CorrectionResult",
    "ErrorModel",
    "build_collection_lexicon",
    "confusion_counts",
    "correct_page",
    "correct_text",
    "default_error_model",
    "learn_error_model",
    "load_error_model",
    "model_from_corrections",
]

"""A line's two readings merged word by word: which stretch is taken from which reading (no Tesseract)."""

from __future__ import annotations

from ocrfix.line_merge import FIRST, NO_EVIDENCE, OTHER, merge
from ocrfix.model import BBox, Block, Line, Page, Word

KNOWN = {"миян", "торской", "опыте"}  # the words a small lexicon knows (as written)


def _line(*words: tuple[str, float]) -> Page:
    """One line of words with their confidences, 100 px apart."""
    placed = tuple(Word(text, BBox(100 * i, 0, 100 * i + 80, 40), confidence) for i, (text, confidence) in enumerate(words))
    return Page((Block((Line(placed, BBox(0, 0, 100 * len(words), 40), id="l1"),)),))


def _texts(page: Page) -> list[str]:
    return [w.text for w in page.words]


def test_a_stretch_with_fewer_garbage_tokens_is_taken_from_the_other_reading_the_rest_stays_as_loaded() -> None:
    """Line 90 of the Komi newspaper, as loaded and preprocessed: a letter read as two ("МиИянН") is mended
    by the preprocessed reading, which misreads ӧ as б elsewhere ("Тайб", confidently): each stretch is
    weighed on its own, and Tesseract's higher confidence in "Тайб" is no evidence for it."""
    first = _line(("ТГайо", 48), ("кольом", 89), ("каднас", 84), ("МиИянН", 26))
    other = _line(("Тайб", 90), ("кольбм", 91), ("каднас", 73), ("миян", 72))
    merged = merge(first, other, KNOWN.__contains__)
    assert _texts(merged.page) == ["ТГайо", "кольом", "каднас", "миян"]
    assert merged.sources == (FIRST, FIRST, FIRST, OTHER) and merged.took_other
    assert merged.origins == ((FIRST, 0), (FIRST, 1), (FIRST, 2), (OTHER, 3))  # each word's index in its reading
    assert [s.record("original", "preprocessed") for s in merged.stretches] == [
        {"readings": {"original": "ТГайо кольом", "preprocessed": "Тайб кольбм"}, "kept": "original", "why": NO_EVIDENCE},
        {"readings": {"original": "МиИянН", "preprocessed": "миян"}, "kept": "preprocessed", "why": "fewer garbage tokens"},
    ]
    assert [w.id for w in merged.page.words] == ["w1", "w2", "w3", "w4"]
    assert merged.page.words[3].confidence == 72  # the word as the other reading read it


def test_the_lexicon_carries_a_stretch_only_with_tesseracts_own_confidence_behind_it() -> None:
    """A word the lexicon knows replaces an unknown one when Tesseract rates it at least as likely right as
    wrong (торской at 73); a Russian word read from a Komi one with confidence 0 (опыте) is not taken."""
    taken = merge(_line(("торекой", 89), ("настроение.", 97)), _line(("торской", 73), ("настроение.", 96)),
                  KNOWN.__contains__)
    assert _texts(taken.page) == ["торской", "настроение."] and taken.sources == (OTHER, FIRST)
    assert taken.origins == ((OTHER, 0), (FIRST, 1))
    assert (taken.stretches[0].why or "").startswith("more words the lexicon knows")
    first = _line(("да", 93), ("опытесо", 34), ("долженось", 86))
    kept = merge(first, _line(("да", 94), ("опыте", 0), ("долженось", 68)), KNOWN.__contains__)
    assert kept.page is first and not kept.took_other and kept.stretches[0].why is None
    # without a lexicon only garbage counts
    assert not merge(_line(("торекой", 89)), _line(("торской", 73)), None).took_other


def test_ties_and_words_only_one_reading_has_keep_the_reading_as_loaded() -> None:
    first = _line(("вермомъясон.", 61), ("тыр", 93))
    other = _line(("вермбмъясбн.", 89), ("тыр", 89), ("ось", 90))  # more confident, and a word more
    merged = merge(first, other, KNOWN.__contains__)
    assert merged.page is first and merged.sources == (FIRST, FIRST)
    assert [s.record("a", "b")["kept"] for s in merged.stretches] == ["a", "a"]


def test_a_word_taken_from_the_other_reading_gets_its_box_in_the_first_readings_frame() -> None:
    """The preprocessed image is another frame (here enlarged twice): the box is mapped back."""
    first = _line(("каднас", 84), ("МиИянН", 26))
    other = Page((Block((Line((Word("каднас", BBox(0, 0, 160, 80), 70), Word("миян", BBox(200, 0, 360, 80), 72))),)),))
    merged = merge(first, other, None, lambda b: BBox(b.left // 2, b.top // 2, b.right // 2, b.bottom // 2))
    assert merged.page.words[1].bbox == BBox(100, 0, 180, 40)
    assert merged.page.lines[0].bbox == BBox(0, 0, 200, 40)


def test_a_stretch_that_adds_characters_is_never_taken_whatever_garbage_the_line_as_loaded_holds() -> None:
    """Komi lines of the development part: as loaded, ӧ read as a digit (garbage); preprocessed, as two
    letters (найдбе for найӧе, кольобмсод for кольӧмсӧ, бон! for он!): fewer garbage tokens, but more
    characters than the reading as loaded, which is what plain Tesseract reads and was one letter off."""
    for ours, theirs in (("най0е", "найдбе"), ("кольомс0,", "кольобмсод,"), ("он1", "бон!")):
        merged = merge(_line(("да", 90), (ours, 40)), _line(("да", 90), (theirs, 80)), KNOWN.__contains__)
        assert not merged.took_other and _texts(merged.page) == ["да", ours], theirs
        assert merged.stretches[0].why is None
    # as many characters, or fewer (a letter read as two mended): taken
    for ours, theirs in (("л0б", "лоб"), ("МиИянН", "миян")):
        assert merge(_line((ours, 40)), _line((theirs, 80)), KNOWN.__contains__).took_other, theirs


def test_the_lexicon_does_not_take_a_known_piece_of_a_longer_word() -> None:
    """неральной read whole as loaded, нер (a word the lexicon knows) preprocessed: not a reading of the same word."""
    known = {"нер"}.__contains__
    assert not merge(_line(("неральной", 60)), _line(("нер", 90)), known).took_other
    assert merge(_line(("итуд", 60)), _line(("шуд", 90)), {"шуд"}.__contains__).took_other  # about as long: taken

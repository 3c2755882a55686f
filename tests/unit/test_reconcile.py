"""Reconciling the scan with the published transcription: alignment, document split, decisions."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from ocrfix.config import CorrectConfig, ReconcileConfig
from ocrfix.correct import correct_text, default_error_model
from ocrfix.correct.page import correct_page
from ocrfix.correct.vocabulary import Vocabulary
from ocrfix.model import BBox, Block, CharChoice, Line, Page, Word, page_from_text, with_ids
from ocrfix.reconcile import AGREE, PUBLISHED, SCAN, align_witnesses, reconcile_page, without_markup
from ocrfix.reconcile.split import split_document

REPO = Path(__file__).resolve().parent.parent.parent


def differing(page_text: str, published: str) -> list[tuple[str, str]]:
    units = align_witnesses(page_from_text(page_text), published).units
    return [(u.scan_text, u.published_text) for u in units if not u.agree]


# -- alignment ---------------------------------------------------------------------


def test_markup_is_taken_out_and_offsets_point_into_the_original():
    text = "#### 539.- <u>О Синьпзяне.</u>/\n540.- <u>Вопрос НКИД</u>. /"
    cleaned = without_markup(text)
    assert cleaned.text == "539.- О Синьпзяне./\n540.- Вопрос НКИД. /"
    start = cleaned.text.index("Синь")
    assert text[cleaned.original_offset(start) :].startswith("Синьпзяне.</u>")


def test_different_line_breaks_hyphenation_and_markup_are_no_difference():
    scan = "539.- О Синьцзяне.\nСоветское правительство готово пойти навстречу пожеланиям командо-\nвания дивизии"
    published = "#### 539.- <u>О Синьцзяне.</u>\n\nСоветское правительство\nготово пойти навстречу пожеланиям командования дивизии"
    assert differing(scan, published) == []


def test_a_disagreement_is_the_smallest_unit_that_pairs_up():
    scan = "готовность пойти навстречу изъявляет ответ от 15.VII.36г. помимо"
    published = "готовность пойти навстречу из являет ответ от 15. УП. 36г. помимо"
    assert differing(scan, published) == [("изъявляет", "из являет"), ("15.VII.36г.", "15. УП. 36г.")]


def test_a_line_the_archive_dropped_or_repeated_is_one_unit():
    lines = ["первая строка текста документа", "вторая строка текста здесь", "третья строка конец"]
    dropped = differing("\n".join(lines), "\n".join([lines[0], lines[2]]))
    assert dropped == [("вторая строка текста здесь", "")]
    repeated = differing("\n".join(lines), "\n".join([lines[0], lines[1], lines[1], lines[2]]))
    assert len(repeated) == 1 and repeated[0][0] == "" and repeated[0][1] == "вторая строка текста здесь"


def test_a_document_is_split_across_its_pages():
    published = (REPO / "tests/data/seed_published.txt").read_text(encoding="utf-8")
    gold = (REPO / "tests/data/seed_gold.txt").read_text(encoding="utf-8").split("\n")
    pages = ["\n".join(gold[:20]), "\n".join(gold[20:40]), "\n".join(gold[40:])]
    shares = split_document(pages, published)
    assert shares[0][0] == 0 and shares[-1][1] == len(published)
    assert all(a[1] == b[0] for a, b in zip(shares, shares[1:]))  # consecutive: nothing lost
    texts = [published[a:b] for a, b in shares]
    assert texts[0].rstrip().endswith("нову условиях.")
    assert texts[1].startswith("б) Командование 36-й")
    assert texts[2].startswith("540.- <u>Вопрос НКИД</u>")  # the line's markup goes with it
    published_pages = published.split("\n")
    assert texts[1].rstrip().endswith(published_pages[38])


def test_a_split_never_goes_back_to_an_earlier_page():
    shares = split_document(["один два три", "четыре пять", "шесть семь"], "один два три четыре пять шесть семь восемь")
    assert [b - a for a, b in shares] == [len("один два три "), len("четыре пять "), len("шесть семь восемь")]


# -- decisions ---------------------------------------------------------------------


def scanned(words: list[tuple[str, float]]) -> Page:
    """A one-line page of OCR words with confidences and boxes."""
    line = Line(tuple(Word(text, BBox(100 * i, 0, 100 * i + 90, 30), confidence) for i, (text, confidence) in enumerate(words)))
    return with_ids(Page((Block((line,)),), 2000, 100))


def reconciled(page: Page, published: str, lexicon):
    corrected, changes = correct_page(page, lexicon, CorrectConfig())
    return reconcile_page(
        page, corrected, changes, published, Vocabulary(lexicon), default_error_model(lexicon), ReconcileConfig(),
        lambda text: correct_text(text, lexicon, CorrectConfig()).corrections,
    )


def decision_for(result, scan_text: str):
    return next(d for d in result.decisions if d.unit.scan_text == scan_text)


def test_the_scan_settles_a_word_only_the_image_can_decide(lexicon):
    page = scanned([("СССР", 96.0), ("10.286", 95.0), ("иен", 96.8), ("(15,5", 93.0), ("тыс.руб.)", 94.0), ("для", 96.0),
                    ("уплаты", 95.0)])
    result = reconciled(page, "СССР 10.286 гоби (15,5 тыс.руб.) для унлаты", lexicon)
    decision = decision_for(result, "иен")
    assert decision.source == SCAN and decision.rejected == "гоби"
    assert "scan reads “иен” · published “гоби” · ocrfix chose “иен” because" in decision.reason
    assert "confidence 97" in decision.reason
    word = next(w for w in result.page.words if w.text == "иен")
    assert (word.source, word.rejected, word.original) == (SCAN, "гоби", None)
    assert decision_for(result, "уплаты").source == SCAN  # унлаты is no word


def test_an_unsure_scan_word_gives_way_to_the_published_word(lexicon):
    page = scanned([("должно", 95.0), ("урегулировать", 90.0), ("посредством", 62.0), ("обращения", 95.0)])
    page = replace(page, blocks=(Block((Line(tuple(replace(w, text="посредствсм") if w.text == "посредством" else w
                                                    for w in page.lines[0].words)),)),))
    result = reconciled(page, "должно урегулировать посредством обращения", lexicon)
    decision = decision_for(result, "посредствсм")
    assert decision.source in (PUBLISHED, "corrector") and decision.chosen.text == "посредством"
    word = result.page.words[2]
    assert (word.text, word.original, word.rejected) == ("посредством", "посредствсм", "посредствсм")
    assert word.id == page.words[2].id and word.bbox == page.words[2].bbox
    (record,) = [c for c in result.corrections if c.word_ids == (page.words[2].id,)]
    assert record.original == "посредствсм" and record.replacement == "посредством" and record.published == "посредством"


def test_where_the_scan_is_unsure_the_published_text_is_unsure_too(lexicon):
    # a page the published text reads well where the scan is sure, and one word the scan read right without
    # confidence: the published text (another OCR of the same sheet) is no surer there, and its non-word loses
    words = "Сообщаем что по поручению тов. Смирнову передано письмо на имя торгпреда в Урумчи".split()
    page = scanned([(w, 33.0 if w == "Смирнову" else 96.0) for w in words])
    # Tesseract offered х for the last letter (probability 0.1): the image allows both readings
    unsure = tuple(CharChoice(((c, 0.9),) if c != "у" or i < 7 else ((c, 0.6), ("х", 0.1))) for i, c in enumerate("Смирнову"))
    line = page.lines[0]
    page = replace(page, blocks=(Block((Line(tuple(replace(w, alternatives=unsure) if w.text == "Смирнову" else w
                                                    for w in line.words)),)),))
    result = reconciled(page, " ".join(words).replace("Смирнову", "Смирновх"), lexicon)
    decision = decision_for(result, "Смирнову")
    assert decision.source == SCAN and decision.rejected == "Смирновх"
    assert result.page.words[5].text == "Смирнову"


def test_words_both_witnesses_read_alike_stand(lexicon):
    page = scanned([("Синьцзяна", 60.0), ("и", 90.0), ("укрепления", 91.0)])
    result = reconciled(page, "Синьцзяна и укрепления", lexicon)
    assert all(d.source == AGREE for d in result.decisions)
    assert result.corrections == ()
    assert [w.text for w in result.page.words] == ["Синьцзяна", "и", "укрепления"]
    assert {w.source for w in result.page.words} == {AGREE}


def test_tesseracts_alternatives_count_as_image_evidence(lexicon):
    alternatives = tuple(CharChoice(((c, 0.9), ("ы", 0.3) if c == "и" else (c, 0.0))) for c in "устний")
    page = with_ids(Page((Block((Line((Word("дать", None, 95.0), Word("устний", None, 70.0, alternatives),
                                      Word("ответ", None, 95.0))),)),)))
    result = reconciled(page, "дать устный ответ", lexicon)
    assert result.page.words[1].text == "устный"


def test_a_long_run_only_the_published_text_has_is_not_added(lexicon):
    page = scanned([("не", 95.0), ("выводить", 95.0), ("своих", 95.0), ("войск", 95.0)])
    result = reconciled(page, "невыволить своих войск из округа на сене не выводить своих войск", lexicon)
    assert [w.text for w in result.page.words] == ["не", "выводить", "своих", "войск"]
    skipped = [d for d in result.decisions if not d.unit.words]
    assert skipped and all(d.source == SCAN for d in skipped)
    assert "words the scan lacks" in skipped[0].reason


def test_the_roman_month_repair_counts_for_both_witnesses(lexicon):
    page = scanned([("Хотаном", 95.0), ("от", 96.0), ("15.УТТ.36г.", 80.0), ("помимо", 95.0)])
    result = reconciled(page, "Хотаном от 15. УП. 36г. помимо", lexicon)
    assert [w.text for w in result.page.words] == ["Хотаном", "от", "15.VII.36г.", "помимо"]
    assert decision_for(result, "15.УТТ.36г.").source == "corrector"


def test_every_choice_is_a_review_item_and_regenerate_keeps_it(lexicon):
    from ocrfix.review.items import CHOICE, CorrectionInfo, build_items
    from ocrfix.review.layout import layout_page

    page = scanned([("СССР", 96.0), ("10.286", 95.0), ("иен", 96.8), ("для", 96.0), ("уплаты", 60.0),
                    ("правитедьству", 70.0)])
    published = "СССР 10.286 гоби для уплаты правительству"
    result = reconciled(page, published, lexicon)
    records = [CorrectionInfo.from_dict(c.to_dict()) for c in result.corrections]
    items = build_items(layout_page(result.page), records, published)
    by_current = {i.current_text: i for i in items}
    yen = by_current["иен"]
    assert (yen.kind, yen.current_text, yen.ocr_text, yen.published_text) == (CHOICE, "иен", "иен", "гоби")
    assert yen.reason.startswith("scan reads “иен” · published “гоби” · ocrfix chose “иен” because")
    fixed = by_current["правительству"]
    assert (fixed.kind, fixed.ocr_text, fixed.published_text) == (CHOICE, "правитедьству", "правительству")
    assert all(i.kind == CHOICE for i in items)


def test_another_pages_transcription_is_left_aside(lexicon):
    page = scanned([("Выписки", 96.0), ("посланы", 95.0), ("Литвинову", 96.0), ("Ворошилову", 95.0), ("Ежову", 96.0)])
    result = reconciled(page, "Согласиться с запиской товарища по вопросу о Франции", lexicon)
    assert not result.used and result.decisions == ()
    assert [w.text for w in result.page.words] == ["Выписки", "посланы", "Литвинову", "Ворошилову", "Ежову"]
    step = result.page.steps[-1]
    assert step.name == "reconcile" and step.settings["used"] is False


def test_a_page_the_scan_could_not_read_takes_the_transcription(lexicon):
    page = scanned([("`9", 20.0), ("о”", 12.0), ("В:", 30.0), ("РЕ", 25.0), ("ка", 15.0), ("ыы", 10.0), ("“я", 5.0)])
    result = reconciled(page, "Сосредоточить на нашей границе полки РККА", lexicon)
    assert result.used and result.page.steps[-1].settings["scan_failed"] is True
    assert " ".join(w.text for w in result.page.words) == "Сосредоточить на нашей границе полки РККА"


def test_a_transcription_too_long_to_split_is_refused_before_aligning(monkeypatch):
    from ocrfix.errors import ExitCode, TooLargeError
    from ocrfix.reconcile import split

    monkeypatch.setattr(split, "MAX_SPLIT_WORD_PAIRS", 20)  # 3 x 8 words = 24 pairs
    with pytest.raises(TooLargeError, match="too long to split") as caught:
        split_document(["один два", "три"], "один два три четыре пять шесть семь восемь")
    assert caught.value.exit_code == ExitCode.TOO_LARGE


def test_a_token_with_digits_is_judged_by_its_letters(lexicon):
    from ocrfix.reconcile import evidence as ev

    vocab, lookalikes = Vocabulary(lexicon), ev.digit_lookalikes(default_error_model(lexicon))
    assert {"з", "о", "б"} <= lookalikes  # the error model's digit look-alikes (з/3, о/0, б/6)

    def score(text):
        return ev.lexicon_score(text, vocab, lookalikes)

    # a digit inside a word is a misread letter, as unknown as any non-word
    assert score("мирно1о") < score("мирного") - 2 and ev.unknown_words("погранич1ой", vocab, lookalikes) == ["погранич"]
    # a letter the error model reads for a digit, glued before digits, is a misread digit; a prefix is not
    assert score("15.VI.З7г.") < score("15.VI.37г.") - 2
    assert score("П51/118") == score("151/118") and ev.all_words("П51/118", vocab, lookalikes)
    # a number's suffix is judged by the table of suffixes: in capitals it is a case slip
    assert score("36-й") == score("1937г.") == score("14-го") == score("36")
    assert score("36-Й") < score("36-й") - 0.5
    # a Roman month stands apart and is judged as a word; its Cyrillic look-alike is no word
    assert score("14.VI.37г.") == pytest.approx(score("36"), abs=0.1) and score("14.УтТ.З7г.") < score("14.VI.37г.") - 2


def test_case_after_a_number_follows_the_suffix(lexicon):
    # the scan read the ordinal's suffix as a capital with confidence 93 (a dev page of bench_reconcile);
    # the other OCR read it in lower case: the suffix table settles it
    page = scanned([("числа", 95.0), ("по", 96.0), ("36-Й", 92.96), ("дивизии", 94.0)])
    result = reconciled(page, "числа по 36-й дивизии", lexicon)
    assert [w.text for w in result.page.words] == ["числа", "по", "36-й", "дивизии"]
    assert decision_for(result, "36-Й").source == PUBLISHED


def typed_line_page(words: list[str], pitch: float = 30.0, bearing: float = 6.0, room: dict | None = None) -> Page:
    """A page typed at one pitch: each word's box spans its characters' cells (less the ink's side
    bearings), words one cell apart; ``room`` gives some words more cells than their reading has."""
    room = room or {}
    lines, x = [], 0.0
    for start in range(0, len(words), 8):
        placed = []
        x = 0.0
        for text in words[start : start + 8]:
            cells = room.get(text, len(text))
            placed.append(Word(text, BBox(round(x), 0, round(x + cells * pitch - bearing), 40), 95.0))
            x += (cells + 1) * pitch
        lines.append(Line(tuple(placed)))
    return with_ids(Page((Block(tuple(lines)),), 3000, 2000))


TELEGRAM = ("Сообщаем что по поручению тов. Смирнову передано письмо на имя торгпреда в Урумчи о поставках "
            "керосина и сахара для торговых организаций Синьцзяна согласно протоколу №2 от 15 июня").split()


def test_a_typescripts_boxes_say_how_many_characters_were_typed(lexicon):
    from ocrfix.reconcile.width import measure_pitch

    page = typed_line_page(TELEGRAM, room={"№2": 3})  # the scan read '№ 2' as one word: its box has 3 cells
    pitch = measure_pitch(page.words)
    assert pitch is not None and pitch.cell == pytest.approx(30.0, abs=0.5)
    result = reconciled(page, " ".join(TELEGRAM).replace("№2", "№ 2"), lexicon)
    assert decision_for(result, "№2").chosen.text == "№ 2"
    decision = decision_for(result, "№2")
    assert decision.chosen.evidence.width > decision.candidates[-1].evidence.width
    assert "the scan's box has room for 3 characters, not 2 characters" in decision.reason
    # the same box two cells wide: the scan's '№2' stands
    tight = reconciled(typed_line_page(TELEGRAM), " ".join(TELEGRAM).replace("№2", "№ 2"), lexicon)
    assert decision_for(tight, "№2").chosen.text == "№2"


def test_boxes_that_follow_no_one_pitch_give_no_width_evidence(lexicon):
    from ocrfix.reconcile.width import measure_pitch

    page = typed_line_page(TELEGRAM)
    uneven = [replace(w, bbox=BBox(w.bbox.left, 0, w.bbox.left + 40 + 53 * (n % 3), 40)) for n, w in enumerate(page.words)]
    assert measure_pitch(uneven) is None  # a proportional font, or boxes no pitch explains
    assert measure_pitch(page.words[:12]) is None  # too few words to measure one


def test_the_third_witness_is_matched_to_the_scans_words_by_their_boxes():
    from ocrfix.reconcile.third import third_readings, unsure_lines

    sure = Line((Word("Сообщаем", BBox(0, 0, 230, 40), 96.0), Word("что", BBox(270, 0, 350, 40), 95.0)))
    unsure = Line((Word("посредствсм", BBox(0, 60, 320, 100), 41.0), Word("обращения", BBox(360, 60, 620, 100), 70.0)))
    page = with_ids(Page((Block((sure, unsure)),), 1000, 200))
    assert unsure_lines(page, 80.0) == (1,)
    # the other model split the first word in two and read the second word's box a little off
    other = Page((Block((Line((Word("посред", BBox(2, 58, 170, 101), 80.0), Word("ством", BBox(175, 61, 318, 99), 80.0),
                                Word("обращения", BBox(365, 62, 618, 100), 90.0))),)),), 1000, 200)
    assert third_readings(page, other, (1,)) == {2: "посред ством", 3: "обращения"}
    assert third_readings(page, Page((), 1000, 200), (1,)) == {2: "", 3: ""}  # read, and nothing found there


def test_a_sentence_begins_with_a_capital_and_an_abbreviation_ends_none(lexicon):
    # a numbered item of a dev page of bench_reconcile, where one OCR read 'Обязать' (confidence 92) and the
    # other 'обязать': the witnesses' evidence is even, and an item begins a sentence
    page = scanned([("1939", 95.0), ("гг.", 95.0), ("2.", 96.0), ("обязать", 91.84), ("НКПС", 95.0), ("обеспечить", 95.0)])
    result = reconciled(page, "1939 гг. 2. Обязать НКПС обеспечить", lexicon)
    assert decision_for(result, "обязать").chosen.text == "Обязать"
    # 'т. т. Литвинову': the period of an abbreviation ends no sentence
    page = scanned([("Выписки", 95.0), ("посланы:", 95.0), ("т.", 90.0), ("т.", 80.0), ("Литвинову,", 95.0)])
    result = reconciled(page, "Выписки посланы: т. Т. Литвинову,", lexicon)
    assert [w.text for w in result.page.words] == ["Выписки", "посланы:", "т.", "т.", "Литвинову,"]


def test_where_neither_witness_reads_a_word_the_words_near_both_are_candidates(lexicon):
    # a dev page of bench_reconcile: both OCRs read a mark for the same letter, neither reading is a word
    page = scanned([("граница", 95.0), ("была", 95.0), ("устан”впена.", 28.4), ("Торговцы", 95.0)])
    result = reconciled(page, "граница была устан^влена. Торговцы", lexicon)
    decision = decision_for(result, "устан”впена.")
    assert decision.chosen.text == "установлена." and decision.source == "corrector"
    page = scanned([("НАРОДНЫЙ", 95.0), ("КО!ИССАРИАТ", 60.0), ("ВНУТРЕННИХ", 95.0), ("ДЕЛ", 96.0)])
    result = reconciled(page, "НАРОДНЫЙ КО:ИССАРИАТ ВНУТРЕННИХ ДЕЛ", lexicon)
    assert decision_for(result, "КО!ИССАРИАТ").chosen.text == "КОМИССАРИАТ"
    # where one of them reads a word, nothing is added
    page = scanned([("Народного", 95.0), ("Комиссара", 95.0), ("Иностранных", 86.05), ("Дел", 96.0)])
    result = reconciled(page, "Народного Комиссара Ико-транных Дел", lexicon)
    assert {c.text for c in decision_for(result, "Иностранных").candidates} == {"Иностранных", "Ико-транных"}


def test_a_mark_inside_a_word_is_a_misreading(lexicon):
    from ocrfix.reconcile import evidence as ev

    vocab = Vocabulary(lexicon)
    assert ev.inner_marks("пограничного.отряда", vocab) == ["."] and ev.inner_marks("див”зии", vocab) == ["”"]
    assert ev.inner_marks("т.е.", vocab) == ev.inner_marks("по.Казахской", vocab) == ev.inner_marks("Алма-Ате", vocab) == []
    # the scan read the space as a period with confidence 77 (a dev page); both halves are words
    page = scanned([("охрану", 95.0), ("пограничного.отряда", 76.99), ("на", 96.0), ("участке", 95.0)])
    result = reconciled(page, "охрану пограничного отряда на участке", lexicon)
    assert decision_for(result, "пограничного.отряда").chosen.text == "пограничного отряда"


def test_a_word_read_in_two_pieces_is_joined(lexicon):
    # a dev page of bench_reconcile: a letter too faint for either OCR, read as a space by both
    page = scanned([("торговыми", 95.0), ("отношениями", 95.0), ("с", 96.0), ("Синьцз", 88.0), ("нским", 88.0),
                    ("правительством", 95.0)])
    result = reconciled(page, "торговыми отношениями с Синьцз нским правительством", lexicon)
    assert [w.text for w in result.page.words] == ["торговыми", "отношениями", "с", "Синьцзянским", "правительством"]
    decision = decision_for(result, "Синьцз")
    assert decision.source == "corrector" and "“Синьцзянским” as one word" in decision.reason
    joined = result.page.words[3]  # one word, its box over both pieces
    assert (joined.original, joined.bbox) == ("Синьцз", page.words[3].bbox.union(page.words[4].bbox))
    # two words are left as they are
    page = scanned([("торговыми", 95.0), ("отношениями", 95.0), ("с", 96.0), ("Синьцзяном", 88.0), ("сообщаем", 88.0)])
    result = reconciled(page, "торговыми отношениями с Синьцзяном сообщаем", lexicon)
    assert [w.text for w in result.page.words][-2:] == ["Синьцзяном", "сообщаем"]



def test_two_pieces_are_weighed_with_the_evidence_of_every_other_place(lexicon):
    # a dev page of bench_reconcile: 'Кручинкину.' typed, its faint 'у' read by both as a space and '/'; the
    # pieces are decided as one place with the same evidence as any other, the boxes' width included: they
    # have room for 11 characters, as the one word has (before, joins were scored without width, and not joined)
    words = "Разослано: тов. Сталину, Молотову, Ворошилову, Кр /чинкину. Отклонить".split() + list(TELEGRAM)
    page = typed_line_page(words)
    line = page.blocks[0].lines[0]
    head = line.words[5]
    left = head.bbox.left
    pieces = (replace(head, confidence=54.0),  # '/чинкину.' begins in the cell after 'Кр' and ends where 'Кручинкину.' does
              replace(line.words[6], bbox=BBox(left + 2 * 30, 0, left + 11 * 30 - 6, 40), confidence=54.0))
    lines = (replace(line, words=line.words[:5] + pieces + line.words[7:]), *page.blocks[0].lines[1:])
    page = with_ids(replace(page, blocks=(replace(page.blocks[0], lines=lines),)))
    result = reconciled(page, " ".join(words), lexicon)
    assert [w.text for w in result.page.words][4:7] == ["Ворошилову,", "Кручинкину.", "Отклонить"]
    decision = decision_for(result, "Кр")
    assert decision.chosen.evidence.width > min(c.evidence.width for c in decision.candidates)
    assert "“Кручинкину.” as one word" in decision.reason and "room for 11 characters, not 12" in decision.reason


def test_a_faint_letter_read_as_a_mark_and_a_space_is_one_misreading(lexicon):
    from ocrfix.reconcile import evidence as ev

    model = default_error_model(lexicon)
    assert ev.edit_cost("Розен, ольцу,", "Розенгольцу,", model) == pytest.approx(model.default_cost)
    assert ev.edit_cost("Розен ольцу,", "Розенгольцу,", model) == pytest.approx(model.default_cost)
    # a dev page: the 'г' of 'Розенгольцу,' too faint for either OCR, read as ', ' and ': '
    page = scanned([("наркому", 95.0), ("Розен,", 85.0), ("ольцу,", 85.0), ("тов.", 95.0)])
    result = reconciled(page, "наркому Розен: ольцу, тов.", lexicon)
    assert [w.text for w in result.page.words] == ["наркому", "Розенгольцу,", "тов."]

def test_a_repair_costs_what_the_corrector_scored():
    from ocrfix.model import Correction
    from ocrfix.reconcile.page import repair_cost

    # a Roman month the error model cannot price: the hand-typed kind cost (score 0.2) is not what counts,
    # the corrector's doubt is: sure of it (log10 odds 2) it costs little, unsure (-1) much more
    def change(log_odds: float) -> Correction:
        return Correction("У1", "VI", 0, 2, 0, 0.2, "", repair="roman-date", log_odds=log_odds,
                          terms=(("channel", 0.0), ("language", 1.0)))

    assert repair_cost(change(2.0)) == pytest.approx(-math.log10(100 / 101) / 2)
    assert repair_cost(change(-1.0)) == pytest.approx(-math.log10(1 / 11) / 2)
    assert repair_cost(replace(change(2.0), terms=(("channel", 0.5),))) == pytest.approx(0.5 - math.log10(100 / 101) / 2)
    assert repair_cost(replace(change(2.0), log_odds=None, terms=())) == 0.2  # recorded without its scoring

def test_a_misreading_both_witnesses_share_is_counted_once(lexicon):
    from ocrfix.reconcile import evidence as ev

    # a dev page: 'выдвинуты' typed, the scan read 'вытвинуты', the published text 'вытвикуты': both read the
    # faint 'д' as 'т'; the published text's own evidence is its 'к' only, which speaks for neither the scan's
    # non-word nor the corrector's word (before, its channel counted the shared 'т' against the word again)
    model = default_error_model(lexicon)
    own = ev.second_channel("вытвикуты", "вытвинуты", "выдвинуты", 0.1, model)
    assert own == pytest.approx(ev.second_channel("вытвикуты", "вытвинуты", "вытвинуты", 0.1, model))
    assert own > ev.channel("вытвикуты", "выдвинуты", 0.1, model)
    # where the two agree the published text says nothing of its own; where it reads the candidate, it says so
    assert ev.second_channel("вытвинуты", "вытвинуты", "выдвинуты", 0.1, model) == pytest.approx(math.log10(0.9))
    assert ev.second_channel("выдвинуты", "вытвинуты", "выдвинуты", 0.1, model) == pytest.approx(math.log10(0.9))
    page = scanned([("Требования", 95.0), ("вытвинуты", 80.0), ("китайской", 95.0), ("стороной", 95.0)])
    result = reconciled(page, "Требования вытвикуты китайской стороной", lexicon)
    assert [w.text for w in result.page.words] == ["Требования", "выдвинуты", "китайской", "стороной"]

def test_a_long_run_kept_out_by_ordinary_evidence_is_explained_by_it(lexicon):
    # the scan around the run is unsure, so the rule against long insertions does not apply: when the
    # evidence still keeps the scan's reading, the reason gives that evidence, not the rule
    page = scanned([("не", 60.0), ("выводить", 60.0), ("своих", 60.0), ("войск", 60.0)])
    result = reconciled(page, "невыволить своих войск из округа на сене не выводить своих войск", lexicon)
    skipped = [d for d in result.decisions if not d.unit.words and len(d.unit.published) > ReconcileConfig().max_inserted_words]
    assert skipped
    for decision in skipped:
        assert "words the scan lacks" not in decision.reason
        assert decision.reason == "" or " because " in decision.reason

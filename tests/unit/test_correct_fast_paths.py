"""The corrector's faster paths find what the plain ones find: the tokeniser's runs are
WORD's matches, and the near-miss test's letter-pruned and windowed edits keep every known word."""

from __future__ import annotations

import pytest

from ocrfix.config import CorrectConfig
from ocrfix.correct import collection
from ocrfix.correct.tokens import MAX_WORD_LENGTH, WORD, word_matches, word_texts

TRICKY = [
    "Ма-Ху-шаня, гото-во и д'Артаньян ’бы - -слово x--abc ab- -ab ab-cd- ab''cd",
    "а" * (MAX_WORD_LENGTH + 1) + " ок-" + "б" * 50 + "-x и слово",
    "я" * MAX_WORD_LENGTH + " " + "я-" * (MAX_WORD_LENGTH // 2) + "я " + "я-" * (MAX_WORD_LENGTH // 2 - 1) + "я",
    "12ab3, №12б, 36-й, 255/л, и\u0306ка (a decomposed й), CCCP, UK-ВКП(б)",
]


@pytest.mark.parametrize("text", TRICKY)
def test_word_matches_are_word_matches(text):
    assert [(m.start(), m.end()) for m in word_matches(text)] == [(m.start(), m.end()) for m in WORD.finditer(text)]
    assert word_texts(text) == [m.group() for m in WORD.finditer(text)]


def test_pruned_one_edit_keeps_every_known_word(lexicon):
    from ocrfix.lexicon.grams import ALPHABET

    for key in ("петевести", "совет-кого", "хомандование", "синьцзян", "посланы", "кашгара", "дивизии"):
        full = {v for v in collection._one_edit(key, lambda before, after: ALPHABET) if v in lexicon}
        pruned = {v for v in collection._one_edit(key, lexicon.letters) if v in lexicon}
        assert full and pruned == full, key


def test_windowed_edits_keep_every_known_word(lexicon):
    """The near-miss test and gap-joins try edits only inside the key's window (candidates.window):
    the known forms one edit away are those the edits anywhere find."""
    from ocrfix.correct.candidates import edits, window
    from ocrfix.correct.error_model import default_error_model
    from ocrfix.correct.vocabulary import Vocabulary

    model = default_error_model(lexicon)
    for key in ("петевести", "совет-кого", "хомандование", "синьцзян", "посланы", "кашгара", "дивизии",
                "хомандо", "лнциальные", "ывание", "комитетт"):
        p, s = window(key, lexicon)
        for cheap in (True, False):
            anywhere = {v for v in edits(key, model, cheap_only=cheap) if v in lexicon}
            inside = {v for v in edits(key, model, p, s, cheap_only=cheap) if v in lexicon}
            assert inside == anywhere, (key, cheap)
        assert ({v for v in collection._one_edit(key, lexicon.letters, p, s) if v in lexicon}
                == {v for v in collection._one_edit(key, lexicon.letters) if v in lexicon}
                == collection._one_edit(key, lexicon.letters, p, s, held_by=(lexicon.overlay, lexicon.forms))), key
    # gap-joins: the edits at the gap, narrowed to the window, keep the known ones, costs and order alike
    vocab = Vocabulary(lexicon)
    for a, b in (("строи", "гельство"), ("побы", "зала"), ("о", "ытных"), ("комит", "ета"), ("нрав", "ится"),
                 ("лнци", "альные"), ("сов", "етского")):
        at = len(a)
        p, s = window(a + b, vocab)
        at_gap = edits(a + b, model, at, at, cheap_only=False, letters=vocab.letters)
        narrowed = edits(a + b, model, min(at, p), max(at, s), cheap_only=False, letters=vocab.letters)
        assert ([(v, c) for v, c in at_gap.items() if vocab.known(v)]
                == [(v, c) for v, c in narrowed.items() if vocab.known(v)]), (a, b)


def test_edits_held_by_are_the_known_edits_in_their_order_and_costs(lexicon):
    """``held_by`` keeps, as each variant is made, only those the two containers hold: the same
    known variants, in the same order and at the same costs as the plain edits filtered afterwards,
    for the cheap and the arbitrary edits (with and without the letter tables, with and without
    ``arbitrary``), in a window and anywhere."""
    from ocrfix.correct.candidates import _all_edits, _cheap_edits, edits, window
    from ocrfix.correct.error_model import default_error_model
    from ocrfix.correct.vocabulary import Vocabulary

    model = default_error_model(lexicon)
    vocab = Vocabulary(lexicon)
    held = vocab.known_sets
    for key in ("петевести", "совет-кого", "хомандование", "синьцзян", "посланы", "кашгара", "дивизии",
                "хомандо", "лнциальные", "ывание", "комитетт", "оообщение", "рн", "ш"):
        p, s = window(key, vocab)
        for where in ((len(key), 0), (p, s), (p, 0)):
            plain = _cheap_edits(key, model, *where)
            assert list(_cheap_edits(key, model, *where, held).items()) == [(v, c) for v, c in plain.items() if vocab.known(v)]
            for letters in (None, vocab.letters):
                for arbitrary in (True, False):
                    plain = _all_edits(key, model, *where, letters, arbitrary)
                    kept = _all_edits(key, model, *where, letters, arbitrary, held)
                    assert list(kept.items()) == [(v, c) for v, c in plain.items() if vocab.known(v)], (key, where)
        plain = edits(key, model, cheap_only=False)
        assert edits(key, model, cheap_only=False, held_by=held) == {v: c for v, c in plain.items() if vocab.known(v)}


def test_deep_firsts_tried_are_those_every_edit_gives(lexicon):
    """The search's last stage tries, of its first edits, the DEEP_FIRSTS cheapest above CHEAP that a
    cheap edit after keeps within max_cost: candidates.deep_firsts makes only the listed edits where no
    arbitrary letter can count, and they are the same edits, in the same order, at the same costs as
    those every edit gives (words with a listed multi-letter confusion the arbitrary letters also make,
    'лы' -> 'ль', and long ones with more listed edits than the stage tries)."""
    from ocrfix.correct.candidates import CHEAP, DEEP_FIRSTS, _all_edits, deep_firsts
    from ocrfix.correct.error_model import default_error_model

    model = default_error_model(lexicon)

    def tried(firsts, max_cost):
        return sorted([f for f in firsts if CHEAP < f[1] and f[1] + model.cheapest <= max_cost],
                      key=lambda f: f[1])[:DEEP_FIRSTS]

    listed_only = 0
    for key in ("наиболывим", "уланкомского", "малыми", "пылынный", "петропавловска-на-камчатке-и-камчатского-края",
                "ш", "рн", "ъіо", "нешкан"):
        for p in (0, 2, len(key) // 2, len(key)):
            for max_cost in (0.5, 0.8, 1.0, 1.2, 1.25, 2.0):
                every = list(_all_edits(key, model, p, 0, None).items())
                made = deep_firsts(key, model, p, max_cost)
                assert tried(made, max_cost) == tried(every, max_cost), (key, p, max_cost)
                listed_only += len(made) < len(every)
    assert listed_only  # (the listed edits alone were made, and found the same)


def test_letters_come_in_alphabet_order_as_the_plain_filter_gives_them(lexicon):
    from ocrfix.lexicon.grams import ALPHABET

    left, right = lexicon.grams
    # the tables keep each entry's letters sorted and unique: the fast filter relies on it
    assert all(v == "".join(sorted(set(v))) for table in (left, right) for v in table.values())
    for word in ("^^комитет$$", "^^ёлка-палка$$", "^^синьцзян$$", "^^ъыьэ$$"):
        for i in range(len(word) - 4):
            before, after = word[i:i + 2], word[i + 3:i + 5]
            both = left.get(before + after[0], ""), right.get(before[1] + after, "")
            plain = "".join(c for c in ALPHABET if c in both[0] and c in both[1])
            assert lexicon.letters(before, after) == plain, (before, after)


def test_overlapped_words_are_those_the_plain_scan_finds():
    import random

    from ocrfix.correct.page import _overlapped

    rng = random.Random(15)
    for _ in range(200):
        spans, pos = [], 0
        for k in range(rng.randint(0, 12)):
            pos += rng.randint(0, 2)  # separators; 0 makes neighbours touch
            length = rng.randint(0, 5)  # an empty word too
            spans.append((0, 0, k, pos, pos + length))
            pos += length
        ends = [span[4] for span in spans]
        start = rng.randint(0, pos + 1)
        end = start + rng.randint(0, 6)
        plain = [i for i, (_b, _l, _w, s, e) in enumerate(spans) if s < end and e > start]
        assert _overlapped(spans, ends, start, end) == plain, (spans, start, end)


def test_vocabulary_caches_are_shared_by_a_batch_and_never_by_another_collection(lexicon):
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.vocabulary import Vocabulary

    keys = ("кашгар", "синьцзян", "дубань", "комитет", "хотана", "совет")
    batch_a = CollectionLexicon({"кашгар": 5, "дубань": 3})
    batch_b = CollectionLexicon({"хотана": 4})

    def answers(vocab):
        return [(vocab.known_cached(k), vocab.zipf(k), vocab.entry(k), vocab.has_prefix(k[:4]), vocab.has_suffix(k[-3:]),
                 vocab.letters("^^", k[1:3])) for k in keys]

    lexicon.forget()
    fresh_a = answers(Vocabulary(lexicon, batch_a))
    lexicon.forget()
    fresh_b = answers(Vocabulary(lexicon, batch_b))
    lexicon.forget()
    first = Vocabulary(lexicon, batch_a)
    assert answers(first) == fresh_a
    second = Vocabulary(lexicon, batch_a)  # the next page of the batch: what the first learnt
    assert second._zipf_cache is first._zipf_cache and answers(second) == fresh_a
    other = Vocabulary(lexicon, batch_b)  # another batch: its own caches, the same answers as fresh ones
    assert other._zipf_cache is not first._zipf_cache and answers(other) == fresh_b
    assert fresh_a != fresh_b
    lexicon.forget()
    assert Vocabulary(lexicon, batch_a)._zipf_cache == {}


def test_page_word_tokens_found_in_the_page_text_are_each_words_own():
    import random

    from ocrfix.correct.page import _page_layout, _word_tokens
    from ocrfix.correct.tokens import word_tokens
    from ocrfix.model import BBox, Block, Line, Page, Word

    rng = random.Random(15)
    pieces = ["слово", "Ма-Ху", "-", "ab-", "-cd", "д'Арт", "’бы", "12", ".", "", "я" * (MAX_WORD_LENGTH + 1), "x--y", "а’"]
    for _ in range(300):
        blocks = tuple(Block(tuple(Line(tuple(Word("".join(rng.choice(pieces) for _ in range(rng.randint(1, 3))),
                                                   BBox(0, 0, 1, 1), 90.0)
                                              for _ in range(rng.randint(1, 4))))
                                   for _ in range(rng.randint(1, 3))))
                       for _ in range(rng.randint(1, 2)))
        page = Page(blocks, width=10, height=10, source="t.png")
        text, spans = _page_layout(page)
        found = _word_tokens(word_tokens(text), spans)
        assert [[t.text for t in f] for f in found] == [[m.group() for m in word_matches(w.text)] for w in page.words]


def test_agreement_read_only_where_a_link_can_be_is_the_full_count():
    """context.agreement skips the word's readings between neighbours nothing can link with:
    the count is the one every reading gives, words and guessed candidates alike."""
    from pathlib import Path

    from ocrfix.correct import context
    from ocrfix.lexicon.normalize import fold

    text = (Path(__file__).resolve().parents[1] / "data" / "seed_gold.txt").read_text("utf-8")
    keys = [fold(w) for w in WORD.findall(text)][:1500]
    keys += ["секретном", "секретным", "должно", "быть", "бить", "прекращено", "на", "хранении", "кашгарском"]
    shortcuts = linked = 0
    for i, word in enumerate(keys):
        for prev, nxt in ((keys[i - 1] if i else None, keys[(i + 1) % len(keys)]), (keys[i - 7], keys[i - 3]), (None, None)):
            for guess in (False, True):
                got = context.agreement(word, prev, nxt, guess=guess)
                assert got == context._links(word, prev, nxt, guess), (prev, word, nxt, guess)
                linked += got > 0
                shortcuts += prev not in context.GOVERNMENT and not context._may_agree(prev, nxt)
    assert linked > 100 and shortcuts > 1000


def test_blank_makes_spaces_of_each_spans_characters_but_line_breaks():
    """sentences.blank builds the text from slices: the same as blanking character by character."""
    import random

    from ocrfix.correct.sentences import blank

    def plain(text, spans):
        chars = list(text)
        for start, end in spans:
            for i in range(start, end):
                if chars[i] != "\n":
                    chars[i] = " "
        return "".join(chars)

    assert blank("ab.\n,cd", [(4, 5), (2, 4), (3, 5), (6, 6)]) == "ab \n cd"
    rng = random.Random(15)
    for _ in range(2000):
        text = "".join(rng.choice("аб\n.,‹") for _ in range(rng.randint(0, 30)))
        spans = [(a, min(len(text), a + rng.randint(-1, 4))) for a in (rng.randint(0, len(text)) for _ in range(rng.randint(0, 4)))]
        assert blank(text, spans) == plain(text, spans), (text, spans)


def test_start_parts_answer_as_has_prefix(lexicon):
    """The candidate search's windows ask Vocabulary.start_parts directly (no memo, no call a
    look-up): the same answers as has_prefix, for the starts of the collection's words, of the
    curated words the dictionary lacks, of forms, and of no word (their ends go through
    has_suffix itself)."""
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.vocabulary import Vocabulary

    curated = next(k for k in lexicon.overlay if not lexicon.forms.has_keys_with_prefix(k))
    vocab = Vocabulary(lexicon, CollectionLexicon({"кацуфрина": 3}, {"кацуфрина": "Кацуфрина"}, 3, 0))
    few_starts, curated_starts, form_starts = vocab.start_parts
    asked = 0
    for word in ("кацуфрина", curated, "комитета", "хомандование", "ъъыщ"):
        for i in range(len(word) + 1):
            head = word[:i]
            assert (head in few_starts or head in curated_starts or form_starts(head)) == vocab.has_prefix(head)
            asked += 1
    # the collection's and the curated word's own starts are known only through the sets
    assert not form_starts("кацуфрин") and vocab.has_prefix("кацуфрин")
    assert not form_starts(curated) and vocab.has_prefix(curated)
    assert asked > 30


def test_weak_indices_are_the_weak_words_asked_one_by_one(lexicon):
    """gap_joins looks only at the pairs beside a weak word, found by Vocabulary.weak_indices: the
    positions weak answers for, whether the words were asked before (remembered) or not."""
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.vocabulary import Vocabulary

    keys = ["строи", "гельство", "комитета", "кацуфрина", "ъъыщ", "в", "алма-ата", "комитета", "ъъыщ", ""]
    vocab = Vocabulary(lexicon, CollectionLexicon({"кацуфрина": 3}, {"кацуфрина": "Кацуфрина"}, 3, 0))
    first = vocab.weak_indices(keys)  # nothing remembered yet
    plain = Vocabulary(lexicon, CollectionLexicon({"кацуфрина": 3}, {"кацуфрина": "Кацуфрина"}, 3, 0))
    assert first == [i for i, key in enumerate(keys) if plain.weak(key)]
    assert vocab.weak_indices(keys) == first  # every word remembered
    assert 4 in first and 2 not in first and 8 in first


def test_split_join_pairs_hold_every_pair_split_word_join_joins(lexicon):
    """split-joins asks split_word_join only of the pairs split_join_pairs finds (beside a weak word, a
    space beside a hyphen, a letter split off, a lost ъ's prefix): every pair it joins is among them,
    and the pairs of two plain words are not."""
    from ocrfix.correct.structural import split_join_pairs, split_word_join
    from ocrfix.correct.tokens import word_tokens
    from ocrfix.correct.vocabulary import Vocabulary
    from ocrfix.lexicon.normalize import fold

    vocab = Vocabulary(lexicon)
    text = ("Комиссия из являет, пос кольку сле дующие работы Алма -Атинского и Восточно -Казахстанской "
            "области двух- и трехэтажные отход е под езд в районе с ним, нару шителей. тыс. руб. и так далее")
    tokens = word_tokens(text)
    keys = [fold(t.text) for t in tokens]
    pairs = split_join_pairs(tokens, keys, text, vocab.weak_indices(keys))
    joined = [i for i in range(len(tokens) - 1) if split_word_join(
        tokens[i], tokens[i + 1], text, vocab.known_cached, vocab.zipf, (keys[i], keys[i + 1]), vocab.weak)]
    assert len(joined) >= 7 and set(joined) <= set(pairs), (joined, pairs)
    assert pairs == sorted(set(pairs)) and len(pairs) < len(tokens) - 1
    assert keys.index("области") not in pairs and keys.index("районе") not in pairs


def test_line_first_words_found_by_the_pattern_are_the_words_only_blanks_precede_on_their_line(lexicon):
    """line_first_words finds the words a line break and blanks come before by a pattern over the text:
    the same words as asking each word but the first whether only blanks stand before it on its line; and
    sentence_starts proposes each sentence start once, a line's first word where line_start finds it."""
    from ocrfix.correct.case_slips import line_first_words, sentence_starts
    from ocrfix.correct.sentences import Words
    from ocrfix.correct.tokens import word_tokens
    from ocrfix.lexicon.normalize import fold

    text = ("\nприняты меры к ликвидации.\nвспышка связана с этим.\n \t\u2003приняты меры.\n"
            "- приняты меры.\n\nприняты и оплачены работы по всей линии дороги до конца года.\n"
            "приняты.\nтам приняты\n  отмечено!\nприняты")
    tokens = word_tokens(text)
    words = Words(text, text, tokens, [fold(t.text) for t in tokens])
    known = lexicon.__contains__
    first = list(line_first_words(words))
    asked = [(i, text.rfind("\n", 0, t.start) + 1) for i, t in enumerate(tokens) if i and "\n" in text[:t.start]
             and not text[text.rfind("\n", 0, t.start) + 1:t.start].strip()]
    assert first == asked and len(first) >= 7
    found = sentence_starts(words, lexicon, lambda i: 95.0, known, lambda i: False)
    assert len(found) >= 3 and all(e.reason.startswith("a sentence's first word at a line's start") for e in found)
    offered = sentence_starts(words, lexicon, lambda i: 95.0, known, lambda i: True)
    assert len({(e.start, e.end) for e in offered}) == len(offered) > len(found)
    assert [e for e in offered if e.reason.startswith("a sentence's first word at a line's start")] == found


def test_free_tokens_are_the_unprotected_ones_until_the_next_protection(lexicon):
    """The passes after the protections read one list of the free tokens (Corrector.free_tokens):
    the tokens no protection holds, made again after a protection."""
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.engine import _Corrector
    from ocrfix.correct.error_model import default_error_model

    text = "Отдел 255/л сообщает: бывш. комиссия и т.д. работает"
    c = _Corrector(text, lexicon, CorrectConfig(), CollectionLexicon(), default_error_model(lexicon))

    def plain():
        return [(i, t) for i, t in enumerate(c.tokens) if c.free(t.start, t.end)]

    c.protect(c.tokens[1].start, c.tokens[2].end)  # (as a protection holds an identifier)
    assert c.free_tokens() == plain() and len(plain()) == len(c.tokens) - 2
    first = c.free_tokens()
    assert c.free_tokens() is first  # kept while nothing new is protected
    word = first[0][1]
    c.protect(word.start, word.end)
    assert c.free_tokens() == plain() == first[1:]


def test_inner_marks_found_from_the_mark_are_those_the_whole_span_pattern_finds():
    """inner_marks' pattern starts at the mark and reads the letters before it in a look-behind
    (a fast scan); the spans it yields are the matches of the plain pattern over the whole span,
    chains of marks ('аб.вг.де') included: no span starts inside the one before."""
    import regex

    from ocrfix.correct.inner_marks import MARKS, _inner_marks

    plain = regex.compile(r"(?<![\p{L}\d])(\p{L}+)([" + regex.escape(MARKS) + r"]{1,2}|\d)(\p{L}+)(?![\p{L}\d])")
    texts = ["истор“и и Правл-ние, необх.димо", "аб.вг.де", "аб.вг.де.жз", "аб.вг.д", "а.бв", "x1аб.вг 12ab.cd",
             "ааа.ббб.ввв.ггг", "аб..вг", "аб.вг,де", "тов.Литвинова г.Москва т.е. северо-запад Уш-Тобе",
             "НАРОДН“Й ро-та ро–та аб•вг9", "л>гко д>^ле т.е., и.о., а-ля", "а.б.в.г", "аб.,вг аб.,.вг аб...вг а>>б",
             "Лит5инову хлебоз2готовок ГАЗ51А кв5а.бв"]
    for text in texts:
        assert (list(_inner_marks(text))
                == [(m.start(), m.end(), *m.groups()) for m in plain.finditer(text)]), text


def test_lone_digits_are_those_the_plain_pattern_finds():
    """inner_marks.lone_digits (a digit alone between two letters or more on each side: what protect_tokens
    asks) reads the inner marks' scan; the words are the plain pattern's matches, after marks too."""
    import regex

    from ocrfix.correct.inner_marks import lone_digits

    plain = regex.compile(r"(?<![\p{L}\d])(\p{L}{2,})(\d)(\p{L}{2,})(?![\p{L}\d])")
    texts = ["Лит5инову хлебоз2готовок ГАЗ51А кв5а.бв", "а5бв аб5в аб5вг5де аб.вг5де аб5вг.де", "x1аб вг2де1",
             "истор“и аб5вг-де аб5вг9 7аб5вг аб5вг, Стом7някову.", "аб5в5гд аб55вг аб5вг"]
    for text in texts:
        assert lone_digits(text) == [(m.start(), m.end(), m[1], m[3]) for m in plain.finditer(text)], text


def test_alternative_readings_are_made_when_asked_for_and_are_those_made_at_once():
    """The page's alternative readings (page._Readings) are made for a word only when the corrector
    asks for it, and are what making each word's readings at once gives."""
    from ocrfix.correct import page as page_module
    from ocrfix.model import Block, CharChoice, Line, Page, Word, with_ids

    def unsure(text):
        return Word(text, confidence=60.0, alternatives=tuple(
            CharChoice(((ch, 0.9), ("6", 0.4)) if ch == "б" else ((ch, 0.95),)) for ch in text))

    page = with_ids(Page((Block((Line((Word("Видел", confidence=96.0), unsure("быка"), unsure("дом"),
                                      unsure("(бык)"))),)),)))
    readings = page_module._alternative_readings_by_token(page)
    assert readings._made == {}  # none made yet
    assert readings.get(1) == ("6ыка",) and set(readings._made) == {1}
    assert readings.get(0) is None and readings.get(2) is None  # sure, or no alternative letter
    assert dict(readings) == {1: ("6ыка",), 3: ("6ык",)} == readings
    at_once = {}
    for index, (word, letters) in readings._sources.items():
        made = page_module._alternative_readings(page_module._letters_of(word, letters))
        if made:
            at_once[index] = tuple(made)
    assert at_once == dict(readings)


def test_evidence_and_candidates_copied_field_by_field_are_what_replace_makes(lexicon):
    """scoring.choosing / making and the corrector's add() copy an Evidence and a Candidate field by
    field (dataclasses.replace looks the fields up on every call): every field comes across, so a
    field added to either must be added to those copies too."""
    from dataclasses import fields, replace

    from ocrfix.correct import scoring
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.engine import _Corrector
    from ocrfix.correct.error_model import default_error_model
    from ocrfix.correct.scoring import Candidate, Evidence

    evidence = Evidence(*(0.5 + i for i, _ in enumerate(fields(Evidence))))
    assert scoring.choosing(evidence) == replace(evidence, ocr=0.0)
    assert scoring.making(evidence) == replace(evidence, ocr=0.0, edge=0.0)
    corrector = _Corrector("слово одно", lexicon, CorrectConfig(), CollectionLexicon(), default_error_model(lexicon))
    corrector.confidences = {0: 40.0}
    proposed = Candidate(0, 5, "слава", "word", "a test", Evidence(channel=0.4, language=1.0, edge=1.0),
                         (("слава", -1.0),), relies=((6, 10),))
    assert corrector.add(proposed)
    made = corrector.candidates[-1]
    assert {f.name for f in fields(Candidate)} == {"start", "end", "replacement", "kind", "reason", "evidence",
                                                    "alternatives", "generator", "score", "choice", "made", "relies"}
    assert made == replace(proposed, evidence=replace(proposed.evidence, ocr=made.evidence.ocr), generator="",
                           score=made.score, choice=made.choice, made=made.made)
    assert made.evidence.ocr > 0 and made.choice is not None and made.made is not None


def test_forget_drops_every_bounded_cache_of_the_context_module():
    """context.forget() is a cold start for the benchmarks: every word-keyed (bounded) cache of
    the module is emptied; only the analyzer and the few fixed form sets (unbounded) stay."""
    from ocrfix.correct import context

    assert context.yo_spelling("четвертой") == "четвёртой"
    for asked in (context.tags, context.parses, context.guessed_tags, context.only_abbreviation):
        asked("дом")
    bounded = {name: f for name, f in vars(context).items()
               if hasattr(f, "cache_info") and f.cache_info().maxsize not in (None, 1)}
    assert {"tags", "guessed_tags", "parses", "yo_spelling", "only_abbreviation", "_may_agree"} <= set(bounded)
    context.forget()
    assert {name: f.cache_info().currsize for name, f in bounded.items()} == dict.fromkeys(bounded, 0)


def test_a_long_text_asks_each_piece_only_for_its_own_readings():
    """bounds.correct_in_chunks hands each piece the readings of its tokens, renumbered, as the
    whole mapping filtered to the piece gives them, and asks the page's (lazy) readings for
    those tokens only: it never walks every word's."""
    from collections.abc import Mapping

    from ocrfix.correct import bounds
    from ocrfix.correct.engine import CorrectionResult
    from ocrfix.correct.tokens import WORD

    text = "слово дело\n" * 15_000  # 165,000 characters: two pieces
    given = {0: ("слава",), 7: (), 25_000: ("дела", "тело"), 29_999: ("сливо",)}
    asked: list[int] = []

    class Lazy(Mapping):
        def __getitem__(self, index):
            asked.append(index)
            return given[index]

        def get(self, index, default=None):
            asked.append(index)
            return given.get(index, default)

        def __iter__(self):
            raise AssertionError("every word's readings made")

        def __len__(self):
            raise AssertionError("every word's readings made")

    pieces = []
    marks_given = []

    def correct(piece, *, confidences, readings, pre_edits, marks, cells):
        assert cells is None  # (no boxes given: pitch.Cells.shifted gives each piece its own, test_pitch.py)
        pieces.append((sum(1 for _ in WORD.finditer(piece)), readings))
        marks_given.append((len(piece), marks))
        return CorrectionResult(piece, ())

    offered = {5: ".", 150_000: ","}  # the marks Tesseract offered other characters for, by offset
    assert bounds.correct_in_chunks(correct, text, confidences=None, readings=Lazy(), pre_edits=(),
                                    marks=offered)[0] == text
    first = pieces[0][0]
    assert len(pieces) == 2 and sum(n for n, _ in pieces) == 30_000
    assert [r for _, r in pieces] == [{i: r for i, r in given.items() if i < first},
                                      {i - first: r for i, r in given.items() if i >= first}]
    assert sorted(asked) == list(range(30_000))
    cut = marks_given[0][0]  # each piece gets the marks inside it, at offsets into the piece
    assert [m for _, m in marks_given] == [{5: "."}, {150_000 - cut: ","}]


def test_has_latin_answers_as_the_latin_pattern():
    """has_latin settles most words with the standard library's pattern (no character outside the
    Cyrillic block and the inner marks): it answers as LATIN.search does, on every character of the
    block and on random strings of Cyrillic, Latin, marks and other scripts' letters."""
    import random

    from ocrfix.correct.tokens import LATIN, has_latin

    assert not any(LATIN.search(chr(c)) for c in range(0x400, 0x500))
    alphabet = [chr(c) for c in [*range(0x400, 0x500), *range(0x20, 0x250), 0x2019, 0x2160, 0x1D00, 0xFF21, 0x3B1]]
    rng = random.Random(15)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert has_latin(text) == (LATIN.search(text) is not None), text
    assert has_latin("СССP") and not has_latin("д'Артаньян-’бы")


def test_copied_is_what_replace_makes_for_every_model_class():
    """model.copied, which the correct stage copies its words and corrections with, makes what
    dataclasses.replace makes, for every frozen class of the model and each of its fields changed
    (so a field added later is copied too), and refuses a field the class lacks as replace does."""
    import dataclasses

    from ocrfix import model

    page = model.page_from_text("Первая строка\nвторая строка")
    word = page.words[0]
    samples = [page, page.blocks[0], page.blocks[0].lines[0], word,
               model.Correction(original="a", replacement="b", start=0, end=1, line=0, score=0.1, reason="r",
                                candidates=(("b", 0.1),), confidence=0.5),
               model.Step("correct", "9", {"a": 1})]
    for value in samples:
        assert model.copied(value) == value and model.copied(value) is not value
        for f in dataclasses.fields(value):
            marker = object()
            assert model.copied(value, **{f.name: marker}) == dataclasses.replace(value, **{f.name: marker})
        with pytest.raises(TypeError):
            model.copied(value, no_such_field=1)


def test_real_word_variants_are_the_known_substitutions_that_could_win(lexicon):
    """real_words.variants makes and asks the variants in one loop: the same pairs, in the same
    order, as substitutions() filtered by a look-up of each (the words include some a curated
    list holds, and some whose variants a curated form is)."""
    from ocrfix.correct import real_words
    from ocrfix.correct.candidates import substitutions
    from ocrfix.correct.error_model import default_error_model

    model = default_error_model(lexicon)
    max_gain = real_words.CONTEXT_WEIGHT * real_words.MAX_LINKS
    found_any = 0
    for key in ("бить", "быть", "секретным", "дело", "тела", "нкид", "нкид-а", "гпу", "сер", "ссср", "кашгар",
                "приняты", "решения", "вопросов", "село", "сено", "мыло", "мало", "лето", "дома", "дана"):
        own = lexicon.zipf(key)
        plain = tuple((v, c) for v, c in substitutions(key, model, real_words.MAX_COST).items()
                      if (entry := lexicon.lookup(v)) is not None
                      and max_gain + entry[0] - own - real_words.ALPHA * c >= real_words.MARGIN)
        lexicon.forget()
        assert real_words.variants(key, lexicon, model) == plain, key
        found_any += bool(plain)
    assert found_any >= 3  # (not a test of empty tuples only)


def test_capital_lines_stop_counting_at_a_second_word_not_in_capitals():
    """case_slips.capital_lines counts a line's words not in capitals only up to a second: the
    same edits as the whole count of every line (the plain scan, written out here)."""
    from ocrfix.correct import case_slips
    from ocrfix.correct.sentences import Words
    from ocrfix.correct.tokens import case_shape, word_tokens
    from ocrfix.lexicon.normalize import fold

    def plain(words):
        text, edits = words.text, []
        for tokens in case_slips.lines_of_tokens(words):
            line = [t for t in tokens if len(t.text) > 1]
            shapes = [case_shape(t.text) for t in line]
            if len(line) > case_slips.CAPITAL_LINE_MIN_WORDS and sum(1 for s in shapes if s != "upper") == 1:
                edits += [(t.start, t.text.upper()) for t, shape in zip(line, shapes)
                          if shape == "lower" and len(t.text) >= 3 and text[t.end:t.end + 1] in case_slips._AFTER_CAPITAL_WORD
                          and all(c in case_slips.LOWER_LOOKALIKES for c in t.text)]
        return edits

    texts = ["ИНСТРУКТОР ОРПО ЦК ВКП(б) (попок)\nпо делам\nСЕКРЕТАРЬ РАЙКОМА ВКП(б) тов. ИВАНОВ\n",
             "НАРОДНЫЙ КОМИССАРИАТ ПО ИНОСТРАННЫМ ДЕЛАМ сссор\nНАРОДНЫЙ КОМИССАРИАТ Иностранным ДЕЛАМ пост\n",
             "СОВЕРШЕННО СЕКРЕТНО ОСОБАЯ ПАПКА\nвсем тов. ОТДЕЛА КАДРОВ и СЕКТОРА\nа ТАКЖЕ ТОВАРИЩАМ ИЗ ОКРУГА опт\n"
             "ПРОТОКОЛ ЗАСЕДАНИЯ ПРЕЗИДИУМА ЦИК кто,"]
    found = 0
    for text in texts:
        tokens = word_tokens(text)
        words = Words(text, text, tokens, [fold(t.text) for t in tokens])
        fast = [(c.start, c.replacement) for c in case_slips.capital_lines(words)]
        assert fast == plain(words), text
        found += len(fast)
    assert found >= 2  # (not a test of lines without a slip only)


def test_a_word_of_the_cyrillic_block_folds_letter_by_letter():
    """normalize.folds_letterwise: for a word it accepts, folding it with a small letter beside it is
    the letter beside the folded word (speck_letter folds the word once for the letters it tries); every
    character of the Cyrillic block beside every letter the search tries, and whole words of them.
    A word it refuses may not fold so (a Greek capital sigma's small form depends on what follows it;
    a decomposed й is no character of the block)."""
    import random

    from ocrfix.lexicon.grams import ALPHABET
    from ocrfix.lexicon.normalize import fold, folds_letterwise

    block = [chr(c) for c in range(0x400, 0x500)]
    rng = random.Random(15)
    words = block + ["".join(rng.choices(block, k=rng.randint(2, 12))) for _ in range(300)] + ["ЁЛКА", "Съезд"]
    for word in words:
        assert folds_letterwise(word)
        for letter in ALPHABET:
            assert fold(letter + word) == letter + fold(word) and fold(word + letter) == fold(word) + letter
    assert not folds_letterwise("ΑΣ") and fold("ΑΣа") != fold("ΑΣ") + "а"
    assert not folds_letterwise("и\u0306дет") and not folds_letterwise("word")


@pytest.mark.parametrize("text", ["тов. Смирнов", "  начало", "конец.\n\n", "main.py и", "а\t.б  \n в", "5,8 \t ысячи",
                                  "", "x"])
def test_blank_before_and_glued_span_answer_as_slices_of_the_text(text):
    """tokens.blank_before, line_blank_before and glued_span look at the characters beside a position, not at a
    copy of the text before it: the same answers as the plain slices (rstrip, rstrip of spaces and tabs, and the
    run up to the blanks either side)."""
    from ocrfix.correct.tokens import blank_before, glued_span, line_blank_before

    for at in range(len(text) + 1):
        assert blank_before(text, at) == len(text[:at].rstrip()), (text, at)
        assert line_blank_before(text, at) == len(text[:at].rstrip(" \t")), (text, at)
        for end in range(at, len(text) + 1):
            start, stop = glued_span(text, at, end)
            left = text[:at].split()[-1] if text[:at] and not text[at - 1].isspace() else ""
            right = text[end:].split()[0] if text[end:] and not text[end].isspace() else ""
            assert text[start:stop] == left + text[at:end] + right and start <= at and stop >= end, (text, at, end)


def test_only_names_asks_the_tags_only_of_words_read_as_a_name_and_answers_as_they_do():
    """context.only_names settles a word the dictionary reads as no name by read_as_name, without its
    tags: the same answers as every reading of the likeliest three asked, for names, places and their
    forms, common words, words written with ё, short words and letters; and read_as_name finds some
    name among the readings pymorphy3's own parses give exactly when one of them is."""
    from importlib import resources

    from ocrfix.correct import context
    from ocrfix.lexicon.normalize import fold

    def plain(word):
        found = context.tags(word)
        return bool(found) and all(context._NAMES & t.grammemes for t in found)

    lists = resources.files("ocrfix") / "data" / "lexicons"
    heads = [line.split("~")[0].strip() for name in ("names.txt", "places.txt")
             for line in (lists / name).read_text(encoding="utf-8").splitlines()[:80]
             if line.strip() and not line.startswith("#")]
    morph = context.analyzer()
    words = {fold(form.word) for head in heads for parse in morph.parse(head)[:1] for form in parse.lexeme}
    words |= {fold(w) for w in heads} | {
        "сорск", "москвы", "иван", "роман", "вера", "надежды", "лев", "орел", "которые", "делах", "области", "сорок",
        "жигулевские", "еще", "все", "ли", "ян", "и", "в", "а", "я", "шифртелеграмма", "нкид", "ссср", "бить"}
    found_names = 0
    for word in sorted(words):
        assert context.only_names(word) == plain(word), word
        known = morph.word_is_known(word)
        readings = [p for p in morph.parse(word) if known and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"]
        if len(word) > 1:
            assert context.read_as_name(word) == any(context._NAMES & p.tag.grammemes for p in readings), word
        found_names += plain(word)
    assert found_names >= 20  # (names were asked, not only common words)


def test_arbitrary_letters_made_apart_are_every_single_edit(lexicon):
    """Where no listed edit costs more than the default, the candidate search's single edits are the
    listed ones (``_all_edits(..., arbitrary=False)``) and the arbitrary letters made apart
    (candidates._arbitrary_edits), each variant at the cheaper of its two costs: the variants and
    costs ``_all_edits`` makes with the arbitrary letters, with and without the letter tables and
    ``held_by``, in a window and anywhere (words with a listed multi-letter confusion and with
    letters read twice among them); a model listing a dearer edit is not made so."""
    from ocrfix.correct.candidates import _all_edits, _arbitrary_edits, window
    from ocrfix.correct.error_model import ErrorModel, default_error_model
    from ocrfix.correct.vocabulary import Vocabulary
    from ocrfix.lexicon.grams import ALPHABET

    model = default_error_model(lexicon)
    assert model.listed_within_default
    assert not ErrorModel({("а", "о"): model.default_cost + 0.5}).listed_within_default
    vocab = Vocabulary(lexicon)
    every_letter = lambda before, after: ALPHABET  # noqa: E731
    for key in ("петевести", "совет-кого", "хомандование", "малыми", "пылынный", "оообщение", "ссора", "комитетт",
                "наиболывим", "ш", "рн", "ъіо"):
        p, s = window(key, vocab)
        for where in ((len(key), 0), (p, s), (p, 0)):
            for letters in (every_letter, vocab.letters):
                for held in (None, vocab.known_sets):
                    listed = _all_edits(key, model, *where, letters, False, held)
                    arbitrary = _arbitrary_edits(key, model, *where, letters, held)
                    merged = {v: min(listed.get(v, 9.0), arbitrary.get(v, 9.0)) for v in {*listed, *arbitrary}}
                    assert merged == _all_edits(key, model, *where, letters, True, held), (key, where)

"""One scale for every repair: the score of a candidate, the resolver, the learned tables."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from ocrfix.config import CorrectConfig
from ocrfix.correct import correct_text, scoring
from ocrfix.correct.confidence import Calibration, probability, shipped_calibration
from ocrfix.correct.scoring import Candidate, Evidence, Priors, resolve
from ocrfix.errors import BadInputError


def test_the_score_adds_the_prior_and_the_weighted_evidence() -> None:
    priors = Priors({"word": -0.5, "speck": 0.7}, evidence_weight=0.2, rival_weight=0.5)
    evidence = Evidence(channel=0.5, language=4.0, context=1.0, rival=-0.3)
    assert evidence.margin == pytest.approx(4.0 + 2.0 * 1.0 - 3.0 * 0.5)
    assert scoring.score("word", evidence, priors) == pytest.approx(-0.5 + 0.2 * 4.5 + 0.5 * -0.3)
    assert scoring.score("speck", Evidence(), priors) == pytest.approx(0.7)  # a prior alone
    assert scoring.score("unlisted", Evidence(), priors) == 0.0  # even odds


def test_the_ocr_s_doubt_is_weighed_and_counts_as_no_evidence_of_a_candidate_s_own() -> None:
    priors = Priors({"word": -0.5, "speck": 0.7}, evidence_weight=0.2, rival_weight=0.5, ocr_weight=0.3)
    assert scoring.ocr_doubt(None) == 0.0 and scoring.ocr_doubt(scoring.OCR_CENTER) == 0.0
    assert scoring.ocr_doubt(60.0) > 0 > scoring.ocr_doubt(96.0)
    evidence = Evidence(channel=0.5, language=4.0, ocr=scoring.ocr_doubt(60.0))
    assert scoring.score("word", evidence, priors) == pytest.approx(-0.5 + 0.2 * 2.5 + 0.3 * evidence.ocr)
    sure_speck = Candidate(0, 2, "x", "speck", "why", Evidence(ocr=-0.6), score=-0.2)  # a prior and the OCR only
    assert resolve((), [sure_speck], {}) == [sure_speck]
    # the OCR's doubt weighs how sure a change is, not whether it is made: the resolver goes by ``choice``
    doubted = Candidate(3, 6, "x", "word", "why", Evidence(channel=0.5, language=4.0, ocr=2.0), score=-0.3, choice=0.2)
    rival = Candidate(4, 6, "y", "word", "why", Evidence(channel=0.2, language=3.0), score=0.1)
    assert resolve((), [doubted, rival], {}) == [doubted]


def test_letters_added_or_dropped_at_a_word_s_edge_weigh_against_a_change(lexicon, tmp_path) -> None:
    assert scoring.edge_letters("шерст", "шерсти") == 1 and scoring.edge_letters("человекг", "человек") == 1
    assert scoring.edge_letters("ютому", "тому") == 1 and scoring.edge_letters("румчи", "урумчи") == 1
    assert scoring.edge_letters("станцилх", "станциях") == 0 and scoring.edge_letters("пособное", "подобное") == 0
    assert scoring.edge_letters("пол", "пробел") == 0  # the letters added lie between letters both keep
    priors = Priors({"word": 0.1}, evidence_weight=0.2, rival_weight=0.5, edge_weight=-0.8)
    edge = Evidence(channel=0.5, language=4.0, edge=1.0)
    assert scoring.score("word", edge, priors) == pytest.approx(0.1 + 0.2 * 2.5 - 0.8)
    assert scoring.choosing(edge) == edge and scoring.choosing(replace(edge, ocr=1.0)) == edge
    assert scoring.making(replace(edge, ocr=1.0)) == Evidence(channel=0.5, language=4.0)
    # it ranks overlapping candidates, but the floor judges a candidate without it
    cut = Candidate(0, 6, "x", "word", "why", edge, score=-0.2, made=0.6)
    inside = Candidate(0, 9, "y", "gap-join", "why", Evidence(channel=1.0, language=5.0), score=0.1)
    assert resolve((), [cut, inside], {}) == [inside] and resolve((), [cut], {}) == [cut]
    (tmp_path / "priors.tsv").write_text("kind\tlog10_odds\nweight:edge\t-0.5\t\n", encoding="utf-8")
    assert scoring.read_priors(tmp_path / "priors.tsv").edge_weight == -0.5
    # the corrector records the term, and scores with it (the shipped weight is learned, negative)
    result = correct_text("Пришла шерст из Кашгара\n", lexicon, CorrectConfig())
    cut = next(c for c in result.corrections if c.original == "шерст")
    assert dict(cut.terms)["edge"] == 1.0 and scoring.shipped_priors().edge_weight < 0


def test_a_change_carries_the_doubt_of_the_least_sure_word_it_touches(lexicon) -> None:
    text = "Решение о работе послани товарищу\n"
    plain = {c.original: c for c in correct_text(text, lexicon, CorrectConfig()).corrections}
    read = correct_text(text, lexicon, CorrectConfig(), confidences={0: 96.0, 3: 61.5, 4: 93.0})
    word = next(c for c in read.corrections if c.original == "послани")
    assert dict(word.terms)["ocr"] == scoring.ocr_doubt(61.5) and dict(plain["послани"].terms)["ocr"] == 0.0
    assert word.log_odds == pytest.approx(plain["послани"].log_odds + scoring.shipped_priors().ocr_weight * scoring.ocr_doubt(61.5), abs=1e-3)


def _candidate(start: int, end: int, score: float, generator: str = "a@1") -> Candidate:
    return Candidate(start, end, "x", "k", "why", generator=generator, score=score)


def test_the_resolver_keeps_the_best_scored_of_overlapping_candidates() -> None:
    order = {"a@1": 0, "b@1": 1}
    early, late = _candidate(0, 5, 0.2, "a@1"), _candidate(3, 8, 0.9, "b@1")
    apart = _candidate(10, 12, -1.0, "a@1")
    assert resolve((), [early, late, apart], order) == [late, apart]  # declared first, yet scored worse
    tie = _candidate(3, 8, 0.2, "b@1")
    assert resolve((), [tie, early], order) == [early]  # a tie goes to the entry declared first
    decided = _candidate(4, 6, -5.0, "memory")
    assert resolve([decided], [early, late], order) == [decided]  # a decided change stands whatever the scores


def test_a_whole_is_weighed_against_its_pieces_together_not_each_alone() -> None:
    # 'прибы, ием': the join 'прибытием' (p 0.88) against 'прибы' -> 'прибыл' (0.46) and 'ием' -> 'нем' (0.95):
    # the pieces are one reading of the span, right only if both are (0.43)
    order = {"a@1": 0}
    join = _candidate(0, 10, 0.85)
    left, right = _candidate(0, 5, -0.07), _candidate(7, 10, 1.25)
    assert resolve((), [join, left, right], order) == [join]
    sure_left = _candidate(0, 5, 1.5)  # both pieces likelier right together (0.93) than the join
    assert resolve((), [join, sure_left, right], order) == [sure_left, right]
    assert resolve((), [join, right], order) == [right]  # over one piece the whole keeps its own rank


def test_a_candidate_whose_evidence_puts_its_odds_below_even_is_not_made() -> None:
    doubtful = Candidate(0, 4, "x", "word", "why", Evidence(channel=1.0, language=2.0), score=-0.2)
    sure = Candidate(5, 9, "x", "word", "why", Evidence(channel=0.3, language=5.0), score=0.8)
    by_prior = Candidate(10, 12, "x", "upper-run", "why", score=-0.1)  # no evidence of its own: the ablation decides
    assert resolve((), [doubtful, sure, by_prior], {}) == [sure, by_prior]
    assert resolve((), [doubtful], {}, floor=-1.0) == [doubtful]


def test_every_correction_carries_its_kind_generator_score_and_calibrated_confidence(lexicon) -> None:
    result = correct_text("Решение ЦК ВКП/б/ о работе послани т.т. Литвинову 15. УП. 36г.\n", lexicon, CorrectConfig())
    by_original = {c.original: c for c in result.corrections}
    word, party = by_original["послани"], by_original["ВКП/б/"]
    assert (word.repair, word.generator, party.repair, party.generator) == ("word", "words@32", "party-name", "party-name@2")
    assert dict(word.terms)["channel"] == word.score > 0 and dict(word.terms)["language"] > 0
    assert dict(party.terms) == {"channel": 0.0, "language": 0.0, "context": 0.0, "rival": 0.0, "ocr": 0.0,
                                 "edge": 0.0}  # its prior speaks
    for c in result.corrections:  # the recorded cost is the error model's, no hand-typed cost of its kind
        assert c.score == dict(c.terms)["channel"]
    assert party.score == 0.0
    for c in result.corrections:
        assert c.confidence == probability(c.log_odds) and 0 < c.confidence < 1
    assert c.to_dict()["repair"] == c.repair and c.to_dict()["log_odds"] == c.log_odds


def test_the_corrector_scores_with_the_priors_and_calibration_it_is_given(lexicon) -> None:
    """correct_text takes its priors and calibration as arguments (the shipped ones when not given): a
    script can run it with any, and nothing global is changed."""
    text = "Решение ЦК ВКП/б/ о работе послани т.т. Литвинову 15. УП. 36г.\n"
    shipped = correct_text(text, lexicon, CorrectConfig())
    given = correct_text(text, lexicon, CorrectConfig(), priors=scoring.shipped_priors(), calibration=shipped_calibration())
    assert given == shipped
    # every kind far below even odds: no change with evidence of its own clears the floor; a flat map
    doubting = Priors({kind: -5.0 for kind in scoring.shipped_priors().kinds})
    flat = Calibration((100.0,), (0.5,))
    doubted = correct_text(text, lexicon, CorrectConfig(), priors=doubting, calibration=flat)
    assert "послани" in {c.original for c in shipped.corrections} - {c.original for c in doubted.corrections}
    assert doubted.corrections and {c.confidence for c in doubted.corrections} == {0.5}
    assert all(c.log_odds < 0 for c in doubted.corrections)
    assert correct_text(text, lexicon, CorrectConfig()) == shipped  # the shipped ones untouched


def test_the_calibration_rises_with_the_score() -> None:
    calibration = shipped_calibration()
    assert calibration.bounds, "calibration.tsv ships with the package"
    values = [probability(s / 4) for s in range(-20, 21)]
    assert values == sorted(values) and 0 < values[0] < values[-1] < 1


def test_the_shipped_priors_name_kinds_the_generators_propose() -> None:
    priors = scoring.shipped_priors()
    assert {"word", "speck", "roman-date", "party-name"} <= set(priors.kinds)
    assert priors.evidence_weight > 0 and priors.rival_weight > 0


def test_a_bad_priors_file_is_refused_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "repair_priors.tsv"
    path.write_text("kind\tlog10_odds\nword\tmany\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="row 2"):
        scoring.read_priors(path)


def test_a_join_keeps_the_letters_of_a_piece_read_as_a_word_unless_the_reading_doubts_it(lexicon) -> None:
    """'товари на' is not 'товарища', nor 'погрузк, не' 'погрузке', nor 'и ‚аркомпросам' 'наркомпросам':
    a piece of a join that is a word of its own (a preposition, conjunction or particle, a word of one
    letter, a common word) keeps its letters as read ('по ставщикам' -> 'поставщикам' does), unless
    Tesseract doubted it (a low confidence) or offered another letter for it."""
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.engine import _Corrector
    from ocrfix.correct.error_model import default_error_model

    model = default_error_model(lexicon)

    def admitted(text: str, piece: str, replacement: str, confidences=None, readings=None) -> bool:
        c = _Corrector(text, lexicon, CorrectConfig(), CollectionLexicon(), model)
        c.confidences, c.readings = confidences or {}, readings or {}
        start = text.index(piece)
        join = Candidate(start, start + len(piece), replacement, "gap-join", "why",
                         Evidence(channel=1.0, language=3.0))
        return c.add_join(join)

    text = "отпустить в кредит товари на сумму"
    assert not admitted(text, "товари на", "товарища")
    assert not admitted("после погрузк, не позднее", "погрузк, не", "погрузке")
    assert not admitted("и ‚аркомпросам дать", "и ‚аркомпросам", "наркомпросам")
    assert admitted("выдать по ставщикам авансы", "по ставщикам", "поставщикам")  # its letters kept
    assert admitted(text, "товари на", "товарища", confidences={3: 80.0, 4: 52.0})  # 'на' read in doubt
    assert admitted(text, "товари на", "товарища", readings={4: ("на", "ща")})  # ... or with another reading
    assert not admitted(text, "товари на", "товарища", confidences={3: 80.0, 4: 88.0})  # neither


def test_a_gap_join_weighs_a_web_fragment_as_no_word_and_takes_the_best_reading_its_guard_admits(lexicon) -> None:
    """'сост ва' -> 'состава': across a space, a fragment of two letters or more that only the web frequency
    list knows (ва) is no word weighed against a dictionary word that keeps its letters, as split_word_join
    weighs it; against one that edits it ('состав' swaps 'ва'; 'заграницу' edits 'зё') it stays the word
    printed. A letter alone stays a word of the printed reading ('частей х' is no 'частей'), and
    fragments across marks stay as printed ('Наркомвнешторг, тов.' is no 'Наркомвнешторгов')."""
    from ocrfix.correct.collection_data import CollectionLexicon
    from ocrfix.correct.error_model import default_error_model
    from ocrfix.correct.gaps import gap_joins
    from ocrfix.correct.tokens import word_tokens
    from ocrfix.correct.vocabulary import Vocabulary
    from ocrfix.lexicon.normalize import fold

    vocab, model = Vocabulary(lexicon, CollectionLexicon()), default_error_model(lexicon)

    def readings(text: str) -> list[list[str]]:
        tokens = word_tokens(text)
        keys = [fold(t.text) for t in tokens]
        return [[c.replacement for c in found] for found in
                gap_joins(tokens, keys, text, vocab, model, lambda start, end: True, vocab.weak_indices(keys))]

    assert vocab.weak("ва") and not vocab.weak("состава")
    found = readings("не было ни одного сост ва. За квартал")
    assert found == [["состава"]]
    assert readings("пытались откочевать зё границу, но") == []
    assert readings("частей х паровозам") == []
    assert readings("Копия: Наркомвнешторг, тов. ЧВЯЛЕВУ.") == []
    text = "не было ни одного сост ва. За квартал"
    sure = correct_text(text, lexicon, CorrectConfig(), confidences=dict.fromkeys(range(8), 96.0))
    assert sure.text == "не было ни одного состава. За квартал"

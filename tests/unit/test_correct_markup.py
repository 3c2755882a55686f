"""Markup spans (tags, URLs, e-mail addresses) are found part by part exactly as the
one alternation finds them."""

import random

from ocrfix.correct.engine import _MARKUP, _markup_spans


def test_markup_spans_match_the_alternation():
    samples = ["<u>Совершенно секретно</u> см. http://example.org/a?b=1 и www.mid.ru, пишите ivanov@mid.ru.",
               "http://a@b.c www.x <a href=x@y.z> e@mail.ru", "<b>x@y.zz</b> www.<i>", "a@b.c@d.e http://x<y>", ""]
    rng = random.Random(7)
    alphabet = "ab <>/@.hwtp:x\n\tAZ9_-ё"
    samples += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in samples:
        assert _markup_spans(text) == [m.span() for m in _MARKUP.finditer(text)], text

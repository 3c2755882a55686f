"""The collection (batch) lexicon: words a document or a batch keeps using that
no dictionary knows (Кашгар, Синьцзян, дубань, people's names).

A word joins when it recurs and is not a near-miss of a known word (a recurring
OCR error such as 'послани' for 'посланы' does not join). A rare unknown form
close to a word that joined is then corrected toward it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from ocrfix.correct import context
from ocrfix.correct.candidates import HeldBy, edits, window
from ocrfix.correct.collection_data import CollectionLexicon
from ocrfix.correct.error_model import ErrorModel, default_error_model
from ocrfix.correct.tokens import word_texts
from ocrfix.lexicon import Lexicon
from ocrfix.lexicon.normalize import fold, has_yo
from ocrfix.lexicon.sources import web_only

NEAR_MISS_ZIPF = 1.5  # a cheap edit away from a known word at least this frequent: a near-miss
FREQUENT_ZIPF = 3.0  # any one edit away from a known word at least this frequent: a near-miss too
PLAIN_EDITS = ErrorModel({})  # no listed confusion: every edit alike (the near-miss test counts edits)


STEM_LENGTH = 5


def _stem(key: str) -> str:
    """Inflected forms of one word share this, whatever their length (Хотан, Хотана;
    Кацуфрин, Кацуфрина, Кацуфриным): the first STEM_LENGTH letters."""
    return key[:STEM_LENGTH]


def _near_miss(key: str, lexicon: Lexicon, model: ErrorModel) -> bool:
    """One listed confusion away from a known word at least NEAR_MISS_ZIPF frequent, or one
    edit of any letter (or a hyphen) away from one at least FREQUENT_ZIPF frequent
    ('петевести' of 'перевести', 'совет-кого' of 'советского'): OCR errors that recur
    when a batch holds a document twice. The edits are tried only inside the key's window
    (candidates.window): a known form one edit away keeps the letters before the edit as
    a start and those after it as an end of some known form, so nothing outside can be one."""
    p, s = window(key, lexicon)
    if any(lexicon.zipf(v) >= NEAR_MISS_ZIPF
           for v in edits(key, model, p, s, cheap_only=True, held_by=(lexicon.overlay, lexicon.forms))):
        return True
    return any(lexicon.zipf(v) >= FREQUENT_ZIPF
               for v in _one_edit(key, lexicon.letters, p, s, held_by=(lexicon.overlay, lexicon.forms)))


def _one_edit(key: str, letters: Callable[[str, str], str], p: int | None = None, s: int = 0,
              held_by: HeldBy = None) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from ``key`` (at
    positions up to ``p`` whose span ends at or after ``s``, as candidates.edits takes them):
    the candidate search's edits under a model that lists no confusion, where every edit is
    alike. ``letters(before, after)`` names the letters some known form has between those
    neighbours (Lexicon.letters): substitutions and insertions try only those and the
    hyphen, which leaves out only strings no known form can be. ``held_by``: only the strings
    one of its two containers holds (as candidates.edits takes it)."""
    return set(edits(key, PLAIN_EDITS, p, s, cheap_only=False,
                     letters=lambda before, after: letters(before, after) + "-", held_by=held_by))


def build_collection_lexicon(texts: Iterable[str], lexicon: Lexicon, *, error_model: ErrorModel | None = None,
                             min_count: int = 2, extra_words: Iterable[str] = ()) -> CollectionLexicon:
    """Count the words of several pages' texts; unknown words that recur (counting
    their inflected forms together, and a capitalised form of their lemma that only the web
    frequency list knows: surnames and places are there in some of their forms) and are not
    near-misses of known words join. ``extra_words`` (e.g. a reviewer's accepted
    words) join unconditionally."""
    model = error_model or default_error_model(lexicon)
    counts: Counter[str] = Counter()
    web_forms: Counter[str] = Counter()  # capitalised forms only the web frequency list knows: 'Ишкова'
    surfaces: dict[str, str] = {}
    candidate_key: dict[str, str | None] = {}  # word -> its key if it may join (words repeat: decide once)
    web_key: dict[str, str | None] = {}  # word -> its key if it is such a web form
    words_seen = yo_seen = 0
    unseen = object()
    for text in texts:
        # each distinct word once, with its count (in the order words first occur, so a key's
        # surface is still its first word and the keys come in the order they first occur)
        for word, n in Counter(word_texts(text)).items():
            words_seen += n
            if has_yo(word):
                yo_seen += n
            key = candidate_key.get(word, unseen)
            if key is unseen:
                key = fold(word)
                # (a form only the web frequency list knows, sources.web_only: such lists hold many surnames and
                # places in some of their forms)
                web_key[word] = key if word[:1].isupper() and key.isalpha() and (
                    (entry := lexicon.lookup(key)) is not None and web_only(entry[1])) else None
                if len(key) < 3 or key in lexicon or not key.isalpha() and "-" not in key:
                    key = None
                candidate_key[word] = key
            if web_key[word] is not None:
                web_forms[web_key[word]] += n
            if key is None:
                continue
            counts[key] += n
            surfaces.setdefault(key, word)
    # A family recurs when its forms together occur min_count times. Near-misses of known
    # words are OCR errors, not forms: they neither join nor count toward a family, so two
    # misreadings of one word ('хомандо-', 'хомандовачия') cannot vouch for each other.
    families: Counter[str] = Counter()
    for key, n in counts.items():
        families[_stem(key)] += n
    # A name's form the web list knows vouches for its unknown forms that pymorphy3 reads as forms of one
    # lemma with it (Ишкова, Ишкову: ишков), not for a misreading of it (Сергиополь, Сергионоле).
    # (the web forms grouped by stem once, so each key asks only its own stem's, and its lemmas once)
    web_by_stem: dict[str, list[tuple[str, int]]] = {}
    for web, m in web_forms.items():
        web_by_stem.setdefault(_stem(web), []).append((web, m))
    vouched: dict[str, int] = {}
    for key in counts:
        webs = web_by_stem.get(_stem(key))
        if webs and families[_stem(key)] < min_count:
            lemmas = context.lemmas(key)
            vouched[key] = sum(m for web, m in webs if context.lemmas(web) & lemmas)
    words = {key: n for key, n in counts.items()
             if families[_stem(key)] + vouched.get(key, 0) >= min_count and not _near_miss(key, lexicon, model)}
    families = Counter()
    for key, n in words.items():
        families[_stem(key)] += n
    joined = {key: n for key, n in words.items() if families[_stem(key)] + vouched.get(key, 0) >= min_count}
    for word in extra_words:
        key = fold(word)
        joined[key] = joined.get(key, 0) + min_count
        surfaces.setdefault(key, word)
    return CollectionLexicon(joined, {k: surfaces[k] for k in joined}, words_seen, yo_seen)

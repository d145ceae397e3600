"""Sentiment from the two standard lexicon tools, VADER (through NLTK) and TextBlob.

The values are exactly the libraries' own: VADER is NLTK's
:class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer` with the project's offline copy of
the lexicon (:func:`analysis.resources.ensure_nltk_data`), TextBlob is
``TextBlob(text).sentiment`` (its default PatternAnalyzer, which needs no corpora).

Both tools were built for product reviews and social media; diplomatic language often
defeats them (VADER gives 0.0 to "I have never seen such an extraordinary display of
American heavy-handedness"; TextBlob gives +0.43 to "We strongly condemn this unacceptable
attack."). The framing codebook (:mod:`analysis.measures.framing`) is meant to be read
beside them.

The measure is :func:`sentiment` (the six :data:`SENTIMENT_COLUMNS` of one text);
:func:`vader_scores` and :func:`textblob_scores` give each tool's values. All take
``exact``: ``"fast"`` (the default) runs the exact re-implementations below, which return
the libraries' values (checked by ``tests/test_fastpath.py``) several times faster;
``"library"`` calls NLTK and TextBlob themselves. Why they are faster:

:class:`FastVader`
    NLTK's tokenization (``SentiText``) without the dictionaries: a whitespace token loses
    leading or trailing punctuation exactly when NLTK's ``words_punc_dict`` would map it (the
    punctuation run is one of ``PUNC_LIST`` and the rest is a punctuation-free word of two or
    more characters), memoised per token. A sentence with no lexicon word scores
    ``neu = 1.0`` and zeros (or all zeros when it has no word of two characters), which is
    what NLTK returns; otherwise the valences of lexicon words come from NLTK's own
    ``sentiment_valence``, ``_but_check`` and ``score_valence``.
:class:`FastTextBlob`
    TextBlob's ``find_tokens`` rewritten with ``str.replace``/``str.split`` (the same
    substitutions; punctuation splitting memoised per token), and ``Sentiment.assessments``
    with the lexicon looked up once per word. Sentences where TextBlob's tokenizer would do
    something a word list cannot reproduce (paragraph breaks, the literal
    ``END-OF-SENTENCE``, an emoticon or ``( ! )`` spread over several tokens) go to
    TextBlob itself.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import pandas as pd

from .tokens import Memo, Span, exact_mode

#: Column names of the sentiment measures, in table order.
VADER_COLUMNS = ("vader_neg", "vader_neu", "vader_pos", "vader_compound")
TEXTBLOB_COLUMNS = ("textblob_polarity", "textblob_subjectivity")
SENTIMENT_COLUMNS = (*VADER_COLUMNS, *TEXTBLOB_COLUMNS)


@cache
def vader_analyzer() -> Any:
    """Return the process-wide NLTK VADER analyzer (built once, offline lexicon)."""
    from ..resources import ensure_nltk_data

    ensure_nltk_data()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def textblob_class() -> Any:
    """Return TextBlob's ``TextBlob`` class (imported on first use)."""
    from textblob import TextBlob

    return TextBlob


@cache
def fast_vader() -> FastVader:
    """Return the process-wide :class:`FastVader` (on the analyzer of :func:`vader_analyzer`)."""
    return FastVader(vader_analyzer())


@cache
def fast_textblob() -> FastTextBlob:
    """Return the process-wide :class:`FastTextBlob`."""
    return FastTextBlob()


def _text(text: str | Span) -> str:
    return text.piece if isinstance(text, Span) else text


def _vader(text: str, mode: str) -> tuple[float, float, float, float]:
    sia = fast_vader() if mode == "fast" else vader_analyzer()
    s = sia.polarity_scores(text)
    return s["neg"], s["neu"], s["pos"], s["compound"]


def _textblob(text: str, mode: str) -> tuple[float, float]:
    if mode == "fast":
        return fast_textblob().sentiment(text)
    s = textblob_class()(text).sentiment
    return float(s.polarity), float(s.subjectivity)


# The one-text functions remember their last texts (a notebook asks for the same sentences
# again); the measure itself does not: in a corpus the cache costs more than repeated
# sentences save.
_vader_cached = lru_cache(maxsize=8192)(_vader)
_textblob_cached = lru_cache(maxsize=8192)(_textblob)


def vader_scores(text: str | Span, *, exact: str | None = None) -> dict[str, float]:
    """Return VADER's ``{"neg", "neu", "pos", "compound"}`` for ``text`` (NLTK's values).

    >>> vader_scores("VADER is smart, handsome, and funny.")["compound"]
    0.8316
    >>> vader_scores("VADER is smart, handsome, and funny.", exact="library")["compound"]
    0.8316
    """
    neg, neu, pos, compound = _vader_cached(_text(text), exact_mode(exact))
    return {"neg": neg, "neu": neu, "pos": pos, "compound": compound}


def textblob_scores(text: str | Span, *, exact: str | None = None) -> dict[str, float]:
    """Return TextBlob's ``{"polarity", "subjectivity"}`` for ``text``.

    >>> textblob_scores("Textblob is amazingly simple to use. What great fun!")["polarity"]
    0.39166666666666666
    """
    polarity, subjectivity = _textblob_cached(_text(text), exact_mode(exact))
    return {"polarity": polarity, "subjectivity": subjectivity}


def sentiment(text: str | Span, *, exact: str | None = None) -> dict[str, float]:
    """The sentiment measure: return the six :data:`SENTIMENT_COLUMNS` of one text (or span).

    >>> sentiment("Not bad at all")["vader_compound"]
    0.431
    """
    t, mode = _text(text), exact_mode(exact)
    return dict(zip(SENTIMENT_COLUMNS, (*_vader(t, mode), *_textblob(t, mode)), strict=True))


def sentiment_scores(texts: Iterable[str], *, exact: str | None = None) -> pd.DataFrame:
    """Return a DataFrame with one row per text and the :data:`SENTIMENT_COLUMNS`.

    >>> sentiment_scores(["Not bad at all"])["vader_compound"].tolist()
    [0.431]
    """
    rows = [sentiment(t, exact=exact) for t in texts]
    return pd.DataFrame(rows, columns=list(SENTIMENT_COLUMNS), dtype="float64")


def clear_caches() -> None:
    """Empty the per-text caches and the fast paths' memo tables (benchmarks time every run
    from scratch); the analyzers themselves stay loaded."""
    _vader_cached.cache_clear()
    _textblob_cached.cache_clear()
    fast_vader.cache_clear()
    fast_textblob.cache_clear()


# ---- VADER -----------------------------------------------------------------------------------


class _SentiText:
    """The two attributes of NLTK's ``SentiText`` that ``sentiment_valence`` reads."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words: list[str], is_cap_diff: bool) -> None:
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


class FastVader:
    """NLTK VADER's ``polarity_scores``, exactly, without its per-sentence dictionaries.

    >>> FastVader(vader_analyzer()).polarity_scores("VADER is smart, handsome, and funny.")
    {'neg': 0.0, 'neu': 0.254, 'pos': 0.746, 'compound': 0.8316}
    """

    def __init__(self, analyzer: Any) -> None:
        self.sia = analyzer
        c = analyzer.constants
        self.lexicon: dict[str, float] = analyzer.lexicon
        self.booster: dict[str, float] = c.BOOSTER_DICT
        self.punc_list = frozenset(c.PUNC_LIST)
        # NLTK removes the characters of string.punctuation (REGEX_REMOVE_PUNCTUATION)
        self.punct = frozenset(string.punctuation)
        self.negate = frozenset(c.NEGATE)
        self.c_incr, self.n_scalar = c.C_INCR, c.N_SCALAR
        # words of the multi-word idioms and booster phrases NLTK's _idioms_check looks for
        self.idiom_words = frozenset(w for k in (*c.SPECIAL_CASE_IDIOMS, *c.BOOSTER_DICT)
                                     if " " in k for w in k.split())
        self._words = Memo(self._word)

    def _word(self, we: str) -> str:
        """The token as NLTK's ``_words_and_emoticons`` leaves it (``we`` has 2+ chars)."""
        p = self.punct
        n = len(we)
        k = 0
        while k < n and we[k] in p:
            k += 1
        if k == n:
            return we
        j = n
        while we[j - 1] in p:
            j -= 1
        if (k == 0) == (j == n):  # no punctuation at the ends, or at both ends
            return we
        core = we[k:j]
        if len(core) < 2 or any(ch in p for ch in core):
            return we
        run = we[:k] if k else we[j:]
        return core if run in self.punc_list else we

    def polarity_scores(self, text: str) -> dict[str, float]:
        """Return ``{"neg", "neu", "pos", "compound"}``, NLTK's values for ``text``."""
        if not isinstance(text, str):
            text = str(text.encode("utf-8"))
        wes = list(map(self._words.__getitem__, [we for we in text.split() if len(we) > 1]))
        if not wes:
            return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
        lw = [w.lower() for w in wes]
        lex = self.lexicon
        if lex.keys().isdisjoint(lw):
            return {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
        n = len(wes)
        caps = sum(map(str.isupper, wes))
        st = _SentiText(wes, 0 < n - caps < n)
        # NLTK looks each word up by wes.index(word): its first position (a later
        # assignment in the reversed order wins)
        first = dict(zip(reversed(wes), range(n - 1, -1, -1), strict=True))
        booster = self.booster
        # NLTK appends 0 for every word that is not in the lexicon (or is a booster, or the
        # "kind" of "kind of"), and the valence of the others
        sentiments: list[float] = [0] * n
        for k in [k for k, low in enumerate(lw) if low in lex]:
            item, low = wes[k], lw[k]
            i = first[item]
            if not ((i < n - 1 and low == "kind" and lw[i + 1] == "of") or low in booster):
                sentiments[k] = self._valence(st, item, i, lw)
        sentiments = self.sia._but_check(wes, sentiments)
        return self.sia.score_valence(sentiments, text)

    def _negated(self, low: str) -> bool:
        """NLTK's ``negated([word])`` for one (lower-cased) word."""
        return low in self.negate or "n't" in low

    def _valence(self, st: _SentiText, item: str, i: int, lw: list[str]) -> float:
        """NLTK's ``sentiment_valence`` for a lexicon word ``item`` whose first occurrence is
        at ``i`` (same operations in the same order, so the same floats)."""
        wes = st.words_and_emoticons
        is_cap_diff = st.is_cap_diff
        lex = self.lexicon
        valence = lex[item.lower()]
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += self.c_incr
            else:
                valence -= self.c_incr
        for start_i in range(0, 3):
            if i > start_i and lw[i - (start_i + 1)] not in lex:
                word = wes[i - (start_i + 1)]
                s = 0.0
                low = lw[i - (start_i + 1)]
                if low in self.booster:  # VaderConstants.scalar_inc_dec
                    s = self.booster[low]
                    if valence < 0:
                        s *= -1
                    if word.isupper() and is_cap_diff:
                        if valence > 0:
                            s += self.c_incr
                        else:
                            s -= self.c_incr
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._never(valence, wes, lw, start_i, i)
                if start_i == 2 and not self.idiom_words.isdisjoint(wes[i - 3:i + 3]):
                    valence = self.sia._idioms_check(valence, wes, i)
        if i > 0 and lw[i - 1] == "least" and "least" not in lex:
            valence = self.sia._least_check(valence, wes, i)
        return valence

    def _never(self, valence: float, wes: list[str], lw: list[str], start_i: int,
               i: int) -> float:
        """NLTK's ``_never_check``."""
        n_scalar = self.n_scalar
        if start_i == 0:
            if self._negated(lw[i - 1]):
                valence = valence * n_scalar
        if start_i == 1:
            if wes[i - 2] == "never" and (wes[i - 1] == "so" or wes[i - 1] == "this"):
                valence = valence * 1.5
            elif self._negated(lw[i - (start_i + 1)]):
                valence = valence * n_scalar
        if start_i == 2:
            if (wes[i - 3] == "never" and (wes[i - 2] == "so" or wes[i - 2] == "this")
                    or (wes[i - 1] == "so" or wes[i - 1] == "this")):
                valence = valence * 1.25
            elif self._negated(lw[i - (start_i + 1)]):
                valence = valence * n_scalar
        return valence


# ---- TextBlob ----------------------------------------------------------------------------------


class FastTextBlob:
    """TextBlob's ``TextBlob(text).sentiment`` (PatternAnalyzer), exactly, with memoised
    tokenization and lexicon look-ups.

    >>> FastTextBlob().sentiment("Textblob is amazingly simple to use. What great fun!")
    (0.39166666666666666, 0.4357142857142857)
    """

    def __init__(self) -> None:
        from textblob import _text
        from textblob.en import sentiment as pattern_sentiment

        self.t = _text
        self.analyzer = pattern_sentiment
        len(pattern_sentiment)  # the lexicon loads on first use
        modifiers = tuple(pattern_sentiment.modifiers)
        self.lexicon: dict[str, tuple[float, float, float, bool]] = {}
        for w, entry in dict.items(pattern_sentiment):
            if None in entry:
                p, s, i = entry[None]
                self.lexicon[w] = (p, s, i, any(m in entry for m in modifiers))
        self.negations = frozenset(pattern_sentiment.negations)
        # a face listed under two moods takes the first, as TextBlob's loop does
        self.emoticons: dict[str, float] = {}
        for (_type, p), faces in _text.EMOTICONS.items():
            for f in faces:
                self.emoticons.setdefault(f.lower(), p)
        pairs = {"( !", "! )"}
        for faces in _text.EMOTICONS.values():
            for f in faces:
                pairs.update(f[k] + " " + f[k + 1] for k in range(len(f) - 1))
        self._spread = re.compile("|".join(re.escape(p) for p in sorted(pairs)))
        self._pieces = Memo(self._split)
        self.punctuation = tuple(_text.PUNCTUATION.replace(".", ""))

    def _split(self, t: str) -> tuple[str, ...]:
        """TextBlob ``find_tokens``' punctuation splitting of one whitespace token."""
        tx = self.t
        punctuation = self.punctuation
        replace = tx.replacements
        abbreviations = tx.ABBREVIATIONS
        tokens: list[str] = []
        tail: list[str] = []
        while t.startswith(punctuation) and t not in replace:
            if t.startswith(punctuation):
                tokens.append(t[0])
                t = t[1:]
        while t.endswith(punctuation + (".",)) and t not in replace:
            if t.endswith(punctuation):
                tail.append(t[-1])
                t = t[:-1]
            if t.endswith("..."):
                tail.append("...")
                t = t[:-3].rstrip(".")
            if t.endswith("."):
                if (t in abbreviations or tx.RE_ABBR1.match(t) is not None
                        or tx.RE_ABBR2.match(t) is not None
                        or tx.RE_ABBR3.match(t) is not None):
                    break
                tail.append(t[-1])
                t = t[:-1]
        if t != "":
            tokens.append(t)
        tokens.extend(reversed(tail))
        return tuple(tokens)

    def words(self, text: str) -> list[str] | None:
        """Return the lower-cased words TextBlob assesses, or None where only TextBlob's own
        tokenizer gives them (see the module docstring)."""
        s = text
        if "'" in s:
            for a, b in self.t.replacements.items():
                s = s.replace(a, b)
        s = (s.replace("\u201c", " \u201c ").replace("\u201d", " \u201d ")
             .replace("\u2018", " \u2018 ").replace("\u2019", " \u2019 ")
             .replace("'", " ' ").replace('"', ' " '))
        if "\n" in s and "\n\n" in s.replace("\r\n", "\n"):
            return None
        if self.t.EOS in s:
            return None
        tokens: list[str] = []
        for pieces in map(self._pieces.__getitem__, s.split()):
            tokens.extend(pieces)
        if self._spread.search(" ".join(tokens)):
            return None
        return [w.lower() for w in tokens]

    def sentiment(self, text: str) -> tuple[float, float]:
        """Return ``(polarity, subjectivity)``, TextBlob's values for ``text``."""
        words = self.words(text)
        if words is None:
            p, s = self.analyzer(text)
            return float(p), float(s)
        lex = self.lexicon
        if lex.keys().isdisjoint(words) and not any(
                not w.isalpha() and len(w) <= 5 and w in self.emoticons for w in words):
            return 0.0, 0.0
        negations = self.negations
        punctuation = self.t.PUNCTUATION
        a: list[list[float]] = []  # [polarity, subjectivity, intensity, negated (-1/1)]
        m: str | None = None
        n: str | None = None
        for w in words:
            e = lex.get(w)
            if e is not None:
                p, s, i, is_modifier = e
                if m is None:
                    a.append([p, s, i, 1])
                else:
                    last = a[-1]
                    last[0] = max(-1.0, min(p * last[2], +1.0))
                    last[1] = max(-1.0, min(s * last[2], +1.0))
                    last[2] = i
                if n is not None:
                    a[-1][2] = 1.0 / a[-1][2]
                    a[-1][3] = -1
                m = w if is_modifier else None
                n = w if w in negations else None
            else:
                if w in negations:
                    n = w
                elif n and len(w.strip("'")) > 1:
                    n = None
                if n is not None and m is not None and m.endswith("ly"):
                    a[-1][3] = -1
                    n = None
                elif m is not None and len(w) > 2:
                    m = None
                if w == "!" and len(a) > 0:
                    a[-1][0] = max(-1.0, min(a[-1][0] * 1.25, +1.0))
                if w == "(!)":
                    a.append([0.0, 1.0, 1.0, 1])
                if w.isalpha() is False and len(w) <= 5 and w not in punctuation:
                    face = self.emoticons.get(w)
                    if face is not None:
                        a.append([face, 1.0, 1.0, 1])
        sp: float = 0
        ss: float = 0
        for p, s, _i, neg in a:
            sp += 1 * (p * -0.5 if neg < 0 else p)
            ss += 1 * s
        k = float(len(a) or 1)
        return float(sp / k), float(ss / k)

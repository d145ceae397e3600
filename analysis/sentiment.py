"""Sentiment from the two standard lexicon tools: VADER (through NLTK) and TextBlob.

The values are exactly the libraries' own: VADER is NLTK's
:class:`~nltk.sentiment.vader.SentimentIntensityAnalyzer` with the project's offline copy
of the lexicon (:func:`analysis.resources.ensure_nltk_data`), TextBlob is
``TextBlob(text).sentiment`` (its default PatternAnalyzer, which needs no corpora).

Both tools were built for product reviews and social media; diplomatic language often
defeats them (VADER gives 0.0 to "I have never seen such an extraordinary display of
American heavy-handedness"; TextBlob gives +0.43 to "We strongly condemn this
unacceptable attack."). The framing codebook (:mod:`analysis.framing`) is meant to be read
beside them.

The analyzers are built once per process (:func:`vader_analyzer`). :func:`vader_scores` and
:func:`textblob_scores` take ``exact="fast"`` (default, :data:`EXACT`): the exact
re-implementations of :mod:`analysis.fastpath`, which return the libraries' values (checked by
``tests/test_fastpath.py``) several times faster; ``exact="library"`` calls NLTK and TextBlob
themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

import pandas as pd

#: Column names of the sentiment measures, in table order.
VADER_COLUMNS = ("vader_neg", "vader_neu", "vader_pos", "vader_compound")
TEXTBLOB_COLUMNS = ("textblob_polarity", "textblob_subjectivity")
SENTIMENT_COLUMNS = (*VADER_COLUMNS, *TEXTBLOB_COLUMNS)
#: The implementations: "fast" (analysis.fastpath, identical values) or "library".
EXACT_MODES = ("fast", "library")
#: The default implementation for every scoring function (``exact=None``).
EXACT = "fast"


def exact_mode(exact: str | None) -> str:
    """Return the implementation to use: ``exact``, or :data:`EXACT` when it is None."""
    mode = EXACT if exact is None else exact
    if mode not in EXACT_MODES:
        from .errors import fail

        raise fail("exact", f"unknown implementation {mode!r}; valid: {list(EXACT_MODES)}")
    return mode


@cache
def vader_analyzer() -> Any:
    """Return the process-wide NLTK VADER analyzer (built once, offline lexicon)."""
    from .resources import ensure_nltk_data

    ensure_nltk_data()
    from nltk.sentiment.vader import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@cache
def _textblob_class() -> Any:
    from textblob import TextBlob

    return TextBlob


@lru_cache(maxsize=8192)
def vader_scores(text: str, *, exact: str | None = None) -> dict[str, float]:
    """Return VADER's ``{"neg", "neu", "pos", "compound"}`` for ``text`` (NLTK's values).

    >>> vader_scores("VADER is smart, handsome, and funny.")["compound"]
    0.8316
    >>> vader_scores("VADER is smart, handsome, and funny.", exact="library")["compound"]
    0.8316
    """
    if exact_mode(exact) == "fast":
        from .fastpath import fast_vader

        s = fast_vader().polarity_scores(text)
    else:
        s = vader_analyzer().polarity_scores(text)
    return {"neg": s["neg"], "neu": s["neu"], "pos": s["pos"], "compound": s["compound"]}


@lru_cache(maxsize=8192)
def textblob_scores(text: str, *, exact: str | None = None) -> dict[str, float]:
    """Return TextBlob's ``{"polarity", "subjectivity"}`` for ``text``.

    >>> textblob_scores("Textblob is amazingly simple to use. What great fun!")["polarity"]
    0.39166666666666666
    """
    if exact_mode(exact) == "fast":
        from .fastpath import fast_textblob

        p, sub = fast_textblob().sentiment(text)
        return {"polarity": p, "subjectivity": sub}
    s = _textblob_class()(text).sentiment
    return {"polarity": float(s.polarity), "subjectivity": float(s.subjectivity)}


def sentiment_row(text: str, *, exact: str | None = None) -> dict[str, float]:
    """Return the six sentiment columns (:data:`SENTIMENT_COLUMNS`) for one text."""
    v = vader_scores(text, exact=exact)
    t = textblob_scores(text, exact=exact)
    return {
        "vader_neg": v["neg"],
        "vader_neu": v["neu"],
        "vader_pos": v["pos"],
        "vader_compound": v["compound"],
        "textblob_polarity": t["polarity"],
        "textblob_subjectivity": t["subjectivity"],
    }


def sentiment_scores(texts: Iterable[str], *, exact: str | None = None) -> pd.DataFrame:
    """Return a DataFrame with one row per text and the :data:`SENTIMENT_COLUMNS`.

    >>> sentiment_scores(["Not bad at all"])["vader_compound"].tolist()
    [0.431]
    """
    rows = [sentiment_row(t, exact=exact) for t in texts]
    return pd.DataFrame(rows, columns=list(SENTIMENT_COLUMNS), dtype="float64")

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

The analyzers are built once per process (:func:`vader_analyzer`); :func:`vader_scores` and
:func:`textblob_scores` are the hot path that a faster exact implementation may replace.
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
def vader_scores(text: str) -> dict[str, float]:
    """Return VADER's ``{"neg", "neu", "pos", "compound"}`` for ``text`` (NLTK's values).

    >>> vader_scores("VADER is smart, handsome, and funny.")["compound"]
    0.8316
    """
    s = vader_analyzer().polarity_scores(text)
    return {"neg": s["neg"], "neu": s["neu"], "pos": s["pos"], "compound": s["compound"]}


@lru_cache(maxsize=8192)
def textblob_scores(text: str) -> dict[str, float]:
    """Return TextBlob's ``{"polarity", "subjectivity"}`` for ``text``.

    >>> textblob_scores("Textblob is amazingly simple to use. What great fun!")["polarity"]
    0.39166666666666666
    """
    s = _textblob_class()(text).sentiment
    return {"polarity": float(s.polarity), "subjectivity": float(s.subjectivity)}


def sentiment_row(text: str) -> dict[str, float]:
    """Return the six sentiment columns (:data:`SENTIMENT_COLUMNS`) for one text."""
    v = vader_scores(text)
    t = textblob_scores(text)
    return {
        "vader_neg": v["neg"],
        "vader_neu": v["neu"],
        "vader_pos": v["pos"],
        "vader_compound": v["compound"],
        "textblob_polarity": t["polarity"],
        "textblob_subjectivity": t["subjectivity"],
    }


def sentiment_scores(texts: Iterable[str]) -> pd.DataFrame:
    """Return a DataFrame with one row per text and the :data:`SENTIMENT_COLUMNS`.

    >>> sentiment_scores(["Not bad at all"])["vader_compound"].tolist()
    [0.431]
    """
    rows = [sentiment_row(t) for t in texts]
    return pd.DataFrame(rows, columns=list(SENTIMENT_COLUMNS), dtype="float64")

"""VADER and TextBlob sentiment, under its former import path.

The measure lives in :mod:`analysis.measures.sentiment`; this module re-exports its public
names so that ``from analysis.sentiment import SENTIMENT_COLUMNS`` keeps working; it holds
no code.
"""

from __future__ import annotations

from .measures.sentiment import (
    SENTIMENT_COLUMNS,
    TEXTBLOB_COLUMNS,
    VADER_COLUMNS,
    sentiment,
    sentiment_scores,
    textblob_scores,
    vader_analyzer,
    vader_scores,
)
from .measures.tokens import EXACT, EXACT_MODES, exact_mode

#: The former name of :func:`analysis.measures.sentiment.sentiment`.
sentiment_row = sentiment

__all__ = [
    "EXACT", "EXACT_MODES", "SENTIMENT_COLUMNS", "TEXTBLOB_COLUMNS", "VADER_COLUMNS",
    "exact_mode", "sentiment", "sentiment_row", "sentiment_scores", "textblob_scores",
    "vader_analyzer", "vader_scores",
]

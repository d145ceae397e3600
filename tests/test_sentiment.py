"""Sentiment: the libraries' own values on their published examples, and documented limits."""

from __future__ import annotations

import pytest

from analysis.measures.sentiment import (
    SENTIMENT_COLUMNS,
    sentiment_scores,
    textblob_scores,
    vader_analyzer,
    vader_scores,
)


@pytest.mark.parametrize(
    ("text", "compound"),
    [
        ("VADER is smart, handsome, and funny.", 0.8316),
        ("VADER is not smart, handsome, nor funny.", -0.7424),
        ("The book was kind of good.", 0.3832),
        ("The plot was good, but the characters are uncompelling and the dialog is not great.",
         -0.7042),
        ("Not bad at all", 0.431),
    ],
)
def test_vader_published_examples(text: str, compound: float) -> None:
    assert vader_scores(text)["compound"] == compound


def test_vader_all_four_scores() -> None:
    assert vader_scores("VADER is smart, handsome, and funny.") == {
        "neg": 0.0, "neu": 0.254, "pos": 0.746, "compound": 0.8316}


def test_textblob_published_example() -> None:
    s = textblob_scores("Textblob is amazingly simple to use. What great fun!")
    assert s == {"polarity": 0.39166666666666666, "subjectivity": 0.4357142857142857}


def test_documented_limits_on_diplomatic_language() -> None:
    # Churkin's accusation reads as neutral to VADER ...
    churkin = "I have never seen such an extraordinary display of American heavy-handedness"
    assert vader_scores(churkin)["compound"] == 0.0
    # ... and a condemnation reads as positive to TextBlob.
    condemn = textblob_scores("We strongly condemn this unacceptable attack.")["polarity"]
    assert condemn == pytest.approx(0.43333333333333335)


def test_analyzer_is_built_once() -> None:
    assert vader_analyzer() is vader_analyzer()


def test_empty_and_one_word_texts() -> None:
    assert vader_scores("") == {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
    assert textblob_scores("") == {"polarity": 0.0, "subjectivity": 0.0}
    assert vader_scores("Good")["compound"] == 0.4404


def test_sentiment_scores_frame() -> None:
    frame = sentiment_scores(["Not bad at all", "Textblob is amazingly simple to use. "
                              "What great fun!"])
    assert list(frame.columns) == list(SENTIMENT_COLUMNS)
    assert frame["vader_compound"].tolist()[0] == 0.431
    assert frame["textblob_polarity"].tolist()[1] == 0.39166666666666666
    assert len(sentiment_scores([])) == 0

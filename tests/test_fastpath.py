"""Differential tests: the exact fast paths give the libraries' own values, bit for bit.

Each fast path (``exact="fast"`` of the measures in analysis.measures) is compared with the
library it replaces: NLTK VADER's ``polarity_scores``, ``TextBlob(s).sentiment``, the
reference framing matcher and passive detector on token objects, and
:func:`analysis.scoring.score_statements` with ``exact="fast"`` against ``exact="library"``
(all three tables, both levels). Inputs: constructed sentences that reach every rule of the
two libraries, the seed corpus, the fictional test articles, and (when ``../shared/corpora``
is there) real UN General Debate and Security Council speeches.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from analysis.documents import read_corpus, read_ungdc, read_unsc
from analysis.errors import AnalysisError
from analysis.measures.codebook import load_codebook
from analysis.measures.framing import FastFraming, match_tokens
from analysis.measures.passives import passives, passives_in_tokens
from analysis.measures.sentiment import (
    fast_textblob,
    fast_vader,
    sentiment_scores,
    textblob_class,
    textblob_scores,
    vader_analyzer,
    vader_scores,
)
from analysis.measures.tokens import Span, token_starts
from analysis.quotes import extract_statements
from analysis.scoring import score_statements
from analysis.speakers import load_registry
from analysis.text import sentences, token_strings, tokenize

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

# Sentences that reach the rules of VADER (boosters, caps, negation, "never so", "least",
# "but", idioms, "kind of", punctuation around words, emphasis marks) and of TextBlob
# (modifiers, negation, "!", emoticons split over tokens, "(!)", contractions, paragraph
# breaks, abbreviations, ellipses).
CONSTRUCTED = [
    "VADER is smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY!!!",
    "Not bad at all",
    "It was not intentional.",
    "This is never so good, and never this bad.",
    "At least it is good; the least good option; very least good.",
    "It was good but the rest was terrible.",
    "The bomb was the bomb, a kiss of death, hand to mouth, yeah right.",
    "It is kind of good and sort of bad, just enough good.",
    "(good) 'bad' \"great\" ...nice... -awful- good!? wow??? :) :-( <3",
    "The plan is good. Good good good good -- GOOD good.",
    "We don't like it, isn't it sad? Nobody cares without hope.",
    "It's not really good and not very bad; really not good.",
    "What a great day! Not a good idea at all!!",
    "I love it :) but hate it : ( and wink ; ) now ( ! ) or (!) sarcasm.",
    "The annex D report and matrix D: x D, 8 ) and X D.",
    "They couldn't've known; it's the U.S. and Mr. Smith, etc. Dr. No.",
    "First paragraph is good.\n\nSecond paragraph is bad.",
    "Ends with END-OF-SENTENCE marker, oddly good.",
    "\u201cReally good,\u201d he said, \u2018truly awful\u2019 she wrote.",
    "",
    "a",
    "!!! ??? ...",
    "Hopefully, the strike was halted immediately, but it wasn't stopped by anyone.",
    "The sanctions were not imposed by the Council; they were reportedly lifted.",
]


def _docs_sentences(docs) -> list[str]:
    return [d.body[a:b] for d in docs for a, b in sentences(d.body)]


def _seed_and_articles():
    return read_corpus(ROOT / "corpus") + read_corpus(DATA / "articles") + read_corpus(
        DATA / "heldout")


def assert_same_sentiment(texts: list[str]) -> None:
    sia = vader_analyzer()
    blob = textblob_class()
    fv, ft = fast_vader(), fast_textblob()
    for s in texts:
        assert fv.polarity_scores(s) == sia.polarity_scores(s), s
        lib = blob(s).sentiment
        assert ft.sentiment(s) == (float(lib.polarity), float(lib.subjectivity)), s


def assert_same_framing(texts: list[str]) -> None:
    cb = load_codebook()
    ff = FastFraming(cb)
    for s in texts:
        toks = tokenize(s)
        span = Span(s)
        assert span.strings == [t.text for t in toks]
        assert ff.match(span) == match_tokens(s, toks, cb), s
        assert passives(span, exact="fast") == passives_in_tokens(s, toks), s


def assert_same_scores(statements: pd.DataFrame) -> None:
    for level in ("statement", "sentence"):
        lib = score_statements(statements, level=level, exact="library")
        fast = score_statements(statements, level=level, exact="fast")
        for a, b in zip((lib.scores, lib.evidence, lib.targets),
                        (fast.scores, fast.evidence, fast.targets), strict=True):
            pd.testing.assert_frame_equal(b, a, check_exact=True)


def test_constructed_sentences_sentiment() -> None:
    assert_same_sentiment(CONSTRUCTED)


def test_constructed_sentences_framing_and_passives() -> None:
    assert_same_framing([s for s in CONSTRUCTED if s])


def test_known_values_through_both_paths() -> None:
    s = "VADER is smart, handsome, and funny."
    assert vader_scores(s, exact="fast") == vader_scores(s, exact="library")
    assert vader_scores(s, exact="fast")["compound"] == 0.8316
    t = "Textblob is amazingly simple to use. What great fun!"
    assert textblob_scores(t, exact="fast") == textblob_scores(t, exact="library")
    assert textblob_scores(t)["polarity"] == 0.39166666666666666
    pd.testing.assert_frame_equal(sentiment_scores(CONSTRUCTED, exact="fast"),
                                  sentiment_scores(CONSTRUCTED, exact="library"))


def test_unknown_implementation_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="unknown implementation 'quick'"):
        vader_scores("good", exact="quick")


def test_token_strings_and_offsets_match_tokenize() -> None:
    text = "  Russia's heavy-handedness,\tthe U.S. said\u2019s \u2014 \u201cno\u201d.  "
    toks = tokenize(text, 2, len(text) - 1)
    strs = token_strings(text, 2, len(text) - 1)
    assert strs == [t.text for t in toks]
    assert token_starts(text, strs, 2) == [t.start for t in toks]


def test_seed_and_fictional_articles_sentences() -> None:
    texts = _docs_sentences(_seed_and_articles())
    assert len(texts) > 100
    assert_same_sentiment(texts)
    assert_same_framing(texts)


def test_seed_and_fictional_articles_score_tables() -> None:
    docs = _seed_and_articles()
    statements = extract_statements(docs, registry=load_registry())
    assert len(statements) > 50
    assert_same_scores(statements)


def test_edge_statements_score_tables() -> None:
    st = pd.DataFrame({"statement_id": ["d#001", "d#002", "d#003"], "doc_id": ["d"] * 3,
                       "speaker": ["power", None, None],
                       "text": ["", "Good.", "It was not intentional. We were informed "
                                "by Russian officials!"]})
    assert_same_scores(st)
    assert_same_scores(st.iloc[0:0])


@pytest.mark.shared
def test_real_un_speeches(shared_corpora: Path) -> None:
    """30 General Debate speeches (about 2,500 sentences) and 40 Security Council speeches:
    every sentence through VADER, TextBlob, cues and passives; score tables for 8 of them."""
    ungdc = list(read_ungdc(shared_corpora / "ungdc-1946-2024.tar.gz", limit=30))
    unsc = list(itertools.islice(read_unsc(shared_corpora / "unsc-umuc",
                                           on_error=lambda p: None), 40))
    texts = _docs_sentences(ungdc + unsc)
    assert len(texts) > 2000
    assert_same_sentiment(texts)
    assert_same_framing(texts)
    assert_same_scores(extract_statements(ungdc[:5] + unsc[:3]))

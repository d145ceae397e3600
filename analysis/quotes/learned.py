"""The learned cue model: words that cue an attribution the rules do not read as a statement.

The rules (:mod:`~analysis.quotes.attribution`) know verbs of saying, and of belief and
polling. A news corpus annotates far more: "X endorsed Y", "X defended his decision", "X
declined to comment", "is expected to", "referring to" -- acts and positions attributed to
a source, which are not statements by a speaker. With attitudes on
(``extract_statements(..., attitudes=True)``) a linear model decides, for every word outside
quotes, whether it is such a cue; each cue found is read with the rules' own speaker and
content finders (an object cue: its content follows it) and reported as kind ``act`` (or
``belief``/``poll`` when the word is one of those cues). Statements never come from it.

The model is a logistic regression over binary features of a word and its neighbours
(:func:`token_features`), trained with scikit-learn on PolNeAR's train split by
``python -m analysis train-cues`` (:mod:`analysis.learning`). It ships as a readable data
file, ``analysis/data/cue_model.yml`` (feature -> weight); scoring it here needs no
scikit-learn: a word's log-odds is the intercept plus the weights of its features.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from .context import Context, inside

__all__ = ["CueModel", "candidates", "cue_model", "learned_cues", "token_features"]


@dataclass(frozen=True)
class CueModel:
    """A cue model: ``weights`` (feature -> weight), ``intercept`` and the ``threshold``
    probability at which a word is read as a cue; ``source`` is the file it came from."""

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    source: str = "<cue model>"

    def __post_init__(self) -> None:
        if not 0 < self.threshold < 1:
            raise ValueError(f"{self.source}: threshold must lie between 0 and 1, not "
                             f"{self.threshold!r}")

    def log_odds(self, features: list[str]) -> float:
        """Return the model's log-odds that a word with ``features`` is a cue."""
        w = self.weights
        return self.intercept + sum(w.get(f, 0.0) for f in features)

    def probability(self, features: list[str]) -> float:
        """Return the model's probability that a word with ``features`` is a cue."""
        z = self.log_odds(features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


@cache
def cue_model() -> CueModel:
    """Return the packaged cue model (``analysis/data/cue_model.yml``, read once)."""
    from ..resources import data_path, packaged
    from ..schema import CueModelFile

    data = packaged("cue_model", CueModelFile)
    return CueModel(dict(data.weights), data.intercept, data.threshold,
                    str(data_path("cue_model")))


def _stem(word: str) -> str:
    """A crude stem: the word without -ing, -ed, -es or -s ("endorsing", "endorsed" ->
    "endors"), so that the forms of a verb share a feature."""
    for end in ("ing", "ed", "es", "s", "e"):
        if word.endswith(end) and len(word) - len(end) >= 3:
            return word[: -len(end)]
    return word


def _position(n: int) -> str:
    return str(n) if n < 3 else "3-5" if n < 6 else "6+"


def token_features(ctx: Context, i: int, lo: int, in_statement: bool) -> list[str]:
    """Return the binary features of token ``i`` (its sentence starts at token ``lo``):
    the word, its last three letters, a crude stem, the words one and two either side, the
    pairs and the triple it makes with its neighbours, capitals (its own and its
    neighbours'), a pronoun before it, "that" among the four words after it, its position in
    the sentence, whether the cue lexicon holds it and whether it lies inside a statement the
    rules found (``in_statement``)."""
    toks, cues = ctx.toks, ctx.cues
    n = len(toks)
    t = toks[i]
    w = t.lower
    p1 = toks[i - 1].lower if i >= 1 else "<s>"
    p2 = toks[i - 2].lower if i >= 2 else "<s>"
    n1 = toks[i + 1].lower if i + 1 < n else "</s>"
    n2 = toks[i + 2].lower if i + 2 < n else "</s>"
    f = [f"w={w}", f"s3={w[-3:]}", f"p1={p1}", f"p2={p2}", f"n1={n1}", f"n2={n2}",
         f"p1w={p1}|{w}", f"wn1={w}|{n1}", f"p1wn1={p1}|{w}|{n1}", f"stem={_stem(w)}",
         f"pos={_position(i - lo)}"]
    if t.text[0].isupper():
        f.append("cap")
    if i - 1 >= lo and toks[i - 1].text[0].isupper():
        f.append("p1cap")
    if i + 1 < n and toks[i + 1].text[0].isupper():
        f.append("n1cap")
    if p1 in cues.pronouns:
        f.append("p1pronoun")
    if any(toks[k].lower in cues.complementizers for k in range(i + 1, min(i + 5, n))):
        f.append("that_after")
    if w in cues.verbs:
        f.append("lexicon")
    if in_statement:
        f.append("in_statement")
    return f


def candidates(ctx: Context) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(token index, features)`` for every word outside quotes of a document whose
    rules have run (``ctx.found`` filled): the words the model scores, in text order."""
    toks = ctx.toks
    spans = sorted((f.start, f.end) for f in ctx.found)
    starts = [a for a, _ in spans]
    lo, hi = -1, -1
    for i, t in enumerate(toks):
        if not t.text[0].isalpha():
            continue
        if i >= hi:
            lo, hi = ctx.sent_tokens(t.start)
        if inside(ctx.quotes, ctx.q_opens, t.start):
            continue
        k = bisect.bisect_right(starts, t.start) - 1
        yield i, token_features(ctx, i, lo, k >= 0 and spans[k][1] > t.start)


def learned_cues(ctx: Context, model: CueModel) -> list[list[int]]:
    """Return the runs of consecutive words that ``model`` reads as cues (token indices,
    in text order) among :func:`candidates`."""
    runs: list[list[int]] = []
    cut = math.log(model.threshold / (1 - model.threshold))  # the threshold as log-odds
    for i, features in candidates(ctx):
        if model.log_odds(features) < cut:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs

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

The same file carries a second linear model, the **source chooser**: for an attribution a
learned cue yields, it scores every word of the sentence outside the content (and "no
source") as the source, from the word, its distance and direction from the cue, its
neighbours, capitals, pronouns, what lies between it and the cue, and whether the rules'
speaker phrase holds it (:func:`source_candidates`); the best-scoring one is the source
(:func:`choose_source`). It is trained on the same corpus, on the attributions the learned
cues find (:func:`analysis.learning.train_cue_model`).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache

from .context import Context, Found, Subject, inside

__all__ = ["CueModel", "candidates", "choose_source", "cue_model", "in_subject", "learned_cues",
           "source_candidates", "source_features", "token_features"]


@dataclass(frozen=True)
class CueModel:
    """A cue model: ``weights`` (feature -> weight), ``intercept`` and the ``threshold``
    probability at which a word is read as a cue; ``source`` is the file it came from;
    ``source_weights`` and ``source_intercept`` are the source chooser's (none: the rules'
    speaker stays the source)."""

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    source: str = "<cue model>"
    source_weights: Mapping[str, float] = field(default_factory=dict)
    source_intercept: float = 0.0

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

    def source_score(self, features: list[str]) -> float:
        """Return the source chooser's score (log-odds) for a candidate with ``features``."""
        w = self.source_weights
        return self.source_intercept + sum(w.get(f, 0.0) for f in features)

    def best_source(self, candidates: list[list[str]]) -> int:
        """Return the position in ``candidates`` (each a candidate's features) of the one the
        source chooser scores highest (the first of equal scores)."""
        scores = [self.source_score(f) for f in candidates]
        return scores.index(max(scores))


@cache
def cue_model() -> CueModel:
    """Return the packaged cue model (``analysis/data/cue_model.yml``, read once)."""
    from ..resources import data_path, packaged
    from ..schema import CueModelFile

    data = packaged("cue_model", CueModelFile)
    return CueModel(dict(data.weights), data.intercept, data.threshold,
                    str(data_path("cue_model")), dict(data.source_weights),
                    data.source_intercept)


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


def _distance(d: int) -> str:
    """The signed distance of a word from its cue, in bands ("-1" .. "-4", "-5..7", "+2")."""
    a = abs(d)
    band = str(a) if a <= 4 else "5..7" if a <= 7 else "8..12" if a <= 12 else "13+"
    if d > 0 and a > 3:
        band = "4..7" if a <= 7 else "8+"
    return ("-" if d < 0 else "+") + band


def in_subject(sub: Subject | None, pos: int) -> bool:
    """Return whether the speaker phrase of ``sub`` holds the character offset ``pos``."""
    if sub is None or not sub.text:
        return False
    end = sub.end if sub.end > 0 else sub.left + len(sub.text)
    return sub.left <= pos < end


def source_features(ctx: Context, i: int, lo: int, hi: int, j: int,
                    sub: Subject | None) -> list[str]:
    """Return the binary features of token ``j`` as the source of the learned cue at token
    ``i`` (sentence tokens ``[lo, hi)``; ``sub`` is the rules' speaker): the word, its last
    three letters, its distance from the cue, its neighbours, the cue and the side it is
    on, capitals, pronouns, a possessive, a comma, a verb or "that" between it and the cue,
    a preposition among the last two words between them, a function word, and whether the
    rules' speaker phrase holds it."""
    toks, cues = ctx.toks, ctx.cues
    t = toks[j]
    w = t.lower
    side = "b" if j < i else "a"
    band = _distance(j - i)
    p1 = toks[j - 1].lower if j > lo else "<s>"
    n1 = toks[j + 1].lower if j + 1 < hi else "</s>"
    f = [f"w={w}", f"d={band}", f"p1={p1}", f"n1={n1}", f"cue={toks[i].lower}|{side}",
         f"s3={w[-3:]}"]
    cap = t.text[0].isupper()
    if cap:
        f += ["cap", f"cap|{side}"]
    if j == lo:
        f.append("first")
    if w in cues.pronouns:
        f += ["pron", f"pron|{side}", f"pron|{band}"]
    if w in cues.relative_pronouns or w in cues.relative_subjects:
        f.append("rel")
    if n1 in ("'s", "\u2019s", "'", "\u2019") or w.endswith(("'s", "\u2019s")):
        f.append("poss")
    next_cap = j + 1 < hi and toks[j + 1].text[0].isupper()
    if next_cap:
        f.append("n1cap")
    if cap and not next_cap:
        f.append("caplast")
    between = toks[j + 1:i] if j < i else toks[i + 1:j]
    if any(x.text == "," for x in between):
        f.append(f"comma|{side}")
    if any(x.lower in cues.verbs for x in between):
        f.append(f"verb_between|{side}")
    if any(x.lower in cues.complementizers for x in between):
        f.append(f"that_between|{side}")
    if any(x.lower in cues.prepositions for x in between[-2:]):
        f.append("prep_near")
    if w in cues.prepositions or w in cues.determiners or w in cues.auxiliaries:
        f.append("func")
    if sub is None:
        f.append("rules_nosub")
    elif not sub.text:
        f.append("rules_none")
    elif in_subject(sub, t.start):
        f += ["in_rules", f"in_rules|{side}"]
    return f


def _none_features(ctx: Context, i: int, lo: int, sub: Subject | None) -> list[str]:
    """The features of "no source" for the learned cue at token ``i``: the cue word, its
    place in the sentence, the word before it, and whether the rules found no speaker."""
    toks = ctx.toks
    p1 = toks[i - 1].lower if i > lo else "<s>"
    f = ["NONE", f"NONE|cue={toks[i].lower}", f"NONE|pos={min(i - lo, 6)}", f"NONE|p1={p1}"]
    if sub is None:
        f.append("NONE|nosub")
    elif not sub.text:
        f.append("NONE|rules_none")
    return f


def source_candidates(ctx: Context, i: int, lo: int, hi: int, found: Found,
                      sub: Subject | None) -> list[tuple[int | None, list[str]]]:
    """Return ``(token index, features)`` for every word that may be the source of the
    attribution ``found`` through the learned cue at token ``i``: the words of its sentence
    ``[lo, hi)`` other than the cue, outside the content and outside quotes; last, ``(None,
    features)`` for no source."""
    toks = ctx.toks
    out: list[tuple[int | None, list[str]]] = []
    for j in range(lo, hi):
        t = toks[j]
        if j == i or not t.text[0].isalnum() or found.start <= t.start < found.end \
                or inside(ctx.quotes, ctx.q_opens, t.start):
            continue
        out.append((j, source_features(ctx, i, lo, hi, j, sub)))
    out.append((None, _none_features(ctx, i, lo, sub)))
    return out


def choose_source(ctx: Context, i: int, lo: int, hi: int, found: Found, sub: Subject | None,
                  model: CueModel) -> int | None:
    """Return the token index of the source the chooser of ``model`` scores highest for
    ``found`` (see :func:`source_candidates`), or None for no source (the first of equal
    scores wins)."""
    cands = source_candidates(ctx, i, lo, hi, found, sub)
    return cands[model.best_source([f for _, f in cands])][0]

"""Agency: a rule-based detector of the passive voice, with the agent when the text names one.

A passive is a form of *be* or *get*, optional adverbs, a past participle (the word lists and
the rule are in ``data/participles.yml``, declared by :class:`analysis.schema.ParticiplesFile`).
The detector tells agentless passives (``The coalition airstrike was halted immediately``)
from passives with an agent (``were informed by Russian officials``), and records the agent.

The measure is :func:`passives`. The rule is implemented once (:func:`participle_after`,
:func:`agent_after`, :func:`_find`) over a span's token texts and normal forms; ``exact``
selects where those come from: ``"fast"`` the span's token strings and memoised look-ups
(offsets computed only when a passive is found), ``"library"`` the reference token objects of
:func:`analysis.text.tokenize`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from ..text import Token
from .tokens import CLAUSE_PUNCTUATION, Memo, Span, as_span, exact_mode, is_word, norm

#: Apostrophes, the punctuation an agent phrase may contain ("the Council's members").
_APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True)
class Passive:
    """A passive construction: ``text[start:end]`` runs from the auxiliary to the participle.

    ``agent`` is the text after ``by`` (None for an agentless passive), with its offsets.
    ``negated`` is True for ``was not informed`` (still a passive).
    """

    start: int
    end: int
    match: str
    auxiliary: str
    participle: str
    agent: str | None
    agent_start: int | None
    agent_end: int | None
    negated: bool

    @property
    def agentless(self) -> bool:
        """True when the text names no agent (``by ...``)."""
        return self.agent is None


@dataclass(frozen=True)
class PassiveRules:
    """The word lists of ``data/participles.yml`` (normal forms), see its header."""

    aux: frozenset[str]
    between: frozenset[str]
    max_between: int
    negators: frozenset[str]
    irregular: frozenset[str]
    not_participles: frozenset[str]
    adjectival: frozenset[str]
    clause_breaks: frozenset[str]
    coordinators: frozenset[str]
    agent_stops: frozenset[str]
    by_not_agent: frozenset[str]


@cache
def passive_rules() -> PassiveRules:
    """Return the passive detector's rules (the packaged ``participles.yml``, read once)."""
    from ..resources import packaged
    from ..schema import ParticiplesFile

    raw = packaged("participles", ParticiplesFile)

    def s(words: list[str]) -> frozenset[str]:
        return frozenset(norm(w) for w in words)

    return PassiveRules(s(raw.be) | s(raw.get), s(raw.between), raw.max_between,
                        s(raw.negators), s(raw.irregular), s(raw.not_participles),
                        s(raw.adjectival), s(raw.clause_breaks), s(raw.coordinators),
                        s(raw.agent_stops), s(raw.by_not_agent))


def passives(span: Span, *, exact: str | None = None) -> list[Passive]:
    """The passive-voice measure: return the passive constructions in ``span`` (offsets into
    its text), left to right.

    >>> [(p.match, p.agent) for p in passives(Span("They were informed by Ruritanian envoys."))]
    [('were informed', 'Ruritanian envoys')]
    """
    if exact_mode(exact) == "fast":
        texts = span.strings
        at = [i for i, aux in enumerate(map(_AUX.__getitem__, texts)) if aux]
        return _find(span.text, texts, span.norms, lambda: span.starts, at) if at else []
    return passives_in_tokens(span.text, span.tokens)


#: Token text -> is it a form of BE or GET (the fast path's memo).
_AUX = Memo(lambda t: norm(t) in passive_rules().aux)


def find_passives(text: str, start: int = 0, end: int | None = None, *,
                  exact: str | None = None) -> list[Passive]:
    """Return the passive constructions in ``text[start:end]`` (offsets into ``text``).

    >>> [(p.match, p.agent) for p in find_passives("The strike was halted immediately.")]
    [('was halted', None)]
    >>> [(p.match, p.agent) for p in find_passives("They were informed by Russian officials.")]
    [('were informed', 'Russian officials')]
    >>> find_passives("He was an accomplished diplomat. She was concerned.")
    []
    """
    return passives(as_span(text, start, end), exact=exact)


def passives_in_tokens(text: str, tokens: Sequence[Token]) -> list[Passive]:
    """Return the passive constructions among ``tokens`` of ``text`` (the reference path,
    ``exact="library"``)."""
    norms = [norm(t.lower) for t in tokens]
    aux = passive_rules().aux
    return _find(text, [t.text for t in tokens], norms, lambda: [t.start for t in tokens],
                 [i for i, w in enumerate(norms) if w in aux])


def _find(text: str, texts: Sequence[str], norms: Sequence[str],
          starts: Callable[[], Sequence[int]], at: Sequence[int]) -> list[Passive]:
    """The rule, once, on the token texts and normal forms of a span, from the auxiliaries
    at token indexes ``at``; ``starts()`` gives the token offsets (asked for only when a
    passive is found)."""
    r = passive_rules()
    out: list[Passive] = []
    for i in at:
        found = participle_after(norms, i, r)
        if found is None:
            continue
        j, negated = found
        st = starts()
        a, b = st[i], st[j] + len(texts[j])
        agent = agent_after(texts, norms, j + 1, r)
        if agent is None:
            ag: tuple[str | None, int | None, int | None] = (None, None, None)
        else:
            ga, gb = agent
            sa, eb = st[ga], st[gb - 1] + len(texts[gb - 1])
            ag = (text[sa:eb], sa, eb)
        out.append(Passive(a, b, text[a:b], texts[i], texts[j], *ag, negated))
    return out


def is_participle(w: str, r: PassiveRules) -> bool:
    """Return True when normal form ``w`` is a past participle by the rules ``r``."""
    if w in r.adjectival:
        return False
    if w in r.irregular:
        return True
    return len(w) >= 4 and w.endswith("ed") and w.isalpha() and w not in r.not_participles


def participle_after(norms: Sequence[str], i: int, r: PassiveRules) -> tuple[int, bool] | None:
    """Return ``(j, negated)`` for the participle that the auxiliary at token ``i`` governs,
    past at most ``r.max_between`` adverbs or listed words; ``negated`` if the auxiliary or a
    word between is a negator. None if no participle follows."""
    n = len(norms)
    j, between, negated = i + 1, 0, norms[i].endswith("n't")
    while j < n and between < r.max_between:
        w = norms[j]
        if w in r.between or (w.endswith("ly") and len(w) > 3 and w.isalpha()
                              and not is_participle(w, r)):
            negated = negated or w in r.negators or w.endswith("n't")
            between += 1
            j += 1
        else:
            break
    if j >= n or not is_participle(norms[j], r):
        return None
    return j, negated


def agent_after(texts: Sequence[str], norms: Sequence[str], k: int,
                r: PassiveRules) -> tuple[int, int] | None:
    """Return the token range ``[a, b)`` of the agent of ``by <agent>`` searched from token
    ``k`` to the end of the clause, or None (see the header of ``participles.yml``)."""
    n = len(texts)
    while k < n:
        w = norms[k]
        if ((not is_word(texts[k]) and texts[k] in CLAUSE_PUNCTUATION) or w in r.clause_breaks
                or w in r.coordinators or w in r.aux):
            return None
        if w == "by":
            break
        k += 1
    else:
        return None
    a = k + 1
    if a >= n or not is_word(texts[a]) or norms[a] in r.by_not_agent:
        return None
    b = a
    while b < n:
        w = norms[b]
        if b > a and (not is_word(texts[b]) and texts[b] not in _APOSTROPHES
                      or w in r.clause_breaks or w in r.agent_stops or w in r.aux):
            break
        b += 1
    return a, b


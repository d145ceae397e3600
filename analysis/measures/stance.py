"""Stance per sentence: does the speaker negatively evaluate another party, how, and whom.

:func:`stance` decides for one sentence; :func:`stances` runs it over the sentences of one
statement in order, carrying the last criticised or named foreign state over to a sentence
that criticises without naming anyone. The categories follow the UNSCon guidelines
(Zaczynska, Bourgonje & Stede, LREC-COLING 2024):

- ``direct``: a negative cue and a named foreign state (name, demonym, capital, a person or
  body affiliated with it, or the state carried over from the previous sentences);
- ``indirect``: a negative cue aimed at a proxy that stands for a state ("the Kyiv
  authorities", "the separatists", "the regime", "that delegation"; ``analysis/data/stance.yml``);
- ``challenge``: no negative cue, but another's claim is disputed ("claimed", "alleged");
- ``correction``: no negative cue, but another's version is rectified ("contrary to", "in fact").

The speaker's own country is never a target. A sentence is a negative evaluation when its
weighted cue score reaches :attr:`Rules.threshold` and it has a target. Every decision carries
its evidence: the cue words and the rule that decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from ..resources import packaged
from ..schema import StanceFile
from ..speakers import Registry

#: The values of ``stance_type`` (``""``: no stance).
STANCE_TYPES = ("direct", "indirect", "challenge", "correction")


@dataclass(frozen=True)
class Rules:
    """The tunable part of the decision (the cues are in the data file).

    ``threshold``: the score a sentence needs (one per negative cue, ``target_bonus`` more
    when a foreign state or a proxy is named in the sentence itself); ``carry_over``: whether
    a criticism that names no one may take the state from the previous sentences;
    ``untargeted``: the score at which a sentence with no target found still counts as a
    (``direct``) negative evaluation, of no one the tool can name (None: never).
    """

    threshold: float = 1.0
    target_bonus: float = 0.0
    carry_over: bool = True
    untargeted: float | None = 2.0


#: The rules every fold of the cross-validation on UNSCon dev chose (``analysis.validation``).
DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class Stance:
    """The stance of one sentence (the output columns of the measure)."""

    negative_evaluation: bool
    stance_type: str
    targets: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    evidence: str = ""

    def columns(self) -> dict[str, object]:
        """Return the output columns: ``negative_evaluation``, ``stance_type``,
        ``stance_target`` and ``stance_target_country`` (``;``-joined), ``stance_evidence``."""
        return {
            "negative_evaluation": self.negative_evaluation,
            "stance_type": self.stance_type,
            "stance_target": ";".join(self.targets),
            "stance_target_country": ";".join(self.target_countries),
            "stance_evidence": self.evidence,
        }


NONE = Stance(False, "")


def _pattern(cues: Iterable[str]) -> re.Pattern[str]:
    parts = []
    for cue in sorted(set(cues), key=len, reverse=True):
        prefix = cue.endswith("*")
        words = cue.rstrip("*").split()
        body = r"[\s-]+".join(re.escape(w).replace(r"\-", r"\s*-\s*") for w in words)
        parts.append(body + (r"[\w-]*" if prefix else ""))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


@dataclass(frozen=True)
class _Lexicon:
    negative: re.Pattern[str]
    demands: re.Pattern[str]
    challenge: re.Pattern[str]
    correction: re.Pattern[str]
    proxies: tuple[tuple[re.Pattern[str], str, str], ...]


@cache
def lexicon() -> _Lexicon:
    """Return the compiled cues of ``analysis/data/stance.yml`` (read once)."""
    data: StanceFile = packaged("stance", StanceFile)
    neg = data.negative
    return _Lexicon(
        negative=_pattern([*neg.verbs, *neg.nouns, *neg.adjectives]),
        demands=_pattern(neg.demands),
        challenge=_pattern(data.challenge),
        correction=_pattern(data.correction),
        proxies=tuple((_pattern([p.phrase]), p.phrase, p.iso3) for p in data.proxies),
    )


def _found(pattern: re.Pattern[str], text: str) -> list[str]:
    return [m.group() for m in pattern.finditer(text)]


def foreign_states(text: str, speaker_country: str | None, registry: Registry
                   ) -> list[tuple[str, str, int, bool]]:
    """Return ``(actor id, ISO3, offset, is it a demonym)`` for each foreign state named in
    ``text`` (by a name, demonym, capital or an actor affiliated with it), the speaker's own
    country left out."""
    out = []
    for m in registry.mentions(text):
        iso3 = registry.country_of(m.actor)
        if not iso3 or iso3 == speaker_country:
            continue
        actor = registry.state_of(iso3) or m.actor
        out.append((actor, iso3, m.start, m.adjective))
    return out


def stance(text: str, speaker_country: str | None, registry: Registry,
           previous: Sequence[str] = (), rules: Rules = DEFAULT_RULES) -> Stance:
    """Return the :class:`Stance` of one sentence.

    ``speaker_country`` is the ISO3 code of the speaker's state (never a target);
    ``previous`` the ISO3 codes carried over from the previous sentences (most recent first);
    ``registry`` resolves names, demonyms, capitals and people to states.
    """
    lex = lexicon()
    low = text.lower()
    negative = _found(lex.negative, low)
    demands = _found(lex.demands, low)
    challenge = _found(lex.challenge, low)
    correction = _found(lex.correction, low)
    named = foreign_states(text, speaker_country, registry)
    proxies: list[tuple[str, str]] = []  # (phrase, iso3)
    for pat, _phrase, iso3 in lex.proxies:
        m = pat.search(low)
        if not m:
            continue
        if not iso3:  # the state named nearest to the proxy, else the previous sentences'
            if named:
                iso3 = min(named, key=lambda n: abs(n[2] - m.start()))[1]
            elif rules.carry_over and previous:
                iso3 = previous[0]
        if iso3 and iso3 != speaker_country:
            proxies.append((m.group(), iso3))

    score = len(negative) + 0.5 * len(demands) + (rules.target_bonus if named or proxies else 0.0)
    countries: list[str] = []
    how = ""
    if named:
        countries = [n[1] for n in named]
        how = "named " + ", ".join(dict.fromkeys(text[n[2]:].split(None, 1)[0].strip(",.;:")
                                                 for n in named))
    elif proxies:
        countries = [p[1] for p in proxies]
        how = "proxy " + ", ".join(p[0] for p in proxies)
    elif rules.carry_over and previous:
        countries = [previous[0]]
        how = "carried over from the previous sentence"
    countries = list(dict.fromkeys(countries))
    if not countries:
        if rules.untargeted is not None and (negative or demands) and score >= rules.untargeted:
            cues = ", ".join(dict.fromkeys(negative + demands))
            return Stance(True, "direct", (), (), f"cues: {cues}; rule: negative cues "
                          f"(score {score:g}) without a target")
        return NONE
    targets = tuple(registry.state_of(c) or c.lower() for c in countries)
    cues = ", ".join(dict.fromkeys(negative + demands))
    if score >= rules.threshold and (negative or demands):
        nouns = [n for n in named if not n[3]]
        kind = "direct" if nouns or not proxies else "indirect"
        return Stance(True, kind, targets, tuple(countries),
                      f"cues: {cues}; rule: negative cues (score {score:g}) + {how}")
    if challenge and (named or proxies):
        return Stance(True, "challenge", targets, tuple(countries),
                      f"cues: {', '.join(challenge)}; rule: disputed claim + {how}")
    if correction and (named or proxies):
        return Stance(True, "correction", targets, tuple(countries),
                      f"cues: {', '.join(correction)}; rule: rectified claim + {how}")
    return NONE


def stances(texts: Iterable[str], speaker_country: str | None, registry: Registry,
            rules: Rules = DEFAULT_RULES) -> list[Stance]:
    """Return the :class:`Stance` of each sentence of one statement, in order, carrying the
    foreign states of each sentence (criticised or named) over to the next."""
    out = []
    previous: tuple[str, ...] = ()
    for text in texts:
        result = stance(text, speaker_country, registry, previous, rules)
        out.append(result)
        here = result.target_countries or tuple(
            dict.fromkeys(n[1] for n in foreign_states(text, speaker_country, registry)))
        if here:
            previous = here
    return out

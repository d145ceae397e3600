"""Stance per sentence: does the speaker negatively evaluate another party, how, and whom.

:func:`stance` decides for one sentence; :func:`stances` runs it over the sentences of one
statement in order, carrying the last criticised or named foreign state over to a sentence
that criticises without naming anyone. The scoring loop (:mod:`analysis.scoring`) calls
:func:`stances_of` on the sentence spans it has already tokenized, with the mentions the
targets measure found in them. The categories follow the UNSCon guidelines (Zaczynska,
Bourgonje & Stede, LREC-COLING 2024):

- ``direct``: a negative cue and a named foreign state (name, demonym, capital, a person or
  body affiliated with it, or the state carried over from the previous sentences);
- ``indirect``: a negative cue aimed at a proxy that stands for a state ("the Kyiv
  authorities", "the separatists", "the regime", "that delegation"; ``analysis/data/stance.yml``);
- ``challenge``: another's claim is disputed ("claimed", "alleged"); as in the guidelines'
  hierarchy, a challenge comes before a negative evaluation of the same sentence;
- ``correction``: another's claim, disputed in the same sentence or the one before, is
  rectified ("Kessland claimed ..., but ...", "They are not protests.").

The cues are matched on the sentence's tokens, whole words (a trailing ``*`` takes any
ending), by the framing matcher. A *harm* (abuse, crimes, troops, a threat: that something bad
happened, not who did it) counts only when the sentence itself names a state or a proxy. The
speaker's own country is never a target. A sentence is a negative evaluation when its weighted
cue score reaches :attr:`Rules.threshold` and it has a target (or, with no target the tool can
name, when the score reaches :attr:`Rules.untargeted`). Every decision carries its evidence:
the cue words and the rule that decided.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from ..errors import AnalysisError, Problem
from ..resources import data_path, packaged
from ..schema import StanceFile
from ..speakers import Mention, Registry
from .codebook import Category, Codebook, term_problem
from .framing import TermHit, cue_hits
from .targets import Target
from .tokens import Span

#: The values of ``stance_type`` (``""``: no stance).
STANCE_TYPES = ("direct", "indirect", "challenge", "correction")
#: The sentence-level columns of the measure (:meth:`Stance.columns`).
STANCE_COLUMNS = ("negative_evaluation", "stance_type", "stance_target",
                  "stance_target_country", "stance_evidence")
#: The statement-level columns (:func:`stance_summary`): the statement's sentences, how many
#: negatively evaluate another party and their share, how many of each type, and every state
#: criticised (actor ids and ISO3, sorted, ``;``-joined).
STANCE_SUMMARY_COLUMNS = ("n_sentences", "negative_evaluations", "negative_evaluation_share",
                          *(f"stance_{t}" for t in STANCE_TYPES), "stance_target",
                          "stance_target_country")


@dataclass(frozen=True)
class Rules:
    """The tunable part of the decision (the cues are in the data file).

    ``threshold``: the score a sentence needs (one per negative cue, ``target_bonus`` more
    when a foreign state or a proxy is named in the sentence itself); ``carry_over``: whether
    a criticism that names no one may take the state from the previous sentences;
    ``untargeted``: the score at which a sentence with no target found still counts as a
    (``direct``) negative evaluation, of no one the tool can name (None: never);
    ``harm_weight``: what a harm or a stance cue adds to the score (the other cues add one).
    """

    threshold: float = 1.0
    target_bonus: float = 0.0
    carry_over: bool = True
    untargeted: float | None = 2.0
    harm_weight: float = 1.0


#: The rules of the scoring loop. On the three UNSCon dev meetings together they score F1
#: 0.756; ``untargeted=1.0``, which the held-out folds chose, 0.761, but it makes a lone
#: evaluative word with no one named ("Outrageous!") a criticism, so the default keeps 2.0.
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


    def criticises(self, iso3: str | None) -> bool:
        """Return True when this sentence negatively evaluates the state ``iso3`` (the
        targets table's ``negative_evaluation`` of a mention of it or of one of its people)."""
        return self.negative_evaluation and iso3 is not None and iso3 in self.target_countries


NONE = Stance(False, "")


def stance_summary(sentences: Sequence[Stance]) -> dict[str, object]:
    """Return the statement-level columns (:data:`STANCE_SUMMARY_COLUMNS`) of the stances of
    a statement's sentences.

    >>> stance_summary([Stance(True, "direct", ("russia",), ("RUS",)), NONE])["stance_target"]
    'russia'
    """
    n = len(sentences)
    hits = [s for s in sentences if s.negative_evaluation]
    out: dict[str, object] = {"n_sentences": n, "negative_evaluations": len(hits),
                              "negative_evaluation_share": len(hits) / n if n else 0.0}
    for t in STANCE_TYPES:
        out[f"stance_{t}"] = sum(s.stance_type == t for s in hits)
    out["stance_target"] = ";".join(sorted({a for s in hits for a in s.targets}))
    out["stance_target_country"] = ";".join(sorted({c for s in hits for c in s.target_countries}))
    return out


#: How the groups of the stance lexicon are named in its matcher: each group is matched
#: independently of the others (a proxy word can also be a negative cue); within the group
#: of the proxies the longest phrase wins ("damascus regime" before "regime").
_NEGATIVE, _DEMAND, _CHALLENGE, _CORRECTION = "negative", "demand", "challenge", "correction"
_COURTESY, _PROXY = "courtesy", "proxy"
_NEGATIVE_KINDS = frozenset({"verb", "noun", "adjective", "harm", "stance"})
#: how many characters before a stance cue ("rejected") a state may end to be its subject
_SUBJECT = 25
#: the negative cues that count only when the sentence names a state or a proxy
_NEEDS_PARTY = frozenset({"harm", "stance"})
#: How a possessive follows a state's name ("Russia's", "Russia 's", "Russia’s").
_POSSESSIVE = ("'s", " 's", "\u2019s")


@dataclass(frozen=True)
class Lexicon:
    """The cues of ``analysis/data/stance.yml`` as a matcher: a :class:`~analysis.measures.
    codebook.Codebook` whose groups are the negative cues (verbs, nouns and adjectives
    together), the demands, the challenge and correction cues and the proxies, matched
    on a sentence's tokens by :func:`analysis.measures.framing.cue_hits` (whole words, a
    trailing ``*`` any ending, a single word also in its possessive form)."""

    codebook: Codebook
    #: proxy category id -> (phrase, ISO3 or "" for the state named nearby)
    proxies: dict[str, tuple[str, str]]
    #: the contrasts and the reported speech, matched only where a challenge or a correction
    #: can use them (they are frequent words: "but", "said")
    secondary: Codebook
    #: the words that make a state named right after them a place or the one acted on
    places: frozenset[str] = frozenset()
    #: what a state has that is harmed ("sovereignty", "people"): its owner is not criticised
    owned: frozenset[str] = frozenset()
    #: the words that may stand between a place word and the name ("in eastern Ukraine")
    between: frozenset[str] = frozenset()
    #: the words after a name that make it part of a document's name ("Budapest Memorandum")
    documents: frozenset[str] = frozenset()


def _terms(cues: Iterable[str]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for cue in cues:
        out[cue] = None
        if " " not in cue and not cue.endswith("*"):
            out[f"{cue}'s"] = None  # Russia's, the Kremlin's
    return tuple(out)


@cache
def lexicon() -> Lexicon:
    """Return the matcher of ``analysis/data/stance.yml`` (read once)."""
    data: StanceFile = packaged("stance", StanceFile)
    neg = data.negative
    lists = {"negative: verbs": neg.verbs, "negative: nouns": neg.nouns,
             "negative: adjectives": neg.adjectives, "negative: harms": neg.harms,
             "negative: stances": neg.stances, "courtesy": data.courtesy,
             "negative: demands": neg.demands, "challenge": data.challenge,
             "contrasts": data.contrasts, "reported": data.reported,
             "correction": data.correction, "proxies": [p.phrase for p in data.proxies]}
    problems = [Problem(str(data_path("stance")), f"cue {cue!r}: {err}", key)
                for key, cues in lists.items() for cue in cues
                if (err := term_problem(cue)) is not None]
    problems += [Problem(str(data_path("stance")), f"word {w!r}: one word without '*'", key)
                 for key, words in (("defusers", data.defusers), ("places", data.places),
                                    ("owned", data.owned),
                                    ("place_between", data.place_between),
                                    ("documents", data.documents))
                 for w in words if " " in w or "*" in w]
    if problems:
        raise AnalysisError(problems)

    def cat(cid: str, group: str, cues: Iterable[str]) -> Category:
        return Category(cid, cid, group, "", "analysis/data/stance.yml", _terms(cues))

    cats = [cat("verb", _NEGATIVE, neg.verbs), cat("noun", _NEGATIVE, neg.nouns),
            cat("adjective", _NEGATIVE, neg.adjectives), cat("harm", _NEGATIVE, neg.harms),
            cat("stance", _NEGATIVE, neg.stances), cat("courtesy", _COURTESY, data.courtesy),
            cat("demand", _DEMAND, neg.demands),
            cat("challenge", _CHALLENGE, data.challenge),
            cat("correction", _CORRECTION, data.correction)]
    secondary = Codebook((cat("contrast", "contrast", data.contrasts),
                          cat("reported", "reported", data.reported)),
                         source="analysis/data/stance.yml")
    proxies = {}
    for k, p in enumerate(data.proxies):
        cid = f"proxy_{k}"
        cats.append(cat(cid, _PROXY, [p.phrase]))
        proxies[cid] = (p.phrase, p.iso3)
    return Lexicon(Codebook(tuple(cats), negation_words=frozenset(data.defusers),
                            negation_window=data.defuse_window,
                            source="analysis/data/stance.yml"), proxies,
                   secondary, frozenset(data.places), frozenset(data.owned),
                   frozenset(data.place_between), frozenset(data.documents))


_WORD = re.compile(r"[\w']+")


def is_place(text: str, start: int, places: frozenset[str], between: frozenset[str],
             begin: int = 0) -> bool:
    """Return True when the name at ``text[start:]`` follows a place word of ``places``
    ("in", "against"), directly or across at most two words of ``between`` ("in eastern",
    "in the", "in south - eastern"); ``begin``: where the sentence starts.

    >>> is_place("troops in south - eastern Ukraine", 26, frozenset({"in"}),
    ...          frozenset({"south", "eastern"}))
    True
    """
    words = [w for w in text[max(begin, start - 40):start].split()[-5:] if w != "-"][-3:]
    for k in range(1, len(words) + 1):
        w = words[-k].lower()
        if w in places:
            return True
        if w not in between:
            return False
    return False


def is_victim(text: str, start: int, end: int, owned: frozenset[str], begin: int = 0,
              stop: int | None = None, *, adjective: bool = False) -> bool:
    """Return True when the name at ``text[start:end]`` owns what is harmed: it follows
    "<noun of ``owned``> of (the)" ("the Constitution of Ukraine") or is followed, as a
    possessive or a demonym (``adjective``), by such a noun across at most two lower-case
    words ("Ukraine's territorial integrity", "the Ukrainian people").

    >>> owned = frozenset({"integrity"})
    >>> is_victim("the territorial integrity of Ukraine", 29, 36, owned)
    True
    >>> is_victim("Ukraine violated the integrity of its neighbour", 0, 7, owned)
    False
    """
    pre = text[max(begin, start - 40):start]
    if " of " in pre[-10:] or pre.endswith(" of"):
        before = _WORD.findall(pre)[-3:]
        if before and before[-1].lower() == "the":
            before = before[:-1]
        if len(before) >= 2 and before[-1].lower() == "of" and before[-2].lower() in owned:
            return True
    nxt = text[end:end + 3]
    possessive = nxt.startswith(_POSSESSIVE)
    if not (adjective or possessive):
        return False
    after = _WORD.findall(text[end:min(len(text) if stop is None else stop, end + 50)])[:4]
    if after and possessive and after[0] in ("'s", "s", "'"):
        after = after[1:]
    for w in after[:3]:
        if w.lower() in owned:
            return True
        if not w.islower():
            return False
    return False


def _names_a_document(text: str, end: int, documents: frozenset[str]) -> bool:
    """Return True when the name ending at ``end`` is followed by a word of ``documents``
    ("Memorandum", "agreements"): the name is part of a document's or a process's name."""
    nxt = text[end:end + 24].split(None, 2)
    return bool(nxt) and nxt[0].strip(",.;:").lower() in documents


class Named(NamedTuple):
    """A foreign state named in a sentence: its actor id and ISO3, where, and its role there
    (``agent``; ``place``: "in Ukraine"; ``victim``: "Ukraine's sovereignty")."""

    actor: str
    iso3: str
    start: int
    end: int
    adjective: bool
    role: str = "agent"


def foreign_states(text: str, speaker_country: str | None, registry: Registry,
                   mentions: Sequence[Mention | Target] | None = None, *,
                   begin: int = 0, stop: int | None = None) -> list[Named]:
    """Return each foreign state named in ``text`` (by a name, demonym, capital or an actor
    affiliated with it) as a :class:`Named` with its role, the speaker's own country left
    out. ``mentions``: the registry's mentions in ``text``, when the caller has them already
    (the scoring loop's targets); ``begin``/``stop``: the sentence's bounds in ``text``."""
    if mentions is None:
        mentions = registry.mentions(text)
    if not mentions:
        return []
    lex = lexicon()
    out = []
    for m in mentions:
        actor = m.actor
        iso3 = registry.country_of(actor)
        if not iso3 or iso3 == speaker_country:
            continue
        if _names_a_document(text, m.end, lex.documents):
            continue  # "the Budapest Memorandum", "the Minsk agreements": no state named
        place = not m.adjective and is_place(text, m.start, lex.places, lex.between, begin)
        role = ("place" if place else
                "victim" if is_victim(text, m.start, m.end, lex.owned, begin, stop,
                                      adjective=m.adjective) else
                "agent")
        out.append(Named(registry.state_of(iso3) or actor, iso3, m.start, m.end, m.adjective,
                         role))
    return out


def stance(text: str, speaker_country: str | None, registry: Registry,
           previous: Sequence[str] = (), rules: Rules = DEFAULT_RULES) -> Stance:
    """Return the :class:`Stance` of one sentence.

    ``speaker_country`` is the ISO3 code of the speaker's state (never a target);
    ``previous`` the ISO3 codes carried over from the previous sentences (most recent first);
    ``registry`` resolves names, demonyms, capitals and people to states.
    """
    return stance_of(Span(text), speaker_country, registry, previous, rules)


def stance_of(span: Span, speaker_country: str | None, registry: Registry,
              previous: Sequence[str] = (), rules: Rules = DEFAULT_RULES, *,
              mentions: Sequence[Mention | Target] | None = None) -> Stance:
    """The stance measure on one sentence ``span`` (see :func:`stance`); ``mentions``: the
    registry's mentions in it when the caller has them (the scoring loop's targets)."""
    if mentions is None:
        mentions = registry.mentions(span.text, span.start, span.end)
    every = foreign_states(span.text, speaker_country, registry, mentions,
                           begin=span.start, stop=span.end)
    return _decide(span, every, speaker_country, registry, previous, rules)


def _word_at(text: str, start: int) -> str:
    return text[start:].split(None, 1)[0].strip(",.;:")


def _decide(span: Span, every: Sequence[Named], speaker_country: str | None,
            registry: Registry, previous: Sequence[str], rules: Rules,
            after_challenge: bool = False, after_indirect: bool = False) -> Stance:
    """Return the stance of ``span`` given the foreign states named in it (``every``)."""
    lex = lexicon()
    text = span.text
    demands: list[str] = []
    challenge: list[str] = []
    correction: list[str] = []
    first: dict[str, TermHit] = {}  # proxy id -> its first hit
    courtesy: list[str] = []
    contrast: list[str] = []
    reported: list[str] = []
    kinds = {"demand": demands, "challenge": challenge, "correction": correction,
             "courtesy": courtesy, "contrast": contrast, "reported": reported}
    negative_hits: list[tuple[str, str, int]] = []  # (cue as matched, its kind, offset)
    defused: list[str] = []  # negative cues after "prevent", "not": not counted
    for h in cue_hits(span, lex.codebook):
        found = kinds.get(h.category)
        if h.category in _NEGATIVE_KINDS:
            if not h.negated:  # a defuser before it: the thing to prevent, not a deed
                negative_hits.append((h.match.lower(), h.category, h.start))
            else:
                defused.append(h.match.lower())
        elif found is not None:
            found.append(h.match.lower())
        else:
            first.setdefault(h.category, h)
    if not courtesy and (challenge or correction or after_challenge):
        for h in cue_hits(span, lex.secondary):
            kinds[h.category].append(h.match.lower())
    if courtesy or not (negative_hits or demands or challenge or correction
                        or (after_challenge and contrast)):
        return NONE  # courtesy (thanks, a welcome, a vote in favour), or no cue at all
    # a state named as a place or as the one harmed ("in Ukraine", "Ukraine's sovereignty")
    # is not the party criticised
    named = [n for n in every if n.role == "agent"]
    left_out = [n for n in every if n.role != "agent"]
    proxies: list[tuple[str, str, int]] = []  # (phrase, iso3, offset)
    for cid, h in sorted(first.items(), key=lambda kv: int(kv[0].rsplit("_", 1)[1])):
        iso3 = lex.proxies[cid][1]
        if not iso3:  # the agent named nearest to the proxy, else the previous sentences',
            # else the nearest state named as a place or harmed ("the regime in Damascus")
            if named:
                iso3 = min(named, key=lambda n, h=h: abs(n.start - h.start)).iso3
            elif rules.carry_over and previous:
                iso3 = previous[0]
            elif every:
                iso3 = min(every, key=lambda n, h=h: abs(n.start - h.start)).iso3
        if iso3 and iso3 != speaker_country:
            proxies.append((h.match.lower(), iso3, h.start))

    # a harm counts when the sentence itself names who is behind it; the speaker's own
    # "we condemn" when it names someone after it or condemns what another cue calls a wrong
    # ("Washington regrets any loss of life" criticises no one named before it); a state
    # named right before it is the one who rejects ("Russia has rejected the draft")
    named_party = bool(named or proxies)
    plain = any(kind not in _NEEDS_PARTY for _, kind, _ in negative_hits)
    kept = [(w, kind) for w, kind, at in negative_hits
            if kind not in _NEEDS_PARTY or (kind == "stance" and (plain or any(
                n.start > at or at - n.end <= _SUBJECT for n in named)
                or any(p[2] > at for p in proxies)))
            or (kind == "harm" and named_party)]
    negative = [w for w, _ in kept]
    score = (sum(rules.harm_weight if kind in _NEEDS_PARTY else 1.0 for _, kind in kept)
             + 0.5 * len(demands) + (rules.target_bonus if named_party else 0.0))
    countries: list[str] = []
    how = ""
    if named:
        countries = [n.iso3 for n in named]
        how = "named " + ", ".join(dict.fromkeys(_word_at(text, n.start) for n in named))
    elif proxies:
        countries = [p[1] for p in proxies]
        how = "proxy " + ", ".join(p[0] for p in proxies)
    elif rules.carry_over and previous:
        countries = [previous[0]]
        how = "carried over from the previous sentence"
        if after_indirect:  # "It is invalid." after a criticism of the referendum
            how += " (its proxy too)"
    if left_out:
        how += ("; " if how else "") + "not a target (place or harmed): " + ", ".join(
            dict.fromkeys(_word_at(text, n.start) for n in left_out))
    if defused:
        how += ("; " if how else "") + "not counted (prevented or denied): " + ", ".join(
            dict.fromkeys(defused))
    countries = list(dict.fromkeys(countries))
    if not countries:
        if rules.untargeted is not None and (negative or demands) and score >= rules.untargeted:
            cues = ", ".join(dict.fromkeys(negative + demands))
            return Stance(True, "direct", (), (), f"cues: {cues}; rule: negative cues "
                          f"(score {score:g}) without a target" + (f"; {how}" if how else ""))
        return NONE
    # the guidelines' hierarchy: a challenge before a negative evaluation; a challenge
    # that puts the speaker's version against the claim in the same sentence ("Russia
    # claimed ..., but ..."), or a contrast right after a challenge, is its correction
    fixes = list(dict.fromkeys(correction + contrast))
    if challenge and (named or proxies) and fixes:
        kind, why = "correction", (f"cues: {', '.join(challenge + fixes)}; rule: disputed claim "
                                   f"rectified in the sentence + {how}")
    elif reported and correction and (named or proxies):
        kind, why = "correction", (f"cues: {', '.join(reported + correction)}; rule: reported "
                                   f"claim rectified in the sentence + {how}")
    elif challenge and (named or proxies):
        kind, why = "challenge", f"cues: {', '.join(challenge)}; rule: disputed claim + {how}"
    elif after_challenge and fixes:
        kind, why = "correction", (f"cues: {', '.join(fixes)}; rule: rectifies the claim "
                                   f"disputed before + {how}")
    elif score >= rules.threshold and (negative or demands):
        # a state named only as the owner of the proxy ("Russia's veto", "pro-Russian
        # militias") is criticised through it
        nouns = [n for n in named if not n.adjective
                 and not text.startswith(_POSSESSIVE, n.end)]
        kind = "direct" if nouns or not (proxies or (after_indirect and not named)) \
            else "indirect"
        cues = ", ".join(dict.fromkeys(negative + demands))
        why = f"cues: {cues}; rule: negative cues (score {score:g}) + {how}"
        if kind == "indirect" and named:
            why += "; through the proxy " + ", ".join(dict.fromkeys(p[0] for p in proxies))
    else:  # a correction cue alone corrects no one: a correction belongs to a challenge
        return NONE
    targets = tuple(registry.state_of(c) or c.lower() for c in countries)
    return Stance(True, kind, targets, tuple(countries), why)


def stances(texts: Iterable[str], speaker_country: str | None, registry: Registry,
            rules: Rules = DEFAULT_RULES) -> list[Stance]:
    """Return the :class:`Stance` of each sentence of one statement, in order, carrying the
    foreign states of each sentence (criticised or named) over to the next."""
    return stances_of([Span(t) for t in texts], speaker_country, registry, rules)


def stances_of(spans: Sequence[Span], speaker_country: str | None, registry: Registry,
               rules: Rules = DEFAULT_RULES, *,
               mentions: Sequence[Sequence[Mention | Target]] | None = None) -> list[Stance]:
    """The stance measure on the sentences of one statement: :func:`stances` on spans;
    ``mentions``: the registry's mentions of each sentence when the caller has them."""
    out = []
    previous: tuple[str, ...] = ()
    for k, span in enumerate(spans):
        found = None if mentions is None else mentions[k]
        if found is None:
            found = registry.mentions(span.text, span.start, span.end)
        every = foreign_states(span.text, speaker_country, registry, found,
                               begin=span.start, stop=span.end)
        after = bool(out) and out[-1].stance_type in ("challenge", "correction")
        result = _decide(span, every, speaker_country, registry, previous, rules, after,
                         bool(out) and out[-1].stance_type == "indirect")
        out.append(result)
        # carried over: the states criticised here, else the ones named as agents
        here = result.target_countries or tuple(dict.fromkeys(
            n.iso3 for n in every if n.role == "agent"))
        if here:
            previous = here
    return out

"""The cue lexicon: the words quote extraction looks for, from ``analysis/data/cues.yml``.

:func:`load_cues` reads a cues file (the packaged one by default) through its schema
(:class:`analysis.schema.CuesFile`) and returns :class:`Cues`, the same words as frozen
sets and tuples for fast look-ups. What each key means is documented in the file itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import AnalysisError, Problem
from ..resources import data_path, packaged
from ..schema import PRONOUN_KINDS, VERB_KINDS, CuesFile, load_yaml_file
from .kinds import ATTITUDE_KINDS

__all__ = ["PRONOUN_KINDS", "VERB_KINDS", "Cues", "load_cues"]


@dataclass(frozen=True)
class Cues:
    """The validated contents of a cues file (see ``analysis/data/cues.yml``): every word
    lower-cased; ``source`` is the file it came from."""

    verbs: Mapping[str, str]
    not_followed_by: Mapping[str, frozenset[str]]
    needs_after: Mapping[str, frozenset[str]]
    particles: Mapping[str, str]
    as_openers: frozenset[str]
    naming_verbs: frozenset[str]
    indefinites: frozenset[str]
    named_things: frozenset[str]
    closing_cues: frozenset[str]
    takes_infinitive: frozenset[str]
    participle_openers: frozenset[str]
    speech_nouns: frozenset[str]
    possessive_pronouns: Mapping[str, str]
    noun_markers: frozenset[str]
    noun_homographs: frozenset[str]
    noun_followers: frozenset[str]
    preposed_phrases: tuple[tuple[str, ...], ...]
    speaker_frames: tuple[tuple[str, ...], ...]
    pronouns: Mapping[str, str]
    titles: Mapping[str, frozenset[str]]
    organisation_words: frozenset[str]
    colon_labels: frozenset[str]
    negators: frozenset[str]
    negator_suffixes: tuple[str, ...]
    passive: frozenset[str]
    progressive_auxiliaries: frozenset[str]
    infinitive_markers: frozenset[str]
    auxiliaries: frozenset[str]
    skip_before: frozenset[str]
    boundaries: frozenset[str]
    coordinators: frozenset[str]
    modals: frozenset[str]
    relative_subjects: frozenset[str]
    continuing_verbs: frozenset[str]
    time_words: frozenset[str]
    relative_pronouns: frozenset[str]
    complementizers: frozenset[str]
    addressee_words: frozenset[str]
    addressee_determiners: frozenset[str]
    after_words: frozenset[str]
    not_adverbs: frozenset[str]
    ignore_subjects: frozenset[str]
    plural_nouns: frozenset[str]
    determiners: frozenset[str]
    prepositions: frozenset[str]
    attitude_verbs: Mapping[str, str] = dataclasses.field(default_factory=dict)
    attitude_nouns: Mapping[str, str] = dataclasses.field(default_factory=dict)
    attitude_in_sources: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: the attitude cues in force, word -> kind: empty unless :meth:`with_attitudes` made
    #: this lexicon (then its verbs and speech nouns include them)
    attitude_of: Mapping[str, str] = dataclasses.field(default_factory=dict)
    #: the "In <a poll>, CONTENT" sources in force (as ``attitude_of``)
    in_sources: Mapping[str, str] = dataclasses.field(default_factory=dict)
    poll_answer_words: frozenset[str] = frozenset()
    not_source_openers: frozenset[str] = frozenset()
    sourceless_cues: frozenset[str] = frozenset()
    #: the first words of ``preposed_phrases`` ("according")
    preposed_first_words: frozenset[str] = frozenset()
    min_statement_words: int = 4
    source: str = "<cues>"

    def with_attitudes(self) -> Cues:
        """Return this lexicon with the attitude cues (``attitudes`` in the cues file) read as
        verbs whose content follows them (never inverted) and as speech nouns, each reporting
        its kind (``attitude_of``)."""
        verbs = dict(self.verbs)
        for w in self.attitude_verbs:
            verbs.setdefault(w, "object")  # never inverted: ", she believes" is rare
        nouns = {w: k for w, k in self.attitude_nouns.items() if w not in self.speech_nouns}
        return dataclasses.replace(
            self, verbs=verbs, speech_nouns=self.speech_nouns | frozenset(nouns),
            attitude_of={**{w: k for w, k in self.attitude_verbs.items()
                            if w not in self.verbs}, **nouns},
            in_sources=dict(self.attitude_in_sources))

    @classmethod
    def from_file(cls, data: CuesFile, source: str) -> Cues:
        """Return the look-up form of a validated cues file ``data`` read from ``source``."""
        sets = {
            name: frozenset(getattr(data, name))
            for name in ("noun_homographs", "noun_followers", "speech_nouns",
                         "participle_openers", "colon_labels", "organisation_words",
                         "takes_infinitive", "noun_markers", "negators", "passive",
                         "progressive_auxiliaries", "closing_cues", "naming_verbs",
                         "indefinites", "named_things", "as_openers", "poll_answer_words",
                         "not_source_openers", "sourceless_cues",
                         "infinitive_markers", "auxiliaries", "skip_before", "boundaries",
                         "coordinators", "modals", "relative_subjects", "continuing_verbs",
                         "time_words", "relative_pronouns", "complementizers",
                         "addressee_words", "addressee_determiners", "after_words", "not_adverbs",
                         "ignore_subjects", "plural_nouns", "determiners", "prepositions")
        }
        bad = sorted(set(data.attitudes) - set(ATTITUDE_KINDS))
        if bad:
            raise AnalysisError([Problem(source, f"unknown attitude kind {k!r}; valid: "
                                                 f"{list(ATTITUDE_KINDS)}", f"attitudes.{k}")
                                 for k in bad])
        return cls(
            attitude_verbs={w: k for k, a in data.attitudes.items() for w in a.verbs},
            attitude_nouns={w: k for k, a in data.attitudes.items() for w in a.nouns},
            attitude_in_sources={w: k for k, a in data.attitudes.items() for w in a.in_sources},
            verbs=dict(data.verbs),
            not_followed_by={k: frozenset(v) for k, v in data.not_followed_by.items()},
            needs_after={k: frozenset(v) for k, v in data.needs_after.items()},
            particles=dict(data.particles),
            preposed_phrases=tuple(tuple(p) for p in data.preposed_phrases),
            preposed_first_words=frozenset(p[0] for p in data.preposed_phrases),
            speaker_frames=tuple(tuple(p) for p in data.speaker_frames),
            pronouns=dict(data.pronouns),
            titles={k: frozenset(v) for k, v in data.titles.items()},
            possessive_pronouns=dict(data.possessive_pronouns),
            negator_suffixes=tuple(data.negator_suffixes),
            min_statement_words=data.min_statement_words,
            source=source,
            **sets,
        )


@cache
def _packaged_cues() -> Cues:
    return Cues.from_file(packaged("cues", CuesFile), str(data_path("cues")))


def load_cues(path: str | Path | None = None) -> Cues:
    """Load and validate a cues file; ``None`` loads the packaged ``analysis/data/cues.yml``.

    Returns :class:`Cues`. Raises :class:`~analysis.errors.AnalysisError` naming the file,
    line and each bad entry.

    >>> load_cues().verbs["said"]
    'clause'
    """
    if path is None:
        return _packaged_cues()
    return Cues.from_file(load_yaml_file(path, CuesFile, what="cues file"), str(path))

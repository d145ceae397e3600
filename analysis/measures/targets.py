"""Targets: the registry actors a text names (names, aliases, demonyms such as ``American``).

The measure is :func:`targets`: every mention of an actor of the registry
(:meth:`analysis.speakers.Registry.mentions`, longest alias first, left to right), marked
``self_reference`` when the actor is the speaker or the body the speaker speaks for
(:meth:`~analysis.speakers.Registry.affiliation_of`). A mention is not yet a criticism: who
is negatively evaluated is the stance measure's question.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..speakers import Registry
from .tokens import Span


@dataclass(frozen=True)
class Target:
    """One mention of a registry actor: its id, the words and their offsets into the text."""

    actor: str
    mention: str
    start: int
    end: int
    adjective: bool
    self_reference: bool


def own_side(registry: Registry, speaker: str | None) -> frozenset[str]:
    """Return the ids that count as the speaker's own side: the speaker and its affiliation.

    >>> from analysis.speakers import load_registry
    >>> sorted(own_side(load_registry(), "power"))
    ['power', 'united_states']
    """
    return frozenset({speaker, registry.affiliation_of(speaker)} - {None})


def targets(span: Span, registry: Registry, *, speaker: str | None = None) -> list[Target]:
    """The targets measure: return the registry actors named in ``span``, left to right.

    >>> from analysis.speakers import load_registry
    >>> [(t.actor, t.mention, t.self_reference) for t in targets(
    ...     Span("Washington regrets the Russian stunt."), load_registry(), speaker="power")]
    [('united_states', 'Washington', True), ('russia', 'Russian', False)]
    """
    found = registry.mentions(span.text, span.start, span.end, adjectives=True)
    if not found:
        return []
    own = own_side(registry, speaker)
    return [Target(m.actor, m.text, m.start, m.end, m.adjective, m.actor in own) for m in found]

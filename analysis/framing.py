"""The framing codebook and the passive-voice detector, under their former import path.

The measures live in :mod:`analysis.measures` (:mod:`~analysis.measures.codebook`: the
codebook file and its loader; :mod:`~analysis.measures.framing`: cue matching;
:mod:`~analysis.measures.passives`: the passive voice). This module re-exports their public
names so that ``from analysis.framing import load_codebook`` keeps working; it holds no code.
"""

from __future__ import annotations

from .measures.codebook import (
    GROUPS,
    RESERVED_IDS,
    Category,
    Codebook,
    as_codebook,
    load_codebook,
    parse_codebook,
)
from .measures.framing import TermHit, count_hits, cue_hits, find_terms, match_tokens
from .measures.passives import (
    Passive,
    find_passives,
    participle_after,
    passive_rules,
    passives,
    passives_in_tokens,
)

__all__ = [
    "GROUPS", "RESERVED_IDS", "Category", "Codebook", "Passive", "TermHit", "as_codebook",
    "count_hits", "cue_hits", "find_passives", "find_terms", "load_codebook", "match_tokens",
    "parse_codebook", "participle_after", "passive_rules", "passives", "passives_in_tokens",
]

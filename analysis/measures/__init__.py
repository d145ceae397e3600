"""The measures: one function per measure, each with its exact fast path behind it.

=================  ==========================================  ============================
module             the measure (one function)                  what it returns
=================  ==========================================  ============================
``sentiment``      :func:`~.sentiment.sentiment`               the six VADER/TextBlob values
``framing``        :func:`~.framing.cue_hits`                  codebook cue hits (+ negation)
``passives``       :func:`~.passives.passives`                 passive constructions, agents
``targets``        :func:`~.targets.targets`                   registry actors mentioned
``stance``         :func:`~.stance.stances`                    negative evaluation, its type,
                                                               target state and evidence
=================  ==========================================  ============================

Each of the first four takes a :class:`~.tokens.Span` (a piece of text, tokenized once and
shared by the measures of one unit) and ``exact``: ``"fast"`` (the default, :data:`EXACT`)
runs the project's exact re-implementation, ``"library"`` the reference (NLTK's VADER,
TextBlob, the token-object matchers of this package). Both give the same values, checked
value for value by ``tests/test_fastpath.py`` and by ``python -m analysis bench`` on its
sample; the library path is the reference those differential tests compare against.
``analysis.scoring`` runs the one loop over units (statements or sentences) that calls these
functions.

The codebook file and its loader are :mod:`analysis.measures.codebook`; the shared tokens of
a unit are :mod:`analysis.measures.tokens`.
"""

from __future__ import annotations

from .tokens import EXACT, EXACT_MODES, exact_mode

__all__ = ["EXACT", "EXACT_MODES", "exact_mode"]

"""The kinds of what attribution finds: the one declaration (other modules import them from
:mod:`analysis.quotes`).

:data:`KINDS` are the kinds of *statement* -- what a speaker said. :data:`ATTITUDE_KINDS` are
attributions that are not statements by a speaker: what someone believes, thinks, hopes or
wants (``belief``), what a poll, survey, study or record shows or finds (``poll``) and the
acts and positions a source is reported to take (``act``: "X endorsed Y"). They
are extracted only when asked (``extract_statements(..., attitudes=True)``) and never count
as statements: the statements table, its counts, scores, figures and the report hold
statements only.
"""

from __future__ import annotations

__all__ = ["ALL_KINDS", "ATTITUDE_KINDS", "KINDS"]

#: The statement kinds: the speaker's words in quote marks (``direct``), reported speech
#: holding a quote (``mixed``), reported speech (``indirect``), and a document that is the
#: speaker's own statement (``statement``).
KINDS = ("direct", "mixed", "indirect", "statement")
#: Attributions that are not statements (see the module docstring): ``belief`` (a belief,
#: thought, hope, wish or intention), ``poll`` (what a poll, survey, study or record shows)
#: and ``act`` (an act or position attributed to a source whose cue the learned cue model
#: finds: "X endorsed Y", "X declined to comment"; :mod:`analysis.quotes.learned`).
ATTITUDE_KINDS = ("belief", "poll", "act")
#: Every kind attribution may report, statements first.
ALL_KINDS = KINDS + ATTITUDE_KINDS

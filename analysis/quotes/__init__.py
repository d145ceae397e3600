"""Statements and their speakers: direct, mixed and reported speech in news reports.

:func:`extract_statements` turns documents into the statements table (one row per
statement, columns :data:`COLUMNS`, kinds :data:`KINDS`; beliefs and polls, which are not
statements, only when asked: :data:`ATTITUDE_KINDS`). The rules work on the project's own
tokenization (:mod:`analysis.text`) and the actor registry (:mod:`analysis.speakers`);
the words they look for (speech verbs, pronouns, ...) live in ``data/cues.yml``
(:func:`load_cues`).

The package, by job:

* :mod:`~analysis.quotes.cues` -- the cue lexicon (``cues.yml``, validated);
* :mod:`~analysis.quotes.marks` -- pairing quote marks;
* :mod:`~analysis.quotes.attribution` -- finding statements and their speakers, with
  :mod:`~analysis.quotes.context` (what is precomputed per document) and
  :mod:`~analysis.quotes.sources` (speaker phrases, pronouns);
* :mod:`~analysis.quotes.learned` -- the learned cue model (attitudes only: acts, beliefs
  and polls whose cues the rules do not know) and its source chooser;
* :mod:`~analysis.quotes.kinds` -- the kinds of statement (and of attitude);
* :mod:`~analysis.quotes.table` -- the statements table.

How a report is read:

1. :func:`scan_quotes` pairs the double quote marks of each paragraph in one pass. A quote
   left open at the end of a paragraph runs to the paragraph end; when the next paragraph
   opens with a quote mark, that quote continues it (one statement per paragraph, one
   speaker for the chain).
2. Every speech cue outside quotes (``said``, ``told``, ``according to`` ...) that is not
   negated or passive gets a speaker (the phrase before it, after it when inverted, the
   subject of the clause for participles and coordinated verbs, a pronoun resolved through
   the registry) and a content: the clause after the cue, or the clause before it when the
   cue closes the sentence (``"Q," she said``). A content that is a quote is a *direct*
   statement, one holding a quote is *mixed*, else *indirect*.
   Beyond "X said (that) ...": speech acts ("called for", "urged", "pledged to"),
   progressives ("are saying"), speaker phrases carrying a relative clause or a part set off
   by dashes or commas, "As X reported, ...", "according to X", possessive speech nouns
   ("X's remarks that ..."), colon lines (a transcript's ``NAME:`` is direct, a headline's
   ``Name: summary`` indirect).
3. Quotes no cue claimed: a sentence-initial quote of several words continues the last
   attributed speaker of its paragraph (or, opening a paragraph, of the paragraph before);
   otherwise it is a direct statement with no speaker. Short quotes inside a sentence are
   mentions or scare quotes and are dropped.

With ``extract_statements(..., attitudes=True)`` beliefs and polls ("voters think ...", "a
survey shows ...") are found as well, with kinds of their own (:data:`ATTITUDE_KINDS`, see
:mod:`~analysis.quotes.kinds`), and a learned cue model (:mod:`~analysis.quotes.learned`)
adds the acts and positions attributed to a source ("X endorsed Y", kind ``act``) and the
beliefs and polls whose cues the rules do not know, each with the source its chooser picks
among the words of the sentence; by default none of this runs: the table
holds statements only, found by the rules.

Offsets are into ``doc.body``: ``body[start:end] == text`` for every row. All scans are
linear in the length of the text.
"""

from __future__ import annotations

from .cues import Cues, load_cues
from .kinds import ALL_KINDS, ATTITUDE_KINDS, KINDS
from .marks import Quote, scan_quotes
from .table import COLUMNS, extract_statements

__all__ = ["ALL_KINDS", "ATTITUDE_KINDS", "COLUMNS", "KINDS", "Cues", "Quote", "extract_statements",
           "load_cues", "scan_quotes"]

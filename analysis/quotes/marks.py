"""Quote marks: pairing the double quote marks of a text, and single-quoted fragments.

:func:`scan_quotes` pairs the double quote marks of each paragraph in one pass and returns
:class:`Quote` spans; :func:`single_quoted` tells whether a span holds a fragment in single
quotes. Both are linear in the length of the text.

Double quote marks: straight ``"`` and two apostrophes ``''`` (a newspaper-archive style)
open or close; “, two backticks, « and „ open; ” and » close; “ also closes a quote opened
by „ (German „das“).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import Token, paragraphs

__all__ = ["CLOSE_CURLY", "OPEN_CURLY", "QUOTE_CHARS", "QUOTE_TOKENS", "Quote", "quote_tokens",
           "scan_quotes", "single_quoted"]

_QUOTE_MARKS = re.compile("''|``|[\"\u201c\u201d\u00ab\u00bb\u201e]")
OPEN_CURLY, CLOSE_CURLY = "\u201c", "\u201d"
_STRAIGHT = frozenset(('"', "''"))
_OPENING = frozenset(("\u201c", "``", "\u00ab", "\u201e"))
#: The characters that open or close a double quote (``''`` is two apostrophes).
QUOTE_CHARS = frozenset('"\u201c\u201d\u00ab\u00bb\u201e')
#: The tokens that are double quote marks (the attribution rules' tokens, see
#: :func:`quote_tokens`).
QUOTE_TOKENS = frozenset(('"', "\u201c", "\u201d", "\u00ab", "\u00bb", "\u201e", "''", "``"))
_SINGLE_OPEN = frozenset("'\u2018")
_SINGLE_CLOSE = frozenset("'\u2019")


@dataclass(frozen=True)
class Quote:
    """A double-quoted span. ``start``/``end`` delimit the content (marks excluded);
    ``close`` is the offset of the closing mark, or None when the quote runs to the end of
    its paragraph; ``chain`` is the index of the first quote of a multi-paragraph quote;
    ``after`` is the offset after the closing mark (``end`` when there is none)."""

    open: int
    close: int | None
    start: int
    end: int
    paragraph: int
    chain: int
    after: int = -1


def scan_quotes(text: str, paras: list[tuple[int, int]] | None = None) -> list[Quote]:
    """Return the double-quoted spans of ``text``, paragraph by paragraph, in one pass.

    Straight marks toggle; curly marks open or close. A straight mark right after a digit
    (``12"``) is an inch sign and one with spaces on both sides a stray mark. A stray closing
    mark is ignored; a quote still open at the paragraph end runs to it, and when it ends with
    a full sentence a quote opening the next paragraph continues it.

    >>> [(q.start, q.end, q.close) for q in scan_quotes('He said "no," twice.')]
    [(9, 12, 12)]
    """
    paras = paragraphs(text) if paras is None else paras
    out: list[Quote] = []
    prev_open_chain: int | None = None
    for pi, (pa, pb) in enumerate(paras):
        open_at: int | None = None
        open_len = 1
        open_mark = ""
        chain_here: int | None = None
        first = True
        for m in _QUOTE_MARKS.finditer(text, pa, pb):
            i, mark = m.start(), m.group()
            if mark in _STRAIGHT:
                if i > pa and text[i - 1].isdigit() and open_at is None:
                    continue  # 12" guns
                if i > pa and m.end() < pb and text[i - 1].isspace() \
                        and text[m.end()].isspace() and not (
                            open_at is not None and i - 2 >= pa and text[i - 2] in _SINGLE_CLOSE):
                    continue  # a stray mark standing alone (not "... 'so,' " said X")
            closing_german = mark == OPEN_CURLY and open_mark == "\u201e"
            opening = not closing_german and (
                mark in _OPENING or (mark in _STRAIGHT and open_at is None))
            if opening:
                open_at, open_len, open_mark = i, len(mark), mark
                continue
            if open_at is None:
                continue  # stray closing mark
            chain = len(out)
            if first and open_at == pa and prev_open_chain is not None:
                chain = prev_open_chain
            out.append(Quote(open_at, i, open_at + open_len, i, pi, chain, m.end()))
            open_at, open_mark = None, ""
            first = False
        if open_at is not None:
            chain = len(out)
            if first and open_at == pa and prev_open_chain is not None:
                chain = prev_open_chain
            out.append(Quote(open_at, None, open_at + open_len, pb, pi, chain, pb))
            # only a quote ending in a full sentence runs on into the next paragraph
            if text[pb - 1] in ".!?":
                chain_here = chain
        prev_open_chain = chain_here
    return out


def quote_tokens(tokens: list[Token]) -> list[Token]:
    """Return ``tokens`` with each pair of adjacent apostrophes (backticks) that the
    tokenizer split into two marks joined into one token (``''``, two backticks), the quote mark
    they stand for; other tokens are kept as they are (the same objects)."""
    out: list[Token] = []
    for t in tokens:
        if (out and t.text in ("'", "`") and out[-1].text == t.text and out[-1].end == t.start):
            prev = out.pop()
            out.append(Token(prev.text * 2, prev.text * 2, prev.start, t.end))
        else:
            out.append(t)
    return out


def single_quoted(body: str, a: int, b: int) -> bool:
    """Does ``body[a:b]`` hold a fragment in single quotes (``called it 'a list of
    fantasies'``)? An opening mark follows white space or the span start and precedes a
    letter or digit; a closing one follows a word character or punctuation and precedes
    white space, punctuation or the span end -- so apostrophes (``Kessland's``,
    ``Ostravians' guns``) open nothing. One pass over the span.

    >>> single_quoted("called it 'a farce' twice", 0, 25), single_quoted("Lind's view", 0, 11)
    (True, False)
    """
    opened = -1
    for i in range(a, b):
        c = body[i]
        if opened < 0:
            after_gap = i == a or body[i - 1].isspace() or body[i - 1] in "(\u2014-"
            if c in _SINGLE_OPEN and after_gap and i + 1 < b and body[i + 1].isalnum():
                opened = i
        elif c in _SINGLE_CLOSE and i > opened + 1 and not body[i - 1].isspace() \
                and (i + 1 >= b or not body[i + 1].isalnum()):
            return True
    return False

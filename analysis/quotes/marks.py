"""Quote marks: pairing the double quote marks of a text, and single-quoted fragments.

:func:`scan_quotes` pairs the double quote marks of each paragraph in one pass and returns
:class:`Quote` spans; :func:`single_quoted` tells whether a span holds a fragment in single
quotes. Both are linear in the length of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text import paragraphs

__all__ = ["CLOSE_CURLY", "OPEN_CURLY", "QUOTE_CHARS", "Quote", "scan_quotes", "single_quoted"]

_QUOTE_MARKS = re.compile('["\u201c\u201d]')
OPEN_CURLY, CLOSE_CURLY = "\u201c", "\u201d"
#: The characters that open or close a double quote.
QUOTE_CHARS = frozenset('"\u201c\u201d')
_SINGLE_OPEN = frozenset("'\u2018")
_SINGLE_CLOSE = frozenset("'\u2019")


@dataclass(frozen=True)
class Quote:
    """A double-quoted span. ``start``/``end`` delimit the content (marks excluded);
    ``close`` is the offset of the closing mark, or None when the quote runs to the end of
    its paragraph; ``chain`` is the index of the first quote of a multi-paragraph quote."""

    open: int
    close: int | None
    start: int
    end: int
    paragraph: int
    chain: int


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
        chain_here: int | None = None
        first = True
        for m in _QUOTE_MARKS.finditer(text, pa, pb):
            i = m.start()
            ch = text[i]
            if ch == '"' and i > pa and text[i - 1].isdigit() and open_at is None:
                continue  # 12" guns
            if ch == '"' and i > pa and i + 1 < pb and text[i - 1].isspace() \
                    and text[i + 1].isspace():
                continue  # a stray mark standing alone
            opening = ch == OPEN_CURLY or (ch == '"' and open_at is None)
            if opening:
                if open_at is None or ch == OPEN_CURLY:
                    open_at = i
                continue
            if open_at is None:
                continue  # stray closing mark
            chain = len(out)
            if first and open_at == pa and prev_open_chain is not None:
                chain = prev_open_chain
            out.append(Quote(open_at, i, open_at + 1, i, pi, chain))
            open_at = None
            first = False
        if open_at is not None:
            chain = len(out)
            if first and open_at == pa and prev_open_chain is not None:
                chain = prev_open_chain
            out.append(Quote(open_at, None, open_at + 1, pb, pi, chain))
            # only a quote ending in a full sentence runs on into the next paragraph
            if text[pb - 1] in ".!?":
                chain_here = chain
        prev_open_chain = chain_here
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

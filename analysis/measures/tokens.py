"""The unit of measurement: a span of text, tokenized once and shared by every measure.

A :class:`Span` is ``text[start:end]`` (a statement or one of its sentences). Its tokens are
those of :func:`analysis.text.tokenize`, computed on first use in the form the caller needs:
token objects with offsets (:attr:`Span.tokens`, the reference path), or plain strings
(:attr:`Span.strings`, the fast path) with memoised look-ups per distinct token text
(:attr:`Span.lexes`) and offsets computed only when a measure asks for them
(:attr:`Span.starts`). The framing, passive and token-count measures of one unit therefore
tokenize it once between them.

``exact`` selects the implementation of every measure: :data:`EXACT_MODES`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any

from ..errors import fail
from ..text import Token, token_strings, tokenize, words

#: The implementations of every measure: "fast" (exact re-implementation) or "library".
EXACT_MODES = ("fast", "library")
#: The default implementation (``exact=None``).
EXACT = "fast"
#: Tokens that end a clause: the negation look-back of the framing matcher stops at them, and
#: so does the passive detector's look-ahead for ``by`` (documented in the headers of
#: ``data/codebook.yml`` and ``data/participles.yml``).
CLAUSE_PUNCTUATION = frozenset(",;:.!?()[]\u2013\u2014-")
#: Memo tables are emptied when they reach this many entries (memory stays flat).
MEMO_LIMIT = 400_000


def exact_mode(exact: str | None) -> str:
    """Return the implementation to use: ``exact``, or :data:`EXACT` when it is None.

    >>> exact_mode(None), exact_mode("library")
    ('fast', 'library')
    """
    mode = EXACT if exact is None else exact
    if mode not in EXACT_MODES:
        raise fail("exact", f"unknown implementation {mode!r}; valid: {list(EXACT_MODES)}")
    return mode


def norm(word: str) -> str:
    """Return the form the matchers compare: lower case, typographic apostrophe as ``'``."""
    return word.replace("\u2019", "'").lower()


def is_word(token: str) -> bool:
    """Return True for a word token (it starts or ends with a letter or digit)."""
    return token[0].isalnum() or token[-1].isalnum()


class Lex:
    """What the measures need to know about one token text: its normal form and whether it is
    a word (memoised per distinct text, see :func:`lex`)."""

    __slots__ = ("norm", "word")

    def __init__(self, text: str) -> None:
        self.norm = norm(text)
        self.word = is_word(text)


class Memo(dict):
    """A memo table: ``memo[key]`` is ``compute(key)``, computed on first use (a dict whose
    look-ups run at C speed, ``map(memo.__getitem__, keys)``); emptied when it reaches
    :data:`MEMO_LIMIT` entries, so that memory stays flat."""

    def __init__(self, compute: Callable[[str], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> Any:
        if len(self) >= MEMO_LIMIT:
            self.clear()
        value = self[key] = self.compute(key)
        return value


_LEX = Memo(Lex)
_NORM = attrgetter("norm")
_WORD = attrgetter("word")


def lex(token: str) -> Lex:
    """Return the memoised :class:`Lex` of token text ``token``."""
    return _LEX[token]


def token_starts(text: str, tokens: Sequence[str], start: int = 0) -> list[int]:
    """Return the offsets in ``text`` of ``tokens`` (from :func:`analysis.text.token_strings`
    at ``start``).

    Between two tokens of the tokenizer there is only white space (every other character
    starts a token), so the next occurrence of a token's text is the token itself.

    >>> token_starts("We  condemn it.", ["We", "condemn", "it", "."])
    [0, 4, 12, 14]
    """
    out = []
    pos = start
    find = text.find
    for t in tokens:
        pos = find(t, pos)
        out.append(pos)
        pos += len(t)
    return out


class Span:
    """``text[start:end]`` and its tokens, computed once on first use (see the module doc).

    >>> s = Span("Preamble. We condemn it.", 10)
    >>> s.strings, s.starts, s.n_words("fast"), [t.start for t in s.tokens]
    (['We', 'condemn', 'it', '.'], [10, 13, 21, 23], 3, [10, 13, 21, 23])
    """

    __slots__ = ("text", "start", "end", "_tokens", "_strings", "_starts", "_lexes")

    def __init__(self, text: str, start: int = 0, end: int | None = None) -> None:
        self.text = text
        self.start = start
        self.end = len(text) if end is None else end
        self._tokens: list[Token] | None = None
        self._strings: list[str] | None = None
        self._starts: list[int] | None = None
        self._lexes: list[Lex] | None = None

    @property
    def piece(self) -> str:
        """The text of the span."""
        return self.text[self.start:self.end]

    @property
    def tokens(self) -> list[Token]:
        """The tokens with their offsets into :attr:`text` (:func:`analysis.text.tokenize`)."""
        if self._tokens is None:
            self._tokens = tokenize(self.text, self.start, self.end)
        return self._tokens

    @property
    def strings(self) -> list[str]:
        """The texts of the tokens."""
        if self._strings is None:
            self._strings = token_strings(self.text, self.start, self.end)
        return self._strings

    @property
    def starts(self) -> list[int]:
        """The offsets of the tokens in :attr:`text`."""
        if self._starts is None:
            self._starts = token_starts(self.text, self.strings, self.start)
        return self._starts

    @property
    def lexes(self) -> list[Lex]:
        """The memoised :class:`Lex` of every token."""
        if self._lexes is None:
            self._lexes = list(map(_LEX.__getitem__, self.strings))
        return self._lexes

    @property
    def norms(self) -> list[str]:
        """The normal forms of the tokens (:func:`norm`)."""
        return list(map(_NORM, self.lexes))

    def n_words(self, exact: str | None = None) -> int:
        """Return the number of word tokens (the denominator of every per-100 rate)."""
        if exact_mode(exact) == "fast":
            return sum(map(_WORD, self.lexes))
        return len(words(self.tokens))


def as_span(text: str | Span, start: int = 0, end: int | None = None) -> Span:
    """Return ``text`` itself when it is a :class:`Span`, else the span ``text[start:end]``."""
    return text if isinstance(text, Span) else Span(text, start, end)


def clear_memos() -> None:
    """Empty the token memo (benchmarks start every timed run from scratch)."""
    _LEX.clear()

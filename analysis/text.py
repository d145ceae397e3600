"""Paragraphs, sentences and tokens, all as character offsets into a document body.

Sentence splitting is NLTK's Punkt algorithm run with project-maintained parameters
(the abbreviations in ``data/abbreviations.yml``) instead of the downloadable
``punkt_tab`` models, so it needs no data files and gives the same result on every
machine. Tokens come from one regular expression (words with inner hyphens and
apostrophes, numbers, and single punctuation marks).

Every function returns spans ``(start, end)`` such that ``text[start:end]`` is the piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .resources import packaged
from .schema import AbbreviationsFile

if TYPE_CHECKING:
    from nltk.tokenize.punkt import PunktSentenceTokenizer

Span = tuple[int, int]

# a blank line ends a paragraph, whatever the line endings (\n, \r\n or \r)
_NEWLINE = r"(?:\r\n|\r(?!\n)|\n)"
_PARA_BREAK = re.compile(_NEWLINE + r"[ \t]*" + _NEWLINE + "+")
#: The token pattern: abbreviations such as ``U.S.``, words with inner hyphens and
#: apostrophes, numbers, and single punctuation marks.
TOKEN_PATTERN = re.compile(
    r"[A-Za-z\u00C0-\u024F]\.(?:[A-Za-z\u00C0-\u024F]\.)+"  # U.S., U.N.
    r"|\w+(?:[-'\u2019]\w+)*"  # words, heavy-handedness, Russia's
    r"|[^\w\s]"  # one punctuation mark
)


@dataclass(frozen=True, slots=True)
class Token:
    """A token: its text, its lower-cased form and its span in the text it came from."""

    text: str
    lower: str
    start: int
    end: int


def abbreviations() -> frozenset[str]:
    """Return the abbreviations the sentence splitter knows, lower-cased, final period removed.

    >>> "u.s" in abbreviations() and "gen" in abbreviations()
    True
    """
    return _abbreviations()


@cache
def _abbreviations() -> frozenset[str]:
    groups = packaged("abbreviations", AbbreviationsFile).abbreviations
    return frozenset(a for items in groups.values() for a in items)


@cache
def _sentence_starters() -> frozenset[str]:
    return frozenset(packaged("abbreviations", AbbreviationsFile).sentence_starters)


@cache
def _punkt() -> PunktSentenceTokenizer:
    # imported here: tokenising (framing, notebooks unpickling an analysis) needs no NLTK
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(_abbreviations())
    params.sent_starters = set(_sentence_starters())
    return PunktSentenceTokenizer(params)


def paragraphs(text: str) -> list[Span]:
    """Return the spans of the paragraphs of ``text`` (blocks separated by blank lines;
    ``\r\n`` and ``\r`` line endings count as ``\n``).

    Leading and trailing white space is excluded from each span; empty blocks are dropped.

    >>> paragraphs("One.\\n\\nTwo.\\n")
    [(0, 4), (6, 10)]
    """
    spans: list[Span] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def _strip(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Return the sentence spans of ``text[start:end]``, as offsets into ``text``.

    Paragraph breaks always end a sentence. Abbreviations such as ``U.S.``, ``Gen.`` or
    ``p.m.`` do not.

    >>> t = "Gen. Smith met the U.N. envoy at 5 p.m. on Monday. He left."
    >>> [t[a:b] for a, b in sentences(t)]
    ['Gen. Smith met the U.N. envoy at 5 p.m. on Monday.', 'He left.']
    """
    end = len(text) if end is None else end
    return list(_sentences(text, start, end))


@lru_cache(maxsize=256)
def _sentences(text: str, start: int, end: int) -> tuple[Span, ...]:
    # cached: quote extraction and scoring split the same bodies (Punkt is the costly part)
    out: list[Span] = []
    tok = _punkt()
    chunk = text[start:end]
    for pa, pb in paragraphs(chunk):
        first = True
        for sa, sb in tok.span_tokenize(chunk[pa:pb]):
            c = chunk[pa + sa]
            if not first and (c.islower() or c in "),;:"):
                # a sentence never opens in lower case or with a closing parenthesis or
                # comma: Punkt split after an abbreviation it does not know ("Harry Reid
                # (D-Nev.) told reporters", "Ada Voss (D-Kess.), chair of ...")
                out[-1] = (out[-1][0], start + pa + sb)
            else:
                out.append((start + pa + sa, start + pa + sb))
            first = False
    return tuple(out)


def clear_cache() -> None:
    """Forget the sentence splits remembered so far (benchmarks start from nothing)."""
    _sentences.cache_clear()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Return the tokens of ``text[start:end]`` with offsets into ``text``.

    >>> [t.text for t in tokenize("Russia's heavy-handedness, the U.S. said.")]
    ["Russia's", 'heavy-handedness', ',', 'the', 'U.S.', 'said', '.']
    """
    end = len(text) if end is None else end
    return [
        Token(m.group(), m.group().lower(), m.start(), m.end())
        for m in TOKEN_PATTERN.finditer(text, start, end)
    ]


def token_strings(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """Return the texts of :func:`tokenize`'s tokens of ``text[start:end]`` (no offsets; the
    measures' fast paths compute offsets only where they need them).

    >>> token_strings("Russia's heavy-handedness, the U.S. said.")
    ["Russia's", 'heavy-handedness', ',', 'the', 'U.S.', 'said', '.']
    """
    return TOKEN_PATTERN.findall(text, start, len(text) if end is None else end)


def words(tokens: list[Token]) -> list[Token]:
    """Return only the word tokens (those containing a letter or digit)."""
    return [t for t in tokens if t.text[0].isalnum() or t.text[-1].isalnum()]

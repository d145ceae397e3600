"""Line breaks of the UN records: hard-wrapped PDF text back into paragraphs.

The Security Council files keep the hard line breaks of the PDF records. :func:`reflow`
rebuilds a body as paragraphs (blocks between blank lines) separated by exactly one blank
line, each paragraph on one line: a line break becomes a space, except after a hyphen at the
end of a line. There the rule is conservative, because the UN records break lines only at real
hyphens (``Secretary-|General``, ``post-|conflict``, ``pro-|Russian``; 0 of the ~200 line-end
hyphens in the UNSC corpus are soft hyphens):

1. the next line starts with a capital letter or a digit -> keep the hyphen (``pro-Russian``);
2. the next word is one of ``suspended_hyphen`` in ``analysis/data/records.yml`` (``and``,
   ``or``) -> a suspended hyphen: keep it and a space (``troop- and police-contributing``);
3. the word joined *without* the hyphen occurs elsewhere in the same speech and the hyphenated
   form does not -> a soft hyphen: drop it (``inter-|national`` -> ``international`` when the
   speech also writes ``international``);
4. otherwise keep the hyphen (``post-conflict``): a wrong ``post-conflict`` is harmless to
   tokenization, a wrong ``postconflict`` is not.

The General Debate files put one paragraph on each line, or are hard-wrapped like the
Security Council's: :func:`ungdc_body` tells which.
"""

from __future__ import annotations

import re
from functools import cache

from ..resources import packaged
from ..schema import RecordWordsFile
from .base import normalize_newlines

__all__ = ["line_paragraphs", "record_words", "reflow", "ungdc_body"]

_PARA_BREAK = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
_VOCAB_TOKEN = re.compile(r"\w+(?:-\w+)*")
_LEFT_PART = re.compile(r"(\w+)-$")
_NEXT_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?:;\"\u201d)]\s*$")


@cache
def record_words() -> RecordWordsFile:
    """Return the UN record readers' word lists (``analysis/data/records.yml``)."""
    return packaged("records", RecordWordsFile)


@cache
def _suspended() -> frozenset[str]:
    return frozenset(w.lower() for w in record_words().suspended_hyphen)


def reflow(text: str) -> str:
    """Return ``text`` with hard line breaks inside paragraphs rejoined (rules: module doc).

    Paragraphs (blocks between blank lines) come out separated by exactly one blank line;
    white space at both ends is removed; ``\\r\\n`` and a byte-order mark are normalized.

    >>> reflow("The pro-\\nRussian and post-\\nconflict\\n\\nsecond  \\nparagraph\\n")
    'The pro-Russian and post-conflict\\n\\nsecond paragraph'
    >>> reflow("inter-\\nnational and international")
    'international and international'
    """
    text = normalize_newlines(text.lstrip("\ufeff"))
    suspended = _suspended()
    vocab: set[str] | None = None
    paras = []
    for block in _PARA_BREAK.split(text):
        lines = [ln.strip() for ln in block.split("\n")]
        lines = [ln for ln in lines if ln]
        if not lines:
            continue
        parts = [lines[0]]
        for prev, nxt in zip(lines, lines[1:], strict=False):
            left = _LEFT_PART.search(prev)  # on the previous line only: linear time
            if left is None:
                parts.append(" " + nxt)
                continue
            m = _NEXT_WORD.match(nxt)
            if m is None or nxt[0].isupper() or nxt[0].isdigit():
                parts.append(nxt)  # rule 1 (or no word follows): keep the hyphen
                continue
            word = m.group()
            if word.lower() in suspended:
                parts.append(" " + nxt)  # rule 2: suspended hyphen
                continue
            if vocab is None:
                vocab = _vocabulary(text)
            joined = (left.group(1) + word).lower()
            hyphenated = f"{left.group(1)}-{word}".lower()
            if joined in vocab and hyphenated not in vocab:
                parts[-1] = parts[-1][:-1]  # rule 3: a soft hyphen
            parts.append(nxt)  # rules 3 and 4: no space
        paras.append("".join(parts))
    return "\n\n".join(paras)


def line_paragraphs(text: str) -> str:
    """Return ``text`` with every non-blank line as a paragraph, separated by one blank line
    (the General Debate files put one paragraph on each line).

    >>> line_paragraphs("\\ufeffOne.\\r\\n52.\\tTwo.\\n\\n")
    'One.\\n\\n52.\\tTwo.'
    """
    text = normalize_newlines(text.lstrip("\ufeff"))
    return "\n\n".join(ln.strip() for ln in text.split("\n") if ln.strip())


def ungdc_body(text: str) -> str:
    """Return the body of a General Debate file, choosing how its lines are laid out.

    About 4,500 of the corpus' files keep the PDF's hard line breaks (median line under 90
    characters and most lines not ending a sentence): they are rejoined by :func:`reflow`
    (blank lines separate paragraphs; 595 such files have none, so they become one
    paragraph). The others put one paragraph on each line (:func:`line_paragraphs`).

    >>> ungdc_body("We meet\\nagain in\\nthis Hall.\\n\\nPeace is\\nour goal.\\n")
    'We meet again in this Hall.\\n\\nPeace is our goal.'
    >>> ungdc_body("We meet again in this Hall.\\nPeace is our goal.\\n")
    'We meet again in this Hall.\\n\\nPeace is our goal.'
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return ""
    lengths = sorted(len(ln) for ln in lines)
    open_lines = sum(1 for ln in lines if not _SENTENCE_END.search(ln))
    if lengths[len(lengths) // 2] < 90 and open_lines * 2 > len(lines):
        return reflow(text)
    return line_paragraphs(text)


def _vocabulary(text: str) -> set[str]:
    """Lower-cased words and hyphenated compounds of ``text`` (one pass; ``-`` kept inside)."""
    return set(_VOCAB_TOKEN.findall(text.lower()))

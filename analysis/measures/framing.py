"""Rhetorical framing: the cues of the codebook found in a text, with negation.

The codebook (:mod:`analysis.measures.codebook`, ``data/codebook.yml``) lists categories of
cue terms: interactional metadiscourse (Hyland 2005), generic news frames (Semetko &
Valkenburg 2000) with security-military and legal-procedural frames, and diplomatic speech
acts. The measure :func:`cue_hits` returns every cue found in a span, with offsets and a
``negated`` flag, so that each score can be traced back to the words that produced it.

Matching works on :func:`analysis.text.tokenize` tokens, case-insensitively (except the
codebook's ``exact_case`` terms), longest cue first within each group of categories; the
groups are matched independently and a token belongs to at most one hit per group. A cue
preceded, within ``negation.window`` word tokens of the same clause, by a negation word is a
*negated* hit: reported, not counted (``not intentional`` is no ``intentional`` hit).

``exact="library"`` runs :func:`match_tokens`, the reference matcher on token objects;
``exact="fast"`` runs :class:`FastFraming`, the same rules on token strings with one memoised
look-up per distinct token text (the cues it can start), offsets computed only for the
tokens of a hit. Both return equal hits (``tests/test_fastpath.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..text import Token
from .codebook import MIN_PREFIX, Codebook, Pattern, as_codebook
from .tokens import CLAUSE_PUNCTUATION, Lex, Memo, Span, as_span, exact_mode, is_word, norm


@dataclass(frozen=True)
class TermHit:
    """One cue found in a text: offsets into the text, the cue and what it matched."""

    category: str
    term: str
    match: str
    start: int
    end: int
    negated: bool


def cue_hits(span: Span, codebook: Codebook, *, exact: str | None = None) -> list[TermHit]:
    """The framing measure: return the codebook's cues in ``span`` (offsets into its text),
    ordered by start, then by category in codebook order.

    >>> [(h.category, h.match, h.negated) for h in cue_hits(Span("It was not intentional."),
    ...  as_codebook(None)) if h.category == "responsibility"]
    [('responsibility', 'intentional', True)]
    """
    if exact_mode(exact) == "fast":
        return fast_framing(codebook).match(span)
    return match_tokens(span.text, span.tokens, codebook)


def find_terms(text: str, start: int = 0, end: int | None = None, *,
               codebook: Codebook | str | Path | None = None,
               exact: str | None = None) -> list[TermHit]:
    """Return the codebook cues in ``text[start:end]`` (offsets into ``text``); ``codebook``
    is an object or a path (None: the shipped codebook). See :func:`cue_hits`.

    >>> [(h.category, h.match, h.negated) for h in find_terms("It was not intentional.")
    ...  if h.category == "responsibility"]
    [('responsibility', 'intentional', True)]
    """
    return cue_hits(as_span(text, start, end), as_codebook(codebook), exact=exact)


def count_hits(hits: Iterable[TermHit], categories: Iterable[str]) -> dict[str, int]:
    """Return the number of non-negated hits per category (0 for categories without hits)."""
    counts = dict.fromkeys(categories, 0)
    for h in hits:
        if not h.negated and h.category in counts:
            counts[h.category] += 1
    return counts


def negated_at(i: int, window: int, word_at: Callable[[int], bool],
               text_at: Callable[[int], str], negator_at: Callable[[int], bool]) -> bool:
    """Return True when a negation word precedes token ``i`` within ``window`` word tokens of
    the same clause (a :data:`CLAUSE_PUNCTUATION` mark ends the look-back). The accessors give
    token ``k``'s word flag, text and negator flag; one rule for both matchers."""
    seen = 0
    j = i - 1
    while j >= 0 and seen < window:
        if not word_at(j):
            if text_at(j) in CLAUSE_PUNCTUATION:
                return False
            j -= 1
            continue
        if negator_at(j):
            return True
        seen += 1
        j -= 1
    return False


# ---- the reference matcher on token objects ---------------------------------------------------


def _matches(p: Pattern, tokens: Sequence[Token], i: int) -> bool:
    if i + len(p.pieces) > len(tokens):
        return False
    for (piece, wild), tok in zip(p.pieces, tokens[i:i + len(p.pieces)], strict=False):
        word = tok.text.replace("\u2019", "'") if p.exact else norm(tok.lower)
        if wild:
            if not word.startswith(piece) or not tok.text[0].isalnum():
                return False
        elif word != piece:
            return False
    return True


def match_tokens(text: str, tokens: Sequence[Token], codebook: Codebook) -> list[TermHit]:
    """Return the cue hits among ``tokens`` (of ``text``), ordered by start then category:
    the reference implementation of :func:`cue_hits` (``exact="library"``)."""
    hits: list[TermHit] = []

    def negated(i: int) -> bool:
        return negated_at(i, codebook.negation_window, lambda k: is_word(tokens[k].text),
                          lambda k: tokens[k].text,
                          lambda k: codebook.is_negator(tokens[k].text))

    for first, wild in codebook.index.values():
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            w = norm(tok.lower)
            cands = [p for p in first.get(w, ()) if not p.exact]
            cands += [p for p in first.get(tok.text, ()) if p.exact]
            for k in range(MIN_PREFIX, len(w) + 1):
                cands += wild.get(w[:k], ())
            best = None
            for p in cands:
                if _matches(p, tokens, i) and (best is None or p.rank < best.rank):
                    best = p
            if best is None:
                i += 1
                continue
            last = tokens[i + len(best.pieces) - 1]
            hits.append(TermHit(best.category, best.term, text[tok.start:last.end], tok.start,
                                last.end, negated(i)))
            i += len(best.pieces)
    order = {c: k for k, c in enumerate(codebook.ids)}
    hits.sort(key=lambda h: (h.start, order[h.category]))
    return hits


# ---- the exact fast path on token strings -----------------------------------------------------


class FastFraming:
    """:func:`match_tokens` for one codebook on the token strings of a :class:`Span`, with the
    cues each distinct token text can start memoised (identical hits)."""

    def __init__(self, codebook: Codebook) -> None:
        self.cb = codebook
        self.order = {c: k for k, c in enumerate(codebook.ids)}
        # the groups' indexes merged: first word / wildcard prefix -> [(group, cue)], each
        # group's cues in their own order (so that ties are broken as match_tokens does)
        self._first: dict[str, list[tuple[int, Pattern]]] = {}
        self._wild: dict[str, list[tuple[int, Pattern]]] = {}
        for g, (first, wild) in enumerate(codebook.index.values()):
            for merged, own in ((self._first, first), (self._wild, wild)):
                for key, cues in own.items():
                    merged.setdefault(key, []).extend((g, p) for p in cues)
        self._longest = max(map(len, self._wild), default=0)
        self._memo = Memo(self.cands)

    def cands(self, t: str) -> tuple[tuple[int, tuple[Pattern, ...]], ...]:
        """Return ``(group index, cues)`` for every group with cues that token text ``t`` can
        start, in group order (``()``: none at all; memoised by :meth:`match`)."""
        w = norm(t)
        per_group: dict[int, list[Pattern]] = {}
        for g, p in self._first.get(w, ()):
            if not p.exact:
                per_group.setdefault(g, []).append(p)
        for g, p in self._first.get(t, ()):
            if p.exact:
                per_group.setdefault(g, []).append(p)
        wild = self._wild
        for k in range(MIN_PREFIX, min(len(w), self._longest) + 1):
            for g, p in wild.get(w[:k], ()):
                per_group.setdefault(g, []).append(p)
        return tuple((g, tuple(per_group[g])) for g in sorted(per_group))

    def match(self, span: Span) -> list[TermHit]:
        """Return :func:`match_tokens`' hits for the tokens of ``span``."""
        tokens = span.strings
        found = [(i, c) for i, c in enumerate(map(self._memo.__getitem__, tokens)) if c]
        if not found:
            return []
        by_group: dict[int, list[tuple[int, tuple[Pattern, ...]]]] = {}
        for i, pairs in found:
            for g, cands in pairs:
                by_group.setdefault(g, []).append((i, cands))
        lexes = span.lexes
        text, starts = span.text, span.starts
        n = len(tokens)
        hits: list[TermHit] = []
        for g in sorted(by_group):
            nxt = 0
            for i, cands in by_group[g]:
                if i < nxt:
                    continue
                best = None
                for p in cands:
                    pieces = p.pieces
                    if p.exact:
                        ok = _matches_strings(p, tokens, lexes, i, n)
                    elif len(pieces) == 1:  # the look-up matched its word or its prefix
                        ok = not pieces[0][1] or tokens[i][0].isalnum()
                    elif i + 1 >= n or (not pieces[1][1] and lexes[i + 1].norm != pieces[1][0]):
                        ok = False  # a phrase whose second word is not there
                    else:
                        ok = _matches_strings(p, tokens, lexes, i, n)
                    if ok and (best is None or p.rank < best.rank):
                        best = p
                if best is None:
                    continue
                last = i + len(best.pieces) - 1
                a, b = starts[i], starts[last] + len(tokens[last])
                hits.append(TermHit(best.category, best.term, text[a:b], a, b,
                                    self._negated(tokens, lexes, i)))
                nxt = i + len(best.pieces)
        if len(hits) > 1:
            order = self.order
            hits.sort(key=lambda h: (h.start, order[h.category]))
        return hits

    def _negated(self, tokens: Sequence[str], lexes: Sequence[Lex], i: int) -> bool:
        """:func:`negated_at` on the token strings, inlined (it runs for every hit)."""
        cb = self.cb
        neg = cb.negation_words
        nt = "n't" in neg
        seen = 0
        j = i - 1
        window = cb.negation_window
        while j >= 0 and seen < window:
            x = lexes[j]
            if not x.word:
                if tokens[j] in CLAUSE_PUNCTUATION:
                    return False
                j -= 1
                continue
            if x.norm in neg or (nt and x.norm.endswith("n't")):
                return True
            seen += 1
            j -= 1
        return False


def _matches_strings(p: Pattern, tokens: Sequence[str], lexes: Sequence[Lex], i: int,
                     n: int) -> bool:
    """``_matches`` on token strings."""
    pieces = p.pieces
    if i + len(pieces) > n:
        return False
    for k, (piece, wild) in enumerate(pieces):
        t = tokens[i + k]
        word = t.replace("\u2019", "'") if p.exact else lexes[i + k].norm
        if wild:
            if not word.startswith(piece) or not t[0].isalnum():
                return False
        elif word != piece:
            return False
    return True


_FRAMING: dict[Codebook, FastFraming] = {}
_LAST: list[FastFraming] = []


def fast_framing(codebook: Codebook) -> FastFraming:
    """Return the :class:`FastFraming` of ``codebook``: one per distinct codebook, so that
    its memo survives a codebook being unpickled again in a worker (the last one is found by
    identity, without hashing the codebook)."""
    if _LAST and _LAST[0].cb is codebook:
        return _LAST[0]
    ff = _FRAMING.get(codebook)
    if ff is None:
        if len(_FRAMING) > 16:
            _FRAMING.clear()
        ff = _FRAMING[codebook] = FastFraming(codebook)
    _LAST[:] = [ff]
    return ff


def clear_memos() -> None:
    """Forget the fast matchers and their memo tables."""
    _FRAMING.clear()
    _LAST.clear()

"""What attribution knows about one document body, computed once: tokens, paragraphs,
sentences, quotes, registry mentions; and the records it produces.

:class:`Context` holds the precomputed look-ups (bisection over offsets), :class:`Found`
is a statement found (before it becomes a table row), :class:`Subject` who a cue is
attributed to.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from ..speakers import Mention, Registry
from ..text import Token, paragraphs, sentences, tokenize
from .cues import Cues
from .marks import QUOTE_TOKENS, Quote, quote_tokens, scan_quotes

__all__ = ["Context", "Found", "Subject", "inside", "is_adverb", "is_cue", "is_word",
           "participle_subject_start", "progressive_aux"]


@dataclass
class Found:
    """A statement found in a document (before it becomes a table row)."""

    kind: str
    start: int
    end: int
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    quotes: tuple[int, ...] = ()
    name: str | None = None  # who an unregistered pronoun speaker is, named in the text


@dataclass(frozen=True)
class Subject:
    """Who a cue is attributed to: registry id and/or the words naming them; ``left`` is
    where the speaker phrase starts (the content before a cue ends before it)."""

    actor: str | None
    text: str | None
    left: int
    after: bool = False  # the speaker follows the cue ("said X")
    end: int = -1
    name: str | None = None  # an unregistered pronoun's referent, named in the text


@dataclass
class Context:
    """Everything precomputed for one document body."""

    body: str
    reg: Registry
    cues: Cues
    toks: list[Token]
    tok_starts: list[int]
    paras: list[tuple[int, int]]
    para_starts: list[int]
    sents: list[tuple[int, int]]
    sent_starts: list[int]
    quotes: list[Quote]
    q_opens: list[int]
    by_end: dict[int, Mention]
    persons: dict[str, tuple[list[int], list[Mention]]]
    found: list[Found] = field(default_factory=list)
    unregistered_at: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, body: str, reg: Registry, cues: Cues) -> Context:
        toks = tokenize(body)
        if "''" in body or "``" in body:
            toks = quote_tokens(toks)
        paras = paragraphs(body)
        sents = sentences(body)
        quotes = scan_quotes(body, paras)
        q_opens = [q.open for q in quotes]
        mentions = [m for m in reg.mentions(body, adjectives=False)]
        by_end = {m.end: m for m in mentions}
        persons: dict[str, tuple[list[int], list[Mention]]] = {}
        for m in mentions:
            gender = reg[m.actor].gender
            if reg[m.actor].kind != "person" or gender is None:
                continue
            if inside(quotes, q_opens, m.start):
                continue
            starts, ms = persons.setdefault(gender, ([], []))
            starts.append(m.start)
            ms.append(m)
        return cls(body, reg, cues, toks, [t.start for t in toks], paras,
                   [p[0] for p in paras], sents, [s[0] for s in sents], quotes, q_opens,
                   by_end, persons)

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def sent_tokens(self, pos: int) -> tuple[int, int]:
        """Token index range [lo, hi) of the sentence holding offset ``pos``."""
        if not self.sents:
            return 0, len(self.toks)
        a, b = self.sents[self.sent_of(pos)]
        return (bisect.bisect_left(self.tok_starts, a), bisect.bisect_left(self.tok_starts, b))

    def sent_end(self, pos: int) -> int:
        """Offset where the sentence holding offset ``pos`` ends (the body's end when it has
        no sentences)."""
        return self.sents[self.sent_of(pos)][1] if self.sents else len(self.body)

    def quote_at(self, pos: int) -> int | None:
        """Index of the quote whose marks enclose offset ``pos`` (marks included)."""
        i = bisect.bisect_right(self.q_opens, pos) - 1
        if i < 0:
            return None
        q = self.quotes[i]
        last = q.after - 1 if q.close is not None else q.end
        return i if pos <= last else None


def inside(quotes: list[Quote], q_opens: list[int], pos: int) -> bool:
    i = bisect.bisect_right(q_opens, pos) - 1
    if i < 0:
        return False
    q = quotes[i]
    return pos < (q.close if q.close is not None else q.end)


def is_word(t: Token) -> bool:
    return t.text[0].isalnum() or t.text[-1].isalnum()


def is_adverb(t: Token, cues: Cues) -> bool:
    return (t.lower in cues.skip_before
            or (t.text[0].islower() and len(t.lower) > 4 and t.lower.endswith("ly")
                and t.lower not in cues.not_adverbs))


def is_cue(ctx: Context, i: int, lo: int) -> bool:
    """Is token ``i`` a speech verb used as one (not negated, passive, infinitive ...)?"""
    toks, cues = ctx.toks, ctx.cues
    t = toks[i]
    if t.lower not in cues.verbs or not (t.text[0].islower() or _headline_cue(ctx, i, lo)):
        return False
    if inside(ctx.quotes, ctx.q_opens, t.start):
        return False
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if nxt in cues.not_followed_by.get(t.lower, ()):
        return False
    progressive = progressive_aux(ctx, i, lo) is not None
    if t.lower.endswith("ing") and not progressive and not _participle_opened(ctx, i, lo):
        return False
    if i - 1 >= lo and _noun_marker(toks[i - 1], cues):
        return False  # "the claims", "Trump's promises", "48 states": a noun
    if t.lower in cues.noun_homographs and _homograph_noun(ctx, i, lo):
        return False  # "member states received copies", "several calls came in"
    needs = cues.needs_after.get(t.lower)
    if needs is not None and not _word_soon_after(ctx, i, needs) \
            and not _closes_after_comma(ctx, i, lo):
        return False
    j = i - 1
    while (j >= lo and i - j <= 3 and is_adverb(toks[j], cues)
           and toks[j].lower not in cues.auxiliaries):
        j -= 1
    if j >= lo and not progressive:
        p = toks[j].lower
        if p in cues.passive or p in cues.infinitive_markers and not (
                j - 1 >= lo and toks[j - 1].lower in cues.continuing_verbs):
            return False  # "was told", "declined to say" (but "continued to say")
    for k in range(i - 1, max(lo, i - 3) - 1, -1):
        if not is_word(toks[k]):
            break  # '"No," said Kelly': a negator in the quote before negates nothing
        p = toks[k].lower
        if p in cues.negators or p.endswith(cues.negator_suffixes):
            return False
    return True


def _headline_cue(ctx: Context, i: int, lo: int) -> bool:
    """Is the capitalised cue at token ``i`` a verb in a headline written in title case
    ("Clinton Says Russians Hacked DNC"): not the first word, in a sentence of at least four
    words of which every word of four letters or more is capitalised?"""
    if i == lo or not ctx.toks[i].text[0].isupper():
        return False
    _, hi = ctx.sent_tokens(ctx.toks[i].start)
    long = [t for t in ctx.toks[lo:hi] if is_word(t) and len(t.text) >= 4]
    return len(long) >= 4 and all(t.text[0].isupper() for t in long)


def progressive_aux(ctx: Context, i: int, lo: int) -> int | None:
    """For an -ing cue in a progressive ("They are saying", "he was telling reporters"):
    the index of its auxiliary (``progressive_auxiliaries``, adverbs stepped over), else
    None."""
    toks, cues = ctx.toks, ctx.cues
    if not toks[i].lower.endswith("ing"):
        return None
    j = i - 1
    while j >= lo and i - j <= 3 and is_adverb(toks[j], cues) \
            and toks[j].lower not in cues.progressive_auxiliaries:
        j -= 1
    if j >= lo and toks[j].lower in cues.progressive_auxiliaries:
        return j
    return None


def _closes_after_comma(ctx: Context, i: int, lo: int) -> bool:
    """Does the cue at token ``i`` (one of ``closing_cues``) end its sentence after a
    speaker set off by a comma ("CONTENT, the BBC reported."), or close an opening "As X
    reported," ?"""
    toks, cues = ctx.toks, ctx.cues
    if toks[i].lower not in cues.closing_cues or i + 1 >= len(toks):
        return False
    if toks[i + 1].text == "," and toks[lo].lower in cues.as_openers:
        return True  # "As The Hill reported, CONTENT"
    if toks[i + 1].text not in (".", "!", ";"):
        return False
    for k in range(i - 1, max(lo, i - 7) - 1, -1):
        if toks[k].text == ",":
            return k < i - 1
        if not is_word(toks[k]):
            return False
    return False


def _participle_opened(ctx: Context, i: int, lo: int) -> bool:
    """Does the participle cue at token ``i`` hang on a clause: after a comma ("..., saying
    that"), after an opener from ``participle_openers`` ("responded by saying"), or as
    "with NAME telling reporters ..."?"""
    toks, cues = ctx.toks, ctx.cues
    if i - 1 < lo:
        return False
    prev = toks[i - 1]
    if prev.text == "," or prev.lower in cues.participle_openers:
        return True
    return participle_subject_start(ctx, i, lo) is not None


def participle_subject_start(ctx: Context, i: int, lo: int) -> int | None:
    """For "with NAME telling ...": the token index where NAME starts (capitalised words
    right after "with", at most 6 tokens before the participle at ``i``), else None."""
    toks = ctx.toks
    k = i - 1
    while k >= lo and i - k <= 6 and is_word(toks[k]) and toks[k].text[0].isupper():
        k -= 1
    if k < lo or k == i - 1 or toks[k].lower != "with":
        return None
    return k + 1


def _homograph_noun(ctx: Context, i: int, lo: int) -> bool:
    """Is the noun/verb homograph at token ``i`` ("states", "calls") a noun: after a
    determiner or quantity ("several calls"), or before a word from ``noun_followers``, a
    past-tense verb or punctuation ("member states received", "the claims of")?"""
    toks, cues = ctx.toks, ctx.cues
    if i - 1 >= lo and toks[i - 1].lower in cues.determiners:
        return True
    if i + 1 >= len(toks):
        return True
    nxt = toks[i + 1]
    if nxt.text in (".", ",", ";", ")", "!", "?"):
        return True
    if cues.particles.get(toks[i].lower) == nxt.lower:
        return False  # "She calls for calm" ("several calls for calm" is a noun, above)
    return nxt.lower in cues.noun_followers or (
        nxt.text[0].islower() and nxt.lower.endswith("ed") and len(nxt.lower) > 3)


def _noun_marker(t: Token, cues: Cues) -> bool:
    """Does token ``t`` show that the word after it is a noun (a determiner or possessive
    from ``noun_markers``, a possessive ``'s``, a number)?"""
    return (t.lower in cues.noun_markers or t.lower.endswith(("'s", "\u2019s"))
            or t.text[0].isdigit())


def _word_soon_after(ctx: Context, i: int, words: frozenset[str]) -> bool:
    """Is one of ``words`` ('"': any quote mark) among the 12 tokens after token ``i``,
    before any punctuation other than a comma or colon ("described the area -- as is
    customary" is no "described X as")? A quote mark among the 6 tokens before the cue
    counts for '"' as well ('"Is it a bribe?" Trump asked')."""
    toks = ctx.toks
    if '"' in words and any(t.text in QUOTE_TOKENS for t in toks[max(0, i - 6):i]):
        return True
    for n in range(i + 1, min(i + 13, len(toks))):
        w = toks[n].lower
        if w in words or ('"' in words and w in QUOTE_TOKENS):
            return True
        if not is_word(toks[n]) and w not in (",", ":") and w not in QUOTE_TOKENS:
            return False
    return False

"""Statements and their speakers: direct, mixed and reported speech in news reports.

:func:`extract_statements` turns documents into the statements table (one row per
statement; see the team brief for the columns). The rules work on the project's own
tokenization (:mod:`analysis.text`) and the actor registry (:mod:`analysis.speakers`);
the words they look for (speech verbs, pronouns, ...) live in ``data/cues.yml``
(:func:`load_cues`).

How a report is read:

1. :func:`scan_quotes` pairs the double quote marks of each paragraph in one pass. A quote
   left open at the end of a paragraph runs to the paragraph end; when the next paragraph
   opens with a quote mark, that quote continues it (one statement per paragraph, one
   speaker for the chain).
2. Every speech cue outside quotes (``said``, ``told``, ``according to`` ...) that is not
   negated or passive gets a speaker (:func:`_subject`: the phrase before it, after it
   when inverted, the subject of the clause for participles and coordinated verbs, a
   pronoun resolved through the registry) and a content: the clause after the cue, or the
   clause before it when the cue closes the sentence (``"Q," she said``). A content that is
   a quote is a *direct* statement, one holding a quote is *mixed*, else *indirect*.
3. Quotes no cue claimed: a sentence-initial quote of several words continues the last
   attributed speaker of its paragraph (or, opening a paragraph, of the paragraph before);
   otherwise it is a direct statement with no speaker. Short quotes inside a sentence are
   mentions or scare quotes and are dropped.

Offsets are into ``doc.body``: ``body[start:end] == text`` for every row. All scans are
linear in the length of the text (no backtracking regular expressions; bisection for
look-ups).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .corpus import Document
from .errors import AnalysisError, Problem, fail
from .io import parse_yaml, read_yaml
from .speakers import Mention, Registry, as_registry
from .text import Token, paragraphs, sentences, tokenize

COLUMNS = ["statement_id", "doc_id", "speaker", "speaker_name", "affiliation", "speaker_text",
           "kind", "text", "start", "end", "cue", "paragraph", "sentence"]
KINDS = ("direct", "mixed", "indirect", "statement")
VERB_KINDS = ("clause", "object", "addressee")
PRONOUN_KINDS = ("female", "male", "group")

_QUOTE_MARKS = re.compile('["\u201c\u201d]')
_OPEN_CURLY, _CLOSE_CURLY = "\u201c", "\u201d"
_QUOTE_CHARS = frozenset('"\u201c\u201d')
_SENT_END = frozenset(".!?")
_TRAIL = frozenset(".,;:!? \t\n")
_LIST_KEYS = ("negators", "passive", "skip_before", "boundaries", "addressee_words",
              "after_words", "not_adverbs", "ignore_subjects", "determiners", "prepositions")


# --------------------------------------------------------------------------- cues


@dataclass(frozen=True)
class Cues:
    """The validated contents of a cues file (see ``analysis/data/cues.yml``)."""

    verbs: Mapping[str, str]
    not_followed_by: Mapping[str, frozenset[str]]
    preposed_phrases: tuple[tuple[str, ...], ...]
    speaker_frames: tuple[tuple[str, ...], ...]
    pronouns: Mapping[str, str]
    negators: frozenset[str]
    passive: frozenset[str]
    skip_before: frozenset[str]
    boundaries: frozenset[str]
    addressee_words: frozenset[str]
    after_words: frozenset[str]
    not_adverbs: frozenset[str]
    ignore_subjects: frozenset[str]
    determiners: frozenset[str]
    prepositions: frozenset[str]
    min_statement_words: int = 4
    source: str = "<cues>"


def _default_cues_text() -> tuple[str, str]:
    res = resources.files("analysis").joinpath("data/cues.yml")
    return res.read_text("utf-8"), str(res)


def load_cues(path: str | Path | None = None) -> Cues:
    """Load and validate a cues file; ``None`` loads ``analysis/data/cues.yml``.

    Returns :class:`Cues`. Raises :class:`AnalysisError` naming the file and each bad entry.

    >>> load_cues().verbs["said"]
    'clause'
    """
    if path is None:
        text, where = _default_cues_text()
        return parse_cues(parse_yaml(text, where), where)
    return parse_cues(read_yaml(path, what="cues file"), str(path))


def _words_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def parse_cues(data: object, source: str = "<cues>") -> Cues:
    """Validate parsed YAML ``data`` and return :class:`Cues` (every problem reported)."""
    if not isinstance(data, dict):
        raise fail(source, "a cues file is a YAML mapping (verbs:, pronouns:, ...)")
    problems: list[Problem] = []

    def bad(entry: str, msg: str) -> None:
        problems.append(Problem(source, msg, entry))

    known = {"verbs", "not_followed_by", "preposed_phrases", "speaker_frames", "pronouns",
             "min_statement_words", *_LIST_KEYS}
    for key in sorted(set(map(str, data)) - known):
        bad(key, f"unknown key; valid keys: {sorted(known)}")
    for key in sorted(known - set(map(str, data))):
        bad(key, "missing key")
    verbs: dict[str, str] = {}
    raw = data.get("verbs")
    if not isinstance(raw, dict):
        bad("verbs", "verbs is a mapping of word form -> clause | object | addressee")
    else:
        for form, how in raw.items():
            if not isinstance(form, str) or not form.strip() or " " in form.strip():
                bad(f"verbs: {form!r}", "a verb form is one word")
            elif how not in VERB_KINDS:
                bad(f"verbs: {form}", f"unknown kind {how!r}; valid: {list(VERB_KINDS)}")
            else:
                verbs[form.strip().lower()] = how
    nfb: dict[str, frozenset[str]] = {}
    raw = data.get("not_followed_by") or {}
    if not isinstance(raw, dict):
        bad("not_followed_by", "a mapping of verb form -> list of words")
    else:
        for form, ws in raw.items():
            if not _words_list(ws):
                bad(f"not_followed_by: {form}", "must be a list of words")
            else:
                nfb[str(form).lower()] = frozenset(w.lower() for w in ws)
    phrases: dict[str, tuple[tuple[str, ...], ...]] = {}
    for key in ("preposed_phrases", "speaker_frames"):
        raw = data.get(key) or []
        out = []
        if not isinstance(raw, list):
            bad(key, "must be a list of word lists, e.g. - [according, to]")
            raw = []
        for i, ph in enumerate(raw, 1):
            if not _words_list(ph) or not ph:
                bad(f"{key}: entry {i}", "must be a non-empty list of words")
            else:
                out.append(tuple(w.lower() for w in ph))
        phrases[key] = tuple(out)
    pronouns: dict[str, str] = {}
    raw = data.get("pronouns")
    if not isinstance(raw, dict):
        bad("pronouns", "pronouns is a mapping of pronoun -> female | male | group")
    else:
        for pron, how in raw.items():
            if how not in PRONOUN_KINDS:
                bad(f"pronouns: {pron}", f"unknown kind {how!r}; valid: {list(PRONOUN_KINDS)}")
            else:
                pronouns[str(pron).lower()] = how
    lists: dict[str, frozenset[str]] = {}
    for key in _LIST_KEYS:
        raw = data.get(key, [])
        if not _words_list(raw):
            bad(key, "must be a list of words")
            raw = []
        lists[key] = frozenset(w.lower() for w in raw)
    mw = data.get("min_statement_words", 4)
    if not isinstance(mw, int) or isinstance(mw, bool) or mw < 1:
        bad("min_statement_words", f"must be a positive integer, not {mw!r}")
        mw = 4
    if problems:
        raise AnalysisError(problems)
    return Cues(verbs=verbs, not_followed_by=nfb, preposed_phrases=phrases["preposed_phrases"],
                speaker_frames=phrases["speaker_frames"], pronouns=pronouns,
                min_statement_words=mw, source=source, **lists)


# --------------------------------------------------------------------------- quotes


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
            opening = ch == _OPEN_CURLY or (ch == '"' and open_at is None)
            if opening:
                if open_at is None or ch == _OPEN_CURLY:
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


# --------------------------------------------------------------------------- context


@dataclass
class _Found:
    """A statement found in a document (before it becomes a table row)."""

    kind: str
    start: int
    end: int
    speaker: str | None
    speaker_text: str | None
    cue: str | None
    quotes: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Subject:
    """Who a cue is attributed to: registry id and/or the words naming them; ``left`` is
    where the speaker phrase starts (the content before a cue ends before it)."""

    actor: str | None
    text: str | None
    left: int
    after: bool = False  # the speaker follows the cue ("said X")
    end: int = -1


@dataclass
class _Ctx:
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
    found: list[_Found] = field(default_factory=list)
    unregistered_at: list[int] = field(default_factory=list)

    @classmethod
    def build(cls, body: str, reg: Registry, cues: Cues) -> _Ctx:
        toks = tokenize(body)
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
            if _inside(quotes, q_opens, m.start):
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

    def quote_at(self, pos: int) -> int | None:
        """Index of the quote whose marks enclose offset ``pos`` (marks included)."""
        i = bisect.bisect_right(self.q_opens, pos) - 1
        if i < 0:
            return None
        q = self.quotes[i]
        last = q.close if q.close is not None else q.end
        return i if pos <= last else None


def _inside(quotes: list[Quote], q_opens: list[int], pos: int) -> bool:
    i = bisect.bisect_right(q_opens, pos) - 1
    if i < 0:
        return False
    q = quotes[i]
    return pos < (q.close if q.close is not None else q.end)


def _is_word(t: Token) -> bool:
    return t.text[0].isalnum() or t.text[-1].isalnum()


def _is_adverb(t: Token, cues: Cues) -> bool:
    return (t.lower in cues.skip_before
            or (t.text[0].islower() and len(t.lower) > 4 and t.lower.endswith("ly")
                and t.lower not in cues.not_adverbs))


# --------------------------------------------------------------------------- speakers


def _noun_phrase(ctx: _Ctx, j: int, lo: int) -> tuple[int, int] | None:
    """Return the token range [a, j] of the speaker phrase ending at token ``j``, or None.

    It runs left over words up to a boundary word, punctuation or the sentence start
    (at most 8 words) and must open with a capital, a determiner or a plural noun.
    """
    cues, toks = ctx.cues, ctx.toks
    if j < lo or not _is_word(toks[j]) or toks[j].lower in cues.boundaries:
        return None
    m = ctx.by_end.get(toks[j].end)
    k = j
    while k >= lo and j - k < 8:
        t = toks[k]
        if not _is_word(t) or (t.lower in cues.boundaries and not (m and t.start >= m.start)):
            break
        k -= 1
    a = k + 1
    if j - k >= 8 and k >= lo and _is_word(toks[k]) and toks[k].lower not in cues.boundaries:
        if m is None:
            return None
        a = bisect.bisect_left(ctx.tok_starts, m.start)
    first = toks[a]
    if (first.text[0].isupper() or first.lower in cues.determiners
            or first.text[0].isdigit() or toks[j].lower.endswith("s")):
        return a, j
    if m is not None:
        return bisect.bisect_left(ctx.tok_starts, m.start), j
    return None


def _describe(ctx: _Ctx, a: int, j: int) -> tuple[str | None, str, str | None]:
    """Return (actor id or None, speaker text, speaker frame) for the phrase toks[a..j]."""
    toks, body = ctx.toks, ctx.body
    frame = None
    words = [t.lower for t in toks[a:j + 1]]
    for f in ctx.cues.speaker_frames:
        if tuple(words[:len(f)]) == f:
            frame = " ".join(toks[a + i].text for i in range(len(f)))
            break
    m = ctx.by_end.get(toks[j].end)
    if m is not None and m.start >= toks[a].start:
        head = [t.lower for t in toks[a:j + 1] if t.end <= m.start]
        if frame or not any(w in ctx.cues.prepositions for w in head):
            return m.actor, m.text, frame
    return None, body[toks[a].start:toks[j].end], frame


def _resolve_pronoun(ctx: _Ctx, tok: Token) -> str | None:
    """Return the registry actor a subject pronoun refers to, or None (never a guess).

    he/she: the nearest registry person of that gender before the pronoun in this
    paragraph or the three before it, unless an unregistered speaker was named in between
    in the same paragraph (``A spokesman said ... He added``: "he" is not resolved);
    failing that the first one after it in the same paragraph (cataphora).
    they/it: the speaker of the last statement if that was an organisation or state.
    """
    how = ctx.cues.pronouns.get(tok.lower)
    if how is None:
        return None
    if how == "group":
        for f in reversed(ctx.found):
            if f.start < tok.start:
                if f.speaker and ctx.reg[f.speaker].kind != "person":
                    return f.speaker
                return None
        return None
    starts, ms = ctx.persons.get(how, ([], []))
    para = ctx.para_of(tok.start)
    i = bisect.bisect_left(starts, tok.start) - 1
    if i >= 0 and ctx.para_of(ms[i].start) >= para - 3:
        k = bisect.bisect_left(ctx.unregistered_at, tok.start) - 1
        if (k >= 0 and ctx.unregistered_at[k] > ms[i].start
                and ctx.para_of(ctx.unregistered_at[k]) == para):
            return None
        return ms[i].actor
    if i + 1 < len(ms) and ctx.para_of(ms[i + 1].start) == para:
        return ms[i + 1].actor
    return None


def _subject_of_clause(ctx: _Ctx, i: int, lo: int) -> _Subject | None:
    """The speaker of a participle or coordinated cue at token ``i``: the speaker of the
    previous cue in the sentence, else a registry actor or pronoun opening the sentence."""
    sent_start = ctx.toks[lo].start if lo < len(ctx.toks) else 0
    for f in reversed(ctx.found):
        if f.start < sent_start and f.end < sent_start:
            break
        if f.speaker is not None or f.speaker_text is not None:
            return _Subject(f.speaker, f.speaker_text, ctx.toks[i].start)
    toks = ctx.toks
    for k in range(lo, min(lo + 3, i)):
        t = toks[k]
        if t.lower in ctx.cues.pronouns:
            return _Subject(_resolve_pronoun(ctx, t), t.text, ctx.toks[i].start)
        for j in range(k, min(k + 6, i)):
            m = ctx.by_end.get(toks[j].end)
            if m is not None and m.start == t.start:
                return _Subject(m.actor, m.text, ctx.toks[i].start)
    return None


def _subject(ctx: _Ctx, i: int, lo: int, hi: int) -> tuple[_Subject | None, str]:
    """Return the speaker of the cue at token ``i`` and the cue as reported."""
    cues, toks = ctx.cues, ctx.toks
    verb = toks[i].lower
    cue = verb
    if verb.endswith("ing"):
        return _subject_of_clause(ctx, i, lo), cue
    # inverted: '"Q," said X' / 'Q, said X.' -- only verbs that take a clause invert;
    # after an object verb the words that follow are its object ("X, Y's minister,
    # rejected the charge"), never its speaker
    prev = toks[i - 1] if i - 1 >= lo else None
    if prev is not None and (prev.text in _QUOTE_CHARS or prev.text == ",") \
            and cues.verbs[verb] == "clause":
        sub = _after_subject(ctx, i + 1, hi)
        if sub is not None:
            return sub, cue
    j = i - 1
    while j >= lo and i - j <= 4 and _is_adverb(toks[j], cues):
        j -= 1
    if j < lo or toks[j].lower in ("and", "but", "or"):
        return _subject_of_clause(ctx, i, lo), cue
    t = toks[j]
    if t.lower in ("who", "which") and j - 1 >= lo and toks[j - 1].text == ",":
        np = _noun_phrase(ctx, j - 2, lo)
        if np is None:
            return None, cue
        actor, text, _ = _describe(ctx, *np)
        return _Subject(actor, text, toks[np[0]].start), cue
    if t.text == ",":
        # appositive: "X, Kessland's minister, said" / "X, who asked ..., said"
        k = j - 1
        while k >= lo and j - k <= 12 and toks[k].text != ",":
            k -= 1
        if k < lo or toks[k].text != ",":
            return None, cue
        np = _noun_phrase(ctx, j - 1, k + 1)
        if np is not None and ctx.by_end.get(toks[j - 1].end) is not None:
            actor, text, _ = _describe(ctx, *np)
            return _Subject(actor, text, toks[k].start), cue
        np = _noun_phrase(ctx, k - 1, lo)
        if np is None:
            return None, cue
        actor, text, _ = _describe(ctx, *np)
        return _Subject(actor, text, toks[np[0]].start), cue
    if t.lower in cues.pronouns:
        return _Subject(_resolve_pronoun(ctx, t), t.text, t.start), cue
    if t.lower in cues.ignore_subjects:
        return None, cue
    np = _noun_phrase(ctx, j, lo)
    if np is None:
        return None, cue
    if np[0] == np[1] and toks[np[0]].lower in cues.ignore_subjects:
        return None, cue
    actor, text, frame = _describe(ctx, *np)
    if frame:
        cue = f"{frame.lower()} ... {verb}"
    return _Subject(actor, text, toks[np[0]].start), cue


def _after_subject(ctx: _Ctx, k: int, hi: int) -> _Subject | None:
    """The speaker phrase right after an inverted cue (``said Ambassador X,``), or None."""
    toks, cues = ctx.toks, ctx.cues
    if k >= hi:
        return None
    if toks[k].lower in cues.pronouns:
        t = toks[k]
        return _Subject(_resolve_pronoun(ctx, t), t.text, t.start, after=True, end=t.end)
    j = k
    while j < hi and j - k < 8 and _is_word(toks[j]) and toks[j].lower not in cues.boundaries:
        j += 1
    if j == k or (j < hi and toks[j].text not in (",", ".", ";", ":", "!", "?", "(")):
        if j < hi and toks[j].lower not in ("who", "which"):
            return None
    first = toks[k]
    if not (first.text[0].isupper() or first.lower in cues.determiners):
        return None
    actor, text, _ = _describe(ctx, k, j - 1)
    return _Subject(actor, text, toks[k].start, after=True, end=toks[j - 1].end)


# --------------------------------------------------------------------------- content


def _strip_span(body: str, a: int, b: int) -> tuple[int, int]:
    """Trim white space and trailing punctuation (but a closing quote mark stays)."""
    while a < b and body[a].isspace():
        a += 1
    while True:
        while b > a and body[b - 1] in _TRAIL:
            b -= 1
        for w in (" and", " but", " or"):
            if body.endswith(w, a, b):
                b -= len(w)
                break
        else:
            return a, b


_SINGLE_OPEN = frozenset("'\u2018")
_SINGLE_CLOSE = frozenset("'\u2019")


def _single_quoted(body: str, a: int, b: int) -> bool:
    """Does ``body[a:b]`` hold a fragment in single quotes (``called it 'a list of
    fantasies'``)? An opening mark follows white space or the span start and precedes a
    letter or digit; a closing one follows a word character or punctuation and precedes
    white space, punctuation or the span end -- so apostrophes (``Kessland's``,
    ``Ostravians' guns``) open nothing. One pass over the span.

    >>> _single_quoted("called it 'a farce' twice", 0, 25), _single_quoted("Lind's view", 0, 11)
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


def _quotes_in(ctx: _Ctx, a: int, b: int) -> list[int]:
    """Indices of the quotes opening within [a, b)."""
    lo = bisect.bisect_left(ctx.q_opens, a)
    hi = bisect.bisect_left(ctx.q_opens, b)
    return list(range(lo, hi))


def _classify(ctx: _Ctx, a: int, b: int, sub: _Subject, cue: str) -> _Found | None:
    """Make a statement of content [a, b): direct if it is one quote, mixed if it holds
    one, else indirect."""
    body = ctx.body
    a, b = _strip_span(body, a, b)
    if b <= a:
        return None
    qs = _quotes_in(ctx, a, b)
    if qs and ctx.quotes[qs[0]].open == a:
        q = ctx.quotes[qs[0]]
        tail = q.close + 1 if q.close is not None else q.end
        if tail >= b or not body[tail:b].strip(" ,.;:!?"):
            # later pieces of a multi-paragraph quote follow in _attribute_rest
            return _Found("direct", q.start, q.end, sub.actor, sub.text, cue, (qs[0],))
    if not qs and _single_quoted(body, a, b):
        return _Found("mixed", a, b, sub.actor, sub.text, cue)
    if qs:
        last = ctx.quotes[qs[-1]]
        if last.close is not None and last.close >= b and body[b:last.close + 1].strip(".,!?;") \
                == "":
            b = last.close + 1
        elif last.close is None:
            b = max(b, last.end)
        return _Found("mixed", a, b, sub.actor, sub.text, cue, tuple(qs))
    return _Found("indirect", a, b, sub.actor, sub.text, cue)


def _content_after(ctx: _Ctx, i: int, hi: int, how: str) -> tuple[int, bool]:
    """Return (token index where the content after the cue at ``i`` starts, True) when the
    cue opens its content, or (-1, False) when the content lies before the cue."""
    toks, cues = ctx.toks, ctx.cues
    k = i + 1
    if how == "addressee":
        for n in range(k, min(k + 9, hi)):
            if toks[n].lower == "that":
                return n + 1, True
            if not _is_word(toks[n]):
                break
        n = k
        dets = ("the", "a", "an", "this")
        while n < hi and n - k < 9:
            t = toks[n]
            if t.lower in dets and n == k:
                n += 1
                continue
            if t.lower == "that" or not _is_word(t) or t.lower in cues.pronouns:
                break
            # a name is the addressee right after the verb or a preposition ("told CNN",
            # "told reporters in Lindau"), not after a common noun ("told reporters Kessland")
            prev = toks[n - 1]
            if t.text[0].isupper() and (n == k or prev.text[0].isupper()
                                        or prev.lower in cues.prepositions
                                        or prev.lower in dets):
                n += 1
                continue
            if t.lower in cues.addressee_words:
                n += 1
                continue
            # a place or occasion after a preposition: "told reporters in the capital",
            # "at a briefing" (the determiner and one noun after it)
            if n - 2 >= k and t.lower in dets and toks[n - 1].lower in cues.prepositions:
                n += 1
                continue
            if n - 2 >= k and prev.lower in dets and toks[n - 2].lower in cues.prepositions:
                n += 1
                continue
            break
        k = n
    if k >= hi:
        nxt = k if k < len(toks) else None
        if nxt is not None and toks[k - 1].text == ":" and toks[nxt].text in _QUOTE_CHARS:
            return nxt, True
        return -1, False
    t = toks[k]
    if t.lower == "that":
        return k + 1, True
    if t.text in (":",) or (t.text == "," and k + 1 < len(toks)
                             and toks[k + 1].text in _QUOTE_CHARS):
        nxt = k + 1
        if nxt < len(toks):
            return nxt, True
        return -1, False
    if t.text in _QUOTE_CHARS:
        return k, True
    if not _is_word(t):
        return -1, False
    if t.lower in cues.after_words:
        for n in range(k, min(k + 9, hi)):
            if toks[n].lower == "that":
                return n + 1, True
            if toks[n].text == "," and n + 1 < len(toks) and toks[n + 1].text in _QUOTE_CHARS:
                return n + 1, True
            if toks[n].text == ":" and n + 1 < len(toks):
                return n + 1, True
            if not _is_word(toks[n]):
                break
        return -1, False
    return k, True


# --------------------------------------------------------------------------- cues in text


def _is_cue(ctx: _Ctx, i: int, lo: int) -> bool:
    """Is token ``i`` a speech verb used as one (not negated, passive, infinitive ...)?"""
    toks, cues = ctx.toks, ctx.cues
    t = toks[i]
    if t.lower not in cues.verbs or not t.text[0].islower():
        return False
    if _inside(ctx.quotes, ctx.q_opens, t.start):
        return False
    nxt = toks[i + 1].lower if i + 1 < len(toks) else ""
    if nxt in cues.not_followed_by.get(t.lower, ()):
        return False
    if t.lower.endswith("ing") and (i - 1 < lo or toks[i - 1].text != ","):
        return False
    j = i - 1
    while j >= lo and i - j <= 3 and _is_adverb(toks[j], cues) and toks[j].lower not in (
            "has", "have", "had", "would", "will"):
        j -= 1
    if j >= lo:
        p = toks[j].lower
        if p in cues.passive or p == "to":
            return False
    for k in range(max(lo, i - 3), i):
        p = toks[k].lower
        if p in cues.negators or p.endswith("n't"):
            return False
    return True


def _preposed(ctx: _Ctx, i: int, lo: int, hi: int) -> _Found | None:
    """``according to X, CONTENT`` or ``CONTENT, according to X``."""
    toks, cues, body = ctx.toks, ctx.cues, ctx.body
    for ph in cues.preposed_phrases:
        n = len(ph)
        if tuple(t.lower for t in toks[i:i + n]) != ph or i + n >= hi:
            continue
        if _inside(ctx.quotes, ctx.q_opens, toks[i].start):
            return None
        a = i + n
        j = a
        while j < hi and j - a < 10 and toks[j].text not in (",", ".", ";", ":", "!", "?"):
            j += 1
        if j == a:
            return None
        actor, text, _ = _describe(ctx, a, j - 1)
        sub = _Subject(actor, text, toks[i].start)
        cue = " ".join(toks[i + k].text.lower() for k in range(n))
        if i == lo or toks[i - 1].text in (",", ";") and i - 1 == lo:
            if j < hi and toks[j].text == ",":
                end = ctx.sents[ctx.sent_of(toks[i].start)][1] if ctx.sents else len(body)
                return _classify(ctx, toks[j].end, end, sub, cue)
            return None
        start = _clause_start(ctx, lo)
        return _classify(ctx, start, toks[i].start, sub, cue)
    return None


def _clause_start(ctx: _Ctx, lo: int) -> int:
    """Where a content that ends at a cue may start: the sentence start, or the end of the
    last statement found in the same sentence."""
    start = ctx.toks[lo].start
    if ctx.found and ctx.found[-1].end > start:
        start = ctx.found[-1].end
        # skip the cue words of the previous statement up to the next comma
    return start


def _find_cued(ctx: _Ctx) -> None:
    """Find every statement introduced or closed by a speech cue (fills ``ctx.found``)."""
    toks, cues = ctx.toks, ctx.cues
    first_words = {ph[0] for ph in cues.preposed_phrases}
    for i, t in enumerate(toks):
        if t.lower in first_words:
            lo, hi = ctx.sent_tokens(t.start)
            f = _preposed(ctx, i, lo, hi)
            if f is not None:
                _add(ctx, f)
                continue
        if t.lower in cues.verbs:
            lo, hi = ctx.sent_tokens(t.start)
            if _is_cue(ctx, i, lo):
                sub, cue = _subject(ctx, i, lo, hi)
                if sub is not None:
                    _emit(ctx, i, lo, hi, sub, cue, cues.verbs[t.lower])


def _add(ctx: _Ctx, f: _Found) -> None:
    ctx.found.append(f)
    if f.speaker is None and f.speaker_text is not None:
        ctx.unregistered_at.append(f.start)


def _emit(ctx: _Ctx, i: int, lo: int, hi: int, sub: _Subject, cue: str, how: str) -> None:
    """Turn the cue at token ``i`` into a statement: content after it up to the sentence end
    or the next cue, or before it back to the clause start."""
    toks, body = ctx.toks, ctx.body
    if sub.after or _comma_quote_before(ctx, sub.left):
        k, opens = -1, False
    else:
        k, opens = _content_after(ctx, i, hi, how)
    if opens:
        a = toks[k].start
        end = ctx.sents[ctx.sent_of(toks[i].start)][1] if ctx.sents else len(body)
        # stop before the next cue of this sentence (its subject or coordinator)
        nxt = _next_cue_left(ctx, k, hi)
        if nxt is not None and nxt > a:
            end = min(end, nxt)
        if toks[k].text in _QUOTE_CHARS:
            qi = ctx.quote_at(toks[k].start)
            if qi is not None:
                q = ctx.quotes[qi]
                if q.close is None:
                    end = max(end, q.end)
                else:
                    end = max(end, q.close + 1)
        f = _classify(ctx, a, end, sub, cue)
    else:
        left = sub.left if not sub.after else toks[i].start
        # a quote closing right before the speaker: '"Q," he said' / '"Q." He said.'
        qi = ctx.quote_at(_back_over(body, left) - 1)
        if qi is not None and ctx.quotes[qi].close is not None:
            q = ctx.quotes[qi]
            if q.close == _back_over(body, left) - 1:
                a, b = q.start, q.end
                b2 = b
                while b2 > a and body[b2 - 1] in ", \n\t":
                    b2 -= 1
                f = _Found("direct", a, b2, sub.actor, sub.text, cue, (qi,))
                _add(ctx, f)
                return
        start = _clause_start(ctx, lo)
        f = _classify(ctx, start, left, sub, cue) if left > start else None
    if f is not None:
        _add(ctx, f)


def _comma_quote_before(ctx: _Ctx, left: int) -> bool:
    """Is the speaker phrase at ``left`` preceded by a quote that ends with a comma, ``!``
    or ``?`` (``"Q," she told ...``)? Then the cue closes that quote."""
    body = ctx.body
    p = _back_over(body, left) - 1
    if p < 1 or body[p] not in _QUOTE_CHARS:
        return False
    qi = ctx.quote_at(p)
    if qi is None or ctx.quotes[qi].close != p:
        return False
    return body[p - 1] in ",!?" or body[p + 1:left].strip() == ","


def _back_over(body: str, pos: int) -> int:
    """Step left from ``pos`` over white space and commas."""
    while pos > 0 and body[pos - 1] in " \t\n,":
        pos -= 1
    return pos


def _next_cue_left(ctx: _Ctx, k: int, hi: int) -> int | None:
    """Offset where the next cue of the sentence (after token ``k``) starts its clause:
    the coordinator or comma before it, or its subject phrase."""
    toks, cues = ctx.toks, ctx.cues
    for n in range(k, hi):
        t = toks[n]
        if _inside(ctx.quotes, ctx.q_opens, t.start):
            continue
        if t.lower in cues.verbs and _is_cue(ctx, n, k):
            j = n - 1
            while j >= k and _is_adverb(toks[j], cues):
                j -= 1
            if t.lower.endswith("ing") and toks[n - 1].text == ",":
                return toks[n - 1].start
            if j >= k and toks[j].lower in ("and", "but", "or"):
                j2 = j - 1
                return toks[j2].end if j2 >= k and toks[j2].text == "," else toks[j].start
            if j >= k and toks[j].lower in cues.pronouns:
                return toks[j].start
            np = _noun_phrase(ctx, j, k) if j >= k else None
            if np is not None and toks[np[0]].start > toks[k].start:
                return toks[np[0]].start
            return None
    return None


# --------------------------------------------------------------------------- quotes left


def _sentence_initial(ctx: _Ctx, q: Quote) -> bool:
    """Does the quote open its paragraph or follow a sentence end?"""
    pa = ctx.paras[q.paragraph][0]
    k = q.open
    while k > pa and ctx.body[k - 1].isspace():
        k -= 1
    if k == pa:
        return True
    prev = ctx.body[k - 1]
    return prev in _SENT_END or (prev in _QUOTE_CHARS and k - 2 >= pa
                                 and ctx.body[k - 2] in _SENT_END)


def _attribute_rest(ctx: _Ctx) -> None:
    """Give the quotes no cue claimed a speaker by continuation, or none; drop mentions."""
    used: set[int] = set()
    for f in ctx.found:
        used.update(f.quotes)
    # quotes inside an indirect content are fragments of it, not statements
    spans = sorted((f.start, f.end) for f in ctx.found)
    starts = [s[0] for s in spans]
    by_chain: dict[int, _Found] = {}
    for f in ctx.found:
        if f.kind == "direct" and f.quotes:
            by_chain[ctx.quotes[f.quotes[0]].chain] = f
    found = sorted(ctx.found, key=lambda f: f.start)
    fstarts = [f.start for f in found]
    extra: list[_Found] = []
    for qi, q in enumerate(ctx.quotes):
        if qi in used:
            continue
        k = bisect.bisect_right(starts, q.open) - 1
        if k >= 0 and spans[k][1] > q.open:
            continue
        body = ctx.body
        a, b = q.start, q.end
        while b > a and body[b - 1] in ", \t\n":
            b -= 1
        while a < b and body[a].isspace():
            a += 1
        if b <= a:
            continue
        head = by_chain.get(q.chain)
        if head is not None:
            extra.append(_Found("direct", a, b, head.speaker, head.speaker_text, head.cue, (qi,)))
            continue
        nwords = len(re.findall(r"\w+", body[a:b]))
        inner_end = any(c in _SENT_END for c in body[a:b].rstrip(".!?"))
        if not _sentence_initial(ctx, q) or (nwords < ctx.cues.min_statement_words
                                             and not inner_end):
            continue
        prev = _last_before(found, fstarts, extra, q.open)
        speaker = None
        if prev is not None and (prev.speaker or prev.speaker_text):
            pp = ctx.para_of(prev.start)
            first_in_para = ctx.paras[q.paragraph][0] == q.open
            if pp == q.paragraph or (first_in_para and pp == q.paragraph - 1):
                speaker = prev
        f = _Found("direct", a, b, speaker.speaker if speaker else None, None, None, (qi,))
        if speaker is not None and speaker.speaker is None:
            f.speaker_text = speaker.speaker_text
        extra.append(f)
        by_chain[q.chain] = f
    ctx.found.extend(extra)


def _last_before(found: list[_Found], fstarts: list[int], extra: list[_Found],
                 pos: int) -> _Found | None:
    k = bisect.bisect_left(fstarts, pos) - 1
    best = found[k] if k >= 0 else None
    if extra and extra[-1].start < pos and (best is None or extra[-1].start > best.start):
        best = extra[-1]
    return best


# --------------------------------------------------------------------------- public


def _find_statements(body: str, reg: Registry, cues: Cues) -> list[_Found]:
    """Return the statements of a report body, sorted by start."""
    ctx = _Ctx.build(body, reg, cues)
    _find_cued(ctx)
    _attribute_rest(ctx)
    out = [f for f in ctx.found if f.end > f.start]
    out.sort(key=lambda f: (f.start, -f.end))
    # drop exact duplicates (a quote claimed twice)
    dedup: list[_Found] = []
    for f in out:
        if dedup and dedup[-1].start == f.start and dedup[-1].end == f.end:
            continue
        dedup.append(f)
    return dedup


def _rows(doc: Document, reg: Registry, cues: Cues) -> list[dict]:
    body = doc.body
    found = _find_statements(body, reg, cues)
    if doc.kind == "statement":
        a, b = 0, len(body)
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        others = [f for f in found if f.speaker_text is not None and f.kind != "statement"
                  and (f.speaker is None or f.speaker != doc.speaker)]
        found = [_Found("statement", a, b, doc.speaker, None, None), *others]
        found.sort(key=lambda f: (f.start, -f.end))
    paras = paragraphs(body)
    pstarts = [p[0] for p in paras]
    sstarts = [s[0] for s in sentences(body)] if found else []
    rows = []
    for n, f in enumerate(found, 1):
        actor = reg[f.speaker] if f.speaker in reg else None
        if actor is not None:
            name = actor.name
        elif f.kind == "statement":
            name = doc.speaker_name
        elif f.speaker_text and f.speaker_text.lower() not in cues.pronouns:
            name = f.speaker_text
        else:
            name = None
        if f.speaker in reg:
            aff = reg.affiliation_of(f.speaker)
        elif f.kind == "statement":
            aff = doc.country
        else:
            aff = None
        rows.append({
            "statement_id": f"{doc.id}#{n:03d}",
            "doc_id": doc.id,
            "speaker": f.speaker,
            "speaker_name": name,
            "affiliation": aff,
            "speaker_text": f.speaker_text,
            "kind": f.kind,
            "text": body[f.start:f.end],
            "start": f.start,
            "end": f.end,
            "cue": f.cue,
            "paragraph": max(0, bisect.bisect_right(pstarts, f.start) - 1),
            "sentence": max(0, bisect.bisect_right(sstarts, f.start) - 1),
        })
    return rows


def extract_statements(
    docs: Document | Iterable[Document],
    *,
    registry: Registry | str | Path | None = None,
    cues: Cues | str | Path | None = None,
) -> pd.DataFrame:
    """Return the statements of ``docs`` as a DataFrame, one row per statement.

    Columns (in order): ``statement_id, doc_id, speaker, speaker_name, affiliation,
    speaker_text, kind, text, start, end, cue, paragraph, sentence`` -- see the module
    docstring for the rules. ``registry`` and ``cues`` are objects or paths (default: the
    project's ``corpus/speakers.yml`` and ``analysis/data/cues.yml``).

    >>> from analysis.corpus import Document
    >>> doc = Document(id="d", body='"We regret it," Ambassador Power said.')
    >>> extract_statements(doc)[["speaker", "kind", "text"]].values.tolist()
    [['power', 'direct', 'We regret it']]
    """
    reg = as_registry(registry)
    cue_set = cues if isinstance(cues, Cues) else load_cues(cues)
    if isinstance(docs, Document):
        docs = [docs]
    rows: list[dict] = []
    for doc in docs:
        rows.extend(_rows(doc, reg, cue_set))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("start", "end", "paragraph", "sentence"):
        frame[col] = frame[col].astype("int64")
    return frame

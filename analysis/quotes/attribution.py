"""Attribution: which statements a news report holds, and who makes each.

:func:`find_statements` reads one document body (the rules are in the package docstring,
:mod:`analysis.quotes`) and returns :class:`~analysis.quotes.context.Found` records, sorted
by start; the statements table (:mod:`analysis.quotes.table`) turns them into rows. Speech
cues are found here, with the content each introduces or closes; who speaks is
:mod:`analysis.quotes.sources`; quotes no cue claims are continued or left unattributed.

All scans are linear in the length of the text (no backtracking regular expressions;
bisection for look-ups).
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

from ..speakers import Registry
from ..text import Token
from .context import Context, Found, Subject, inside, is_adverb, is_cue, is_word
from .cues import Cues
from .kinds import ATTITUDE_KINDS
from .learned import CueModel, choose_source, in_subject, learned_cues
from .marks import QUOTE_CHARS, QUOTE_TOKENS, Quote, single_quoted
from .sources import (
    describe,
    noun_phrase,
    opening_phrase,
    pronoun_subject,
    source_phrase,
    subject,
)

__all__ = ["LearnedFind", "find_learned", "find_statements", "rules_context", "source_subject"]

_QUOTE_CHARS = QUOTE_CHARS
_QUOTE_TOKENS = QUOTE_TOKENS
_SENT_END = frozenset(".!?")
_TRAIL = frozenset(".,;:!? \t\r\n")


# --------------------------------------------------------------------------- content


def _strip_span(body: str, a: int, b: int, cues: Cues) -> tuple[int, int]:
    """Return ``(a, b)`` with white space, trailing punctuation and a trailing coordinator
    (``and``) trimmed (but a closing quote mark stays)."""
    while a < b and body[a].isspace():
        a += 1
    while True:
        while b > a and body[b - 1] in _TRAIL:
            b -= 1
        for w in cues.coordinators:
            if body.endswith(w, a, b) and b - len(w) > a and body[b - len(w) - 1] == " ":
                b -= len(w) + 1
                break
        else:
            return a, b


def _quotes_in(ctx: Context, a: int, b: int) -> list[int]:
    """Indices of the quotes opening within [a, b)."""
    lo = bisect.bisect_left(ctx.q_opens, a)
    hi = bisect.bisect_left(ctx.q_opens, b)
    return list(range(lo, hi))


def _classify(ctx: Context, a: int, b: int, sub: Subject, cue: str) -> Found | None:
    """Make a statement of content [a, b): direct if it is one quote, mixed if it holds
    one, else indirect."""
    body = ctx.body
    a, b = _strip_span(body, a, b, ctx.cues)
    if b <= a:
        return None
    qs = _quotes_in(ctx, a, b)
    if qs and ctx.quotes[qs[0]].open == a:
        q = ctx.quotes[qs[0]]
        tail = q.after
        if tail >= b or not body[tail:b].strip(" ,.;:!?"):
            # later pieces of a multi-paragraph quote follow in _attribute_rest
            return Found("direct", q.start, q.end, sub.actor, sub.text, cue, (qs[0],),
                         name=sub.name)
    if not qs and single_quoted(body, a, b):
        return Found("mixed", a, b, sub.actor, sub.text, cue, name=sub.name)
    if qs:
        last = ctx.quotes[qs[-1]]
        if last.close is not None and last.close >= b and body[b:last.after].strip(".,!?;'") \
                == "":
            b = last.after
        elif last.close is None:
            b = max(b, last.end)
        return Found("mixed", a, b, sub.actor, sub.text, cue, tuple(qs), name=sub.name)
    return Found("indirect", a, b, sub.actor, sub.text, cue, name=sub.name)


def _content_after(ctx: Context, i: int, hi: int, how: str) -> tuple[int, bool]:
    """Return (token index where the content after the cue at ``i`` starts, True) when the
    cue opens its content, or (-1, False) when the content lies before the cue."""
    toks, cues = ctx.toks, ctx.cues
    k = i + 1
    if how == "addressee":
        for n in range(k, min(k + 9, hi)):
            if toks[n].lower in cues.complementizers:
                return n + 1, True
            if not is_word(toks[n]):
                break
        n = k
        dets = cues.addressee_determiners
        while n < hi and n - k < 9:
            t = toks[n]
            if t.lower in dets and n == k:
                n += 1
                continue
            if t.lower in cues.complementizers or not is_word(t) or t.lower in cues.pronouns:
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
        if nxt is not None and toks[k - 1].text == ":" and toks[nxt].text in _QUOTE_TOKENS:
            return nxt, True
        return -1, False
    t = toks[k]
    if t.lower in cues.complementizers:
        return k + 1, True
    if cues.particles.get(toks[i].lower) == t.lower:
        ok = k + 1 < hi and toks[k + 1].text not in _TRAIL
        return (k + 1, True) if ok else (-1, False)
    if t.text in (":",) or (t.text == "," and k + 1 < len(toks)
                             and toks[k + 1].text in _QUOTE_TOKENS):
        nxt = k + 1
        if nxt < len(toks):
            return nxt, True
        return -1, False
    if t.text in _QUOTE_TOKENS:
        return k, True
    if not is_word(t):
        return -1, False
    if t.lower in cues.infinitive_markers and toks[i].lower in cues.takes_infinitive:
        return k, True  # "pledged to shut the centres"
    if t.lower in cues.after_words:
        # "said on Tuesday that ...", "said on ABC's "This Week" that ...", "wrote to his
        # 20,000 followers, "..."": over words, a quoted title, possessives and numbers
        in_title = False
        for n in range(k, min(k + 16, hi)):
            w = toks[n]
            if w.text in _QUOTE_TOKENS:
                in_title = not in_title
                continue
            if in_title:
                continue
            if w.lower in cues.complementizers:
                return n + 1, True
            if w.text == "," and n + 1 < len(toks) and toks[n + 1].text in _QUOTE_TOKENS:
                return n + 1, True
            if w.text == ":" and n + 1 < len(toks):
                return n + 1, True
            if is_word(w) or w.text in ("'", "\u2019") or (
                    w.text == "," and n + 1 < hi and toks[n - 1].text.isdigit()
                    and toks[n + 1].text.isdigit()):
                continue
            break
        n = _after_time(ctx, k, hi)
        if n < 0 and how == "object":
            return k, True  # "called on the council to act": an object verb opens it
        return n, n >= 0
    return k, True


def _after_time(ctx: Context, k: int, hi: int) -> int:
    """For a cue followed by time words from token ``k`` ("said Wednesday he agrees",
    "said last week the deal was off"): the token where the content starts, when a subject
    (a pronoun, a determiner or a capitalised word that is not a time word) follows them
    directly; else -1."""
    toks, cues = ctx.toks, ctx.cues
    n = k
    while n < hi and n - k < 3 and toks[n].lower in cues.time_words:
        n += 1
    if n == k or n + 1 >= hi or not is_word(toks[n]) or not is_word(toks[n + 1]):
        return -1
    t = toks[n]
    if t.lower in cues.infinitive_markers and toks[k - 1].lower in cues.takes_infinitive:
        return n  # "vowed last month to take his campaign to the convention"
    if t.lower in cues.pronouns or t.lower in cues.determiners or (
            t.text[0].isupper() and t.lower not in cues.after_words):
        return n
    return -1


# --------------------------------------------------------------------------- cues in text


def _preposed(ctx: Context, i: int, lo: int, hi: int) -> Found | None:
    """``according to X, CONTENT`` or ``CONTENT, according to X``."""
    toks, cues = ctx.toks, ctx.cues
    for ph in cues.preposed_phrases:
        n = len(ph)
        if tuple(t.lower for t in toks[i:i + n]) != ph or i + n >= hi:
            continue
        if inside(ctx.quotes, ctx.q_opens, toks[i].start):
            return None
        a = i + n
        j = a
        opening = i == lo or i - 1 == lo and (toks[lo].text in (",", ";")
                                              or toks[lo].lower in cues.coordinators)
        # a source opening the sentence may be long ("According to early results of exit
        # polls conducted for the networks, ..."): it ends at the comma
        limit = 24 if opening else 10
        while j < hi and j - a < limit and toks[j].text not in (",", ".", ";", ":", "!", "?"):
            j += 1
        if j == a:
            return None
        actor, text, _ = describe(ctx, a, j - 1)
        sub = Subject(actor, text, toks[i].start)
        cue = " ".join(toks[i + k].text.lower() for k in range(n))
        if opening:
            if j < hi and toks[j].text == ",":
                end = ctx.sent_end(toks[i].start)
                return _classify(ctx, toks[j].end, end, sub, cue)
            return None
        start = _clause_start(ctx, lo)
        return _classify(ctx, start, toks[i].start, sub, cue)
    return None


def _in_source(ctx: Context, i: int) -> Found | None:
    """With attitudes on: "In a Ledger poll last month, CONTENT" opening a sentence -- the
    phrase up to the comma (at most 14 words, holding one of the ``in_sources`` words) is the
    source, the rest of the sentence the content, of that word's kind (``poll``)."""
    toks, cues = ctx.toks, ctx.cues
    lo, hi = ctx.sent_tokens(toks[i].start)
    if i != lo or inside(ctx.quotes, ctx.q_opens, toks[i].start):
        return None
    kind = None
    for j in range(i + 1, min(i + 16, hi - 1)):
        w = toks[j]
        if w.text == ",":
            if kind is None or j == i + 1:
                return None
            actor, text, _ = describe(ctx, i + 1, j - 1)
            end = ctx.sent_end(toks[i].start)
            f = _classify(ctx, toks[j + 1].start, _content_end(ctx, j + 1, hi, end),
                          Subject(actor, text, toks[i].start), "in")
            if f is not None:
                f.kind = kind
            return f
        if not is_word(w) and w.text not in ("'", "\u2019", "/", "-"):
            return None
        kind = kind or cues.in_sources.get(w.lower)
    return None


def _clause_start(ctx: Context, lo: int) -> int:
    """Where a content that ends at a cue may start: the sentence start, or the end of the
    last statement found in the same sentence."""
    start = ctx.toks[lo].start
    if ctx.found and ctx.found[-1].end > start:
        start = ctx.found[-1].end
        # skip the cue words of the previous statement up to the next comma
    return start


def _find_cued(ctx: Context) -> None:
    """Find every statement introduced or closed by a speech cue (fills ``ctx.found``)."""
    toks, cues = ctx.toks, ctx.cues
    # one look-up per token: only these words (and ":") can start a statement
    starts = cues.speech_nouns | cues.preposed_first_words | cues.verbs.keys() | {":"}
    if cues.in_sources:
        starts |= {"in"}
    for i, t in enumerate(toks):
        if t.lower not in starts:
            continue
        if t.lower in cues.speech_nouns:
            f = _noun_statement(ctx, i)
            if f is not None:
                _add(ctx, _as_attitude(ctx, f, t.lower))
                continue
        if t.lower in cues.preposed_first_words:
            lo, hi = ctx.sent_tokens(t.start)
            f = _preposed(ctx, i, lo, hi)
            if f is not None:
                _add(ctx, f)
                continue
        if cues.in_sources and t.lower == "in":
            f = _in_source(ctx, i)
            if f is not None:
                _add(ctx, f)
                continue
        if t.lower in cues.verbs:
            lo, hi = ctx.sent_tokens(t.start)
            if is_cue(ctx, i, lo):
                sub, cue = subject(ctx, i, lo, hi)
                if sub is not None:
                    _emit(ctx, i, lo, hi, sub, cue, cues.verbs[t.lower])
        elif t.text == ":":
            f = _colon_statement(ctx, i)
            if f is not None:
                _add(ctx, f)


def _noun_statement(ctx: Context, i: int) -> Found | None:
    """``X's remarks that CONTENT`` / ``his claim at the debate that CONTENT``: a speech noun
    (``speech_nouns`` in the cues file) after a possessive (at most three words before it)
    and followed within six words by "that"; the possessor is the speaker."""
    toks, cues = ctx.toks, ctx.cues
    if inside(ctx.quotes, ctx.q_opens, toks[i].start):
        return None
    lo, hi = ctx.sent_tokens(toks[i].start)
    p = None
    for k in range(i - 1, max(lo, i - 4) - 1, -1):
        w = toks[k]
        if not is_word(w):
            return None
        if w.lower in cues.possessive_pronouns or w.lower.endswith(("'s", "\u2019s")) \
                or (w.text.endswith(("s'", "s\u2019")) and w.text[0].isupper()):
            p = k
            break
    if p is None:
        return None
    n = next((n for n in range(i + 1, min(i + 8, hi)) if toks[n].lower in cues.complementizers),
             None)
    if n is None or n + 1 >= hi or any(not is_word(t) for t in toks[i + 1:n]):
        return None
    w = toks[p]
    if w.lower in cues.possessive_pronouns:
        pron = cues.possessive_pronouns[w.lower]
        tok = Token(pron, pron, w.start, w.end)
        sub = pronoun_subject(ctx, tok, w.start)
        sub = Subject(sub.actor, w.text, w.start, name=sub.name)
    else:
        np = noun_phrase(ctx, p, lo)
        a = np[0] if np is not None else p
        while a < p and (not is_word(toks[a]) or toks[a].lower in cues.prepositions):
            a += 1  # "because of Mr. Obama's suggestion": the possessor is Mr. Obama
        actor, text, _ = describe(ctx, a, p)
        text = text.removesuffix("'s").removesuffix("\u2019s").rstrip("'\u2019")
        sub = Subject(actor, text, toks[a].start)
    end = _content_end(ctx, n + 1, hi, ctx.sent_end(toks[i].start))
    for qi in _quotes_in(ctx, toks[n + 1].start, end):
        q = ctx.quotes[qi]
        k = bisect.bisect_left(ctx.tok_starts, q.after)
        if q.close is not None and k < hi and is_word(toks[k]) and toks[k].text[0].islower():
            end = q.after  # "X's claim that it was "lost" angered them": the main verb follows
            break
    return _classify(ctx, toks[n + 1].start, end, sub, toks[i].lower)


def _colon_statement(ctx: Context, i: int) -> Found | None:
    """``NAME: CONTENT`` opening a paragraph (transcripts, headlines: "WALLACE: ...",
    "Voss: 'We will not yield'") or following a dash in a round-up ("... -- Ada Voss,
    Kessland Herald: '...'"): the content runs to the end of the paragraph.

    NAME is one to eight words, each capitalised but for "and" and "of" (a comma and a
    second name, an outlet, may follow), and not a label such as "Update" or "Note"
    (``colon_labels`` in the cues file). Content without quote marks is the speaker's own
    words when the name is in capitals, as in a transcript ("WALLACE: ..."): a direct
    statement; after a name in mixed case it is a headline's summary of what was said
    ("Lynch: No outside influence on FBI probe"): an indirect one."""
    toks, cues = ctx.toks, ctx.cues
    if i + 1 >= len(toks) or inside(ctx.quotes, ctx.q_opens, toks[i].start):
        return None
    para = ctx.para_of(toks[i].start)
    pa, pb = ctx.paras[para]
    if toks[i + 1].start >= pb:
        return None
    a = i
    while a - 1 >= 0 and toks[a - 1].start >= pa and i - a < 10:
        w = toks[a - 1]
        if w.text in ("-", "\u2014", "\u2013"):
            break
        a -= 1
    if a == i or (a > 0 and toks[a - 1].start >= pa
                  and toks[a - 1].text not in ("-", "\u2014", "\u2013")):
        return None
    words = [t for t in toks[a:i] if is_word(t)]
    if not words or not toks[a].text[0].isupper() or len(words) > 8:
        return None
    for t in toks[a:i]:
        if is_word(t):
            if not t.text[0].isupper() and t.lower not in ("and", "of"):
                return None
        elif t.text not in (",", ".", "'"):
            return None
    if words[0].lower in cues.colon_labels or words[-1].lower in cues.colon_labels:
        return None
    end = i - 1
    comma = next((n for n in range(a, i) if toks[n].text == ","), None)
    if comma is not None:
        end = comma - 1  # "Ada Voss, Kessland Herald:" -- the outlet is not the name
    if end < a:
        return None
    actor, text, _ = describe(ctx, a, end)
    sub = Subject(actor, text, toks[a].start)
    f = _classify(ctx, toks[i + 1].start, pb, sub, ":")
    if f is not None and f.kind == "indirect" and all(
            w.text.isupper() for w in words if w.text[0].isalpha()):
        f.kind = "direct"
    return f


def _add(ctx: Context, f: Found) -> None:
    ctx.found.append(f)
    if f.speaker is None and f.speaker_text is not None:
        ctx.unregistered_at.append(f.start)


def _emit(ctx: Context, i: int, lo: int, hi: int, sub: Subject, cue: str, how: str) -> None:
    """Turn the cue at token ``i`` into a statement: content after it up to the sentence end
    or the next cue, or before it back to the clause start."""
    toks, body = ctx.toks, ctx.body
    if _naming(ctx, i, sub):
        return
    if _poll_answer(ctx, sub):
        if not ctx.cues.attitude_of:
            return  # "42% say ...", "a majority of voters said ...": a poll, no statement
        cue = f"{cue} (poll answer)"

    if sub.after or _comma_quote_before(ctx, sub.left):
        k, opens = -1, False
    else:
        k, opens = _content_after(ctx, i, hi, how)
        if opens and k >= len(toks):
            return  # the cue ends the text ("... said that"): nothing follows it
    if opens:
        a = toks[k].start
        end = ctx.sent_end(toks[i].start)
        # stop before the next cue of this sentence (its subject or coordinator)
        end = _content_end(ctx, k, hi, end)
        if toks[k].text in _QUOTE_TOKENS:
            qi = ctx.quote_at(toks[k].start)
            if qi is not None:
                q = ctx.quotes[qi]
                end = max(end, q.after)
        f = _classify(ctx, a, end, sub, cue)
    else:
        left = sub.left if not sub.after else toks[i].start
        # a quote closing right before the speaker: '"Q," he said' / '"Q." He said.'
        qi = ctx.quote_at(_back_over(body, left) - 1)
        if qi is not None and ctx.quotes[qi].close is not None:
            q = ctx.quotes[qi]
            if q.after == _back_over(body, left) and q.paragraph == ctx.para_of(left):
                a, b = q.start, q.end
                b2 = b
                while b2 > a and body[b2 - 1] in ", \t\r\n":
                    b2 -= 1
                f = Found("direct", a, b2, sub.actor, sub.text, cue, (qi,), name=sub.name)
                _add(ctx, _as_attitude(ctx, f, toks[i].lower))
                return
        c = _as_comma(ctx, i, lo, hi, sub)
        if c is not None:
            # "As The Hill reported, CONTENT", "As he said in May, CONTENT": after the comma
            end = ctx.sent_end(toks[i].start)
            f = _classify(ctx, toks[c + 1].start, _content_end(ctx, c + 1, hi, end), sub, cue)
            if f is not None:
                _add(ctx, _as_attitude(ctx, f, toks[i].lower))
            return
        if how == "object" and not sub.after:
            # an object verb opens its content ("X denounced the plan"): the words before it
            # are no content ("On Sunday, X called on ...", a belief: "what voters think")
            return
        start = _clause_start(ctx, lo)
        after = _parenthetical_rest(ctx, i, start, left, hi, sub)
        if after is not None:
            f = _classify(ctx, toks[after].start, _content_end(ctx, after, hi, toks[hi - 1].end),
                          sub, cue)
        else:
            f = _classify(ctx, start, left, sub, cue) if left > start else None
    if f is not None:
        _add(ctx, _as_attitude(ctx, f, toks[i].lower))


def _as_comma(ctx: Context, i: int, lo: int, hi: int, sub: Subject) -> int | None:
    """For a sentence opening "As SPEAKER CUE [words], CONTENT" (``as_openers``): the index
    of the comma the content follows (at most 8 words after the cue), else None."""
    toks = ctx.toks
    if toks[lo].lower not in ctx.cues.as_openers or lo + 1 >= i or sub.left != toks[lo + 1].start:
        return None
    for c in range(i + 1, min(i + 10, hi - 1)):
        if toks[c].text == ",":
            return c
        if not is_word(toks[c]):
            return None
    return None


def _naming(ctx: Context, i: int, sub: Subject) -> bool:
    """Is the cue at token ``i`` a verb of naming after a thing ("a group called Stop It",
    "another company called i360"): a name, not a statement? The speaker phrase opens with
    one of ``indefinites`` and ends with one of ``named_things``; no particle follows."""
    toks, cues = ctx.toks, ctx.cues
    if toks[i].lower not in cues.naming_verbs or not sub.text or sub.actor:
        return False
    if i + 1 < len(toks) and cues.particles.get(toks[i].lower) == toks[i + 1].lower:
        return False  # "a group of rabbis called for a boycott"
    words = sub.text.lower().split()
    return words[0] in cues.indefinites and words[-1] in cues.named_things


def _poll_answer(ctx: Context, sub: Subject) -> bool:
    """Does the speaker phrase count respondents ("42%", "7 percent", "About 4 in 10", "a
    majority of voters"): a number before one of ``poll_answer_words`` or "in", or one of
    those words in its first three words?"""
    if sub.actor or not sub.text:
        return False
    words = sub.text.replace("%", " % ").split()  # as written: "Majority Leader" is a title
    answer = ctx.cues.poll_answer_words
    for n, w in enumerate(words):
        if w[0].isdigit() and n + 1 < len(words) and (words[n + 1] in answer
                                                      or words[n + 1] == "in"):
            return True
        if n < 3 and w in answer:
            return True
    return False


def _as_attitude(ctx: Context, f: Found, word: str) -> Found:
    """Return ``f`` with its kind set to the attitude kind of its cue word ``word`` when
    that is an attitude cue in force (``belief``, ``poll``; see ``Cues.with_attitudes``), or
    ``poll`` for a poll's answer (its cue marked so)."""
    if not ctx.cues.attitude_of:
        return f
    if f.cue is not None and f.cue.endswith("(poll answer)"):
        f.kind = "poll"
        f.cue = f.cue.removesuffix(" (poll answer)")
        return f
    kind = ctx.cues.attitude_of.get(word)
    if kind is not None:
        f.kind = kind
    return f


def _parenthetical_rest(ctx: Context, i: int, start: int, left: int, hi: int,
                        sub: Subject) -> int | None:
    """For a cue set off by commas inside its sentence after a short opening ("In the end,
    Mr. Voss said, the vote was lost"), return the token where the content after it starts;
    None when the content is the clause before the cue (a clause of its own, or a rest that
    opens with a conjunction: "The guns were old, Voss said, and nobody disputed it")."""
    toks, cues = ctx.toks, ctx.cues
    n = i + 1
    if sub.after:
        n = bisect.bisect_left(ctx.tok_starts, sub.end)
    if n + 1 >= hi or toks[n].text != "," or not is_word(toks[n + 1]):
        return None
    nxt = toks[n + 1]
    if nxt.lower in cues.boundaries or nxt.lower in cues.after_words or (
            nxt.lower in cues.verbs and nxt.text[0].islower()):
        return None
    lo = bisect.bisect_left(ctx.tok_starts, start)
    before = [t for t in toks[lo:bisect.bisect_left(ctx.tok_starts, left)] if is_word(t)]
    rest = [t for t in toks[n + 1:hi] if is_word(t)]
    if not before or len(before) > 5 or len(rest) <= len(before):
        return None
    first = before[0].lower
    if not (first in cues.prepositions or first in cues.after_words or first in cues.boundaries
            or first in cues.skip_before):
        return None
    return n + 1


def _comma_quote_before(ctx: Context, left: int) -> bool:
    """Is the speaker phrase at ``left`` preceded by a quote that ends with a comma, ``!``
    or ``?`` (``"Q," she told ...``)? Then the cue closes that quote."""
    body = ctx.body
    p = _back_over(body, left)
    if p < 2:
        return False
    qi = ctx.quote_at(p - 1)
    if qi is None:
        return False
    q = ctx.quotes[qi]
    if q.close is None or q.after != p or q.paragraph != ctx.para_of(left):
        return False  # (a quote ending the paragraph before is no part of this sentence)
    return body[q.close - 1] in ",!?" or body[p:left].strip() == ","


def _back_over(body: str, pos: int) -> int:
    """Step left from ``pos`` over white space and commas."""
    while pos > 0 and body[pos - 1] in " \t\r\n,":
        pos -= 1
    return pos


def _next_cue(ctx: Context, k: int, hi: int) -> tuple[int, int | None] | None:
    """Return ``(n, left)`` for the next cue of the sentence at or after token ``k``: its
    token index and the offset where it starts its clause (the coordinator or comma before
    it, or its subject phrase; None when that is not known or is token ``k`` itself), or
    None when no cue follows. Scans only up to that cue."""
    toks, cues = ctx.toks, ctx.cues
    for n in range(k, hi):
        t = toks[n]
        if inside(ctx.quotes, ctx.q_opens, t.start):
            continue
        if t.lower in cues.verbs and is_cue(ctx, n, k):
            j = n - 1
            while j >= k and is_adverb(toks[j], cues):
                j -= 1
            if t.lower.endswith("ing") and toks[n - 1].text == ",":
                return n, toks[n - 1].start
            if j >= k and toks[j].lower in cues.coordinators:
                j2 = j - 1
                return n, toks[j2].end if j2 >= k and toks[j2].text == "," else toks[j].start
            if j >= k and toks[j].lower in cues.pronouns:
                return n, toks[j].start
            np = noun_phrase(ctx, j, k) if j >= k else None
            if np is not None and toks[np[0]].start > toks[k].start:
                return n, toks[np[0]].start
            return n, None
    return None


def _content_end(ctx: Context, k: int, hi: int, end: int) -> int:
    """Where a content opening at token ``k`` ends, at most ``end``: before the clause of the
    next cue of the sentence. A cue nested at the start of the content ("X said Y said
    ...", "X said the ministry, which warned ..., was wrong") stays inside it, but the
    content ends before the cue after that one -- so no content spans more than two cues
    and the work stays linear in the text however many cues a sentence repeats."""
    a = ctx.toks[k].start
    nxt = _next_cue(ctx, k, hi)
    if nxt is None:
        return end
    n1, left1 = nxt
    if left1 is not None and left1 > a:
        return min(end, left1)
    nxt = _next_cue(ctx, n1 + 1, hi)
    if nxt is None:
        return end
    n2, left2 = nxt
    return min(end, left2 if left2 is not None else ctx.toks[n2].start)


# --------------------------------------------------------------------------- quotes left


def _sentence_initial(ctx: Context, q: Quote) -> bool:
    """Does the quote open its paragraph or follow a sentence end?"""
    pa = ctx.paras[q.paragraph][0]
    k = q.open
    while k > pa and ctx.body[k - 1].isspace():
        k -= 1
    if k == pa:
        return True
    body = ctx.body
    if body[k - 1] in _SENT_END:
        return True
    # after a closing mark that follows a sentence end: '... ended." "Next'
    n = 2 if body.startswith("''", k - 2) else 1 if body[k - 1] in _QUOTE_CHARS else 0
    return n > 0 and k - n - 1 >= pa and body[k - n - 1] in _SENT_END


def _attribute_rest(ctx: Context) -> None:
    """Give the quotes no cue claimed a speaker by continuation, or none; drop mentions."""
    used: set[int] = set()
    for f in ctx.found:
        used.update(f.quotes)
    # quotes inside an indirect content are fragments of it, not statements
    spans = sorted((f.start, f.end) for f in ctx.found)
    starts = [s[0] for s in spans]
    by_chain: dict[int, Found] = {}
    for f in ctx.found:
        if f.kind == "direct" and f.quotes:
            by_chain[ctx.quotes[f.quotes[0]].chain] = f
    found = sorted(ctx.found, key=lambda f: f.start)
    fstarts = [f.start for f in found]
    extra: list[Found] = []
    for qi, q in enumerate(ctx.quotes):
        if qi in used:
            continue
        k = bisect.bisect_right(starts, q.open) - 1
        if k >= 0 and spans[k][1] > q.open:
            continue
        body = ctx.body
        a, b = q.start, q.end
        while b > a and body[b - 1] in ", \t\r\n":
            b -= 1
        while a < b and body[a].isspace():
            a += 1
        if b <= a:
            continue
        head = by_chain.get(q.chain)
        if head is not None:
            extra.append(Found("direct", a, b, head.speaker, head.speaker_text, head.cue, (qi,),
                               name=head.name))
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
            if (pp == q.paragraph or (first_in_para and pp == q.paragraph - 1)) \
                    and not _moved_on(ctx, prev, q.open):
                speaker = prev
        f = Found("direct", a, b, speaker.speaker if speaker else None, None, None, (qi,))
        if speaker is not None and speaker.speaker is None:
            f.speaker_text = speaker.speaker_text
            f.name = speaker.name
        extra.append(f)
        by_chain[q.chain] = f
    ctx.found.extend(extra)


def _moved_on(ctx: Context, prev: Found, pos: int) -> bool:
    """Has the text moved on from the speaker of ``prev`` before offset ``pos``: does a
    sentence in between open with someone else as its subject ("Lind left. Dorn, a farmer,
    was not convinced. "It is all talk."")?"""
    toks = ctx.toks
    who = prev.name or prev.speaker_text or (ctx.reg[prev.speaker].name if prev.speaker else "")
    words = {w.lower() for w in re.findall(r"\w+", who or "")}
    for s in range(ctx.sent_of(prev.end) + 1, ctx.sent_of(pos) + 1):
        a, b = ctx.sents[s]
        if b > pos:
            break
        lo = bisect.bisect_left(ctx.tok_starts, a)
        hi = bisect.bisect_left(ctx.tok_starts, b)
        np = opening_phrase(ctx, lo, hi)
        if np is None:
            continue
        named = {t.lower for t in toks[np[0]:np[1] + 1] if t.text[0].isupper()}
        if named and not named & words and not any(
                t.lower in ctx.cues.pronouns for t in toks[np[0]:np[1] + 1]):
            return True
    return False


def _last_before(found: list[Found], fstarts: list[int], extra: list[Found],
                 pos: int) -> Found | None:
    k = bisect.bisect_left(fstarts, pos) - 1
    best = found[k] if k >= 0 else None
    if extra and extra[-1].start < pos and (best is None or extra[-1].start > best.start):
        best = extra[-1]
    return best


# --------------------------------------------------------------------------- public


class LearnedFind(NamedTuple):
    """An attribution found through a learned cue, with where it was found: the record,
    the cue's token index, its sentence's token range ``[lo, hi)`` and the rules' speaker."""

    found: Found
    cue: int
    lo: int
    hi: int
    subject: Subject


def find_learned(ctx: Context, model: CueModel, *,
                 record: list[LearnedFind] | None = None) -> None:
    """Add the attributions whose cues ``model`` finds (:mod:`~analysis.quotes.learned`) to
    ``ctx.found``: each run of cue words is read from its last word back, as an object cue
    (its content follows it), until one word yields an attribution; its kind is ``act``
    unless the word is a belief or poll cue. A determiner, the first word of a phrase the
    rules read themselves ("according"), and a function word that is the whole run ("has",
    "not", "about") cue nothing. The speaker is the rules' (:func:`subject`), else a pronoun
    right before the cue or none (:func:`_bare_subject`; none only for a word of the cue
    lexicon: "is expected to"); a relative pronoun is kept as the words with its antecedent
    as the name (:func:`_relative_source`). When ``model`` has a source chooser, it then
    picks the source of each attribution the rules had not found already
    (:func:`~analysis.quotes.learned.choose_source`, :func:`source_subject`).

    ``record``: a list to append a :class:`LearnedFind` to for each such attribution, with
    the rules' speaker (what the chooser is trained on). A quote the rules found and left
    without a speaker takes the speaker of a learned cue that reads it ('"Q," he
    wondered')."""
    toks, cues = ctx.toks, ctx.cues
    by_span: dict[tuple[int, int], Found] = {}
    for f in ctx.found:
        by_span.setdefault((f.start, f.end), f)
    used: list[int] = []  # where the cues read so far start
    for run in learned_cues(ctx, model):
        for i in reversed(run):
            w = toks[i].lower
            if w in cues.determiners or w in cues.preposed_first_words or (
                    len(run) == 1 and _function_word(w, cues)):
                continue
            lo, hi = ctx.sent_tokens(toks[i].start)
            sub, cue = subject(ctx, i, lo, hi)
            if sub is None:
                sub = _bare_subject(ctx, i, lo)
                if sub is not None and sub.text is None and w not in cues.verbs:
                    continue  # a word the lexicon does not know needs a speaker phrase
            if sub is None or not _plausible_source(ctx, sub) or (
                    sub.text and any(sub.left <= u < sub.left + len(sub.text) for u in used)):
                continue  # "X declined to comment on ...": "X declined" names no source
            sub = _relative_source(ctx, i, lo, sub)
            if w in cues.sourceless_cues:
                sub = Subject(None, None, toks[i].start)  # "Trump seemed to": no one says so
            n = len(ctx.found)
            _emit(ctx, i, lo, hi, sub, cue, "object")
            if len(ctx.found) > n:
                for f in ctx.found[n:]:
                    if f.kind not in ATTITUDE_KINDS:
                        f.kind = "act"
                    same = by_span.get((f.start, f.end))
                    if same is not None:
                        if same.speaker is None and same.speaker_text is None:
                            # a quote the rules left unattributed: '"Q," he wondered.'
                            _set_speaker(ctx, same, Subject(f.speaker, f.speaker_text, 0,
                                                            name=f.name))
                            same.cue = f.cue
                        continue  # the rules' statement stays (this one is dropped later)
                    if w in cues.sourceless_cues:
                        continue
                    if record is not None:
                        record.append(LearnedFind(f, i, lo, hi, sub))
                    if model.source_weights:
                        j = choose_source(ctx, i, lo, hi, f, sub, model)
                        if j is None or not in_subject(sub, toks[j].start):
                            _set_speaker(ctx, f, source_subject(ctx, j, i, lo, hi))
                used.append(toks[i].start)
                break


def source_subject(ctx: Context, j: int | None, i: int, lo: int, hi: int) -> Subject:
    """Return the speaker that the word at token ``j`` names as the source of the learned
    cue at token ``i`` (sentence tokens ``[lo, hi)``): no one for None; a pronoun resolved
    as the rules resolve it (:func:`pronoun_subject`); a relative pronoun as its words,
    with the phrase before its comma as the name ("Cruz, who ..."); else the phrase around
    the word (:func:`~analysis.quotes.sources.source_phrase`), mapped to the registry."""
    toks, cues = ctx.toks, ctx.cues
    if j is None:
        return Subject(None, None, toks[i].start)
    t = toks[j]
    if t.lower in cues.pronouns:
        return pronoun_subject(ctx, t, t.start)
    if t.lower in cues.relative_pronouns or t.lower in cues.relative_subjects:
        np = noun_phrase(ctx, j - 2, lo) if j - 2 >= lo and toks[j - 1].text == "," else None
        name = describe(ctx, *np)[1] if np is not None else None
        return Subject(None, t.text, t.start, name=name)
    a, b = source_phrase(ctx, j, lo, i if j < i else hi)
    actor, text, _ = describe(ctx, a, b)
    return Subject(actor, text, toks[a].start)


def _set_speaker(ctx: Context, f: Found, sub: Subject) -> None:
    """Make ``sub`` the speaker of ``f``, keeping the positions of unregistered speakers
    (what pronoun resolution steps back over) as :func:`_add` would have set them."""
    was = f.speaker is None and f.speaker_text is not None
    f.speaker, f.speaker_text, f.name = sub.actor, sub.text, sub.name
    now = f.speaker is None and f.speaker_text is not None
    if was and not now:
        ctx.unregistered_at.remove(f.start)
    elif now and not was:
        ctx.unregistered_at.append(f.start)


def _relative_source(ctx: Context, i: int, lo: int, sub: Subject) -> Subject:
    """For a learned cue whose subject is a relative pronoun ("Cruz, who blasted ..."),
    return the subject with the pronoun as its words and the phrase it stands for as its
    name, as for "he"; else ``sub``."""
    toks, cues = ctx.toks, ctx.cues
    j = _word_before(ctx, i, lo)
    if j < lo or not sub.text or sub.actor is not None or toks[j].start < sub.left or (
            toks[j].lower not in cues.relative_pronouns
            and toks[j].lower not in cues.relative_subjects):
        return sub
    return Subject(None, toks[j].text, sub.left, name=sub.name or sub.text)


def _word_before(ctx: Context, i: int, lo: int) -> int:
    """Return the index of the word before token ``i`` once adverbs, auxiliaries, modals
    and negators (at most three) are stepped over ("who would not endorse": "who"); below
    ``lo`` when the sentence starts first."""
    toks, cues = ctx.toks, ctx.cues
    j = i - 1
    while j >= lo and i - j <= 4 and (is_adverb(toks[j], cues) or toks[j].lower in cues.auxiliaries
                                      or toks[j].lower in cues.modals
                                      or toks[j].lower in cues.negators):
        j -= 1
    return j


def _function_word(w: str, cues: Cues) -> bool:
    """Is ``w`` an auxiliary, negator, adverb of ``skip_before`` or preposition?"""
    return (w in cues.auxiliaries or w in cues.passive or w in cues.negators
            or w in cues.skip_before or w in cues.prepositions or w in cues.after_words)


def _bare_subject(ctx: Context, i: int, lo: int) -> Subject | None:
    """Who a learned cue at token ``i`` is attributed to when the rules find no speaker
    phrase: a first or second person or relative pronoun right before it (adverbs,
    auxiliaries, modals and negators stepped over: "we also questioned", "who identified")
    is the source; a cue after a passive or progressive auxiliary or "to", or after words
    like these opening its sentence, has none ("is expected to", "to discuss"): a subject
    without words; else None. A participle that opens its sentence has its subject in the
    clause that follows ("Asked about it, X said ..."): None."""
    toks, cues = ctx.toks, ctx.cues
    if i == lo and toks[i].lower.endswith(("ed", "ing")):
        return None
    j = _word_before(ctx, i, lo)
    if j < lo:
        return Subject(None, None, toks[i].start)
    w = toks[j].lower
    if w in cues.ignore_subjects:
        return Subject(None, toks[j].text, toks[j].start)
    if w in cues.passive or w in cues.progressive_auxiliaries or w in cues.infinitive_markers:
        return Subject(None, None, toks[i].start)
    return None


def _plausible_source(ctx: Context, sub: Subject) -> bool:
    """Can the phrase the rules found before a learned cue name a source? Not when it opens
    with a preposition or time word ("According", "On Tuesday", "In an") or one of
    ``not_source_openers`` in the cues file ("Especially", "Asked"), nor when it is a lone
    determiner ("the", "two")."""
    if sub.actor is not None or not sub.text:
        return True
    cues = ctx.cues
    words = sub.text.lower().split()
    first = words[0]
    if first in cues.after_words or first in cues.prepositions \
            or first in cues.not_source_openers:
        return False
    return not (len(words) == 1 and first in cues.determiners)


def rules_context(body: str, reg: Registry, cues: Cues) -> Context:
    """Return the :class:`Context` of ``body`` after the rules have run (``ctx.found``
    holds what they found, unsorted): what the learned cue model is trained and run on."""
    ctx = Context.build(body, reg, cues)
    _find_cued(ctx)
    _attribute_rest(ctx)
    return ctx


def find_statements(body: str, reg: Registry, cues: Cues,
                    model: CueModel | None = None) -> list[Found]:
    """Return the statements of a report body, sorted by start; with a cue ``model`` (only
    with attitudes on) also the attributions whose cues it finds (:func:`find_learned`)."""
    ctx = rules_context(body, reg, cues)
    if model is not None:
        find_learned(ctx, model)
    out = [f for f in ctx.found if f.end > f.start]
    out.sort(key=lambda f: (f.start, -f.end))
    # drop exact duplicates (a quote claimed twice)
    dedup: list[Found] = []
    for f in out:
        if dedup and dedup[-1].start == f.start and dedup[-1].end == f.end:
            continue
        dedup.append(f)
    return dedup



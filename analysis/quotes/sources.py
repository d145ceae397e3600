"""Speakers: the phrase that names who makes a statement, and what it refers to.

:func:`subject` finds the speaker of a cue (the phrase before it, after it when inverted,
the subject of the clause for participles and coordinated verbs); :func:`describe` maps a
phrase to a registry actor (or keeps its words); :func:`resolve_pronoun` resolves a subject
pronoun through the registry, never by guessing.
"""

from __future__ import annotations

import bisect

from ..text import Token, abbreviations
from .context import (
    Context,
    Subject,
    is_adverb,
    is_cue,
    is_word,
    participle_subject_start,
    progressive_aux,
)
from .cues import Cues
from .marks import QUOTE_TOKENS

__all__ = ["describe", "noun_phrase", "opening_phrase", "pronoun_name", "pronoun_subject",
           "resolve_pronoun", "source_phrase", "subject"]

_QUOTE_TOKENS = QUOTE_TOKENS


def noun_phrase(ctx: Context, j: int, lo: int) -> tuple[int, int] | None:
    """Return the token range [a, j] of the speaker phrase ending at token ``j``, or None.

    It runs left over words (and the periods of abbreviations: "Sen. Ada Voss") up to a
    boundary word, other punctuation or the sentence start (at most 8 words) and must open
    with a capital, a determiner or a plural noun, or be a name after a few lower-case
    words ("pollster Ada Voss", "former FBI agent Ada Voss").
    """
    cues, toks = ctx.cues, ctx.toks
    last = j
    if lo < j < len(toks) and toks[j].text == "." and _abbreviation_period(toks, j):
        j -= 1  # "Joseph R. Biden Jr. said": the phrase ends with the period
    if j < lo or not is_word(toks[j]) or toks[j].lower in cues.boundaries:
        return None
    m = ctx.by_end.get(toks[j].end)
    k = j
    words = 0
    while k >= lo and words < 12:
        t = toks[k]
        if (t.text == "." and k > lo and _abbreviation_period(toks, k)) or (
                t.text in ("'", "\u2019") and k > lo and toks[k - 1].end == t.start
                and toks[k - 1].lower.endswith("s") and k < j):
            k -= 1  # "Sen. Ada Voss", "the dockworkers' union"
            continue
        if not is_word(t) or (t.lower in cues.boundaries and not (m and t.start >= m.start)):
            break
        if k < j and t.lower in cues.verbs and t.text[0].islower() \
                and t.lower not in cues.noun_homographs and not (m and t.start >= m.start):
            break  # a verb ends the phrase: '"...," said one former staffer, who said'
        words += 1
        k -= 1
    a = k + 1
    # more than 8 words only for a phrase that opens the sentence or follows punctuation
    # ("A U.S. law enforcement official familiar with the investigation said")
    long_ok = words <= 8 or k < lo or not is_word(toks[k])
    if not long_ok or (words >= 12 and k >= lo and is_word(toks[k])
                       and toks[k].lower not in cues.boundaries):
        if m is None:
            return None
        a = bisect.bisect_left(ctx.tok_starts, m.start)
    first = toks[a]
    if (first.text[0].isupper() or first.lower in cues.determiners
            or first.text[0].isdigit() or toks[j].lower.endswith("s")
            or (a < j and _plural_noun(first, cues))):
        return a, last  # "people close to the vice president said"

    if m is not None:
        return bisect.bisect_left(ctx.tok_starts, m.start), last
    if _lowercase_led_name(ctx, a, j):
        return a, last
    return None


def source_phrase(ctx: Context, j: int, lo: int, stop: int) -> tuple[int, int]:
    """Return the token range ``[a, b]`` of the phrase that the word at token ``j`` heads
    or opens, as a source: on to the right over words (and the periods of abbreviations)
    before token ``stop``, up to a cue verb, preposition, complementizer, auxiliary,
    coordinator, relative pronoun or punctuation, at most six words ("the" -> "the
    women", "Sen." -> "Sen. Ada Voss"); then back to the left as far as the speaker phrase
    ending there runs (:func:`noun_phrase`), if it holds ``j``."""
    toks, cues = ctx.toks, ctx.cues
    stops = (cues.verbs, cues.prepositions, cues.complementizers, cues.auxiliaries,
             cues.coordinators, cues.relative_pronouns)
    b = j
    while b + 1 < stop and b - j < 6:
        t = toks[b + 1]
        if t.text == "." and _abbreviation_period(toks, b + 1):
            b += 1
            continue
        if not t.text[0].isalnum() or any(t.lower in words for words in stops):
            break
        b += 1
    if toks[b].text == "." and b > j:
        b -= 1  # the phrase does not end on an abbreviation's period
    np = noun_phrase(ctx, b, lo)
    return (np[0] if np is not None and np[0] <= j else j), b


def _plural_noun(t: Token, cues: Cues) -> bool:
    """Does ``t`` look like a plural noun heading a phrase ("sources", "aides", or one of
    ``plural_nouns``: "people"): lower case, ending in -s (not -ss), not a cue verb or a
    function word?"""
    w = t.lower
    if not t.text[0].islower():
        return False
    if w in cues.plural_nouns:
        return True
    return (len(w) > 3 and w.endswith("s") and not w.endswith("ss") and w not in cues.verbs
            and w not in cues.boundaries and w not in cues.prepositions
            and w not in cues.possessive_pronouns)


def _lowercase_led_name(ctx: Context, a: int, j: int) -> bool:
    """Is toks[a..j] a name after at most three lower-case words and no preposition or
    boundary word ("pollster Ada Voss", "former FBI agent Ada Voss")?"""
    toks, cues = ctx.toks, ctx.cues
    span = [t for t in toks[a:j + 1] if is_word(t)]
    return (toks[j].text[0].isupper() and sum(t.text[0].islower() for t in span) <= 3
            and not any(t.lower in cues.prepositions or t.lower in cues.boundaries
                        for t in span))


def describe(ctx: Context, a: int, j: int) -> tuple[str | None, str, str | None]:
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


def resolve_pronoun(ctx: Context, tok: Token) -> str | None:
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


def pronoun_subject(ctx: Context, tok: Token, left: int, *, after: bool = False,
                    end: int = -1) -> Subject:
    """Return the speaker a subject pronoun stands for: the registry actor
    (:func:`resolve_pronoun`), else, as ``name`` only, the nearest fitting name in the text
    (:func:`pronoun_name`)."""
    actor = resolve_pronoun(ctx, tok)
    name = None if actor is not None else pronoun_name(ctx, tok)
    return Subject(actor, tok.text, left, after=after, end=end, name=name)


def pronoun_name(ctx: Context, tok: Token) -> str | None:
    """Return who an unregistered subject pronoun refers to, as named in the text, or None.

    he/she: the nearer of (a) the speaker of the last statement before it that names one
    person and (b) a name opening one of the sentences before it (two or more capitalised
    words, or a title and a name: "Donald Trump", "Mr. Trump"), within its paragraph and the
    two before; a title of the other gender ("Mrs.", "Mr.") or an organisation word heading
    the name ("the Clinton campaign") rules a name out. they/it: the speaker of the last
    statement before it, if that names a group ("aides", "the ministry").
    """
    cues = ctx.cues
    how = cues.pronouns.get(tok.lower)
    if how is None:
        return None
    para = ctx.para_of(tok.start)
    best: tuple[int, str] | None = None
    for back, f in enumerate(reversed(ctx.found)):
        if back >= 12 or ctx.para_of(f.start) < para - 2:
            break  # a bounded look back: the work per pronoun stays constant
        if f.start > tok.start or (f.start == tok.start and f.speaker_text is None):
            continue  # (a content opening with the pronoun: "Brisk said she believes ...")
        name = f.name or f.speaker_text
        if not name or name.lower() in cues.pronouns:
            continue
        if _fits(ctx, name, how):
            best = (f.start, name)
        break
    if how != "group":
        found = _opening_name(ctx, tok, para, how)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    return best[1] if best else None


def _fits(ctx: Context, name: str, how: str) -> bool:
    """Can ``name`` (a speaker phrase) be what a pronoun of kind ``how`` refers to?"""
    cues = ctx.cues
    words = name.replace(".", " ").split()
    low = [w.lower() for w in words]
    if not words or low[-1] in cues.organisation_words:
        return how == "group" and bool(words)
    plural = words[-1][0].islower() and low[-1].endswith("s") and not low[-1].endswith("ss")
    if how == "group":
        return plural
    if plural:
        return False
    other = "female" if how == "male" else "male"
    return not any(w in cues.titles.get(other, ()) for w in low)


def _opening_name(ctx: Context, tok: Token, para: int, how: str) -> tuple[int, str] | None:
    """The nearest name opening a sentence before ``tok`` (see :func:`pronoun_name`)."""
    toks, cues = ctx.toks, ctx.cues
    si = ctx.sent_of(tok.start)
    for s in range(si, max(-1, si - 8), -1):
        a, b = ctx.sents[s]
        if ctx.para_of(a) < para - 2:
            break
        lo = bisect.bisect_left(ctx.tok_starts, a)
        if lo >= len(toks) or toks[lo].start >= tok.start:
            continue
        k = lo
        if toks[k].lower in cues.coordinators:
            k += 1
        n = k
        capitals = 0
        while n < len(toks) and toks[n].start < tok.start and n - k < 7:
            t = toks[n]
            if t.text == "." and n > k and _abbreviation_period(toks, n):
                n += 1
                continue
            if capitals and is_word(t) and t.text[0].islower() and n + 1 < len(toks) \
                    and is_word(toks[n + 1]) and toks[n + 1].text[0].isupper() \
                    and t.lower not in cues.boundaries:
                n += 1  # "Harbour minister Ada Voss": a title in lower case
                continue
            if not (is_word(t) and t.text[0].isupper()) or t.lower in cues.ignore_subjects \
                    or t.lower in cues.pronouns or t.lower in cues.determiners:
                break
            capitals += 1
            n += 1
        if capitals == 0 or n >= len(toks):
            continue
        name = ctx.body[toks[k].start:toks[n - 1].end]
        titled = any(toks[x].lower in cues.titles.get(how, ()) for x in range(k, n))
        if (capitals >= 2 or titled) and _fits(ctx, name, how) and (
                toks[n].text == "," or (is_word(toks[n]) and toks[n].text[0].islower())):
            return toks[k].start, name
    return None


def _subject_of_clause(ctx: Context, i: int, lo: int) -> Subject | None:
    """The speaker of a participle or coordinated cue at token ``i``: the speaker of the
    previous cue in the sentence, else a registry actor or pronoun opening the sentence."""
    sent_start = ctx.toks[lo].start if lo < len(ctx.toks) else 0
    for back, f in enumerate(reversed(ctx.found)):
        if back >= 12 or (f.start < sent_start and f.end < sent_start):
            break
        if f.speaker is not None or f.speaker_text is not None:
            return Subject(f.speaker, f.speaker_text, ctx.toks[i].start, name=f.name)
    toks = ctx.toks
    for k in range(lo, min(lo + 3, i)):
        t = toks[k]
        if t.lower in ctx.cues.pronouns and (k == lo or not is_word(toks[k - 1])
                                             or toks[k - 1].lower in ctx.cues.coordinators):
            return pronoun_subject(ctx, t, ctx.toks[i].start)
        for j in range(k, min(k + 6, i)):
            m = ctx.by_end.get(toks[j].end)
            if m is not None and m.start == t.start:
                return Subject(m.actor, m.text, ctx.toks[i].start)
    np = _sentence_subject(ctx, lo, i)
    if np is None:
        return None
    actor, text, _ = describe(ctx, *np)
    return Subject(actor, text, ctx.toks[i].start)


def _sentence_subject(ctx: Context, lo: int, i: int) -> tuple[int, int] | None:
    """The phrase that opens the sentence as its subject, for a participle or coordinated
    cue at token ``i`` ("Rubio pushed back, saying ...", "His chief aide doubled down,
    saying ...", "The Blaze's Matt Walsh wrote ... and said ..."): ``(a, b)``, or None.

    After a leading coordinator, the phrase is a run of capitalised words (a determiner may
    open it), or a determiner and the lower-case words up to the first word that looks like
    a verb (a cue verb, an auxiliary or boundary word, a word ending in -ed), at most 6
    words; it must be followed by a word or a comma.
    """
    found = _opening_subject(ctx, lo, i)
    if found is None:
        # "Asked about it, Bush thought for a moment and said ...": after the last comma
        c = next((n for n in range(i - 1, lo, -1) if ctx.toks[n].text == ","), None)
        if c is not None and c + 1 < i and ctx.toks[c + 1].text[0].isupper():
            found = _opening_subject(ctx, c + 1, i)
    return found


def opening_phrase(ctx: Context, lo: int, i: int) -> tuple[int, int] | None:
    """Return the token range of the subject phrase opening the clause at token ``lo``
    (before token ``i``), or None (see :func:`_sentence_subject`)."""
    return _opening_subject(ctx, lo, i)


def _opening_subject(ctx: Context, lo: int, i: int) -> tuple[int, int] | None:
    """The subject phrase starting at token ``lo`` (see :func:`_sentence_subject`)."""
    toks, cues = ctx.toks, ctx.cues
    a = lo
    if a < i and toks[a].lower in cues.coordinators:
        a += 1
    if a >= i or not is_word(toks[a]):
        return None
    b = a
    capitals = 0
    while b < i and b - a < 6:
        t = toks[b]
        if t.text == "." and b > a and toks[b - 1].lower in abbreviations():
            b += 1
            continue
        if t.text in ("'", "\u2019") and b > a and toks[b - 1].lower.endswith("s") \
                and toks[b - 1].end == t.start:
            b += 1  # "The dockworkers' union"
            continue
        if not is_word(t):
            break
        if b == a and t.lower in cues.determiners:
            pass
        elif t.text[0].isupper():
            capitals += 1
        elif b > a and toks[a].lower in cues.determiners and not (
                t.lower in cues.verbs or t.lower in cues.boundaries or t.lower.endswith("ed")):
            pass  # "His chief aide", "A Chinese official": lower-case words after a determiner
        elif capitals and any(is_word(x) and x.text[0].isupper()
                              for x in toks[b + 1:min(b + 3, i)]) \
                and all(is_word(x) and x.lower not in cues.boundaries
                        for x in toks[b:min(b + 3, i)]):
            pass  # "Harbour minister Ada Voss": a title in lower case between names
        else:
            break
        b += 1
    if b == a or b >= i or b - a >= 6 and capitals == 0:
        return None
    if toks[b - 1].text == "." or toks[b - 1].lower in cues.determiners:
        return None
    nxt = toks[b]
    if not (is_word(nxt) and nxt.text[0].islower()) and nxt.text != ",":
        return None
    if toks[a].lower in cues.ignore_subjects or toks[a].lower in cues.boundaries:
        return None
    return a, b - 1


def subject(ctx: Context, i: int, lo: int, hi: int) -> tuple[Subject | None, str]:
    """Return the speaker of the cue at token ``i`` and the cue as reported."""
    cues, toks = ctx.cues, ctx.toks
    verb = toks[i].lower
    cue = verb
    aux = progressive_aux(ctx, i, lo)
    if verb.endswith("ing") and aux is None:
        a = participle_subject_start(ctx, i, lo)
        if a is not None:  # "with Senator Ada Voss telling reporters ..."
            actor, text, _ = describe(ctx, a, i - 1)
            return Subject(actor, text, toks[a].start), cue
        return _subject_of_clause(ctx, i, lo), cue
    # inverted: '"Q," said X' / 'Q, said X.' -- only verbs that take a clause invert;
    # after an object verb the words that follow are its object ("X, Y's minister,
    # rejected the charge"), never its speaker
    prev = toks[i - 1] if i - 1 >= lo else None
    if prev is not None and (prev.text in _QUOTE_TOKENS or prev.text == ",") \
            and cues.verbs.get(verb) == "clause":
        sub = _after_subject(ctx, i + 1, hi)
        if sub is not None:
            return sub, cue
    j = i - 1 if aux is None else aux - 1  # "They are saying": the subject is before "are"
    if j - 1 >= lo and toks[j].lower in cues.infinitive_markers \
            and toks[j - 1].lower in cues.continuing_verbs:
        j -= 2  # "X continued to say"
    while j >= lo and i - j <= 6 and is_adverb(toks[j], cues):
        j -= 1
    if j < lo or toks[j].lower in cues.coordinators:
        return _subject_of_clause(ctx, i, lo), cue
    t = toks[j]
    if t.lower in cues.relative_pronouns and j - 1 >= lo and toks[j - 1].text == ",":
        np = noun_phrase(ctx, j - 2, lo) or _trailing_name(ctx, j - 2, lo)
        if np is None:
            return None, cue
        actor, text, _ = describe(ctx, *np)
        return Subject(actor, text, toks[np[0]].start), cue
    if t.text == ",":
        np = _appositive_subject(ctx, j, lo)
        if np is None:
            return None, cue
        a, b, left = np
        actor, text, _ = describe(ctx, a, b)
        return Subject(actor, text, left), cue
    if t.text == ")":
        # a parenthesis after the name: "Sen. Ada Voss (D-Kess.) said"
        j = _before_parenthesis(ctx, j, lo)
        if j < lo:
            return None, cue
        t = toks[j]
    elif t.text in DASHES:
        # a part set off by dashes: "Joyce -- who is listed as an attorney -- told ..."
        j = _before_dashes(ctx, j, lo)
        if j < lo:
            return None, cue
        t = toks[j]
    if t.lower in cues.pronouns:
        return pronoun_subject(ctx, t, t.start), cue
    if t.lower in cues.ignore_subjects:
        return None, cue
    if t.text == "%" and j - 1 >= lo and toks[j - 1].text[0].isdigit():
        np = noun_phrase(ctx, j - 1, lo)  # "42% say ...": a poll's answer
        if np is None:
            return None, cue
        actor, text, _ = describe(ctx, np[0], j)
        return Subject(actor, text, toks[np[0]].start), cue
    np = noun_phrase(ctx, j, lo)
    if np is None or (np[0] - 1 >= lo and cues.verbs.get(toks[np[0] - 1].lower) == "object"):
        # no phrase, or the object of a verb ("Republicans who have praised his candidacy
        # warned"): the subject is before a relative clause, if any
        np = _relative_subject(ctx, j, lo)
    if np is None:
        return None, cue
    if np[0] == np[1] and toks[np[0]].lower in cues.ignore_subjects:
        return None, cue
    actor, text, frame = describe(ctx, *np)
    if frame:
        cue = f"{frame.lower()} ... {verb}"
    return Subject(actor, text, toks[np[0]].start), cue


#: Dashes that set off a part of a sentence (spaced hyphens included).
DASHES = frozenset(("-", "--", "\u2014", "\u2013"))


def _before_dashes(ctx: Context, j: int, lo: int) -> int:
    """Return the index of the token before the dash that opens the part closed by the dash
    at token ``j`` (below ``lo`` when there is none within 30 tokens of the sentence, or the
    part holds a cue of its own)."""
    toks = ctx.toks
    for k in range(j - 1, max(lo, j - 31) - 1, -1):
        if toks[k].text in DASHES:
            return k - 1
        if toks[k].text in (";", ":") or toks[k].text in _QUOTE_TOKENS:
            break
        if toks[k].lower in ctx.cues.verbs and is_cue(ctx, k, lo):
            break
    return lo - 1


def _relative_subject(ctx: Context, j: int, lo: int) -> tuple[int, int] | None:
    """The speaker phrase before a relative clause that ends at token ``j`` ("Current and
    former officials who spoke with the paper said", "groups that have endorsed him say"):
    the phrase before the relative word (``relative_subjects``), when the clause is at most
    12 words and holds no punctuation; else None."""
    toks, cues = ctx.toks, ctx.cues
    for k in range(j, max(lo, j - 12) - 1, -1):
        t = toks[k]
        if not is_word(t):
            return None
        if t.lower in cues.relative_subjects:
            if k == j or k - 1 < lo:
                return None
            np = noun_phrase(ctx, k - 1, lo)
            if np is None or toks[np[1]].lower in cues.ignore_subjects:
                return None
            return np
    return None


def _before_parenthesis(ctx: Context, j: int, lo: int) -> int:
    """Return the index of the token before the parenthesis that token ``j`` closes (``j``
    itself when it closes none; below ``lo`` when the parenthesis is not closed in the
    sentence or runs over 8 tokens)."""
    toks = ctx.toks
    if toks[j].text != ")":
        return j
    for k in range(j - 1, max(lo, j - 9) - 1, -1):
        if toks[k].text == "(":
            return k - 1
        if toks[k].text == ")":
            break
    return lo - 1


def _appositive_subject(ctx: Context, j: int, lo: int) -> tuple[int, int, int] | None:
    """The speaker before a cue that follows a comma (token ``j``), with what is set off by
    commas in between: ``(a, b, left)``, the phrase toks[a..b] and where the speaker part
    of the sentence starts, or None.

    "X, Kessland's minister, said" (a registry name in the last part is the speaker);
    "X, a former official who ..., which ..., said", "X, 60, a doctor, said", "X (D-Kess.),
    said": walking left over the parts set off by commas (each neither a clause with a cue
    nor opened by a conjunction), the speaker is the first phrase that starts the sentence
    or follows a comma, and is not only a number.
    """
    toks, cues = ctx.toks, ctx.cues
    # the last part names a registry actor: "Kessland's defence minister, Tomas Reinholt,"
    k = j - 1
    while k >= lo and j - k <= 12 and toks[k].text != ",":
        k -= 1
    if k >= lo and toks[k].text == ",":
        np = noun_phrase(ctx, j - 1, k + 1)
        if np is not None and ctx.by_end.get(toks[j - 1].end) is not None:
            return np[0], np[1], toks[k].start
    name = _name_part(ctx, k + 1, j) if k >= lo and toks[k].text == "," else None
    end = j  # the comma after the part being looked at
    for _ in range(6):
        c = end - 1
        stop = False
        cue_inside = False
        while c >= lo and end - c <= 40:
            w = toks[c]
            if w.text == ")":  # "Rep. Ada Voss (D-Kess.), chair of ..."
                c = _before_parenthesis(ctx, c, lo)
                continue
            if w.text == ",":
                break
            if w.text in (";", ":", "!", "?") or w.text in _QUOTE_TOKENS or (
                    w.text == "." and not _abbreviation_period(toks, c)):
                stop = True
                break
            cue_inside = cue_inside or (w.lower in cues.verbs and is_cue(ctx, c, lo))
            c -= 1
        if c >= lo and end - c > 40:
            return None  # too long to be set off by commas
        if cue_inside and toks[c + 1].lower not in cues.relative_pronouns:
            return None  # a clause with a cue of its own ("who said ..." may stay)
        np_end = _before_parenthesis(ctx, end - 1, lo)
        np = noun_phrase(ctx, np_end, c + 1) if np_end > c else None
        if np is not None and end != j and (np[0] == c + 1 or (
                np[0] == c + 2 and toks[c + 1].lower in cues.coordinators)) \
                and any(toks[n].text[0].isalpha() for n in range(np[0], np[1] + 1)):
            if name is not None and end == name[0] - 1 and toks[np[1]].text[0].islower():
                return name  # "The auditor, Rosa Venn, said": the name, not the title
            return np[0], np[1], toks[np[0]].start
        first = toks[c + 1]
        if stop or c < lo or (first.lower in cues.boundaries
                              and first.lower not in cues.relative_pronouns
                              and not (end == j and first.lower in cues.after_words)):
            break  # (a last part of time or place may stand between: "X, after the rally,")
        end = c
    return name  # "When the director, James Comey, said": the name set off by commas


def _trailing_name(ctx: Context, j: int, lo: int) -> tuple[int, int] | None:
    """The capitalised words (and abbreviation periods) ending at token ``j``, at most six
    words ("... with help from Labor Secretary Thomas Perez, who said"), or None."""
    toks = ctx.toks
    k, words = j, 0
    while k >= lo and words < 6:
        t = toks[k]
        if t.text == "." and k > lo and _abbreviation_period(toks, k):
            k -= 1
            continue
        if not (is_word(t) and t.text[0].isupper()):
            break
        words += 1
        k -= 1
    if words == 0 or toks[k + 1].text == ".":
        return None
    return k + 1, j


def _name_part(ctx: Context, a: int, b: int) -> tuple[int, int, int] | None:
    """``(a, b - 1, left)`` when toks[a:b] is a name of two to five capitalised words (and
    initials), else None."""
    toks = ctx.toks
    words = [t for t in toks[a:b] if is_word(t)]
    if not 2 <= len(words) <= 5 or not all(t.text[0].isupper() for t in words):
        return None
    if any(not is_word(t) and not (t.text == "." and _abbreviation_period(toks, n))
           for n, t in enumerate(toks[a:b], a)):
        return None
    return a, b - 1, toks[a].start


def _abbreviation_period(toks: list[Token], c: int) -> bool:
    """Is the period token ``c`` the end of an abbreviation ("Mr.", "Sen.") or of an initial
    ("Joseph R. Biden")?"""
    if c <= 0 or toks[c - 1].end != toks[c].start:
        return False
    prev = toks[c - 1].text
    return (len(prev) == 1 and prev.isupper()) or prev.lower() in abbreviations()


def _after_subject(ctx: Context, k: int, hi: int) -> Subject | None:
    """The speaker phrase right after an inverted cue (``said Ambassador X,``), or None."""
    toks, cues = ctx.toks, ctx.cues
    if k >= hi:
        return None
    if toks[k].lower in cues.pronouns:
        t = toks[k]
        if k + 1 < hi and is_word(toks[k + 1]):
            return None  # "X, a professor, said he never saw ...": he opens the content
        return pronoun_subject(ctx, t, t.start, after=True, end=t.end)
    j = k
    while j < hi and j - k < 10 and (
            (is_word(toks[j]) and toks[j].lower not in cues.boundaries)
            or (toks[j].text == "." and j + 1 < hi and is_word(toks[j + 1])
                and _abbreviation_period(toks, j))):
        w = toks[j].lower.replace("\u2019", "'")
        if w in cues.modals or w.endswith(cues.negator_suffixes) or (
                j > k and toks[j].lower in cues.pronouns):
            return None  # "X, a farmer, said the harvest would fail": a clause, no speaker
        j += 1
    if j == k or (j < hi and toks[j].text not in (",", ".", ";", ":", "!", "?", "(")):
        if j < hi and toks[j].lower not in cues.relative_pronouns:
            return None
    first = toks[k]
    if not (first.text[0].isupper() or first.lower in cues.determiners
            or _lowercase_led_name(ctx, k, j - 1)):
        return None
    actor, text, _ = describe(ctx, k, j - 1)
    return Subject(actor, text, toks[k].start, after=True, end=toks[j - 1].end)



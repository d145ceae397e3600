"""Exact fast paths: the same numbers as NLTK's VADER, TextBlob and the framing matcher, faster.

Scoring the whole UN General Debate corpus (about 1.3 million sentences) spends most of its
time inside two libraries whose per-sentence work is far larger than the answer needs:
NLTK's ``SentimentIntensityAnalyzer.polarity_scores`` builds two dictionaries of every
word/punctuation pair for every sentence, and TextBlob's ``PatternAnalyzer`` runs a dozen
regular expressions and a sentence splitter before looking words up. This module computes
the *identical* results with less work, and reuses the libraries' own code for every step
that decides a number:

:class:`FastVader`
    NLTK's tokenization (``SentiText``) without the dictionaries: a whitespace token loses
    leading or trailing punctuation exactly when NLTK's ``words_punc_dict`` would map it (the
    punctuation run is one of ``PUNC_LIST`` and the rest is a punctuation-free word of two or
    more characters), memoised per token. A sentence with no lexicon word scores
    ``neu = 1.0`` and zeros (or all zeros when it has no word of two characters), which is
    what NLTK returns; otherwise the valences of lexicon words come from NLTK's own
    ``sentiment_valence``, ``_but_check`` and ``score_valence``.
:class:`FastTextBlob`
    TextBlob's ``find_tokens`` rewritten with ``str.replace``/``str.split`` (the same
    substitutions; punctuation splitting memoised per token), and ``Sentiment.assessments``
    with the lexicon looked up once per word. Sentences where TextBlob's tokenizer would do
    something a word list cannot reproduce (paragraph breaks, the literal
    ``END-OF-SENTENCE``, an emoticon or ``( ! )`` spread over several tokens) go to
    TextBlob itself.
:class:`FastFraming`
    :func:`analysis.framing.match_tokens` and :func:`~analysis.framing.passives_in_tokens`
    on plain token strings (``re.findall``) with one memoised look-up per distinct token
    (its lower-cased form, the codebook cues it can start, whether it negates); character
    offsets are computed only for the tokens of a hit.

Every path is checked against the libraries by ``tests/test_fastpath.py`` (the seed
corpus, the fictional test articles and a sample of real UN speeches) and by the benchmark
(``python -m analysis bench``) on its whole sample. :data:`analysis.sentiment.EXACT`
selects ``"fast"`` (default) or ``"library"``.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache
from typing import Any

from .framing import (
    _CLAUSE_PUNCT,
    _MIN_PREFIX,
    Codebook,
    Passive,
    TermHit,
    _norm,
    _passive_rules,
    participle_after,
)
from .text import _TOKEN

#: Memo tables are emptied when they reach this many entries (memory stays flat).
MEMO_LIMIT = 400_000

# ---- VADER -----------------------------------------------------------------------------------


class _SentiText:
    """The two attributes of NLTK's ``SentiText`` that ``sentiment_valence`` reads."""

    __slots__ = ("words_and_emoticons", "is_cap_diff")

    def __init__(self, words: list[str], is_cap_diff: bool) -> None:
        self.words_and_emoticons = words
        self.is_cap_diff = is_cap_diff


class FastVader:
    """NLTK VADER's ``polarity_scores``, exactly, without its per-sentence dictionaries.

    >>> from analysis.sentiment import vader_analyzer
    >>> FastVader(vader_analyzer()).polarity_scores("VADER is smart, handsome, and funny.")
    {'neg': 0.0, 'neu': 0.254, 'pos': 0.746, 'compound': 0.8316}
    """

    def __init__(self, analyzer: Any) -> None:
        self.sia = analyzer
        c = analyzer.constants
        self.lexicon: dict[str, float] = analyzer.lexicon
        self.booster: dict[str, float] = c.BOOSTER_DICT
        self.punc_list = frozenset(c.PUNC_LIST)
        # NLTK removes the characters of string.punctuation (REGEX_REMOVE_PUNCTUATION)
        self.punct = frozenset(string.punctuation)
        self.negate = frozenset(c.NEGATE)
        self.c_incr, self.n_scalar = c.C_INCR, c.N_SCALAR
        # words of the multi-word idioms and booster phrases NLTK's _idioms_check looks for
        self.idiom_words = frozenset(w for k in (*c.SPECIAL_CASE_IDIOMS, *c.BOOSTER_DICT)
                                     if " " in k for w in k.split())
        self._words: dict[str, str] = {}

    def _word(self, we: str) -> str:
        """The token as NLTK's ``_words_and_emoticons`` leaves it (``we`` has 2+ chars)."""
        p = self.punct
        n = len(we)
        k = 0
        while k < n and we[k] in p:
            k += 1
        if k == n:
            return we
        j = n
        while we[j - 1] in p:
            j -= 1
        if (k == 0) == (j == n):  # no punctuation at the ends, or at both ends
            return we
        core = we[k:j]
        if len(core) < 2 or any(ch in p for ch in core):
            return we
        run = we[:k] if k else we[j:]
        return core if run in self.punc_list else we

    def polarity_scores(self, text: str) -> dict[str, float]:
        """Return ``{"neg", "neu", "pos", "compound"}``, NLTK's values for ``text``."""
        if not isinstance(text, str):
            text = str(text.encode("utf-8"))
        memo = self._words
        wes = []
        for we in text.split():
            if len(we) > 1:
                w = memo.get(we)
                if w is None:
                    if len(memo) >= MEMO_LIMIT:
                        memo.clear()
                    w = memo[we] = self._word(we)
                wes.append(w)
        if not wes:
            return {"neg": 0.0, "neu": 0.0, "pos": 0.0, "compound": 0.0}
        lw = [w.lower() for w in wes]
        lex = self.lexicon
        if lex.keys().isdisjoint(lw):
            return {"neg": 0.0, "neu": 1.0, "pos": 0.0, "compound": 0.0}
        n = len(wes)
        caps = sum(1 for w in wes if w.isupper())
        st = _SentiText(wes, 0 < n - caps < n)
        first: dict[str, int] = {}
        for idx, tok in enumerate(wes):
            if tok not in first:
                first[tok] = idx
        booster = self.booster
        sentiments: list[float] = []
        for item, low in zip(wes, lw, strict=True):
            i = first[item]
            if (i < n - 1 and low == "kind" and lw[i + 1] == "of") or low in booster:
                sentiments.append(0)
            elif low in lex:
                sentiments.append(self._valence(st, item, i, lw))
            else:
                sentiments.append(0)
        sentiments = self.sia._but_check(wes, sentiments)
        return self.sia.score_valence(sentiments, text)

    def _negated(self, low: str) -> bool:
        """NLTK's ``negated([word])`` for one (lower-cased) word."""
        return low in self.negate or "n't" in low

    def _valence(self, st: _SentiText, item: str, i: int, lw: list[str]) -> float:
        """NLTK's ``sentiment_valence`` for a lexicon word ``item`` whose first occurrence is
        at ``i`` (same operations in the same order, so the same floats)."""
        wes = st.words_and_emoticons
        is_cap_diff = st.is_cap_diff
        lex = self.lexicon
        valence = lex[item.lower()]
        if item.isupper() and is_cap_diff:
            if valence > 0:
                valence += self.c_incr
            else:
                valence -= self.c_incr
        for start_i in range(0, 3):
            if i > start_i and lw[i - (start_i + 1)] not in lex:
                word = wes[i - (start_i + 1)]
                s = 0.0
                low = lw[i - (start_i + 1)]
                if low in self.booster:  # VaderConstants.scalar_inc_dec
                    s = self.booster[low]
                    if valence < 0:
                        s *= -1
                    if word.isupper() and is_cap_diff:
                        if valence > 0:
                            s += self.c_incr
                        else:
                            s -= self.c_incr
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = self._never(valence, wes, lw, start_i, i)
                if start_i == 2 and not self.idiom_words.isdisjoint(wes[i - 3:i + 3]):
                    valence = self.sia._idioms_check(valence, wes, i)
        if i > 0 and lw[i - 1] == "least" and "least" not in lex:
            valence = self.sia._least_check(valence, wes, i)
        return valence

    def _never(self, valence: float, wes: list[str], lw: list[str], start_i: int,
               i: int) -> float:
        """NLTK's ``_never_check``."""
        n_scalar = self.n_scalar
        if start_i == 0:
            if self._negated(lw[i - 1]):
                valence = valence * n_scalar
        if start_i == 1:
            if wes[i - 2] == "never" and (wes[i - 1] == "so" or wes[i - 1] == "this"):
                valence = valence * 1.5
            elif self._negated(lw[i - (start_i + 1)]):
                valence = valence * n_scalar
        if start_i == 2:
            if (wes[i - 3] == "never" and (wes[i - 2] == "so" or wes[i - 2] == "this")
                    or (wes[i - 1] == "so" or wes[i - 1] == "this")):
                valence = valence * 1.25
            elif self._negated(lw[i - (start_i + 1)]):
                valence = valence * n_scalar
        return valence


# ---- TextBlob ----------------------------------------------------------------------------------


class FastTextBlob:
    """TextBlob's ``TextBlob(text).sentiment`` (PatternAnalyzer), exactly, with memoised
    tokenization and lexicon look-ups.

    >>> FastTextBlob().sentiment("Textblob is amazingly simple to use. What great fun!")
    (0.39166666666666666, 0.4357142857142857)
    """

    def __init__(self) -> None:
        from textblob import _text
        from textblob.en import sentiment as pattern_sentiment

        self.t = _text
        self.analyzer = pattern_sentiment
        len(pattern_sentiment)  # the lexicon loads on first use
        modifiers = tuple(pattern_sentiment.modifiers)
        self.lexicon: dict[str, tuple[float, float, float, bool]] = {}
        for w, entry in dict.items(pattern_sentiment):
            if None in entry:
                p, s, i = entry[None]
                self.lexicon[w] = (p, s, i, any(m in entry for m in modifiers))
        self.negations = frozenset(pattern_sentiment.negations)
        # a face listed under two moods takes the first, as TextBlob's loop does
        self.emoticons: dict[str, float] = {}
        for (_type, p), faces in _text.EMOTICONS.items():
            for f in faces:
                self.emoticons.setdefault(f.lower(), p)
        pairs = {"( !", "! )"}
        for faces in _text.EMOTICONS.values():
            for f in faces:
                pairs.update(f[k] + " " + f[k + 1] for k in range(len(f) - 1))
        self._spread = re.compile("|".join(re.escape(p) for p in sorted(pairs)))
        self._pieces: dict[str, tuple[str, ...]] = {}
        self.punctuation = tuple(_text.PUNCTUATION.replace(".", ""))

    def _split(self, t: str) -> tuple[str, ...]:
        """TextBlob ``find_tokens``' punctuation splitting of one whitespace token."""
        tx = self.t
        punctuation = self.punctuation
        replace = tx.replacements
        abbreviations = tx.ABBREVIATIONS
        tokens: list[str] = []
        tail: list[str] = []
        while t.startswith(punctuation) and t not in replace:
            if t.startswith(punctuation):
                tokens.append(t[0])
                t = t[1:]
        while t.endswith(punctuation + (".",)) and t not in replace:
            if t.endswith(punctuation):
                tail.append(t[-1])
                t = t[:-1]
            if t.endswith("..."):
                tail.append("...")
                t = t[:-3].rstrip(".")
            if t.endswith("."):
                if (t in abbreviations or tx.RE_ABBR1.match(t) is not None
                        or tx.RE_ABBR2.match(t) is not None
                        or tx.RE_ABBR3.match(t) is not None):
                    break
                tail.append(t[-1])
                t = t[:-1]
        if t != "":
            tokens.append(t)
        tokens.extend(reversed(tail))
        return tuple(tokens)

    def words(self, text: str) -> list[str] | None:
        """Return the lower-cased words TextBlob assesses, or None where only TextBlob's own
        tokenizer gives them (see the module docstring)."""
        s = text
        if "'" in s:
            for a, b in self.t.replacements.items():
                s = s.replace(a, b)
        s = (s.replace("\u201c", " \u201c ").replace("\u201d", " \u201d ")
             .replace("\u2018", " \u2018 ").replace("\u2019", " \u2019 ")
             .replace("'", " ' ").replace('"', ' " '))
        if "\n" in s and "\n\n" in s.replace("\r\n", "\n"):
            return None
        if self.t.EOS in s:
            return None
        memo = self._pieces
        tokens: list[str] = []
        for raw in s.split():
            pieces = memo.get(raw)
            if pieces is None:
                if len(memo) >= MEMO_LIMIT:
                    memo.clear()
                pieces = memo[raw] = self._split(raw)
            tokens.extend(pieces)
        if self._spread.search(" ".join(tokens)):
            return None
        return [w.lower() for w in tokens]

    def sentiment(self, text: str) -> tuple[float, float]:
        """Return ``(polarity, subjectivity)``, TextBlob's values for ``text``."""
        words = self.words(text)
        if words is None:
            p, s = self.analyzer(text)
            return float(p), float(s)
        lex = self.lexicon
        if lex.keys().isdisjoint(words) and not any(
                not w.isalpha() and len(w) <= 5 and w in self.emoticons for w in words):
            return 0.0, 0.0
        negations = self.negations
        punctuation = self.t.PUNCTUATION
        a: list[list[float]] = []  # [polarity, subjectivity, intensity, negated (-1/1)]
        m: str | None = None
        n: str | None = None
        for w in words:
            e = lex.get(w)
            if e is not None:
                p, s, i, is_modifier = e
                if m is None:
                    a.append([p, s, i, 1])
                else:
                    last = a[-1]
                    last[0] = max(-1.0, min(p * last[2], +1.0))
                    last[1] = max(-1.0, min(s * last[2], +1.0))
                    last[2] = i
                if n is not None:
                    a[-1][2] = 1.0 / a[-1][2]
                    a[-1][3] = -1
                m = w if is_modifier else None
                n = w if w in negations else None
            else:
                if w in negations:
                    n = w
                elif n and len(w.strip("'")) > 1:
                    n = None
                if n is not None and m is not None and m.endswith("ly"):
                    a[-1][3] = -1
                    n = None
                elif m is not None and len(w) > 2:
                    m = None
                if w == "!" and len(a) > 0:
                    a[-1][0] = max(-1.0, min(a[-1][0] * 1.25, +1.0))
                if w == "(!)":
                    a.append([0.0, 1.0, 1.0, 1])
                if w.isalpha() is False and len(w) <= 5 and w not in punctuation:
                    face = self.emoticons.get(w)
                    if face is not None:
                        a.append([face, 1.0, 1.0, 1])
        sp: float = 0
        ss: float = 0
        for p, s, _i, neg in a:
            sp += 1 * (p * -0.5 if neg < 0 else p)
            ss += 1 * s
        k = float(len(a) or 1)
        return float(sp / k), float(ss / k)


# ---- framing: cues and passives on token strings ------------------------------------------


def token_strings(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """Return the texts of :func:`analysis.text.tokenize`'s tokens of ``text[start:end]``.

    >>> token_strings("Russia's heavy-handedness, the U.S. said.")
    ["Russia's", 'heavy-handedness', ',', 'the', 'U.S.', 'said', '.']
    """
    return _TOKEN.findall(text, start, len(text) if end is None else end)


def token_starts(text: str, tokens: Sequence[str], start: int = 0) -> list[int]:
    """Return the offsets of ``tokens`` (from :func:`token_strings` at ``start``) in ``text``.

    Between two tokens of the tokenizer there is only white space (every other character
    starts a token), so the next occurrence of a token's text is the token itself.
    """
    out = []
    pos = start
    find = text.find
    for t in tokens:
        pos = find(t, pos)
        out.append(pos)
        pos += len(t)
    return out


class TokenSpan:
    """The tokens of ``text[start:end]`` as strings, their memoised look-ups and (computed on
    first use) their offsets into ``text``."""

    __slots__ = ("text", "start", "tokens", "infos", "_starts")

    def __init__(self, text: str, start: int, tokens: list[str], infos: list[_Info]) -> None:
        self.text = text
        self.start = start
        self.tokens = tokens
        self.infos = infos
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        """Offsets of the tokens in ``text``."""
        if self._starts is None:
            self._starts = token_starts(self.text, self.tokens, self.start)
        return self._starts


class _Info:
    """What the matchers need to know about one token text (memoised per codebook)."""

    __slots__ = ("norm", "word", "cands", "negator", "aux")

    def __init__(self, norm: str, word: bool, cands: tuple | None, negator: bool,
                 aux: bool) -> None:
        self.norm = norm
        self.word = word
        self.cands = cands
        self.negator = negator
        self.aux = aux


class FastFraming:
    """:func:`~analysis.framing.match_tokens` and :func:`~analysis.framing.passives_in_tokens`
    for one codebook, on token strings (identical hits and passives)."""

    def __init__(self, codebook: Codebook) -> None:
        self.cb = codebook
        self.groups = list(codebook._index.values())
        self.order = {c: k for k, c in enumerate(codebook.ids)}
        self.rules = _passive_rules()
        self._memo: dict[str, _Info] = {}
        self._key: dict[int, tuple[int, int, int]] = {}

    def info(self, t: str) -> _Info:
        """Return the memoised look-ups for token text ``t``."""
        inf = self._memo.get(t)
        if inf is not None:
            return inf
        if len(self._memo) >= MEMO_LIMIT:
            self._memo.clear()
        w = _norm(t.lower())
        per_group = []
        for first, wild in self.groups:
            cands = [p for p in first.get(w, ()) if not p.exact]
            cands += [p for p in first.get(t, ()) if p.exact]
            for k in range(_MIN_PREFIX, len(w) + 1):
                cands += wild.get(w[:k], ())
            per_group.append(tuple(cands))
        neg = self.cb.negation_words
        inf = _Info(w, t[0].isalnum() or t[-1].isalnum(),
                    tuple(per_group) if any(per_group) else None,
                    w in neg or ("n't" in neg and w.endswith("n't")), w in self.rules.aux)
        self._memo[t] = inf
        return inf

    def span(self, text: str, start: int = 0, end: int | None = None) -> TokenSpan:
        """Return the :class:`TokenSpan` of ``text[start:end]``."""
        tokens = token_strings(text, start, end)
        memo = self._memo
        return TokenSpan(text, start, tokens, [memo.get(t) or self.info(t) for t in tokens])

    def _better(self, p: Any, q: Any) -> bool:
        def key(x: Any) -> tuple[int, int, int]:
            k = self._key.get(id(x))
            if k is None:
                k = self._key[id(x)] = (-len(x.pieces), sum(w for _, w in x.pieces),
                                        -sum(len(t) for t, _ in x.pieces))
            return k

        return key(p) < key(q)

    def match(self, span: TokenSpan) -> list[TermHit]:
        """Return :func:`analysis.framing.match_tokens`' hits for the tokens of ``span``."""
        infos = span.infos
        idx = [i for i, inf in enumerate(infos) if inf.cands is not None]
        if not idx:
            return []
        text, tokens, starts = span.text, span.tokens, span.starts
        n = len(tokens)
        hits: list[TermHit] = []
        for g in range(len(self.groups)):
            nxt = 0
            for i in idx:
                if i < nxt:
                    continue
                cands = infos[i].cands[g]
                best = None
                for p in cands:
                    if _matches(p, tokens, infos, i, n) and (best is None
                                                              or self._better(p, best)):
                        best = p
                if best is None:
                    continue
                last = i + len(best.pieces) - 1
                a, b = starts[i], starts[last] + len(tokens[last])
                hits.append(TermHit(best.category, best.term, text[a:b], a, b,
                                    self._negated(tokens, infos, i)))
                nxt = i + len(best.pieces)
        order = self.order
        hits.sort(key=lambda h: (h.start, order[h.category]))
        return hits

    def _negated(self, tokens: Sequence[str], infos: Sequence[_Info], i: int) -> bool:
        seen = 0
        j = i - 1
        window = self.cb.negation_window
        while j >= 0 and seen < window:
            inf = infos[j]
            if not inf.word:
                if tokens[j] in _CLAUSE_PUNCT:
                    return False
                j -= 1
                continue
            if inf.negator:
                return True
            seen += 1
            j -= 1
        return False

    def passives(self, span: TokenSpan) -> list[Passive]:
        """Return :func:`analysis.framing.passives_in_tokens`' passives for ``span``."""
        text, tokens, infos = span.text, span.tokens, span.infos
        r = self.rules
        out: list[Passive] = []
        n = len(tokens)
        for i, inf in enumerate(infos):
            if not inf.aux:
                continue
            found = participle_after(lambda k: infos[k].norm, i, n, r)
            if found is None:
                continue
            j, negated = found
            starts = span.starts
            agent = self._agent(text, tokens, infos, starts, j + 1)
            a, b = starts[i], starts[j] + len(tokens[j])
            out.append(Passive(a, b, text[a:b], tokens[i], tokens[j], *agent, negated))
        return out

    def _agent(self, text: str, tokens: Sequence[str], infos: Sequence[_Info],
               starts: list[int], k: int) -> tuple[str | None, int | None, int | None]:
        r = self.rules
        n = len(tokens)
        while k < n:
            inf = infos[k]
            w = inf.norm
            if ((not inf.word and tokens[k] in _CLAUSE_PUNCT) or w in r.clause_breaks
                    or w in ("and",) or inf.aux):
                return None, None, None
            if w == "by":
                break
            k += 1
        else:
            return None, None, None
        a = k + 1
        if a >= n or not infos[a].word or infos[a].norm in r.by_not_agent:
            return None, None, None
        b = a
        while b < n:
            inf = infos[b]
            w = inf.norm
            if b > a and (not inf.word and tokens[b] not in ("'", "\u2019")
                          or w in r.clause_breaks or w in r.agent_stops or inf.aux):
                break
            b += 1
        sa, eb = starts[a], starts[b - 1] + len(tokens[b - 1])
        return text[sa:eb], sa, eb


def _matches(p: Any, tokens: Sequence[str], infos: Sequence[_Info], i: int, n: int) -> bool:
    """``_Pattern.matches`` on token strings."""
    pieces = p.pieces
    if i + len(pieces) > n:
        return False
    for k, (piece, wild) in enumerate(pieces):
        t = tokens[i + k]
        word = t.replace("\u2019", "'") if p.exact else infos[i + k].norm
        if wild:
            if not word.startswith(piece) or not t[0].isalnum():
                return False
        elif word != piece:
            return False
    return True


def sentence_index(starts: Sequence[int], pos: int) -> int:
    """Index of the span (by ``starts``) holding ``pos``: the last start <= pos, else 0."""
    return max(0, bisect_right(starts, pos) - 1)


# ---- shared, per process ------------------------------------------------------------------


@cache
def fast_vader() -> FastVader:
    """Return the process-wide :class:`FastVader` (NLTK analyzer of ``vader_analyzer``)."""
    from .sentiment import vader_analyzer

    return FastVader(vader_analyzer())


@cache
def fast_textblob() -> FastTextBlob:
    """Return the process-wide :class:`FastTextBlob`."""
    return FastTextBlob()


_FRAMING: dict[Codebook, FastFraming] = {}


def fast_framing(codebook: Codebook) -> FastFraming:
    """Return the :class:`FastFraming` of ``codebook`` (one per distinct codebook, so that
    its memo survives a codebook being unpickled again in a worker)."""
    ff = _FRAMING.get(codebook)
    if ff is None:
        if len(_FRAMING) > 16:
            _FRAMING.clear()
        ff = _FRAMING[codebook] = FastFraming(codebook)
    return ff

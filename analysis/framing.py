"""Rhetorical framing: a transparent codebook of cue terms, and passive-voice (agency) detection.

The codebook (``data/codebook.yml``, or a user's file with the same layout, see its header)
lists categories of cue terms: interactional metadiscourse (Hyland 2005), generic news frames
(Semetko & Valkenburg 2000) with security-military and legal-procedural frames, and
diplomatic speech acts. :func:`find_terms` returns every cue found in a text, with offsets and
a ``negated`` flag, so that each score can be traced back to the words that produced it.

Matching works on :func:`analysis.text.tokenize` tokens, case-insensitively (except the
codebook's ``exact_case`` terms), longest cue first within each group of categories. A cue
preceded, within ``negation.window`` word tokens of the same clause, by a negation word is a
*negated* hit: reported, not counted (``not intentional`` is no ``intentional`` hit).

:func:`find_passives` is a rule-based detector of the passive voice (a form of *be* or *get*,
optional adverbs, a past participle; word lists in ``data/participles.yml``) that tells
agentless passives (``The coalition airstrike was halted immediately``) from passives with an
agent (``were informed by Russian officials``), and records the agent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from .errors import AnalysisError, Problem, fail
from .io import load_yaml
from .text import Token, tokenize

GROUPS = ("metadiscourse", "news_frame", "speech_act")
_CATEGORY_KEYS = {"id", "name", "group", "definition", "literature", "terms"}
_TOP_KEYS = {"negation", "exact_case", "categories"}
_NEGATION_KEYS = {"window", "words"}
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_MIN_PREFIX = 3
#: Column names a category id may not take (they are used by the score tables).
RESERVED_IDS = frozenset({
    "statement_id", "doc_id", "speaker", "speaker_name", "affiliation", "speaker_text", "kind",
    "text", "start", "end", "cue", "paragraph", "sentence", "sentence_in_statement", "n_tokens",
    "vader_neg", "vader_neu", "vader_pos", "vader_compound", "textblob_polarity",
    "textblob_subjectivity", "passive", "agentless_passive", "targets", "category", "term",
})
# Tokens that end the negation look-back (a new clause starts after them).
_CLAUSE_PUNCT = frozenset(",;:.!?()[]\u2013\u2014-")

DEFAULT_CODEBOOK = "data/codebook.yml"


def _norm(s: str) -> str:
    return s.replace("\u2019", "'").lower()


@dataclass(frozen=True)
class Category:
    """One codebook category: its id (a column name), display name, group and cue terms."""

    id: str
    name: str
    group: str
    definition: str
    literature: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Pattern:
    category: str
    term: str
    pieces: tuple[tuple[str, bool], ...]  # (lower text, is prefix wildcard)
    exact: bool  # matched only as written

    def matches(self, tokens: Sequence[Token], i: int) -> bool:
        if i + len(self.pieces) > len(tokens):
            return False
        for (piece, wild), tok in zip(self.pieces, tokens[i:i + len(self.pieces)], strict=False):
            word = tok.text.replace("\u2019", "'") if self.exact else _norm(tok.lower)
            if wild:
                if not word.startswith(piece) or not tok.text[0].isalnum():
                    return False
            elif word != piece:
                return False
        return True


@dataclass(frozen=True)
class Codebook:
    """A validated codebook: categories in file order, negation words and window."""

    categories: tuple[Category, ...]
    negation_words: frozenset[str] = frozenset()
    negation_window: int = 3
    exact_case: frozenset[str] = frozenset()
    source: str = "<codebook>"
    _patterns: dict[str, tuple[_Pattern, ...]] = field(init=False, repr=False, compare=False)
    _index: dict[str, tuple[dict[str, list[_Pattern]], dict[str, list[_Pattern]]]] = field(
        init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_group: dict[str, list[_Pattern]] = {}
        for c in self.categories:
            for term in c.terms:
                by_group.setdefault(c.group, []).append(
                    _Pattern(c.id, term, _pieces(term), term in self.exact_case))
        # longest phrase first; then literal before wildcard; then longer prefix first
        ordered = {
            g: tuple(sorted(ps, key=lambda p: (-len(p.pieces), sum(w for _, w in p.pieces),
                                               -sum(len(t) for t, _ in p.pieces))))
            for g, ps in by_group.items()
        }
        object.__setattr__(self, "_patterns", ordered)
        # per group: first word -> cues; first wildcard prefix -> cues
        index: dict[str, tuple[dict[str, list[_Pattern]], dict[str, list[_Pattern]]]] = {}
        for g, ps in ordered.items():
            first: dict[str, list[_Pattern]] = {}
            wild: dict[str, list[_Pattern]] = {}
            for p in ps:
                piece, is_wild = p.pieces[0]
                (wild if is_wild else first).setdefault(piece, []).append(p)
            index[g] = (first, wild)
        object.__setattr__(self, "_index", index)

    @property
    def ids(self) -> list[str]:
        """Return the category ids in codebook order."""
        return [c.id for c in self.categories]

    def __getitem__(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def is_negator(self, token: Token) -> bool:
        """Return True when ``token`` is one of the codebook's negation words."""
        w = _norm(token.lower)
        return w in self.negation_words or ("n't" in self.negation_words and w.endswith("n't"))

    def to_frame(self):  # noqa: ANN201 - a DataFrame
        """Return the codebook as a DataFrame: id, name, group, definition, literature, terms."""
        import pandas as pd

        return pd.DataFrame([
            {"id": c.id, "name": c.name, "group": c.group, "definition": c.definition,
             "literature": c.literature, "n_terms": len(c.terms), "terms": "; ".join(c.terms)}
            for c in self.categories
        ])


def _pieces(term: str) -> tuple[tuple[str, bool], ...]:
    return tuple((p[:-1], True) if p.endswith("*") else (p, False) for p in term.split())


def _check_term(term: object) -> str | None:
    """Return what is wrong with a cue term, or None."""
    if not isinstance(term, str) or not term.strip():
        return "a term must be a non-empty string"
    if term != _norm(term).strip():
        return "terms are written in lower case without outer spaces"
    for piece in term.split():
        if "*" in piece[:-1] or piece == "*":
            return "malformed wildcard: '*' may only end a word (e.g. condemn*)"
        stem = piece[:-1] if piece.endswith("*") else piece
        if piece.endswith("*") and len(stem) < _MIN_PREFIX:
            return f"malformed wildcard: at least {_MIN_PREFIX} letters before '*'"
        toks = tokenize(stem)
        if len(toks) != 1 or toks[0].text != stem:
            return f"{piece!r} is not one token (write words and phrases of words)"
    return None


def _overlap(a: tuple[tuple[str, bool], ...], b: tuple[tuple[str, bool], ...]) -> bool:
    """Return True when one cue can match the same words as the other (same length)."""
    if len(a) != len(b):
        return False
    for (ta, wa), (tb, wb) in zip(a, b, strict=True):
        if wa and wb:
            ok = ta.startswith(tb) or tb.startswith(ta)
        elif wa:
            ok = tb.startswith(ta)
        elif wb:
            ok = ta.startswith(tb)
        else:
            ok = ta == tb
        if not ok:
            return False
    return True


def parse_codebook(data: object, source: str = "<codebook>") -> Codebook:
    """Validate parsed YAML ``data`` and return a :class:`Codebook`.

    Raises :class:`AnalysisError` listing every problem (unknown key, empty category,
    malformed wildcard, a term in two categories of one group ...), each naming ``source``
    and the category.
    """
    if not isinstance(data, dict):
        raise fail(source, "a codebook is a mapping with 'categories' (and optional "
                           "'negation', 'exact_case')")
    problems: list[Problem] = []

    def bad(entry: str | None, msg: str) -> None:
        problems.append(Problem(source, msg, entry))

    unknown = sorted(set(map(str, data)) - _TOP_KEYS)
    if unknown:
        bad(None, f"unknown key(s) {unknown}; valid keys: {sorted(_TOP_KEYS)}")
    neg = data.get("negation") or {}
    window, neg_words = 3, frozenset()
    if not isinstance(neg, dict):
        bad("negation", "negation is a mapping with 'window' and 'words'")
    else:
        unknown = sorted(set(map(str, neg)) - _NEGATION_KEYS)
        if unknown:
            bad("negation", f"unknown key(s) {unknown}; valid keys: {sorted(_NEGATION_KEYS)}")
        window = neg.get("window", 3)
        if not isinstance(window, int) or isinstance(window, bool) or not 0 <= window <= 10:
            bad("negation", f"window must be a whole number from 0 to 10, not {window!r}")
            window = 3
        words = neg.get("words") or []
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            bad("negation", "words must be a list of words")
            words = []
        neg_words = frozenset(_norm(w) for w in words)
    exact = data.get("exact_case") or []
    if not isinstance(exact, list) or not all(isinstance(w, str) for w in exact):
        bad("exact_case", "exact_case must be a list of terms")
        exact = []
    cats_raw = data.get("categories")
    if not isinstance(cats_raw, list) or not cats_raw:
        bad("categories", "categories must be a non-empty list")
        cats_raw = []
    categories: list[Category] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(cats_raw, 1):
        entry = f"category {i}"
        if not isinstance(raw, dict):
            bad(entry, "a category is a mapping with id, name, group, definition, literature, "
                       "terms")
            continue
        if isinstance(raw.get("id"), str):
            entry = f"category {raw['id']!r}"
        unknown = sorted(set(map(str, raw)) - _CATEGORY_KEYS)
        if unknown:
            bad(entry, f"unknown key(s) {unknown}; valid keys: {sorted(_CATEGORY_KEYS)}")
        missing = [k for k in ("id", "name", "group", "definition", "literature")
                   if not (isinstance(raw.get(k), str) and raw[k].strip())]
        if missing:
            bad(entry, f"missing or empty key(s) {missing}")
            continue
        cid = raw["id"]
        if not _ID.match(cid) or cid in RESERVED_IDS or cid.endswith("_per100"):
            bad(entry, "id must be lower case letters, digits and _, and not a column name "
                       "of the score tables")
            continue
        if cid in seen:
            bad(entry, f"duplicate id (first used by category {seen[cid]})")
            continue
        seen[cid] = i
        if raw["group"] not in GROUPS:
            bad(entry, f"unknown group {raw['group']!r}; valid groups: {list(GROUPS)}")
        terms = raw.get("terms")
        if not isinstance(terms, list) or not terms:
            bad(entry, "empty category: 'terms' must list at least one cue")
            continue
        good: list[str] = []
        for t in terms:
            err = _check_term(t)
            if err:
                bad(entry, f"term {t!r}: {err}")
            elif t in good:
                bad(entry, f"term {t!r} is listed twice")
            else:
                good.append(t)
        categories.append(Category(cid, raw["name"].strip(), raw["group"],
                                   " ".join(raw["definition"].split()),
                                   " ".join(raw["literature"].split()), tuple(good)))
    # a cue that can match the same words in two categories of one group has two meanings
    for g in GROUPS:
        cues = [(c.id, t, _pieces(t)) for c in categories if c.group == g for t in c.terms]
        for k, (ca, ta, pa) in enumerate(cues):
            for cb, tb, pb in cues[k + 1:]:
                if ca != cb and _overlap(pa, pb):
                    bad(f"category {cb!r}",
                        f"term {tb!r} overlaps {ta!r} of category {ca!r} in the same group "
                        f"{g!r} (one cue, two meanings); keep it in one of them")
    if problems:
        raise AnalysisError(problems)
    return Codebook(tuple(categories), neg_words, window, frozenset(exact), source)


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook; ``None`` loads the one shipped with the package.

    Returns a :class:`Codebook`. Raises :class:`AnalysisError` naming the file and category.

    >>> "hedges" in load_codebook().ids
    True
    """
    if path is None:
        return _default_codebook()
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(path, "codebook file not found") from None
    except UnicodeDecodeError as e:
        raise fail(path, f"not UTF-8 text ({e.reason} at byte {e.start})") from None
    return parse_codebook(_yaml(text, path), str(path))


@cache
def _default_codebook() -> Codebook:
    ref = resources.files("analysis").joinpath(DEFAULT_CODEBOOK)
    return parse_codebook(_yaml(ref.read_text("utf-8"), DEFAULT_CODEBOOK),
                          f"analysis/{DEFAULT_CODEBOOK}")


def _yaml(text: str, where: object) -> object:
    try:
        return load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise fail(str(where), f"invalid YAML: {e}",
                   f"line {mark.line + 1}" if mark else None) from None


def as_codebook(codebook: Codebook | str | Path | None) -> Codebook:
    """Return ``codebook`` itself, or load it from a path (``None``: the shipped codebook)."""
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


# ---- term matching ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TermHit:
    """One cue found in a text: offsets into the text, the cue and what it matched."""

    category: str
    term: str
    match: str
    start: int
    end: int
    negated: bool


def _is_word(tok: Token) -> bool:
    return tok.text[0].isalnum() or tok.text[-1].isalnum()


def _negated(tokens: Sequence[Token], i: int, codebook: Codebook) -> bool:
    seen = 0
    j = i - 1
    while j >= 0 and seen < codebook.negation_window:
        tok = tokens[j]
        if not _is_word(tok):
            if tok.text in _CLAUSE_PUNCT:
                return False
            j -= 1
            continue
        if codebook.is_negator(tok):
            return True
        seen += 1
        j -= 1
    return False


def match_tokens(text: str, tokens: Sequence[Token], codebook: Codebook) -> list[TermHit]:
    """Return the cue hits among ``tokens`` (of ``text``), ordered by start then category.

    Within each group of categories the longest cue wins and a token belongs to at most one
    hit; the groups are matched independently.
    """
    hits: list[TermHit] = []
    for first, wild in codebook._index.values():
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            w = _norm(tok.lower)
            cands = [p for p in first.get(w, ()) if not p.exact]
            cands += [p for p in first.get(tok.text, ()) if p.exact]
            for k in range(_MIN_PREFIX, len(w) + 1):
                cands += wild.get(w[:k], ())
            best = None
            for p in cands:
                if p.matches(tokens, i) and (best is None or _better(p, best)):
                    best = p
            if best is None:
                i += 1
                continue
            last = tokens[i + len(best.pieces) - 1]
            hits.append(TermHit(best.category, best.term, text[tok.start:last.end], tok.start,
                                last.end, _negated(tokens, i, codebook)))
            i += len(best.pieces)
    order = {c: k for k, c in enumerate(codebook.ids)}
    hits.sort(key=lambda h: (h.start, order[h.category]))
    return hits


def _better(p: _Pattern, q: _Pattern) -> bool:
    def key(x: _Pattern) -> tuple[int, int, int]:
        return (-len(x.pieces), sum(w for _, w in x.pieces), -sum(len(t) for t, _ in x.pieces))

    return key(p) < key(q)


def find_terms(text: str, start: int = 0, end: int | None = None, *,
               codebook: Codebook | str | Path | None = None) -> list[TermHit]:
    """Return the codebook cues in ``text[start:end]`` (offsets into ``text``).

    >>> [(h.category, h.match, h.negated) for h in find_terms("It was not intentional.")
    ...  if h.category == "responsibility"]
    [('responsibility', 'intentional', True)]
    """
    cb = as_codebook(codebook)
    return match_tokens(text, tokenize(text, start, end), cb)


def count_hits(hits: Iterable[TermHit], categories: Iterable[str]) -> dict[str, int]:
    """Return the number of non-negated hits per category (0 for categories without hits)."""
    counts = dict.fromkeys(categories, 0)
    for h in hits:
        if not h.negated and h.category in counts:
            counts[h.category] += 1
    return counts


# ---- passive voice ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Passive:
    """A passive construction: ``text[start:end]`` runs from the auxiliary to the participle.

    ``agent`` is the text after ``by`` (None for an agentless passive), with its offsets.
    ``negated`` is True for ``was not informed`` (still a passive).
    """

    start: int
    end: int
    match: str
    auxiliary: str
    participle: str
    agent: str | None
    agent_start: int | None
    agent_end: int | None
    negated: bool

    @property
    def agentless(self) -> bool:
        """True when the text names no agent (``by ...``)."""
        return self.agent is None


@dataclass(frozen=True)
class _PassiveRules:
    aux: frozenset[str]
    between: frozenset[str]
    max_between: int
    negators: frozenset[str]
    irregular: frozenset[str]
    not_participles: frozenset[str]
    adjectival: frozenset[str]
    clause_breaks: frozenset[str]
    agent_stops: frozenset[str]
    by_not_agent: frozenset[str]


@cache
def _passive_rules() -> _PassiveRules:
    raw = load_yaml(resources.files("analysis").joinpath("data/participles.yml")
                    .read_text("utf-8"))

    def s(key: str) -> frozenset[str]:
        return frozenset(_norm(w) for w in raw[key])

    return _PassiveRules(s("be") | s("get"), s("between"), int(raw["max_between"]),
                         s("negators"), s("irregular"), s("not_participles"), s("adjectival"),
                         s("clause_breaks"), s("agent_stops"), s("by_not_agent"))


def _is_participle(w: str, r: _PassiveRules) -> bool:
    if w in r.adjectival:
        return False
    if w in r.irregular:
        return True
    return len(w) >= 4 and w.endswith("ed") and w.isalpha() and w not in r.not_participles


def _ends_clause(tok: Token, w: str, r: _PassiveRules) -> bool:
    return (not _is_word(tok) and tok.text in _CLAUSE_PUNCT) or w in r.clause_breaks or (
        w in ("and",))


def find_passives(text: str, start: int = 0, end: int | None = None) -> list[Passive]:
    """Return the passive constructions in ``text[start:end]`` (offsets into ``text``).

    >>> [(p.match, p.agent) for p in find_passives("The strike was halted immediately.")]
    [('was halted', None)]
    >>> [(p.match, p.agent) for p in find_passives("They were informed by Russian officials.")]
    [('were informed', 'Russian officials')]
    >>> find_passives("He was an accomplished diplomat. She was concerned.")
    []
    """
    return passives_in_tokens(text, tokenize(text, start, end))


def passives_in_tokens(text: str, tokens: Sequence[Token]) -> list[Passive]:
    """Return the passive constructions among ``tokens`` of ``text`` (see :func:`find_passives`)."""
    r = _passive_rules()
    out: list[Passive] = []
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if _norm(tok.lower) not in r.aux:
            continue
        found = participle_after(lambda k: _norm(tokens[k].lower), i, n, r)
        if found is None:
            continue
        j, negated = found
        agent = _agent(text, tokens, j + 1, r)
        out.append(Passive(tok.start, tokens[j].end, text[tok.start:tokens[j].end], tok.text,
                           tokens[j].text, *agent, negated))
    return out


def participle_after(norm_at: Callable[[int], str], i: int, n: int,
                     r: _PassiveRules) -> tuple[int, bool] | None:
    """Return ``(j, negated)`` for the participle that the auxiliary at token ``i`` (of
    ``n``) governs, past at most ``r.max_between`` adverbs or listed words (``norm_at(k)``
    is token ``k``'s normalised form); ``negated`` if the auxiliary or a word between is a
    negator. None if no participle follows. Shared by this reference matcher and
    :mod:`analysis.fastpath`, so both apply the same rule."""
    j, between, negated = i + 1, 0, norm_at(i).endswith("n't")
    while j < n and between < r.max_between:
        w = norm_at(j)
        if w in r.between or (w.endswith("ly") and len(w) > 3 and w.isalpha()
                              and not _is_participle(w, r)):
            negated = negated or w in r.negators or w.endswith("n't")
            between += 1
            j += 1
        else:
            break
    if j >= n or not _is_participle(norm_at(j), r):
        return None
    return j, negated


def _agent(text: str, tokens: Sequence[Token], k: int,
           r: _PassiveRules) -> tuple[str | None, int | None, int | None]:
    """Find ``by <agent>`` from token ``k`` to the end of the clause."""
    n = len(tokens)
    while k < n:
        tok = tokens[k]
        w = _norm(tok.lower)
        if _ends_clause(tok, w, r) or w in r.aux:
            return None, None, None
        if w == "by":
            break
        k += 1
    else:
        return None, None, None
    a = k + 1
    if a >= n or not _is_word(tokens[a]) or _norm(tokens[a].lower) in r.by_not_agent:
        return None, None, None
    b = a
    while b < n:
        tok = tokens[b]
        w = _norm(tok.lower)
        if b > a and (not _is_word(tok) and tok.text not in ("'", "\u2019")
                      or w in r.clause_breaks or w in r.agent_stops or w in r.aux):
            break
        b += 1
    return text[tokens[a].start:tokens[b - 1].end], tokens[a].start, tokens[b - 1].end

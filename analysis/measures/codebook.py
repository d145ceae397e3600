"""The framing codebook: categories of cue terms, negation words, and their loader.

The file layout is documented in the header of ``analysis/data/codebook.yml`` (the shipped
codebook) and declared by :class:`analysis.schema.CodebookFile`; a user's codebook has the
same layout (``--codebook FILE``, :func:`load_codebook`). Validation is in two steps: the
schema (keys, types, groups, ids, empty lists), then the checks that need the cue terms'
meaning or the whole file (:func:`term_problem`: wildcards, lower case, one token per word; a
term listed twice; an id used twice or taken by a score column; a cue that can match the same
words in two categories of one group). Every problem is reported at once, each naming the
file, ``category 'id'`` and the YAML line.

The matching itself is :mod:`analysis.measures.framing`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import AnalysisError, Problem, fail, short
from ..io import compose_yaml, read_text
from ..schema import CodebookFile, line_at, validate
from ..text import tokenize
from .tokens import norm

GROUPS = ("metadiscourse", "news_frame", "speech_act")
#: The fewest letters before a wildcard's ``*``.
MIN_PREFIX = 3
#: Column names a category id may not take (they are used by the score tables).
RESERVED_IDS = frozenset({
    "statement_id", "doc_id", "speaker", "speaker_name", "affiliation", "speaker_text", "kind",
    "text", "start", "end", "cue", "paragraph", "sentence", "sentence_in_statement", "n_tokens",
    "vader_neg", "vader_neu", "vader_pos", "vader_compound", "textblob_polarity",
    "textblob_subjectivity", "passive", "agentless_passive", "targets", "category", "term",
    "negative_evaluation", "stance_type", "stance_target", "stance_target_country",
    "stance_evidence", "n_sentences", "negative_evaluations", "negative_evaluation_share",
    "stance_direct", "stance_indirect", "stance_challenge", "stance_correction",
})
#: The packaged codebook (``analysis/data/codebook.yml``), as named in messages and tables.
DEFAULT_SOURCE = "analysis/data/codebook.yml"


@dataclass(frozen=True)
class Category:
    """One codebook category: its id (a column name), display name, group and cue terms."""

    id: str
    name: str
    group: str
    definition: str
    literature: str
    terms: tuple[str, ...]


Pieces = tuple[tuple[str, bool], ...]


def pieces(term: str) -> Pieces:
    """Return a cue's words as ``(lower-case text, is a prefix wildcard)`` pairs.

    >>> pieces("condemn* the attack")
    (('condemn', True), ('the', False), ('attack', False))
    """
    return tuple((p[:-1], True) if p.endswith("*") else (p, False) for p in term.split())


@dataclass(frozen=True)
class Pattern:
    """One cue term of one category, ready for matching (``exact``: matched only as written)."""

    category: str
    term: str
    pieces: Pieces
    exact: bool
    #: Sort key among cues starting at one token: the longest phrase first, then literal
    #: before wildcard, then the longer prefix first.
    rank: tuple[int, int, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank", (-len(self.pieces), sum(w for _, w in self.pieces),
                                          -sum(len(t) for t, _ in self.pieces)))


#: Per group: (first word -> cues starting with it, first wildcard prefix -> cues).
GroupIndex = tuple[dict[str, list[Pattern]], dict[str, list[Pattern]]]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook: categories in file order, negation words and window.

    ``index`` holds, per group of categories, the cues by their first word and by their
    first wildcard prefix (what the matchers of :mod:`analysis.measures.framing` look up).
    """

    categories: tuple[Category, ...]
    negation_words: frozenset[str] = frozenset()
    negation_window: int = 3
    exact_case: frozenset[str] = frozenset()
    source: str = "<codebook>"
    index: dict[str, GroupIndex] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_group: dict[str, list[Pattern]] = {}
        for c in self.categories:
            for term in c.terms:
                by_group.setdefault(c.group, []).append(
                    Pattern(c.id, term, pieces(term), term in self.exact_case))
        index: dict[str, GroupIndex] = {}
        for g, ps in by_group.items():
            first: dict[str, list[Pattern]] = {}
            wild: dict[str, list[Pattern]] = {}
            for p in sorted(ps, key=lambda p: p.rank):
                piece, is_wild = p.pieces[0]
                (wild if is_wild else first).setdefault(piece, []).append(p)
            index[g] = (first, wild)
        object.__setattr__(self, "index", index)

    @property
    def ids(self) -> list[str]:
        """Return the category ids in codebook order."""
        return [c.id for c in self.categories]

    def __getitem__(self, category_id: str) -> Category:
        for c in self.categories:
            if c.id == category_id:
                return c
        raise KeyError(category_id)

    def is_negator(self, word: str) -> bool:
        """Return True when ``word`` (a token's text) is one of the negation words (the entry
        ``n't`` stands for every word ending in n't)."""
        w = norm(word)
        return w in self.negation_words or ("n't" in self.negation_words and w.endswith("n't"))

    def to_frame(self):  # noqa: ANN201 - a DataFrame
        """Return the codebook as a DataFrame: id, name, group, definition, literature, terms."""
        import pandas as pd

        return pd.DataFrame([
            {"id": c.id, "name": c.name, "group": c.group, "definition": c.definition,
             "literature": c.literature, "n_terms": len(c.terms), "terms": "; ".join(c.terms)}
            for c in self.categories
        ])


# ---- loading ---------------------------------------------------------------------------------


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Load and validate a codebook; ``None`` loads the one shipped with the package.

    Returns a :class:`Codebook`. Raises :class:`AnalysisError` naming the file, the category
    and the line of every problem.

    >>> "hedges" in load_codebook().ids
    True
    """
    if path is None:
        return default_codebook()
    path = Path(path)
    data, node = compose_yaml(read_text(path, what="codebook file"), path)
    return parse_codebook(data, str(path), node=node)


@cache
def default_codebook() -> Codebook:
    """Return the packaged codebook (read and checked once per process)."""
    from ..resources import packaged

    model = packaged("codebook", CodebookFile)
    return parse_codebook(model.model_dump(), DEFAULT_SOURCE)


def as_codebook(codebook: Codebook | str | Path | None) -> Codebook:
    """Return ``codebook`` itself, or load it from a path (``None``: the shipped codebook)."""
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


def parse_codebook(data: object, source: str = "<codebook>", *,
                   node: yaml.Node | None = None) -> Codebook:
    """Validate parsed YAML ``data`` (``node``: its YAML node tree, for line numbers) and
    return a :class:`Codebook`.

    Raises :class:`AnalysisError` listing every problem (unknown key, empty category,
    malformed wildcard, a term in two categories of one group ...), each naming ``source``,
    the category and, with ``node``, the line.
    """
    if not isinstance(data, dict):
        raise fail(source, "a codebook is a mapping with 'categories' (and optional "
                           "'negation', 'exact_case')")
    problems: list[Problem] = []
    model: Any = None
    try:
        model = validate(CodebookFile, data, source, node=node)
    except AnalysisError as e:
        problems += [_named(p, data) for p in e.problems]
    problems += _content_problems(data, source, node)
    if problems:
        raise AnalysisError(problems)
    categories = tuple(
        Category(c.id, c.name.strip(), c.group, " ".join(c.definition.split()),
                 " ".join(c.literature.split()), tuple(c.terms))
        for c in model.categories)
    return Codebook(categories, frozenset(norm(w) for w in model.negation.words),
                    model.negation.window, frozenset(model.exact_case), source)


def term_problem(term: object) -> str | None:
    """Return what is wrong with a cue term, or None.

    >>> term_problem("condemn*"), term_problem("co*")
    (None, "malformed wildcard: at least 3 letters before '*'")
    """
    if not isinstance(term, str) or not term.strip():
        return "a term must be a non-empty string"
    if term != norm(term).strip():
        return "terms are written in lower case without outer spaces"
    for piece in term.split():
        if "*" in piece[:-1] or piece == "*":
            return "malformed wildcard: '*' may only end a word (e.g. condemn*)"
        stem = piece[:-1] if piece.endswith("*") else piece
        if piece.endswith("*") and len(stem) < MIN_PREFIX:
            return f"malformed wildcard: at least {MIN_PREFIX} letters before '*'"
        toks = tokenize(stem)
        if len(toks) != 1 or toks[0].text != stem:
            return f"{piece!r} is not one token (write words and phrases of words)"
    return None


def overlap(a: Pieces, b: Pieces) -> bool:
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


def _entry(i: int, cid: object) -> str:
    """How messages name category ``i`` (0-based): by its id, else by its number."""
    return f"category {short(cid, 60)}" if isinstance(cid, str) else f"category {i + 1}"


def _named(p: Problem, data: dict) -> Problem:
    """The schema names a category ``categories: item 3 (id 'x')``; say ``category 'x'``."""
    cats = data.get("categories")
    if not (p.entry and p.entry.startswith("categories: item ") and isinstance(cats, list)):
        return p
    number = p.entry.removeprefix("categories: item ").split(" ", 1)[0].split(":", 1)[0]
    if not number.isdigit() or not 0 < int(number) <= len(cats):
        return p
    i = int(number) - 1
    raw = cats[i]
    label = f"categories: item {i + 1}"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        label += f" (id {short(raw['id'], 60)})"
    if not p.entry.startswith(label):
        return p
    cid = raw.get("id") if isinstance(raw, dict) else None
    return Problem(p.where, p.message, _entry(i, cid) + p.entry[len(label):])


def _cues(data: dict) -> Iterator[tuple[int, str | None, object, int, str]]:
    """Yield ``(category index, id, group, term index, term)`` for every string term of every
    category mapping in the raw ``data`` (whatever else is wrong with it)."""
    cats = data.get("categories")
    for i, raw in enumerate(cats if isinstance(cats, list) else []):
        if not isinstance(raw, dict) or not isinstance(raw.get("terms"), list):
            continue
        cid = raw.get("id") if isinstance(raw.get("id"), str) else None
        for k, t in enumerate(raw["terms"]):
            if isinstance(t, str):
                yield i, cid, raw.get("group"), k, t


def _content_problems(data: dict, source: str, node: yaml.Node | None) -> list[Problem]:
    """The checks beyond the schema (see the module docstring), on the raw ``data``."""
    problems: list[Problem] = []

    def bad(i: int, cid: object, loc: tuple, message: str) -> None:
        line = line_at(node, ("categories", i, *loc))
        entry = _entry(i, cid) + (f" (line {line})" if line is not None else "")
        problems.append(Problem(source, message, entry))

    cats = data.get("categories")
    seen: dict[str, int] = {}
    for i, raw in enumerate(cats if isinstance(cats, list) else []):
        cid = raw.get("id") if isinstance(raw, dict) else None
        if not isinstance(cid, str):
            continue
        if cid in RESERVED_IDS or cid.endswith("_per100"):
            bad(i, cid, ("id",), f"id {cid!r} is a column name of the score tables; "
                                 "choose another")
        elif cid in seen:
            bad(i, cid, ("id",), f"duplicate id (first used by category {seen[cid] + 1})")
        seen.setdefault(cid, i)
    listed: dict[int, set[str]] = {}
    good: list[tuple[int, str | None, object, int, str]] = []
    for i, cid, group, k, term in _cues(data):
        err = term_problem(term)
        if err:
            bad(i, cid, ("terms", k), f"term {term!r}: {err}")
        elif term in listed.setdefault(i, set()):
            bad(i, cid, ("terms", k), f"term {term!r} is listed twice")
        else:
            listed[i].add(term)
            good.append((i, cid, group, k, term))
    # a cue that can match the same words in two categories of one group has two meanings
    for g in GROUPS:
        cues = [(i, cid, k, t, pieces(t)) for i, cid, group, k, t in good if group == g]
        for n, (ia, ca, _, ta, pa) in enumerate(cues):
            for ib, cb, kb, tb, pb in cues[n + 1:]:
                if ia != ib and ca != cb and overlap(pa, pb):
                    bad(ib, cb, ("terms", kb),
                        f"term {tb!r} overlaps {ta!r} of category {ca!r} in the same group "
                        f"{g!r} (one cue, two meanings); keep it in one of them")
    return problems

"""The actor registry: who can speak and who can be spoken about.

A registry is a YAML list of actors (``corpus/speakers.yml`` by default). Each entry::

    - id: power                      # short, unique, lower case: [a-z][a-z0-9_]*
      name: Samantha Power           # display name (also matched in text)
      kind: person                   # person | organization | state
      gender: female                 # optional: female | male; lets he/she find them
      affiliation: united_states     # optional: the id of the state or body they speak for
      role: US Ambassador to the UN  # optional, free text
      aliases: [Power, Ms. Power]    # names, titles, descriptions used in text
      adjectives: [American]         # optional: demonyms and adjectives (targets only)

Aliases and the name are matched case-sensitively, except that an alias written with a
lower-case first letter (``the Assad regime``) also matches with a capital (``The Assad
regime``). Adjectives (``American heavy-handedness``) mark an actor as a *target* of what is
said but never as a speaker. An alias claimed by two actors is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from .errors import AnalysisError, Problem, fail
from .io import read_yaml

KINDS = ("person", "organization", "state")
GENDERS = ("female", "male")
_FIELDS = {"id", "name", "kind", "gender", "affiliation", "role", "aliases", "adjectives"}
_REQUIRED = ("id", "name", "kind")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")

DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "corpus" / "speakers.yml"


@dataclass(frozen=True)
class Actor:
    """One registry entry (see the module docstring for the fields)."""

    id: str
    name: str
    kind: str
    gender: str | None = None
    affiliation: str | None = None
    role: str | None = None
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias: all the ways text may name this actor as a speaker."""
        return (self.name, *(a for a in self.aliases if a != self.name))


@dataclass(frozen=True)
class Mention:
    """A place where the text names an actor. ``adjective`` is True for ``American`` etc."""

    actor: str
    start: int
    end: int
    text: str
    adjective: bool = False


@dataclass(frozen=True)
class Registry:
    """A validated set of actors, looked up by id and found in text by their aliases."""

    actors: tuple[Actor, ...]
    source: str = "<registry>"
    _by_id: dict[str, Actor] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {a.id: a for a in self.actors})

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._by_id

    def __getitem__(self, actor_id: str) -> Actor:
        return self._by_id[actor_id]

    def __iter__(self) -> Iterator[Actor]:
        return iter(self.actors)

    def __len__(self) -> int:
        return len(self.actors)

    @property
    def ids(self) -> list[str]:
        """Return the actor ids in registry order."""
        return [a.id for a in self.actors]

    def affiliation_of(self, actor_id: str | None) -> str | None:
        """Return the id an actor speaks for (itself for states and unaffiliated bodies)."""
        if actor_id is None or actor_id not in self:
            return None
        actor = self[actor_id]
        return actor.affiliation or actor.id

    def lookup(self, text: str) -> str | None:
        """Return the id of the actor that ``text`` names exactly (a name or alias), or None.

        >>> load_registry().lookup("Ms. Power")
        'power'
        """
        return self._exact.get(text.strip()) or self._exact.get(_cap(text.strip()))

    @cached_property
    def _exact(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for a in self.actors:
            for n in a.names:
                out[n] = a.id
                out[_cap(n)] = a.id
        return out

    @cached_property
    def _forms(self) -> dict[str, tuple[str, bool]]:
        """Every matchable form -> (actor id, is it an adjective)."""
        forms: dict[str, tuple[str, bool]] = {}
        for a in self.actors:
            for n in a.names:
                forms.setdefault(n, (a.id, False))
            for adj in a.adjectives:
                forms.setdefault(adj, (a.id, True))
        return forms

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        if not self._forms:
            return None
        alts = []
        for form in sorted(self._forms, key=len, reverse=True):
            esc = re.escape(form)
            if form[0].islower():
                esc = f"[{form[0]}{form[0].upper()}]" + re.escape(form[1:])
            alts.append(esc)
        return re.compile(r"(?<![\w.])(?:" + "|".join(alts) + r")(?![\w])")

    def mentions(
        self, text: str, start: int = 0, end: int | None = None, *, adjectives: bool = True
    ) -> list[Mention]:
        """Return the actors named in ``text[start:end]``, longest alias first, left to right.

        Offsets are into ``text``. With ``adjectives=False`` only names and aliases count
        (what a speaker can be); with True demonyms such as ``American`` count too.
        """
        pat = self._pattern
        if pat is None:
            return []
        forms = self._forms
        out = []
        for m in pat.finditer(text, start, len(text) if end is None else end):
            actor, is_adj = forms.get(m.group()) or forms[_uncap(m.group(), forms)]
            if is_adj and not adjectives:
                continue
            out.append(Mention(actor, m.start(), m.end(), m.group(), is_adj))
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return the registry as a DataFrame, one row per actor (aliases joined by ``; ``)."""
        rows = [
            {
                "id": a.id,
                "name": a.name,
                "kind": a.kind,
                "gender": a.gender,
                "affiliation": a.affiliation,
                "role": a.role,
                "aliases": "; ".join(a.aliases),
                "adjectives": "; ".join(a.adjectives),
            }
            for a in self.actors
        ]
        return pd.DataFrame(rows)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _uncap(s: str, forms: Mapping[str, object]) -> str:
    low = s[:1].lower() + s[1:]
    return low if low in forms else s


def parse_registry(data: object, source: str = "<registry>") -> Registry:
    """Validate parsed YAML ``data`` (a list of mappings) and return a :class:`Registry`.

    Raises :class:`AnalysisError` listing every problem, each naming ``source`` and the
    entry (its id, or its position when it has none).
    """
    if not isinstance(data, list):
        raise fail(source, "a registry is a YAML list of actors (- id: ..., name: ...)")
    problems: list[Problem] = []
    actors: list[Actor] = []
    seen_ids: dict[str, int] = {}
    claimed: dict[str, str] = {}

    def bad(entry: str, msg: str) -> None:
        problems.append(Problem(source, msg, entry))

    for i, raw in enumerate(data, 1):
        entry = f"entry {i}"
        if not isinstance(raw, dict):
            bad(entry, "an actor is a mapping with id, name, kind, aliases ...")
            continue
        if isinstance(raw.get("id"), str):
            entry = f"entry {i} (id {raw['id']!r})"
        unknown = sorted(set(map(str, raw)) - _FIELDS)
        if unknown:
            bad(entry, f"unknown key(s) {unknown}; valid keys: {sorted(_FIELDS)}")
        missing = [k for k in _REQUIRED if not raw.get(k)]
        if missing:
            bad(entry, f"missing required key(s) {missing}")
            continue
        aid, name, kind = raw["id"], raw["name"], raw["kind"]
        if not isinstance(aid, str) or not _ID.match(aid):
            bad(entry, f"id {aid!r} must be lower case letters, digits and _ (e.g. united_states)")
            continue
        if aid in seen_ids:
            bad(entry, f"duplicate id {aid!r} (first used by entry {seen_ids[aid]})")
            continue
        seen_ids[aid] = i
        if kind not in KINDS:
            bad(entry, f"unknown kind {kind!r}; valid kinds: {list(KINDS)}")
        gender = raw.get("gender")
        if gender is not None and gender not in GENDERS:
            bad(entry, f"unknown gender {gender!r}; valid: {list(GENDERS)} or leave it out")
        lists = {}
        for key in ("aliases", "adjectives"):
            val = raw.get(key) or []
            if not isinstance(val, list) or not all(isinstance(v, str) and v.strip() for v in val):
                bad(entry, f"{key} must be a list of non-empty strings")
                val = []
            lists[key] = tuple(v.strip() for v in val)
        for form in (str(name), *lists["aliases"], *lists["adjectives"]):
            key = form.casefold()
            owner = claimed.get(key)
            if owner is not None and owner != aid:
                bad(entry, f"alias {form!r} is already claimed by {owner!r}")
            claimed.setdefault(key, aid)
        actors.append(
            Actor(
                id=aid,
                name=str(name),
                kind=str(kind),
                gender=gender,
                affiliation=raw.get("affiliation"),
                role=raw.get("role"),
                aliases=lists["aliases"],
                adjectives=lists["adjectives"],
            )
        )
    ids = {a.id for a in actors}
    for a in actors:
        if a.affiliation is not None and a.affiliation not in ids:
            bad(f"id {a.id!r}", f"affiliation {a.affiliation!r} is not an actor id in the registry")
    if problems:
        raise AnalysisError(problems)
    return Registry(tuple(actors), source)


def load_registry(path: str | Path | None = None) -> Registry:
    """Load and validate a registry file; ``None`` loads the default ``corpus/speakers.yml``.

    Returns a :class:`Registry`. Raises :class:`AnalysisError` naming the file and entry.
    """
    path = Path(DEFAULT_REGISTRY if path is None else path)
    return parse_registry(read_yaml(path, what="registry file"), str(path))


def as_registry(registry: Registry | str | Path | None) -> Registry:
    """Return ``registry`` itself, or load it from a path (``None``: the default registry)."""
    return registry if isinstance(registry, Registry) else load_registry(registry)


def actors_named(registry: Registry, names: Iterable[str]) -> list[str]:
    """Return the ids of the given names or ids, raising :class:`AnalysisError` for unknowns."""
    out = []
    for n in names:
        aid = n if n in registry else registry.lookup(n)
        if aid is None:
            raise fail(registry.source, f"unknown actor {n!r}; known ids: {registry.ids}")
        out.append(aid)
    return out

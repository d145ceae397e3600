"""The actor registry: who can speak and who can be spoken about.

A registry is a YAML list of actors (the project's is ``corpus/speakers.yml``, which the
Makefile, the parameter files and the notebooks pass; a library call without a registry gets
the built-in actors, :func:`builtin_registry`). Each entry (schema
:class:`analysis.schema.ActorEntry`)::

    - id: power                      # unique slug: lower case letters, digits, - and _
      name: Samantha Power           # display name (also matched in text)
      kind: person                   # person | organization | state
      gender: female                 # optional: female | male; lets he/she find them
      affiliation: united_states     # optional: the state or body they speak for: its id,
                                     # name or alias; or a free-text group label
      role: US Ambassador to the UN  # optional, free text
      aliases: [Power, Ms. Power]    # names, titles, descriptions used in text
      adjectives: [American]         # optional: demonyms and adjectives (targets only)

Aliases and the name are matched case-sensitively, except that an alias written with a
lower-case first letter (``the Assad regime``) also matches with a capital (``The Assad
regime``). Adjectives (``American heavy-handedness``) mark an actor as a *target* of what is
said but never as a speaker. An alias claimed by two actors is an error. An affiliation
that names no actor is kept as written (a group label for aggregation) and noted once as a
:class:`RegistryWarning`.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .errors import AnalysisError, Problem, fail, short
from .io import compose_yaml, read_text
from .schema import ACTOR_KINDS, GENDERS, ActorEntry, validate

if TYPE_CHECKING:
    import pandas as pd

KINDS = ACTOR_KINDS
__all__ = ["GENDERS", "KINDS", "Actor", "Mention", "Registry", "RegistryWarning",
           "actors_named", "as_registry", "builtin_registry", "load_registry",
           "parse_registry"]


class RegistryWarning(UserWarning):
    """Something in a registry worth knowing that is not an error (an affiliation that names
    no actor, kept as a free-text label)."""


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
    iso3: str | None = None
    #: A speaker named by a record's heading or metadata (:meth:`Registry.with_speakers`):
    #: never looked for in text, so "The President" does not become a mention.
    recorded: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The name and every alias: all the ways text may name this actor as a speaker
        (none for a :attr:`recorded` speaker)."""
        if self.recorded:
            return ()
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

    def state_of(self, iso3: str | None) -> str | None:
        """Return the id of the state actor with the ISO3 code ``iso3``, or None."""
        return self._by_iso3.get(iso3) if iso3 else None

    @cached_property
    def _by_iso3(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for a in self.actors:
            if a.iso3 and a.kind == "state":
                out.setdefault(a.iso3, a.id)
        return out

    def with_speakers(self, docs: Iterable[Any]) -> Registry:
        """Return this registry plus a ``person`` actor for each document speaker it does not
        know that the document names (the UN record readers' ``araud-fra``,
        ``unsc-president``; not a front-matter speaker read without a registry): id ``doc.speaker``,
        name ``doc.speaker_name``, affiliation ``doc.affiliation``. The new actors have no
        aliases, so what the text can name stays the same (and the compiled pattern is
        shared). Returns ``self`` when every speaker is known.
        """
        extra: dict[str, Actor] = {}
        for d in docs:
            sid = getattr(d, "speaker", None)
            name = getattr(d, "speaker_name", None)
            if sid and name and sid not in self._by_id and sid not in extra:
                extra[sid] = Actor(id=sid, name=name, kind="person",
                                   affiliation=d.affiliation, recorded=True)
        if not extra:
            return self
        out = Registry((*self.actors, *extra.values()), self.source)
        for name in ("_forms", "_pattern"):
            if name in self.__dict__:
                out.__dict__[name] = self.__dict__[name]
        return out

    def country_of(self, actor_id: str | None) -> str | None:
        """Return the ISO3 code of the state ``actor_id`` is or speaks for (following
        affiliations: Power -> United States -> ``USA``), or None for a non-state actor."""
        seen: set[str] = set()
        actor = self._by_id.get(actor_id) if actor_id is not None else None
        while actor is not None and actor.id not in seen:
            if actor.kind == "state" and actor.iso3:
                return actor.iso3
            seen.add(actor.id)
            actor = self._by_id.get(actor.affiliation) if actor.affiliation else None
        return None

    def affiliation_of(self, actor_id: str | None) -> str | None:
        """Return the id an actor speaks for (itself for states and unaffiliated bodies)."""
        if actor_id is None or actor_id not in self:
            return None
        actor = self[actor_id]
        return actor.affiliation or actor.id

    def lookup(self, text: str) -> str | None:
        """Return the id of the actor that ``text`` names exactly (a name or alias), or None.

        >>> parse_registry([{"id": "reyes", "name": "Ana Reyes", "kind": "person",
        ...                  "aliases": ["Ms. Reyes"]}]).lookup("Ms. Reyes")
        'reyes'
        """
        return self._exact.get(text.strip()) or self._exact.get(_cap(text.strip()))

    def lookup_folded(self, text: str) -> str | None:
        """Return the id of the actor whose id, name or alias equals ``text`` ignoring case
        and surrounding white space, or None."""
        return self._folded.get(text.strip().casefold())

    @cached_property
    def _folded(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for a in self.actors:
            for n in (a.id, *a.names):
                out.setdefault(n.casefold(), a.id)
        return out

    @cached_property
    def _exact(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for a in self.actors:  # the first actor to claim a name keeps it (user before built-in)
            for n in a.names:
                out.setdefault(n, a.id)
                out.setdefault(_cap(n), a.id)
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
        """Every form in one pattern, as a trie (common prefixes factored out), so that the
        ~1,200 forms of the built-in states cost little more than a dozen. At each place the
        longest form that ends at a word boundary wins, as with the forms sorted longest
        first; a form written with a lower-case first letter also matches capitalised."""
        if not self._forms:
            return None
        words = set(self._forms)
        words.update(_cap(f) for f in self._forms if f[0].islower())
        return re.compile(r"(?<![\w.])" + _trie_regex(words) + r"(?![\w])")

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
        import pandas as pd

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
                "iso3": a.iso3,
            }
            for a in self.actors
        ]
        return pd.DataFrame(rows)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _trie_regex(words: Iterable[str]) -> str:
    """Return a regular expression matching exactly ``words``, as a trie: at each node the
    continuations come before the end of a word (greedy), so the longest word is tried
    first."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]
        group = "(?:" + "|".join(alts) + ")"
        return group + "?" if "" in node else group

    return "(?:" + build(trie) + ")"


def _uncap(s: str, forms: Mapping[str, object]) -> str:
    low = s[:1].lower() + s[1:]
    return low if low in forms else s


def _entry_label(i: int, raw: object, node: yaml.Node | None) -> str:
    """``entry 3 (id 'velkova') (line 12)``, as :mod:`analysis.schema` names entries."""
    label = f"entry {i + 1}"
    if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
        label += f" (id {short(raw['id'], 60)})"
    if isinstance(node, yaml.SequenceNode) and i < len(node.value):
        label += f" (line {node.value[i].start_mark.line + 1})"
    return label


_ENTRY_NUMBER = re.compile(r"entry (\d+)")


def _entry_number(p: Problem) -> int:
    m = _ENTRY_NUMBER.match(p.entry or "")
    return int(m.group(1)) if m else 0


def parse_registry(
    data: object,
    source: str = "<registry>",
    *,
    node: yaml.Node | None = None,
    builtin: bool = False,
) -> Registry:
    """Validate parsed YAML ``data`` (a list of actors, schema
    :class:`analysis.schema.ActorEntry`) and return a :class:`Registry`.

    With ``builtin`` the registry also holds every built-in actor (:func:`builtin_registry`):
    an entry whose id (or ``iso3``) is a built-in state's overrides it (the fields it gives
    replace the built-in ones; ``iso3``, aliases and adjectives it leaves out are kept), the
    others are added; a name or alias an entry claims is taken from the built-in actors. An
    entry giving a built-in state's id with another ``iso3`` is an error.

    Raises :class:`AnalysisError` listing every problem in entry order, each naming
    ``source`` and the entry (its position and id; its line when ``node``, the YAML node
    tree, is given): bad fields, duplicate ids, an alias claimed by two actors. An
    ``affiliation`` may name an actor by id, name or alias (resolved to the id); one that
    names no actor is kept as a free-text group label and noted once as a
    :class:`RegistryWarning`.
    """
    if not isinstance(data, list):
        raise fail(source, "a registry is a YAML list of actors (- id: ..., name: ...)")
    problems: list[Problem] = []
    entries: list[ActorEntry] | None = None
    try:
        entries = validate(list[ActorEntry], data, source, node=node)
    except AnalysisError as e:
        problems.extend(e.problems)
    seen_ids: dict[str, int] = {}
    claimed: dict[str, str] = {}
    for i, raw in enumerate(data):
        if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str):
            continue
        aid = raw["id"]
        if aid in seen_ids:
            problems.append(Problem(source, f"duplicate id {aid!r} (first used by entry "
                                    f"{seen_ids[aid] + 1})", _entry_label(i, raw, node)))
            continue
        seen_ids[aid] = i
        forms = [raw.get("name")]
        for key in ("aliases", "adjectives"):
            if isinstance(raw.get(key), list):
                forms.extend(raw[key])
        for form in forms:
            if not isinstance(form, str) or not form.strip():
                continue
            owner = claimed.setdefault(form.strip().casefold(), aid)
            if owner != aid:
                problems.append(Problem(source, f"alias {form.strip()!r} is already claimed by "
                                        f"{owner!r}", _entry_label(i, raw, node)))
    if problems or entries is None:
        problems.sort(key=_entry_number)  # stable: schema faults first within an entry
        raise AnalysisError(problems)
    actors = [Actor(id=e.id, name=e.name, kind=e.kind, gender=e.gender,
                    affiliation=e.affiliation, role=e.role or None, aliases=e.aliases,
                    adjectives=e.adjectives, iso3=e.iso3) for e in entries]
    if builtin:
        labels = [_entry_label(i, raw, node) for i, raw in enumerate(data)]
        actors, problems = _merge(builtin_registry().actors, actors, labels, source)
        if problems:
            raise AnalysisError(problems)
    return Registry(_resolve_affiliations(actors, source), source)


def _merge(builtins: Iterable[Actor], users: list[Actor], labels: list[str],
           source: str) -> tuple[list[Actor], list[Problem]]:
    """Return (user actors with the built-in states they override filled in, then the other
    built-in actors less the forms the user claims; the problems)."""
    builtins = list(builtins)
    by_id = {b.id: b for b in builtins}
    by_iso3 = {b.iso3: b for b in builtins if b.iso3}
    out: list[Actor] = []
    problems: list[Problem] = []
    replaced: set[str] = set()
    for u, label in zip(users, labels, strict=True):
        b = by_id.get(u.id)
        if b is not None and b.iso3 and u.iso3 and u.iso3 != b.iso3:
            problems.append(Problem(source, f"iso3 {u.iso3!r} conflicts with the built-in state "
                                    f"{b.id!r} ({b.iso3}); give {b.iso3!r} or leave iso3 out",
                                    label))
            continue
        if b is None and u.iso3:
            b = by_iso3.get(u.iso3)
        if b is not None:
            replaced.add(b.id)
            u = replace(u, iso3=u.iso3 or b.iso3, aliases=u.aliases or b.aliases,
                        adjectives=u.adjectives or b.adjectives)
        out.append(u)
    claimed = {f.casefold() for u in out for f in (u.name, *u.aliases, *u.adjectives)}
    taken = {u.id for u in out}

    def free(forms: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f for f in forms if f.casefold() not in claimed)

    for b in builtins:
        if b.id not in replaced and b.id not in taken:
            out.append(replace(b, aliases=free(b.aliases), adjectives=free(b.adjectives)))
    return out, problems


def _resolve_affiliations(actors: list[Actor], source: str) -> tuple[Actor, ...]:
    """Return ``actors`` with each affiliation written as an actor's id (an affiliation may
    name the actor by id, name or alias); warn once for each one that names no actor."""
    probe = Registry(tuple(actors), source)
    out = []
    unmatched: dict[str, list[str]] = {}
    for a in actors:
        aff = a.affiliation
        if aff is not None and aff not in probe:
            found = probe.lookup(aff) or probe.lookup_folded(aff)
            if found is not None:
                a = replace(a, affiliation=found)
            else:
                unmatched.setdefault(aff, []).append(a.id)
        out.append(a)
    for label, ids in unmatched.items():
        warnings.warn(f"{source}: affiliation {label!r} (of {', '.join(map(repr, ids))}) names "
                      "no actor in the registry; kept as a free-text group label",
                      RegistryWarning, stacklevel=3)
    return tuple(out)


#: The source name of the built-in registry.
BUILTIN = "<built-in actors>"


@cache
def builtin_registry() -> Registry:
    """Return the actors built into the package: every UN member and observer state (with
    its ISO3 code, names, capital and adjectives) and the EU and UN as organizations
    (:mod:`analysis.states`). It is the registry of a library call without a registry file.
    """
    from .states import builtin_actors

    return Registry(tuple(Actor(**fields) for fields in builtin_actors()), BUILTIN)


def load_registry(path: str | Path | None = None) -> Registry:
    """Load and validate a registry file (its actors, then the built-in ones it does not
    override); ``None`` returns :func:`builtin_registry`.

    Returns a :class:`Registry`. Raises :class:`AnalysisError` naming the file, entry and
    line.
    """
    if path is None:
        return builtin_registry()
    path = Path(path)
    data, node = compose_yaml(read_text(path, what="registry file"), path)
    return parse_registry(data, str(path), node=node, builtin=True)


def as_registry(registry: Registry | str | Path | None) -> Registry:
    """Return ``registry`` itself, or load it from a path (``None``: the built-in actors)."""
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

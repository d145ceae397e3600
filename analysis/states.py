"""Every state built in: names and ISO 3166 codes from country_converter, the rest from
``analysis/data/states.yml``.

country_converter (coco) is the political-science standard for country names and codes. Its
table (the ``country_data.tsv`` it ships, read without importing the package) gives, for
every state, the ISO3 code, the short and official names and a regular expression that
recognises the name's variants ("Russian Federation", "Republic of Korea", "Viet Nam"). The
table is read here directly, once per process (coco's own converter class fails to load under
pandas 3; its data are what the project needs).

* :func:`builtin_actors` -- one ``state`` actor per UN member and observer state (195), plus
  the organizations of ``states.yml`` (the EU, the UN); see that file for what it adds
  (ids, aliases, capitals as metonyms, demonyms and adjectives);
* :func:`iso3_of` -- the ISO3 code that a country name, as a record writes it, stands for;
* :func:`known_iso3` -- every code coco knows (current and former states), to check a
  ``--countries`` list.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .resources import packaged
from .schema import StatesFile

__all__ = ["CountryRow", "builtin_actors", "country_rows", "iso3_of", "known_iso3", "slug"]


@dataclass(frozen=True)
class CountryRow:
    """One row of coco's table: what the project uses of it."""

    iso3: str
    name_short: str
    name_official: str
    regex: str
    un_member: bool
    obsolete: bool


@cache
def country_rows() -> tuple[CountryRow, ...]:
    """Return coco's country table (every row, current and former states), read once."""
    # found without importing the package (its import pulls in pandas: a second)
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise ModuleNotFoundError("country_converter is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    text = (folder / "country_data.tsv").read_text(encoding="utf-8")
    rows = []
    for r in csv.DictReader(io.StringIO(text), delimiter="\t"):
        rows.append(CountryRow(
            iso3=r["ISO3"].strip(), name_short=r["name_short"].strip(),
            name_official=r["name_official"].strip(),
            regex=r["regex"],
            un_member=bool(r["UNmember"].strip()), obsolete=bool(r["obsolete"].strip())))
    return tuple(rows)


def slug(text: str) -> str:
    """Return ``text`` as an actor id: lower case, accents dropped, runs of other
    characters as ``_``.

    >>> slug("Côte d'Ivoire"), slug("United States")
    ('cote_d_ivoire', 'united_states')
    """
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_")


@cache
def known_iso3() -> frozenset[str]:
    """Return every ISO3 code coco knows, current and former states, and the former states'
    codes of ``states.yml`` (CSK, DDR, YMD, YUG)."""
    former = packaged("states", StatesFile).former_states
    return frozenset(r.iso3 for r in country_rows()) | frozenset(former)


@cache
def iso3_of(name: str) -> str | None:
    """Return the ISO3 code of the state that the country name ``name`` stands for, or None.

    Coco's regular expressions decide (a name, an official name or a variant); a name
    matching several states, or none, is None. Current states are preferred over former
    ones ("Russian Federation" is RUS, not the Soviet Union).

    >>> iso3_of("United States of America"), iso3_of("Russian Federation")
    ('USA', 'RUS')
    >>> iso3_of("Veldora") is None
    True
    """
    text = " ".join(re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).split())  # OCR: "ofKorea"
    if not text:
        return None
    if text.upper() in known_iso3() and len(text) == 3:
        return text.upper()
    for current in (True, False):
        found = {iso3 for iso3, obsolete, regex in _regexes()
                 if obsolete != current and regex.search(text)}
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


@cache
def _regexes() -> tuple[tuple[str, bool, re.Pattern[str]], ...]:
    """coco's name patterns, compiled on first use (about 0.8 s: only readers need them)."""
    return tuple((r.iso3, r.obsolete, re.compile(r.regex, re.IGNORECASE))
                 for r in country_rows())


@cache
def builtin_actors() -> tuple[dict[str, object], ...]:
    """Return the built-in actors as plain field mappings (``analysis.speakers`` makes
    them :class:`~analysis.speakers.Actor`): the organizations of ``states.yml``, then one
    ``state`` per UN member and observer state, in ISO3 order, then the former states.

    Every state has ``iso3``, its display name (coco's short name unless ``states.yml``
    names it), and as aliases its official name, the aliases and the capitals of
    ``states.yml``; its adjectives come from ``states.yml``.
    """
    extra = packaged("states", StatesFile)
    rows = {r.iso3: r for r in country_rows() if not r.obsolete}
    out: list[dict[str, object]] = []
    for org in extra.organizations:
        out.append({"id": org.id, "name": org.name, "kind": "organization",
                    "aliases": _unique((org.name, *org.aliases)), "adjectives": org.adjectives})
    for iso3 in sorted(extra.states):
        row, more = rows[iso3], extra.states[iso3]
        name = more.name or row.name_short
        names = (name, row.name_short, row.name_official, *more.aliases, *more.capitals)
        out.append({"id": more.id or slug(row.name_short), "name": name, "kind": "state",
                    "iso3": iso3, "aliases": _unique(names), "adjectives": more.adjectives})
    for iso3 in sorted(extra.former_states):
        more = extra.former_states[iso3]
        name = more.name or iso3
        out.append({"id": more.id or slug(name), "name": name, "kind": "state", "iso3": iso3,
                    "aliases": _unique((name, *more.aliases, *more.capitals)),
                    "adjectives": more.adjectives})
    return tuple(out)


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for n in names if n))

"""Speakers of the UN records as actors: the registry's where it knows them, else made here.

A Security Council heading (``Mr. Araud (France) (spoke in French):``) or a General Debate
row of ``speakers_by_session.csv`` names a speaker and the country they speak for. The
speaker is the registry actor that the name names (``Ms. Power`` -> ``power``), provided it
does not speak for another country; otherwise a *recorded* speaker: id from the name without
its titles (``honorifics`` in ``analysis/data/records.yml``) and the country's ISO3 code
(``araud-fra``, ``barack-obama-usa``), the name as written, affiliated with the state of that
code (``france``). A speaker without a country (``The Secretary-General``, ``Mr. Feltman``)
is affiliated with the United Nations (``un``); one whose country is a body the registry
knows (``European Union``) with that body, otherwise the country as written (a group label).
:meth:`analysis.speakers.Registry.with_speakers` adds the recorded speakers to a registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..speakers import Registry
from ..states import iso3_of, slug
from .layout import record_words

__all__ = ["CHAIR", "UN", "SpeakerInfo", "country_iso3", "person_id", "presiding_country",
           "record_speaker"]

#: The actor of "The President" of a Security Council meeting whose record does not say
#: which member presides.
CHAIR = "unsc-president"
#: The body that speakers without a country speak for.
UN = "un"


@dataclass(frozen=True)
class SpeakerInfo:
    """Who speaks: actor id, name, the id (or label) they speak for, and its ISO3 code."""

    speaker: str
    name: str | None
    affiliation: str | None
    country: str | None


@cache
def _honorifics() -> frozenset[str]:
    return frozenset(record_words().honorifics)


def person_id(name: str, iso3: str | None = None) -> str:
    """Return the id of a recorded speaker: the name without its leading titles, as a slug
    with hyphens, then the ISO3 code in lower case.

    >>> person_id("Sir Mark Lyall Grant", "GBR"), person_id("The Secretary-General")
    ('mark-lyall-grant-gbr', 'the-secretary-general')
    """
    words = name.split()
    titles = _honorifics()
    while len(words) > 1 and words[0] in titles:
        words = words[1:]
    base = slug(" ".join(words)).replace("_", "-") or "speaker"
    if not base[0].isalpha():
        base = "speaker-" + base
    return f"{base}-{iso3.lower()}" if iso3 else base


def record_speaker(reg: Registry, name: str | None, country: str | None,
                   iso3: str | None = None) -> SpeakerInfo:
    """Return who speaks, from a record's speaker ``name`` and ``country`` as written (and
    the country's ``iso3`` when the record gives it): see the module docstring."""
    if iso3 is None and country:
        iso3 = country_iso3(reg, country)
    found = reg.lookup(name) if name else None
    if found is not None:
        own = reg.country_of(found)
        if iso3 is None or own is None or own == iso3:
            return SpeakerInfo(found, reg[found].name, reg.affiliation_of(found), own or iso3)
    state = reg.state_of(iso3)
    if state is not None:
        affiliation: str | None = state
    elif country:
        affiliation = reg.lookup(country) or reg.lookup_folded(country) or country
    else:
        affiliation = UN
    if not name:  # the record names no one: the state (or body) speaks
        sid = state or reg.lookup(country or "") or affiliation or UN
        return SpeakerInfo(sid, reg[sid].name if sid in reg else country, affiliation, iso3)
    sid = person_id(name, iso3)
    if sid in reg:  # an actor of the registry under another name: keep them apart
        sid += "-record"
    return SpeakerInfo(sid, name, affiliation, iso3)


def country_iso3(reg: Registry, country: str) -> str | None:
    """Return the ISO3 code of ``country`` as a record writes it: the registry's state of
    that name or alias (a user's own states first), else coco's patterns (:func:`iso3_of`)."""
    found = reg.lookup(country) or reg.lookup_folded(country)
    if found is not None and reg[found].kind == "state" and reg[found].iso3:
        return reg[found].iso3
    return iso3_of(country)


def presiding_country(body: str, reg: Registry | None = None) -> str | None:
    """Return the ISO3 code of the country a Security Council President says they speak for
    ("I shall now make a statement in my capacity as the representative of Luxembourg."),
    or None when the speech does not say so. The country is the first state of ``reg``
    (with an ISO3 code) named in that clause, else the one coco's patterns find in it."""
    low = body.lower()
    for cue in record_words().presidency_cues:
        for m in re.finditer(re.escape(cue.lower()), low):
            rest = body[m.end():m.end() + 200]
            clause = re.split(r"[.;:!?]", rest, maxsplit=1)[0]
            for mention in reg.mentions(clause, adjectives=False) if reg is not None else ():
                actor = reg[mention.actor]
                if actor.kind == "state" and actor.iso3:
                    return actor.iso3
            iso3 = iso3_of(clause)
            if iso3 is not None:
                return iso3
    return None

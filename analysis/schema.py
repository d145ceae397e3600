"""The declarative schemas of every YAML input, and the one validator.

Every YAML file the tool reads (actor registry, cues, codebook, abbreviations, participles,
parameter files, gold and coding files, front matter) is described here by a pydantic model,
one per kind of file, and checked by :func:`validate` (data already parsed) or
:func:`load_yaml_file` (a file). Both raise one :class:`~analysis.errors.AnalysisError` that
lists *every* problem, each naming the file, the entry (``entry 3 (id 'power')``, a key path)
and, for files, the YAML line; unknown keys list the valid keys, a value outside a fixed set
lists the valid choices, and any value shown is cut to a few hundred characters.

A schema is a subclass of :class:`Schema` (unknown keys are errors, instances immutable). A
check that needs the whole file (duplicate ids, an alias claimed twice) runs after validation
in the module that owns the file and reports through the same :class:`Problem` records.

Example::

    class Person(Schema):
        id: str
        kind: Literal["person", "state"]

    people = load_yaml_file("people.yml", list[Person], what="people file")
"""

from __future__ import annotations

import datetime as dt
import os
import re
import types
import typing
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .errors import AnalysisError, Problem, short
from .io import compose_yaml, read_text

T = TypeVar("T")


class Schema(BaseModel):
    """Base of every schema: unknown keys are errors; validated instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ----------------------------------------------------------------------------- validation


def validate(
    schema: Any,
    data: object,
    where: str | Path,
    *,
    node: yaml.Node | None = None,
    first_line: int = 1,
) -> Any:
    """Return ``data`` validated (and converted) as ``schema`` (a :class:`Schema` subclass or
    a type such as ``list[Actor]``).

    Raises :class:`AnalysisError` with one :class:`Problem` per fault, all at once. ``node``
    (the YAML node tree of ``data``, from :func:`analysis.io.compose_yaml`) adds line numbers;
    ``first_line`` is the file line of the YAML's first line (front matter starts at 2).
    """
    try:
        return _adapter(schema).validate_python(data)
    except ValidationError as e:
        problems = []
        unknown = _unknown_keys(schema, data, ())
        for loc, key, valid in unknown:
            problems.append(_problem(where, data, node, first_line, loc,
                                     f"unknown key {key!r}; valid keys: {valid}"))
        for err in e.errors(include_url=False):
            if err["type"] == "extra_forbidden" and unknown:
                continue  # reported above, with the valid keys
            loc = tuple(err["loc"])
            problems.append(_problem(where, data, node, first_line, loc, _message(err)))
        raise AnalysisError(_unique(problems)) from None


def load_yaml_file(path: str | Path, schema: Any, *, what: str = "file") -> Any:
    """Read the YAML file ``path`` and return its data validated as ``schema``.

    A missing or unreadable file, bad YAML and every schema fault raise one
    :class:`AnalysisError` naming the file, the line and the entry.
    """
    data, node = compose_yaml(read_text(path, what=what), path)
    return validate(schema, data, path, node=node)


def parse_yaml_text(text: str, schema: Any, where: str | Path, *, first_line: int = 1) -> Any:
    """Parse YAML ``text`` (from ``where``) and return it validated as ``schema``; faults
    name lines counted from ``first_line``."""
    data, node = compose_yaml(text, where)
    return validate(schema, data, where, node=node, first_line=first_line)


@cache
def _adapter(schema: Any) -> TypeAdapter:
    return TypeAdapter(schema)


# ------------------------------------------------------------------------ error messages


def _message(err: Mapping[str, Any]) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    loc = err["loc"]
    field = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == "missing":
        return f"missing required key {field!r}"
    if kind == "literal_error":
        return f"unknown {field} {short(value)}; valid: {ctx.get('expected')}"
    if kind == "extra_forbidden":
        return f"unknown key {field!r}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        said = f"{err['msg'][0].lower()}{err['msg'][1:]}, not {short(value)}"
        return f"{field}: {said}" if loc and isinstance(loc[-1], str) else said
    # custom errors (PydanticCustomError / ValueError in a validator) keep their own words
    msg = str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return msg


def _problem(
    where: str | Path,
    data: object,
    node: yaml.Node | None,
    first_line: int,
    loc: tuple,
    message: str,
) -> Problem:
    parts: list[str] = []
    here: object = data
    for step in loc:
        if isinstance(step, int) and isinstance(here, list) and 0 <= step < len(here):
            here = here[step]
            label = f"entry {step + 1}" if not parts else f"item {step + 1}"
            if isinstance(here, Mapping) and isinstance(here.get("id"), str):
                label += f" (id {short(here['id'], 60)})"
            parts.append(label)
        elif isinstance(here, Mapping) and step in here:
            here = here[step]
            parts.append(str(step))
        else:
            # a key pydantic adds (a union branch, a missing key): not a place in the file
            break
    last = parts[-1] if parts else ""
    if last and not last.startswith("entry") and (
        f"{last!r}" in message or message.startswith(f"{last}:") or f"unknown {last} " in message
    ):
        parts = parts[:-1]  # the message names the key already ("unknown kind 'op-ed'")
    entry = ": ".join(parts)
    line = _line(node, loc)
    if line is not None:
        line += first_line - 1
        entry = f"{entry} (line {line})" if entry else f"line {line}"
    return Problem(str(where), message, entry or None)


def _line(node: yaml.Node | None, loc: tuple) -> int | None:
    """Return the 1-based line of the value at ``loc`` in the node tree (or of the nearest
    enclosing value that exists)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for step in loc:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if getattr(k, "value", None) == step:
                    node = v if not isinstance(v, yaml.ScalarNode) else k
                    break
            else:
                return line
        else:
            return line
        line = node.start_mark.line + 1
    return line


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    return [p for p in problems if not (p in seen or seen.add(p))]


# ------------------------------------------------------------ unknown keys, with valid keys


def _unknown_keys(schema: Any, data: object, loc: tuple) -> list[tuple[tuple, str, list[str]]]:
    """Return ``(loc, key, valid keys)`` for every key of ``data`` that ``schema`` does not
    declare, walking nested models, lists and mappings."""
    out: list[tuple[tuple, str, list[str]]] = []
    origin, args = typing.get_origin(schema), typing.get_args(schema)
    if isinstance(schema, type) and issubclass(schema, BaseModel) and isinstance(data, Mapping):
        fields = schema.model_fields
        names = {f.alias or n: n for n, f in fields.items()}
        for key, value in data.items():
            if key not in names:
                out.append(((*loc, key), str(key), sorted(names)))
            else:
                out.extend(_unknown_keys(fields[names[key]].annotation, value, (*loc, key)))
    elif origin in (list, tuple, set, frozenset) and isinstance(data, list) and args:
        for i, item in enumerate(data):
            out.extend(_unknown_keys(args[0], item, (*loc, i)))
    elif origin is dict and isinstance(data, Mapping) and len(args) == 2:
        for key, value in data.items():
            out.extend(_unknown_keys(args[1], value, (*loc, key)))
    elif origin in (typing.Union, types.UnionType):
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if len(models) == 1:
            out.extend(_unknown_keys(models[0], data, loc))
    elif origin is typing.Annotated and args:
        out.extend(_unknown_keys(args[0], data, loc))
    return out


# ------------------------------------------------------------------ figure colours (figures)

#: A colour as ``#RRGGBB``.
HexColour = typing.Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]


class ColoursFile(Schema):
    """``analysis/data/colours.yml``: the speaker colour cycle and the colour of statements
    without a speaker (see the file's comments and :func:`analysis.figures.speaker_palette`).
    """

    speakers: list[HexColour] = Field(min_length=1)
    unattributed: HexColour


# ------------------------------------------------------------------ shared value types


def _scalar_text(value: object) -> object:
    """Numbers written bare in YAML (``id: 2031``, ``title: 1984``) are text; anything else
    is left for the ``str`` check (a list or mapping is an error, never its repr)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _not_empty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


# --------------------------------------------------------------- quotes: cues, abbreviations


def _one_word(value: str) -> str:
    word = value.strip().lower()
    if not word or any(c.isspace() for c in word):
        raise ValueError(f"a word, not {short(value, 60)}")
    return word


def _choice(what: str, values: tuple[str, ...]) -> Any:
    """A string that must be one of ``values``; the message names ``what`` and the choices
    (the entry stays named: ``verbs: said: unknown kind 'shouted'; valid: [...]``)."""

    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"unknown {what} {short(value, 60)}; valid: {list(values)}")
        return value

    return Annotated[str, AfterValidator(check)]


#: One word, stripped and lower-cased (cue lists match lower-cased tokens).
Word = Annotated[str, AfterValidator(_one_word)]
#: How the content of a speech verb follows it (see ``analysis/data/cues.yml``).
VERB_KINDS = ("clause", "object", "addressee")
#: What a subject pronoun refers to.
PRONOUN_KINDS = ("female", "male", "group")
WordList = list[Word]
Phrase = Annotated[list[Word], Field(min_length=1)]


class AttitudeCues(Schema):
    """The cues of one attitude kind in ``analysis/data/cues.yml`` (``attitudes:``)."""

    verbs: WordList
    nouns: WordList
    in_sources: WordList


class CuesFile(Schema):
    """``analysis/data/cues.yml``: the words quote extraction looks for (every key required;
    what each means is documented in the file)."""

    verbs: dict[Word, _choice("kind", VERB_KINDS)]  # type: ignore[valid-type]
    not_followed_by: dict[Word, WordList]
    naming_verbs: WordList
    indefinites: WordList
    named_things: WordList
    as_openers: WordList
    particles: dict[Word, Word]
    needs_after: dict[Word, WordList]
    closing_cues: WordList
    takes_infinitive: WordList
    attitudes: dict[Word, AttitudeCues]
    poll_answer_words: WordList
    not_source_openers: WordList
    sourceless_cues: WordList
    participle_openers: WordList
    speech_nouns: WordList
    possessive_pronouns: dict[Word, Word]
    noun_markers: WordList
    noun_homographs: WordList
    noun_followers: WordList
    preposed_phrases: list[Phrase]
    speaker_frames: list[Phrase]
    pronouns: dict[Word, _choice("kind", PRONOUN_KINDS)]  # type: ignore[valid-type]
    titles: dict[_choice("gender", ("female", "male")), WordList]  # type: ignore[valid-type]
    colon_labels: WordList
    organisation_words: WordList
    negators: WordList
    negator_suffixes: WordList
    passive: WordList
    progressive_auxiliaries: WordList
    infinitive_markers: WordList
    auxiliaries: WordList
    skip_before: WordList
    boundaries: WordList
    coordinators: WordList
    modals: WordList
    relative_subjects: WordList
    continuing_verbs: WordList
    time_words: WordList
    relative_pronouns: WordList
    complementizers: WordList
    addressee_words: WordList
    addressee_determiners: WordList
    after_words: WordList
    not_adverbs: WordList
    ignore_subjects: WordList
    plural_nouns: WordList
    determiners: WordList
    prepositions: WordList
    min_statement_words: Annotated[StrictInt, Field(ge=1)]


def _abbreviation(value: str) -> str:
    abbr = value.strip().lower().rstrip(".")
    if not abbr or any(c.isspace() for c in abbr):
        raise ValueError(f"an abbreviation is one word ending in a period, not {short(value, 60)}")
    return abbr


class AbbreviationsFile(Schema):
    """``analysis/data/abbreviations.yml``: abbreviations the sentence splitter knows (by
    group; stored lower-cased without the final period) and the words that, capitalised after
    one, start a new sentence."""

    abbreviations: dict[str, list[Annotated[str, AfterValidator(_abbreviation)]]]
    sentence_starters: WordList


# ------------------------------------------------------------ evaluation: gold and coding


class GoldStatement(Schema):
    """One hand-labelled statement of a gold file (``kind`` and ``speaker`` are checked
    against the statement kinds and the registry by :func:`analysis.evaluation.load_gold`)."""

    kind: str
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_name: str | None = None
    text: str | None = None
    whole_body: bool = False
    note: str | None = None


#: Gold sets, in report order (see :data:`analysis.evaluation.GOLD_SETS`); ``classes`` are the
#: fictional articles that each reproduce one failure class of real news.
GOLD_SETS = ("seed", "dev", "heldout", "heldout2", "classes")


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


NonBlank = Annotated[str, AfterValidator(_not_blank)]


class GoldFile(Schema):
    """A gold file: the statements of one document, in order (see
    ``tests/data/gold/deir-ezzor-2016-09-17.yml``)."""

    set: Literal[GOLD_SETS] = "dev"  # type: ignore[valid-type]
    document: NonBlank
    registry: str | None = None
    statements: list[GoldStatement]


class CodedStatement(Schema):
    """One hand-coded statement (``categories`` are checked against the codebook by
    :func:`analysis.evaluation.load_coding`)."""

    text: NonBlank
    speaker: str | None = None
    kind: str | None = None
    categories: list[str] | None = None
    note: str | None = None


class CodingFile(Schema):
    """A hand-coding file (see ``tests/data/seed_coding.yml``)."""

    doc: str | None = None
    coder: str | None = None
    rules: str | None = None
    statements: list[CodedStatement]


class AttributionEvalFile(Schema):
    """``analysis/data/attribution_eval.yml``: the word lists that define the subsets of an
    attribution evaluation (see the file)."""

    speech_cues: WordList
    source_function_words: WordList


class CueModelFile(Schema):
    """``analysis/data/cue_model.yml``: the learned cue model (:mod:`analysis.quotes.learned`),
    written by ``python -m analysis train-cues``: what it was trained on, its settings, and a
    weight per feature; then the source chooser's intercept and weights, with the
    cross-validated share of right sources of the rules and of the chooser."""

    about: str
    trained_on: str
    c: float = Field(gt=0)
    threshold: float = Field(gt=0, lt=1)
    cv_f1: dict[float, float] = {}
    intercept: float
    weights: dict[str, float]
    source_cv_accuracy: dict[str, float] = {}
    source_intercept: float = 0.0
    source_weights: dict[str, float] = {}


#: A text value: a string (stripped) or a bare number; never a list or a mapping.
Text = Annotated[str, BeforeValidator(_scalar_text)]
#: A text value that must not be empty.
NonEmptyText = Annotated[str, BeforeValidator(_scalar_text), AfterValidator(_not_empty)]


def choice(label: str, values: tuple[str, ...], *, hint: str = "") -> Any:
    """Return a string type limited to ``values``; a value outside them is reported as
    ``unknown <label> 'x'; valid <label>s: [...]`` (plus ``hint``)."""

    def check(value: object) -> str:
        if isinstance(value, str) and value in values:
            return value
        raise ValueError(f"unknown {label} {short(value)}; valid {label}s: {list(values)}{hint}")

    return Annotated[str, PlainValidator(check)]


# -------------------------------------------------- front matter (analysis.documents)

#: What a document is: a news ``report`` quoting people, or a ``statement`` in the speaker's
#: own words (UN records, statement documents, table rows).
DOCUMENT_KINDS = ("report", "statement")


def _iso_date(value: object) -> object:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"bad date {short(value)}; write it as ISO 8601, e.g. 2016-09-17")


#: A calendar date written as ISO 8601 (``2016-09-17``).
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class FrontMatter(Schema):
    """The YAML front matter of a document (``analysis.documents.frontmatter``).

    ``id``, ``date`` and ``kind`` are required; ``speaker`` is a registry id (required for a
    statement: checked by the reader, which also checks it against the registry).
    """

    id: NonEmptyText
    title: Text | None = None
    date: IsoDate
    outlet: Text | None = None
    url: Text | None = None
    kind: choice("kind", DOCUMENT_KINDS)  # type: ignore[valid-type]
    speaker: str | None = None
    language: NonEmptyText = "en"


# -------------------------------------------------- UN record readers' word lists


class RecordWordsFile(Schema):
    """``analysis/data/records.yml``: the words the UN record readers need."""

    suspended_hyphen: tuple[NonEmptyText, ...]
    name_particles: tuple[NonEmptyText, ...]
    honorifics: tuple[NonEmptyText, ...]
    presidency_cues: tuple[NonEmptyText, ...]


# ------------------------------------------------------------- ISO 3166 codes

_ISO3 = re.compile(r"[A-Z]{3}\Z")


def _iso3(value: object) -> object:
    if isinstance(value, str) and not _ISO3.match(value):
        raise ValueError(f"iso3 {short(value)} must be three capital letters (ISO 3166 "
                         "alpha-3, e.g. UKR)")
    return value


#: An ISO 3166 alpha-3 code (``USA``, ``UKR``).
Iso3 = Annotated[str, AfterValidator(_iso3)]


# ------------------------------------------------------------ actor registry (speakers)

#: The kinds of actor.
ACTOR_KINDS = ("person", "organization", "state")
#: Genders that let "he"/"she" find an actor.
GENDERS = ("female", "male")
_ACTOR_ID = re.compile(r"[a-z][a-z0-9_-]*\Z")


def _actor_id(value: object) -> object:
    if isinstance(value, str) and not _ACTOR_ID.match(value):
        raise ValueError(f"id {short(value)} must be lower case letters, digits, - and _, "
                         "starting with a letter (e.g. united_states, reyes-abara)")
    return value


def _names(value: object) -> object:
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(
            isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"must be a list of non-empty strings, not {short(value)}")
    return tuple(v.strip() for v in value)


#: An actor id: a lower-case slug (letters, digits, ``-`` and ``_``).
ActorId = Annotated[str, AfterValidator(_actor_id)]
#: A list of names (aliases, adjectives): non-empty strings.
NameList = Annotated[tuple[str, ...], BeforeValidator(_names)]


class ActorEntry(Schema):
    """One entry of an actor registry (``analysis.speakers``; fields in its docstring).

    Checks that need the whole file (duplicate ids, an alias claimed twice, affiliations
    naming another actor) are made by :func:`analysis.speakers.parse_registry`.
    """

    id: ActorId
    name: NonEmptyText
    kind: choice("kind", ACTOR_KINDS)  # type: ignore[valid-type]
    gender: choice("gender", GENDERS, hint=" or leave it out") | None = None  # type: ignore[valid-type]
    affiliation: NonEmptyText | None = None
    role: Text | None = None
    aliases: NameList = ()
    adjectives: NameList = ()
    iso3: Iso3 | None = None

    @model_validator(mode="before")
    @classmethod
    def _a_mapping(cls, data: object) -> object:
        if not isinstance(data, Mapping):
            raise ValueError("an actor is a mapping with id, name, kind, aliases ...")
        return data


# ------------------------------------------------------ report parameters (params/*.yml)


def _path_text(value: object) -> object:
    """A path parameter: text or a path object (returned as text); anything else is refused
    here, in words, rather than as a ``TypeError`` from :class:`pathlib.Path` later."""
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, str):
        raise ValueError(f"must be a path (text), not {short(value)}")
    if not value.strip():
        raise ValueError("must be a path, not an empty string")
    return value


def listed(value: object) -> object:
    """A list parameter: a list, or (as ``papermill -p`` passes it) text: ``'["a", "b"]'``
    (YAML/JSON) or ``a,b``; None is the empty list. Returns the list (other values are left
    for the list type to refuse)."""
    if value is None:
        return []
    if isinstance(value, os.PathLike):
        return [value]
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            loaded = yaml.safe_load(text)
            return list(loaded) if isinstance(loaded, list) else [loaded]
        return [part.strip() for part in text.split(",") if part.strip()]
    if isinstance(value, tuple):
        return list(value)
    if not isinstance(value, list):
        raise ValueError(f"must be a list, not {short(value)}")
    return value


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"must be a non-negative integer, not {short(value)}")
    return value


PathText = Annotated[str, BeforeValidator(_path_text)]
PathList = Annotated[list[PathText], BeforeValidator(listed)]
TextList = Annotated[list[str], BeforeValidator(listed)]
Count = Annotated[int, BeforeValidator(_count)]


def _optional_count(value: object) -> object:
    return None if value is None else _count(value)


def _optional_path(value: object) -> object:
    return None if value is None or value == "" else _path_text(value)


class ReportParams(Schema):
    """The parameters of the report's notebooks, as a parameters file (``params/*.yml``)
    gives them or papermill injects them; every key optional (the notebooks' defaults,
    :data:`analysis.report.DEFAULTS`, fill the rest). Types only: whether the paths exist,
    the speaker ids are in the registry and the output folders are allowed is checked by
    :func:`analysis.report.check_parameters`. Paths are text, relative to the project root.

    ``notebooks`` is the runner's: which notebooks of ``notebooks/`` run. The fields after it
    are the studies' own (each notebook declares its parameters in its cell tagged
    ``parameters``; a key no chosen notebook declares is an error): ``05_validation`` and
    ``06_general_debate`` check their values with :mod:`analysis.studies`.
    """

    corpus_paths: PathList = None  # type: ignore[assignment] - None: not given
    speakers_file: PathText = None  # type: ignore[assignment]
    codebook_file: Annotated[str | None, BeforeValidator(_optional_path)] = None
    speakers_to_compare: TextList = None  # type: ignore[assignment]
    output_dir: PathText = None  # type: ignore[assignment]
    figure_dir: PathText = None  # type: ignore[assignment]
    figure_formats: TextList = None  # type: ignore[assignment]
    bootstrap_seed: Count = None  # type: ignore[assignment]
    n_boot: Count = None  # type: ignore[assignment]
    unit: Literal["statement", "sentence", "auto"] | None = None
    compare_by: Literal["speaker", "country", "affiliation", "group"] | None = None
    groups: dict[str, TextList] | None = None
    years: str | int | None = None
    countries: TextList = None  # type: ignore[assignment]
    kinds: TextList = None  # type: ignore[assignment]
    # Which notebooks run (analysis.runner.read_report_params): names of notebooks/ such as
    # 05_validation; not given or empty, the default report (every notebook but the studies).
    notebooks: TextList = None  # type: ignore[assignment]
    # 05_validation (analysis.studies.check_validation_parameters):
    corpora_dir: PathText = None  # type: ignore[assignment] - holds unscon-dev/, unsc-umuc/
    coded_csv: Annotated[str | None, BeforeValidator(_optional_path)] = None  # a user's CSV
    registry_file: Annotated[str | None, BeforeValidator(_optional_path)] = None  # None: built-in
    n_samples: Count = None  # type: ignore[assignment] - misses and false alarms shown
    # 06_general_debate (analysis.studies.check_general_debate_parameters):
    archive: PathText = None  # type: ignore[assignment] - the General Debate .tar.gz
    dataset_dir: PathText = None  # type: ignore[assignment] - the run's Parquet dataset
    countries_to_compare: TextList = None  # type: ignore[assignment] - ISO3 codes
    period: Literal["year", "decade"] | None = None
    n_top: Count = None  # type: ignore[assignment] - target countries per member and period
    workers: Annotated[int | None, BeforeValidator(_optional_count)] = None  # None: every core


def field_schema(model: type[BaseModel], name: str) -> Any:
    """Return the type of ``model``'s field ``name`` with its validators (for
    :func:`validate` on one value, e.g. one report parameter)."""
    info = model.model_fields[name]
    return Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


# ------------------------------------------------- built-in states (analysis.states)


class StateExtra(Schema):
    """What ``analysis/data/states.yml`` adds to coco's names for one state."""

    id: ActorId | None = None
    name: NonEmptyText | None = None
    aliases: NameList = ()
    capitals: NameList = ()
    adjectives: NameList = ()


class BuiltinOrganization(Schema):
    """An organization built into the registry (the EU, the UN)."""

    id: ActorId
    name: NonEmptyText
    aliases: NameList = ()
    adjectives: NameList = ()


class StatesFile(Schema):
    """``analysis/data/states.yml``: per ISO3 code, what coco lacks; and the organizations."""

    organizations: tuple[BuiltinOrganization, ...] = ()
    states: dict[Iso3, StateExtra]
    former_states: dict[Iso3, StateExtra] = {}


# ------------------------------------------------------------ stance cues (measures.stance)


def _cue(value: str) -> str:
    cue = " ".join(value.strip().lower().split())
    if not cue or cue == "*":
        raise ValueError(f"a word or phrase, not {short(value, 60)}")
    return cue


def _iso3_or_nearby(value: object) -> object:
    if value in ("", None):
        return ""
    return _iso3(value)


#: A cue: a lower-cased word or phrase; a trailing ``*`` matches any word ending.
Cue = Annotated[str, AfterValidator(_cue)]
CueList = Annotated[list[Cue], Field(min_length=1)]


class NegativeCues(Schema):
    """The negative-evaluation cues of ``analysis/data/stance.yml`` by word class."""

    verbs: CueList
    nouns: CueList
    adjectives: CueList
    demands: CueList
    harms: Annotated[list[Cue], Field(default_factory=list)]
    #: the speaker's own rejection ("we condemn", "opposed to"): like a harm, it counts only
    #: when the sentence names a state or a proxy
    stances: Annotated[list[Cue], Field(default_factory=list)]


class Proxy(Schema):
    """A phrase standing for a state: ``iso3`` names it, ``""`` means the state named nearby."""

    phrase: Cue
    iso3: Annotated[str, BeforeValidator(_iso3_or_nearby)] = ""


class StanceFile(Schema):
    """``analysis/data/stance.yml``: the cues of the stance measure (documented in the file)."""

    negative: NegativeCues
    challenge: CueList
    correction: CueList
    proxies: Annotated[list[Proxy], Field(min_length=1)]
    #: single words that, shortly before a negative cue, make it the thing to be prevented,
    #: fought or avoided ("prevent a further escalation"), not something a party did
    defusers: Annotated[list[Cue], Field(default_factory=list)]
    #: how many words before the cue a defuser may stand (within the clause)
    defuse_window: Annotated[int, Field(ge=1, le=8)] = 3
    #: words before a state's name that make it a place or the one acted on ("in Ukraine",
    #: "against Ukraine"): a place is not the party criticised
    places: Annotated[list[Cue], Field(default_factory=list)]
    #: what a state has that is harmed ("the sovereignty of Ukraine", "Ukraine's people"):
    #: its owner is not the party criticised
    owned: Annotated[list[Cue], Field(default_factory=list)]
    #: the words that may stand between a place word and the name ("in eastern Ukraine")
    place_between: Annotated[list[Cue], Field(default_factory=list)]
    #: the words after a name that make it part of a document's name ("Budapest Memorandum")
    documents: Annotated[list[Cue], Field(default_factory=list)]
    #: courtesy and procedure (thanks, welcome, a vote in favour): such a sentence is not a
    #: negative evaluation whatever else it says
    courtesy: Annotated[list[Cue], Field(default_factory=list)]
    #: the contrasts that, with a challenge or right after one, make a correction
    contrasts: Annotated[list[Cue], Field(default_factory=list)]
    #: reported speech ("says", "stated"): with a correction cue in the same sentence, the
    #: claim reported is rectified
    reported: Annotated[list[Cue], Field(default_factory=list)]


# ------------------------------------------- measures: framing codebook, participle rules


def line_at(node: yaml.Node | None, loc: tuple) -> int | None:
    """Return the 1-based YAML line of the value at ``loc`` (keys and list indexes) in the
    node tree ``node`` (or of the nearest enclosing value), None without a node tree; for the
    checks that a file's owner runs after validation."""
    return _line(node, loc)


def _none_is_empty(value: object) -> object:
    """``key:`` with no value (YAML null) stands for the empty list."""
    return [] if value is None else value


def _category_id(value: object) -> object:
    if isinstance(value, str) and not re.fullmatch(r"[a-z][a-z0-9_]*", value):
        raise ValueError("must be lower case letters, digits and _, starting with a letter "
                         f"(it becomes a column name), not {short(value)}")
    return value


def _window(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise ValueError(f"must be a whole number from 0 to 10, not {short(value)}")
    return value


def _terms(value: object) -> object:
    if value is None or value == []:
        raise ValueError("empty category: 'terms' must list at least one cue")
    return value


def _none_is_mapping(value: object) -> object:
    """``key:`` with no value (YAML null) stands for the defaults."""
    return {} if value is None else value


def _categories(value: object) -> object:
    if value is None or value == []:
        raise ValueError("categories must be a non-empty list")
    return value


#: A list of non-empty texts; ``key:`` with no value is the empty list.
FilledTextList = Annotated[list[NonEmptyText], BeforeValidator(_none_is_empty)]


class CodebookNegation(Schema):
    """``negation:`` of a codebook: the look-back ``window`` (word tokens) and the words."""

    window: Annotated[int, BeforeValidator(_window)] = 3
    words: FilledTextList = []


class CodebookCategory(Schema):
    """One category of a codebook (see the header of ``analysis/data/codebook.yml``). The
    cue terms' own form (wildcards, one token per word, lower case), duplicate ids and
    overlaps between categories are checked by :mod:`analysis.measures.codebook`."""

    id: Annotated[str, AfterValidator(_category_id)]
    name: NonEmptyText
    group: Literal["metadiscourse", "news_frame", "speech_act"]
    definition: NonEmptyText
    literature: NonEmptyText
    terms: Annotated[list[str], BeforeValidator(_terms)]


class CodebookFile(Schema):
    """A framing codebook file (``analysis/data/codebook.yml`` or a user's own)."""

    negation: Annotated[CodebookNegation, BeforeValidator(_none_is_mapping)] = CodebookNegation()
    exact_case: FilledTextList = []
    categories: Annotated[list[CodebookCategory], BeforeValidator(_categories)]


class ParticiplesFile(Schema):
    """The word lists of the passive-voice detector (``analysis/data/participles.yml``; the
    rule is described in its header)."""

    be: WordList
    get: WordList
    between: WordList
    max_between: Annotated[int, Field(ge=0, le=10)]
    negators: WordList
    irregular: WordList
    not_participles: WordList
    adjectival: WordList
    clause_breaks: WordList
    coordinators: WordList
    agent_stops: WordList
    by_not_agent: WordList

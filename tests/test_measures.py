"""The measures package: one function per measure, both implementations, shared tokens, and
import hygiene (no cycles, no private names of other modules)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis.errors import AnalysisError
from analysis.measures import EXACT, EXACT_MODES, exact_mode
from analysis.measures.codebook import load_codebook
from analysis.measures.framing import cue_hits, find_terms
from analysis.measures.passives import find_passives, passives
from analysis.measures.sentiment import sentiment
from analysis.measures.targets import own_side, targets
from analysis.measures.tokens import Span
from analysis.speakers import load_registry

ANALYSIS = Path(__file__).resolve().parent.parent / "analysis"
ARTICLES = Path(__file__).resolve().parent / "data" / "articles"

# fictional: Ostravia and Ruritania are not real countries
TEXT = ("Preamble. The Ostravian envoy was not informed by Ruritanian officials, and we "
        "strongly condemn this cynical stunt.")


def test_exact_modes() -> None:
    assert EXACT == "fast" and EXACT_MODES == ("fast", "library")
    assert exact_mode(None) == "fast"
    with pytest.raises(AnalysisError, match="unknown implementation 'quick'; valid: "
                                            r"\['fast', 'library'\]"):
        exact_mode("quick")


def test_a_span_is_tokenized_once_for_every_measure() -> None:
    span = Span(TEXT, 10)
    assert span.piece == TEXT[10:]
    assert span.strings[:4] == ["The", "Ostravian", "envoy", "was"]
    assert span.starts[:2] == [10, 14]
    assert [t.text for t in span.tokens] == span.strings
    assert [t.start for t in span.tokens] == span.starts
    assert span.n_words("fast") == span.n_words("library") == 16
    assert span.norms[0] == "the" and span.lexes[0].word and not span.lexes[9].word
    strings = span.strings
    cue_hits(span, load_codebook())
    passives(span)
    assert span.strings is strings  # the same list: no second tokenization


@pytest.mark.parametrize("exact", EXACT_MODES)
def test_each_measure_through_its_function(exact: str) -> None:
    span = Span(TEXT, 10)
    cb = load_codebook()
    hits = [(h.category, h.match, h.negated) for h in cue_hits(span, cb, exact=exact)]
    assert ("accusation", "condemn", False) in hits and ("morality", "cynical", False) in hits
    assert ("self_mentions", "we", False) in hits
    (p,) = passives(span, exact=exact)
    assert (p.match, p.agent, p.negated) == ("was not informed", "Ruritanian officials", True)
    assert TEXT[p.agent_start:p.agent_end] == "Ruritanian officials"
    s = sentiment(span, exact=exact)
    assert s == sentiment(TEXT[10:], exact="library")
    assert s["vader_compound"] < 0


def test_convenience_functions_take_text_and_offsets() -> None:
    assert find_terms(TEXT, 10, exact="library") == find_terms(TEXT, 10)
    assert find_passives(TEXT, 10) == find_passives(TEXT, 10, exact="library")
    assert find_passives(TEXT, 0, 9) == []


def test_targets_mark_the_speakers_own_side() -> None:
    reg = load_registry(ARTICLES / "speakers.yml")
    ids = [a.id for a in reg]
    state = next(a for a in reg if a.kind == "state")
    person = next(a for a in reg if a.kind == "person" and a.affiliation == state.id)
    text = f"{state.name} and {person.name} disagree."
    found = targets(Span(text), reg, speaker=person.id)
    assert [t.actor for t in found] == [state.id, person.id]
    assert all(t.self_reference for t in found)
    assert own_side(reg, person.id) == {person.id, state.id}
    assert own_side(reg, None) == frozenset()
    assert not any(t.self_reference for t in targets(Span(text), reg, speaker=None))
    assert set(ids) >= {t.actor for t in found}


# ---- import hygiene --------------------------------------------------------------------------

MINE = ("measures", "scoring", "sentiment", "framing")


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """Return ``(module, names)`` for every ``from . import`` in ``path`` (module level and
    inside functions), the module resolved to ``analysis.x.y``."""
    pkg = ".".join(path.relative_to(ANALYSIS.parent).with_suffix("").parts[:-1])
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = pkg.split(".")[: len(pkg.split(".")) - node.level + 1]
            mod = ".".join([*base, node.module] if node.module else base)
            out.append((mod, [a.name for a in node.names]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis"):
            out.append((node.module, [a.name for a in node.names]))
    return out


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ANALYSIS.rglob("*.py")):
        name = ".".join(path.relative_to(ANALYSIS.parent).with_suffix("").parts)
        out[name.removesuffix(".__init__")] = path
    return out


def test_the_measures_import_no_private_names_and_form_no_cycle() -> None:
    mods = _modules()
    mine = {m for m in mods if m.removeprefix("analysis.").split(".")[0] in MINE}
    graph: dict[str, set[str]] = {}
    for m in mine:
        graph[m] = set()
        for target, names in _imports(mods[m]):
            if target in mods:
                graph[m].add(target)
            private = [n for n in names if n.startswith("_") and f"{target}.{n}" not in mods]
            assert not private, f"{m} imports private {private} from {target}"

    def reach(start: str) -> set[str]:
        seen, stack = set(), [start]
        while stack:
            for nxt in graph.get(stack.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        return seen

    for m in mine:
        assert m not in reach(m), f"import cycle through {m}"
    # nothing in the measures reaches up to scoring, the pipeline or the report
    for m in (m for m in mine if m.startswith("analysis.measures")):
        assert not reach(m) & {"analysis.scoring", "analysis.pipeline", "analysis.report"}

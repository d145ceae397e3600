"""Figures: one palette per speaker, deterministic bytes, and the committed figures current.

``test_committed_figures_are_current`` redraws every figure of the default report and
compares the bytes with ``figures/``: a change in the corpus, lexicons, codebook or plotting
code that changes a figure fails here until the figures are refreshed on purpose
(``make refresh-notebooks``, see the README).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from analysis import figures as fg
from analysis import report
from analysis.errors import AnalysisError
from analysis.quotes import KINDS
from analysis.speakers import load_registry


@pytest.fixture(scope="module")
def analysis() -> report.Analysis:
    return report.load_analysis(report.check_parameters())


def test_fixed_colours_do_not_depend_on_who_else_is_drawn(root: Path) -> None:
    # colours follow the registry's order (corpus/speakers.yml lists power, churkin and
    # centcom first), not ids written in the code
    registry = load_registry(root / "corpus" / "speakers.yml")
    one = fg.speaker_palette(["power", "churkin", "centcom"], registry=registry)
    assert one == {"power": "#0072B2", "churkin": "#D55E00", "centcom": "#009E73"}
    other = fg.speaker_palette(["syria", "centcom", "russia", None], registry=registry)
    assert other["centcom"] == "#009E73"
    assert other[None] == fg.UNATTRIBUTED
    assert (fg.speaker_palette(["russia"], registry=registry)["russia"] == other["russia"]
            != other["syria"])
    # an id outside the registry still gets a fixed colour
    alone = fg.speaker_palette(["zz_unknown"], registry=registry)["zz_unknown"]
    assert fg.speaker_palette(["power", "zz_unknown"], registry=registry)["zz_unknown"] == alone
    assert alone in fg.SPEAKER_COLOURS


def test_unknown_figure_format_names_the_parameter_and_choices(tmp_path: Path) -> None:
    fig = Figure()
    with pytest.raises(AnalysisError) as e:
        fg.save_figure(fig, tmp_path / "x", formats=("png", "jpeg"))
    (problem,) = e.value.problems
    assert problem.where == "formats"
    assert "'jpeg'" in problem.message and "['png', 'svg', 'pdf']" in problem.message
    assert list(tmp_path.iterdir()) == []


def test_saving_twice_gives_identical_bytes_whatever_the_user_style(
        analysis: report.Analysis, tmp_path: Path) -> None:
    first = fg.save_figure(report.figure(analysis, "comparison", save=False), tmp_path / "a",
                           formats=("png", "svg", "pdf"))
    with matplotlib.rc_context({"font.family": "serif", "svg.hashsalt": None,
                                "savefig.dpi": 300, "axes.spines.top": True}):
        second = fg.save_figure(report.figure(analysis, "comparison", save=False),
                                tmp_path / "b", formats=("png", "svg", "pdf"))
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    svg = first[1].read_text(encoding="utf-8")
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg
    assert b"Software" not in first[0].read_bytes()


def test_committed_figures_are_current(analysis: report.Analysis, root: Path,
                                       tmp_path: Path) -> None:
    written = report.build_figures(analysis, tmp_path)
    assert sorted(p.name for p in written) == sorted(
        f"{name}.{ext}" for name in report.FIGURES for ext in ("png", "svg"))
    stale = [p.name for p in written
             if not (root / "figures" / p.name).is_file()
             or (root / "figures" / p.name).read_bytes() != p.read_bytes()]
    assert stale == [], ("figures differ from the committed ones; if the change is intended, "
                         "run `make refresh-notebooks` and commit figures/ and notebooks/")


def test_a_saved_figure_is_shown_from_its_png_until_it_changes(analysis: report.Analysis,
                                                               tmp_path: Path) -> None:
    import base64
    from dataclasses import replace

    from IPython.core.formatters import DisplayFormatter

    shown = DisplayFormatter()
    report.show_saved_png(shown)
    a = replace(analysis, params=replace(analysis.params, figure_dir=tmp_path))
    fig = report.figure(a, "agency")
    data, meta = shown.format(fig)
    assert base64.b64decode(data["image/png"]) == (tmp_path / "agency.png").read_bytes()
    assert meta["image/png"] == {"width": 700, "height": 320}  # 7 x 3.2 in at 100 dpi
    assert data["text/plain"] == "<Figure size 700x320 with 1 Axes>"
    fig.axes[0].set_title("changed after saving")
    data, _ = shown.format(fig)
    assert "image/png" not in data  # no inline backend here: nothing stale is shown
    unsaved = report.figure(a, "agency", save=False)
    assert "image/png" not in shown.format(unsaved)[0]
    report.show_saved_png(shown)  # again, as in a kernel kept for the next notebook
    again = shown.formatters["image/png"].lookup_by_type(Figure)
    assert again._shows_saved_png_before is None  # replaced, not wrapped around itself


def test_every_figure_says_what_it_measures(analysis: report.Analysis) -> None:
    for name in report.FIGURES:
        fig = report.figure(analysis, name, save=False)
        assert isinstance(fig, Figure), name
        titles = [ax.get_title() for ax in fig.axes] + [fig.get_suptitle()]
        assert any(titles), name
        labelled = [ax for ax in fig.axes if ax.get_xlabel() or ax.get_ylabel()]
        assert labelled, name


def test_heatmap_cells_are_rates_per_100_tokens_with_counts() -> None:
    scores = pd.DataFrame({
        "statement_id": ["d#001", "d#002", "d#003"], "speaker": ["power", "power", "centcom"],
        "speaker_name": ["Samantha Power", "Samantha Power", "US Central Command"],
        "n_tokens": [30, 10, 50], "blame": [2, 0, 0], "blame_per100": [6.7, 0.0, 0.0],
        "hedge": [0, 1, 1], "hedge_per100": [0.0, 10.0, 2.0],
    })
    fig = fg.framing_heatmap(scores, labels={"blame": "Blame"})
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    # power: blame 2 hits in 40 tokens = 5.0, hedge 1/40 = 2.5; centcom: hedge 1/50 = 2.0
    assert texts == ["2.0\n(1)", "2.5\n(1)", "5.0\n(2)", "–"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["Blame", "hedge"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Samantha Power",
                                                                      "US Central Command"]


def test_target_matrix_outlines_self_references(root: Path) -> None:
    targets = pd.DataFrame({
        "doc_id": "d", "statement_id": ["d#001", "d#001", "d#002"],
        "speaker": ["power", "power", "churkin"], "target": ["united_states", "russia", "russia"],
        "mention": ["Washington", "Russia", "Moscow"], "start": 0, "end": 1,
        "self_reference": [True, False, True],
        "sentence_vader_compound": [-0.5, -0.5, 0.25], "sentence_textblob_polarity": 0.0,
    })
    fig = fg.target_matrix(targets, registry=load_registry(root / "corpus" / "speakers.yml"))
    ax = fig.axes[0]
    outlined = [p for p in ax.patches if not p.get_fill()]
    assert len(outlined) == 2
    assert sorted(t.get_text() for t in ax.texts) == ["+0.25\nn=1", "-0.50\nn=1", "-0.50\nn=1"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Russia", "United States"]


def test_heatmap_shows_the_rates_of_the_aggregates(analysis: report.Analysis) -> None:
    """One definition of a speaker's rate: the heatmap's cells are aggregates.csv's means."""
    ax = report.figure(analysis, "framing_heatmap", save=False).axes[0]
    cats = fg.categories_of(analysis.scores)
    agg = analysis.aggregates.set_index(["group", "measure"])["mean"]
    hits = analysis.scores.groupby("speaker")[cats].sum()
    expected = ["–" if hits.at[s, c] == 0 else f"{agg[(s, f'{c}_per100')]:.1f}\n({hits.at[s, c]})"
                for s in analysis.compared for c in cats]
    assert [t.get_text() for t in ax.texts] == expected  # row by row, as drawn
    # pooled: Power's 11 humanitarian hits in the 115 tokens of her 6 statements
    assert agg[("power", "humanitarian_per100")] == pytest.approx(100 * 11 / 115)
    assert "9.6\n(11)" in expected
    power = analysis.aggregates[analysis.aggregates["group"] == "power"].iloc[0]
    assert (power["n_statements"], power["n_tokens"]) == (6, 115)


def test_palette_without_a_registry_follows_sorted_ids() -> None:
    assert fg.speaker_palette(["power", "centcom", None]) == {
        "power": fg.SPEAKER_COLOURS[1], "centcom": fg.SPEAKER_COLOURS[0], None: fg.UNATTRIBUTED}
    pinned = fg.speaker_palette(["power", "centcom"], colours={"power": "#000000"})
    assert pinned == {"power": "#000000", "centcom": fg.SPEAKER_COLOURS[0]}


def test_no_speaker_is_named_in_the_drawing_code(root: Path) -> None:
    source = (root / "analysis" / "figures.py").read_text(encoding="utf-8")
    source += (root / "analysis" / "aggregation.py").read_text(encoding="utf-8")
    named = [a for a in load_registry(root / "corpus" / "speakers.yml").ids
             if f'"{a}"' in source or f"'{a}'" in source]
    assert named == []


def test_kind_styles_are_the_statement_kinds() -> None:
    assert list(fg.KIND_STYLE) == list(KINDS)
    with pytest.raises(AnalysisError) as e:
        fg.check_kind_styles({"direct": fg.KindStyle(1.0, None), "quoted": fg.KindStyle(1, None)})
    (problem,) = e.value.problems
    assert "missing ['mixed', 'indirect', 'statement'], unknown ['quoted']" in problem.message


def test_docstring_examples() -> None:
    import doctest

    assert doctest.testmod(fg).failed == 0


def test_many_statements_are_drawn_as_a_strip_without_jitter() -> None:
    n = fg.SWARM_MAX + 1
    scores = pd.DataFrame({"statement_id": [f"d#{i:03d}" for i in range(n)], "speaker": "ruven",
                           "n_tokens": 10, "vader_compound": [i / n for i in range(n)],
                           "textblob_polarity": 0.0})
    ax = fg.sentiment_by_speaker(scores).axes[0]
    (dots,) = [c for c in ax.collections if len(c.get_offsets()) == n]
    assert set(dots.get_offsets()[:, 1].tolist()) == {0.0}  # on the row, no random offsets


# ----------------------------------------------------------------- who criticises whom


def _criticism_table() -> pd.DataFrame:
    """A tidy who-criticises-whom table of two fictional speakers and states."""
    return pd.DataFrame({
        "source": ["ruven"] * 3 + ["osk"] * 3,
        "source_name": ["Ruven Ist"] * 3 + ["Osk Ahl"] * 3,
        "source_country": ["OST"] * 3 + ["MRV"] * 3,
        "target": ["MRV", "OST", "QAR"] * 2,
        "target_name": ["Marvonia", "Osterlich", "Qarland"] * 2,
        "n_sentences_source": [8] * 3 + [1] * 3,
        "n_negative": [3, 0, 1, 0, 1, 0],
        "share": [3 / 8, 0.0, 1 / 8, 0.0, 1.0, 0.0],
    })


def test_criticism_cells_say_n_and_share_and_hatch_the_own_state() -> None:
    fig = fg.criticism(_criticism_table(), sources=["osk", "ruven"])
    ax = fig.axes[0]
    # rows as given, columns the criticised targets (QAR by osk: none, but by ruven)
    assert [t.get_text() for t in ax.texts] == ["–", "1 (100.0%)", "0",
                                                "3 (37.5%)", "–", "1 (12.5%)"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Marvonia", "Osterlich", "Qarland"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Osk Ahl\n1 sentence",
                                                            "Ruven Ist\n8 sentences"]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 2  # osk's Marvonia, ruven's Osterlich
    assert "Who criticises whom" in ax.get_title()
    assert "negatively evaluate" in fig.get_supxlabel()
    assert "per sentence" in fig.get_supxlabel()


def test_criticism_without_any_negative_evaluation_says_so() -> None:
    calm = _criticism_table().assign(n_negative=0, share=0.0)
    ax = fg.criticism(calm).axes[0]
    assert [t.get_text() for t in ax.texts] == ["no sentence negatively evaluates anyone"]
    assert "Who criticises whom" in ax.get_title()
    from analysis.aggregation import CRITICISM_COLUMNS

    empty = pd.DataFrame(columns=list(CRITICISM_COLUMNS))
    assert fg.criticism(empty).axes[0].texts[0].get_text().startswith("no sentences")


def test_criticism_of_the_seed_in_registry_order(analysis: report.Analysis,
                                                 tmp_path: Path) -> None:
    fig = report.figure(analysis, "criticism", save=False)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "United States", "Russia", "Syria's government"]  # corpus/speakers.yml's order
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "Samantha Power\n7 sentences", "Vitaly Churkin\n1 sentence",
        "US Central Command\n2 sentences"]
    assert [t.get_text() for t in ax.texts] == ["–", "2 (28.6%)", "2 (28.6%)",
                                                "1 (100.0%)", "–", "0",
                                                "–", "0", "0"]
    first = fg.save_figure(fig, tmp_path / "a")
    again = fg.save_figure(report.figure(analysis, "criticism", save=False), tmp_path / "b")
    for x, y in zip(first, again, strict=True):
        assert x.read_bytes() == y.read_bytes(), x.name


def test_titles_name_the_unit_the_dots_are_of(analysis: report.Analysis) -> None:
    from dataclasses import replace

    per_unit = ("sentiment_by_speaker", "sentiment_disagreement", "polarity_subjectivity",
                "comparison")

    def titles(a: report.Analysis, name: str) -> str:
        fig = report.figure(a, name, save=False)
        legends = [ax.get_legend().get_title().get_text() for ax in fig.axes
                   if ax.get_legend() is not None]
        return " | ".join([fig.get_suptitle(), *(ax.get_title() for ax in fig.axes), *legends])

    assert analysis.unit == "statement"
    for name in per_unit:
        assert "per statement" in titles(analysis, name), name
    sentences = report.load_analysis(report.check_parameters(unit="sentence"))
    assert replace(sentences, params=analysis.params).unit == "sentence"
    for name in per_unit:
        said = titles(sentences, name)
        assert "per sentence" in said and "per statement" not in said, (name, said)
    assert "speaker (sentences)" in titles(sentences, "polarity_subjectivity")
    with pytest.raises(AnalysisError, match="unknown unit 'paragraph'"):
        fg.polarity_subjectivity(analysis.scores, unit="paragraph")


def test_criticism_of_many_states_keeps_the_most_criticised_and_the_own_states() -> None:
    from analysis.aggregation import NO_TARGET

    targets = [f"S{k:02d}" for k in range(6)] + ["OST", NO_TARGET]
    ruven = pd.DataFrame({"source": "ruven", "source_name": "Ruven Ist", "source_country": "OST",
                          "target": targets, "n_sentences_source": 40,
                          "n_negative": [6, 5, 4, 3, 2, 0, 0, 1]})
    osk = pd.DataFrame({"source": "osk", "source_name": "Osk Ahl", "source_country": "S05",
                        "target": targets, "n_sentences_source": 10,
                        "n_negative": [0, 0, 0, 0, 0, 0, 1, 0]})
    table = pd.concat([ruven, osk]).assign(share=lambda t: t["n_negative"]
                                           / t["n_sentences_source"])
    fig = fg.criticism(table, max_targets=4)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    # OST (ruven's own state, criticised once by osk) and the untargeted criticism always
    # kept, then the two most criticised; S05 (osk's, criticised by no one) has no column
    assert labels == ["S00", "S01", "OST", NO_TARGET]
    assert "the 4 most criticised of 7 targets" in fig.get_supxlabel().replace("\n", " ")
    assert [t.get_text() for t in fig.axes[0].texts] == [
        "6 (15.0%)", "5 (12.5%)", "–", "1 (2.5%)", "0", "0", "1 (10.0%)", "0"]

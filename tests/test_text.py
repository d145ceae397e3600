"""Sentence splitting and tokenization on diplomatic and news text (no downloaded models)."""

from __future__ import annotations

import pytest

from analysis.text import abbreviations, paragraphs, sentences, tokenize, words


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gen. Smith met the U.N. envoy at 5 p.m. on Monday. He left.",
            ["Gen. Smith met the U.N. envoy at 5 p.m. on Monday.", "He left."],
        ),
        (
            "Lt. Col. Ray briefed Amb. Okafor and Sen. Dale. Sgt. Lee was absent.",
            ["Lt. Col. Ray briefed Amb. Okafor and Sen. Dale.", "Sgt. Lee was absent."],
        ),
        (
            "Mr. Hale, Ms. Ode and Mrs. Tam met Dr. Vos in St. Maren on Jan. 4 and Dec. 9. "
            "Resolution No. 12 passed.",
            ["Mr. Hale, Ms. Ode and Mrs. Tam met Dr. Vos in St. Maren on Jan. 4 and Dec. 9.",
             "Resolution No. 12 passed."],
        ),
        (
            "The talks ended in Washington, D.C. The U.K. delegation left at 9 a.m. "
            "Then it rained.",
            ["The talks ended in Washington, D.C.", "The U.K. delegation left at 9 a.m.",
             "Then it rained."],
        ),
        (
            'The U.S. envoy said, "We will not accept this." She left. "Never," he said.',
            ['The U.S. envoy said, "We will not accept this."', "She left.", '"Never," he said.'],
        ),
    ],
)
def test_sentences_respect_diplomatic_abbreviations(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_every_listed_abbreviation_is_known() -> None:
    required = {"u.s", "u.n", "u.k", "mr", "ms", "mrs", "dr", "gen", "lt", "col", "sgt", "sen",
                "rep", "amb", "st", "jan", "feb", "aug", "sept", "dec", "a.m", "p.m", "no"}
    assert required <= abbreviations()


def test_paragraph_breaks_end_sentences_and_offsets_index_the_text() -> None:
    text = "First line without a stop\n\nSecond paragraph. Two sentences.\n"
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "First line without a stop", "Second paragraph.", "Two sentences."]
    assert paragraphs(text) == [(0, 25), (27, 59)]


def test_sentences_of_a_slice_are_offsets_into_the_whole_text() -> None:
    text = "Ignore me. Keep this. And this."
    assert [text[a:b] for a, b in sentences(text, 11)] == ["Keep this.", "And this."]


def test_tokens_keep_possessives_hyphens_and_abbreviations() -> None:
    toks = tokenize("Russia's heavy-handedness -- the U.S. said, isn’t new.")
    assert [t.text for t in toks] == ["Russia's", "heavy-handedness", "-", "-", "the", "U.S.",
                                      "said", ",", "isn’t", "new", "."]
    assert [t.text for t in words(toks)] == ["Russia's", "heavy-handedness", "the", "U.S.",
                                             "said", "isn’t", "new"]
    assert toks[1].lower == "heavy-handedness" and (toks[1].start, toks[1].end) == (9, 25)


def test_empty_text() -> None:
    assert sentences("") == [] and tokenize("") == [] and paragraphs("  \n") == []


def test_quoted_on_is_a_sentence_starter_after_an_abbreviation() -> None:
    # abbreviations.yml lists "on" quoted: unquoted, YAML read it as true and it never counted
    assert split("The talks ended in Washington, D.C. On Monday they resumed.") == [
        "The talks ended in Washington, D.C.", "On Monday they resumed."]


def test_abbreviations_file_schema_rejects_booleans_and_unknown_keys(tmp_path) -> None:
    from analysis.errors import AnalysisError
    from analysis.schema import AbbreviationsFile, load_yaml_file

    bad = tmp_path / "abbreviations.yml"
    bad.write_text("abbreviations:\n  titles: [Mr., Dr.]\nsentence_starters: [the, on]\n"
                   "starters: [a]\n", encoding="utf-8")
    with pytest.raises(AnalysisError) as e:
        load_yaml_file(bad, AbbreviationsFile)
    msg = str(e.value)
    assert "2 problems" in msg
    assert "sentence_starters: item 2 (line 3): input should be a valid string, not True" in msg
    assert "unknown key 'starters'" in msg


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_paragraphs_see_blank_lines_whatever_the_line_endings(nl: str) -> None:
    text = f"One line{nl}still one.{nl}{nl}Two.{nl} {nl}{nl}Three."
    assert [text[a:b] for a, b in paragraphs(text)] == [
        f"One line{nl}still one.", "Two.", "Three."]

"""The front-matter document reader and its errors (real seed; fictional test documents)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import PROJECT_REGISTRY

from analysis.documents import (
    Document,
    documents_frame,
    misread_as,
    parse_document,
    read_corpus,
    read_documents,
)
from analysis.errors import AnalysisError
from analysis.speakers import load_registry


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


GOOD = """---
id: ostravia-1
title: Ostravia protests
date: 2031-04-02
outlet: The Kessland Herald
kind: report
language: en
---
Ambassador Velkova said the blockade was illegal.
"""


def test_default_corpus_is_the_seed_report(root: Path) -> None:
    (doc,) = read_corpus(root / "corpus")
    assert doc.id == "deir-ezzor-2016-09-17"
    assert doc.kind == "report" and doc.speaker is None
    assert doc.date == dt.date(2016, 9, 17) and doc.outlet == "unknown"
    assert doc.body.startswith("Dozens killed as US planes mistakenly bomb Syrian troops\n\n")
    assert doc.body.endswith("very little will be changed as a result.\n")
    assert "technical problems" not in doc.body


def test_seed_body_is_the_shared_seed_unchanged_but_for_its_last_line(
    root: Path, shared_corpora: Path
) -> None:
    seed = (shared_corpora.parent / "seeds" / "000_3faadf455000bfc4.txt").read_text("utf-8")
    (doc,) = read_corpus(root / "corpus")
    assert seed.startswith(doc.body)
    assert seed[len(doc.body):].strip() == "If you experience technical problems, please write to"


def test_front_matter_fields_and_body_offsets(tmp_path: Path) -> None:
    doc = parse_document(GOOD, tmp_path / "a.md")
    assert (doc.id, doc.kind, doc.outlet, doc.language) == ("ostravia-1", "report",
                                                            "The Kessland Herald", "en")
    assert doc.date == dt.date(2031, 4, 2)
    assert doc.body == "Ambassador Velkova said the blockade was illegal.\n"
    assert doc.words == 7


def test_plain_txt_without_front_matter_is_a_report_with_the_whole_file(tmp_path: Path) -> None:
    text = "\nLine one.\n\n  Line two.  \n"
    f = write(tmp_path / "kessland-wire.txt", text)
    (doc,) = read_documents(f)
    assert (doc.id, doc.kind, doc.body) == ("kessland-wire", "report", text)


def test_statement_speaker_checked_against_registry(tmp_path: Path) -> None:
    reg = load_registry(PROJECT_REGISTRY)
    text = GOOD.replace("kind: report", "kind: statement\nspeaker: churkin")
    doc = parse_document(text, tmp_path / "s.md", registry=reg)
    assert (doc.kind, doc.speaker, doc.speaker_name) == ("statement", "churkin", "Vitaly Churkin")
    with pytest.raises(AnalysisError, match=r"s\.md: speaker: unknown speaker 'velkova'"):
        parse_document(text.replace("churkin", "velkova"), tmp_path / "s.md", registry=reg)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("---\nAmb", "Amb"), r"bad\.md: line 1: front matter is not closed"),
        (GOOD.replace("kind: report", "kind: op-ed"),
         r"bad\.md: line 6: unknown kind 'op-ed'; valid kinds"),
        (GOOD.replace("2031-04-02", "2 April 2031"), r"date \(line 4\): bad date '2 April 2031'"),
        (GOOD.replace("2031-04-02", "2031-02-30"), r"date \(line 4\): bad date '2031-02-30'"),
        (GOOD.replace("kind: report", "kind: statement"), r"speaker: a statement needs a speaker"),
        (GOOD.split("---\nAmb")[0] + "---\n\n  \n", r"body: empty body"),
        (GOOD.replace("outlet:", "outlett:"), r"line 5: unknown key 'outlett'; valid keys"),
        (GOOD.replace("title: Ostravia protests", "title: [unclosed"), r"line \d+: invalid YAML"),
        (GOOD.replace("id: ostravia-1\n", ""), r"line 2: missing required key 'id'"),
        ("Just text, no front matter.\n", r"must start with YAML front matter"),
    ],
)
def test_bad_documents_name_file_and_entry(tmp_path: Path, text: str, message: str) -> None:
    f = write(tmp_path / "bad.md", text)
    with pytest.raises(AnalysisError, match=message):
        read_documents(f)


def test_non_utf8_bytes_name_file_and_line(tmp_path: Path) -> None:
    write(tmp_path / "latin1.md", GOOD.encode() + "Caf\xe9\n".encode("latin-1"))
    with pytest.raises(AnalysisError, match=r"latin1\.md: line 10: not UTF-8 text: byte 0xe9"):
        read_documents(tmp_path)


def test_a_folder_reports_every_bad_file_and_duplicate_ids(tmp_path: Path) -> None:
    write(tmp_path / "ok.md", GOOD)
    write(tmp_path / "dup.md", GOOD)
    write(tmp_path / "sub" / "kind.md", GOOD.replace("id: ostravia-1", "id: x")
          .replace("kind: report", "kind: memo"))
    write(tmp_path / "sub" / "empty.txt", "")
    with pytest.raises(AnalysisError) as err:
        read_documents(tmp_path)
    problems = {(Path(p.where).name, p.entry) for p in err.value.problems}
    assert problems == {("kind.md", "line 6"), ("empty.txt", None), ("ok.md", "id")}
    assert str(err.value).startswith("3 problems:")


def test_missing_path_is_an_error_not_an_empty_corpus(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match=r"nowhere: no such file or folder"):
        read_corpus(tmp_path / "nowhere")


def test_unknown_format_lists_the_valid_ones(root: Path) -> None:
    with pytest.raises(AnalysisError, match=r"format: unknown corpus format 'xml'; valid"):
        read_corpus(root / "corpus", format="xml")


def test_documents_frame_is_tidy(root: Path) -> None:
    frame = documents_frame(read_corpus(root / "corpus"))
    assert list(frame.columns[:7]) == ["id", "kind", "speaker", "speaker_name", "country",
                                       "date", "words"]
    assert frame.loc[0, "words"] == 576 and "body" not in frame


# --- issue 14: line endings, unreadable entries, types -------------------------------------

FICTION = Path(__file__).resolve().parent / "data" / "articles" / "speakers.yml"


def test_crlf_line_endings_are_normalised_so_a_paragraph_ends_an_open_quote(
    tmp_path: Path,
) -> None:
    # the probe's Power/Churkin example, with the fictional speakers of tests/data/articles
    from analysis.quotes import extract_statements

    text = ('Velkova said "we regret the loss of life and will investigate.\r\n\r\n'
            'Reinholt told reporters "this was no accident at all," and left the meeting.\r\n')
    (doc,) = read_documents(write(tmp_path / "wire.txt", text.encode()))
    assert doc.body == text.replace("\r\n", "\n")
    st = extract_statements(doc, registry=load_registry(FICTION))
    assert st[["speaker", "text"]].values.tolist() == [
        ["velkova", "we regret the loss of life and will investigate."],
        ["reinholt", '"this was no accident at all," and left the meeting']]
    assert all(doc.body[s:e] == t for s, e, t in zip(st.start, st.end, st.text, strict=True))


def test_crlf_and_cr_in_front_matter_documents(tmp_path: Path) -> None:
    crlf = write(tmp_path / "a.md", GOOD.replace("\n", "\r\n").encode())
    cr = write(tmp_path / "b.md", GOOD.replace("ostravia-1", "ostravia-2")
               .replace("\n", "\r").encode())
    a, b = read_documents([crlf, cr])
    assert a.body == b.body == "Ambassador Velkova said the blockade was illegal.\n"
    assert (a.id, b.id, a.date) == ("ostravia-1", "ostravia-2", dt.date(2031, 4, 2))


def test_a_folder_of_broken_links_is_reported_not_an_empty_corpus(tmp_path: Path) -> None:
    (tmp_path / "loop-a.md").symlink_to(tmp_path / "loop-b.md")
    (tmp_path / "loop-b.md").symlink_to(tmp_path / "loop-a.md")
    (tmp_path / "gone.md").symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(AnalysisError) as err:
        read_corpus(tmp_path)
    found = {Path(p.where).name: p.message for p in err.value.problems}
    assert set(found) == {"loop-a.md", "loop-b.md", "gone.md"}
    assert found["loop-a.md"].startswith("symbolic link loop")
    assert found["gone.md"].startswith("dangling symbolic link to ")


def test_a_folder_without_documents_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "notes.csv.bak", "not a document")
    with pytest.raises(AnalysisError, match=r"no documents in this folder \(files ending in "
                                            r"\.md, \.markdown, \.txt\)"):
        read_corpus(tmp_path)


@pytest.mark.parametrize(
    ("replace", "message"),
    [
        (("id: ostravia-1", "id: {a: 1}"), r"t\.md: line 2: id: input should be a valid "
                                           r"string, not \{'a': 1\}"),
        (("kind: report", "kind: statement\nspeaker: [velkova]"),
         r"line 7: speaker: input should be a valid string, not \['velkova'\]"),
        (("title: Ostravia protests", "title: [Ostravia, protests]"),
         r"line 3: title: input should be a valid string"),
    ],
)
def test_front_matter_types_are_checked(tmp_path: Path, replace: tuple[str, str],
                                        message: str) -> None:
    f = write(tmp_path / "t.md", GOOD.replace(*replace))
    with pytest.raises(AnalysisError, match=message):
        read_documents(f)


def test_numbers_in_front_matter_are_text(tmp_path: Path) -> None:
    doc = parse_document(GOOD.replace("id: ostravia-1", "id: 2031").replace(
        "title: Ostravia protests", "title: 1984"), tmp_path / "n.md")
    assert (doc.id, doc.title) == ("2031", "1984")


# --- a corpus from tables (issue 11, item 4) ------------------------------------------------

ARTS = ("key,headline,published,body,who,type\n"
        "a1,Basin talks,2031-04-02,\"Ambassador Velkova said the talks would go on.\",,report\n"
        "a2,Velkova speaks,2031-04-03,\"We will not leave the Basin.\r\nNever.\","
        "Velkova,statement\n"
        "a3,Yearly review,2031,\"The Council met twelve times.\",,report\n")
MAPPING = dict(text="body", id="key", date="published", title="headline", speaker="who",
               kind="type")


def test_a_csv_is_one_document_per_row_with_mapped_columns(tmp_path: Path) -> None:
    from analysis.documents import TableColumns

    f = write(tmp_path / "arts.csv", ARTS)
    docs = read_corpus(f, registry=load_registry(FICTION), columns=TableColumns(**MAPPING))
    assert [(d.id, d.kind, d.title, d.iso_date) for d in docs] == [
        ("a1", "report", "Basin talks", "2031-04-02"),
        ("a2", "statement", "Velkova speaks", "2031-04-03"),
        ("a3", "report", "Yearly review", "2031")]
    v = docs[1]
    assert (v.speaker, v.speaker_name, v.affiliation) == ("velkova", "Mara Velkova", "ostravia")
    assert v.body == "We will not leave the Basin.\nNever."
    assert v.meta == {"row": 2}


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "parquet"])
def test_tsv_jsonl_and_parquet_read_alike(tmp_path: Path, fmt: str) -> None:
    import io

    import pandas as pd

    from analysis.documents import TableColumns

    frame = pd.read_csv(io.StringIO(ARTS), dtype=str, keep_default_na=False)
    f = tmp_path / f"arts.{fmt}"
    if fmt == "tsv":
        frame.to_csv(f, sep="\t", index=False)
    elif fmt == "jsonl":
        frame.to_json(f, orient="records", lines=True)
    else:
        frame.to_parquet(f, index=False)
    docs = read_corpus(f, registry=load_registry(FICTION), columns=TableColumns(**MAPPING))
    assert [(d.id, d.speaker, d.iso_date) for d in docs] == [
        ("a1", None, "2031-04-02"), ("a2", "velkova", "2031-04-03"), ("a3", None, "2031")]


def test_a_table_without_a_text_column_is_an_error_listing_the_columns(tmp_path: Path) -> None:
    f = write(tmp_path / "arts.csv", ARTS)
    with pytest.raises(AnalysisError, match=r"arts\.csv: no text column: name the column that "
                       r"holds the text with --text-column .*columns: \['key', 'headline', "
                       r"'published', 'body', 'who', 'type'\]"):
        read_corpus(f)
    from analysis.documents import TableColumns

    with pytest.raises(AnalysisError, match=r"no column 'content' for the text \(--text-column"
                                            r"\); the table's columns: \['key'"):
        read_corpus(f, columns=TableColumns(text="content"))


def test_bad_rows_are_reported_by_row_all_at_once(tmp_path: Path) -> None:
    from analysis.documents import TableColumns

    f = write(tmp_path / "bad.csv", "id,text,date,kind,speaker\n"
              "x,Fine text.,2031-01-01,report,\n"
              "x,Same id.,2031-01-02,report,\n"
              "y,,2031-01-03,report,\n"
              "z,Bad date.,3 January 2031,report,\n"
              "w,No speaker.,2031-01-04,statement,\n"
              "v,Odd kind.,2031-01-05,memo,\n")
    with pytest.raises(AnalysisError) as err:
        read_corpus(f, columns=TableColumns())
    assert [(p.entry, p.message) for p in err.value.problems] == [
        ("row 2 (id 'x'): id", "duplicate id 'x' (also row 1)"),
        ("row 3 (id 'y'): text", "empty text"),
        ("row 4 (id 'z'): date", "bad date '3 January 2031'; write it as ISO 8601 (2016-09-17) "
                                  "or a year (2016)"),
        ("row 5 (id 'w'): speaker", "a statement needs a speaker"),
        ("row 6 (id 'v'): kind", "unknown kind 'memo'; valid kinds: ['report', 'statement']"),
    ]


def test_cli_corpus_reads_a_table_with_column_flags(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture) -> None:
    from analysis.__main__ import main

    f = write(tmp_path / "arts.csv", ARTS)
    assert main(["corpus", str(f), "--format", "csv", "--text-column", "body",
                 "--id-column", "key", "--date-column", "published", "--kind-column", "type",
                 "--speaker-column", "who", "--speakers", str(FICTION),
                 "--kinds", "statement"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "id,kind,speaker,speaker_name,country,date,words",
        "a2,statement,velkova,Mara Velkova,,2031-04-03,7"]
    assert main(["corpus", str(f)]) == 2
    assert "no text column" in capsys.readouterr().err


# --- subsets (issue 11, item 5) ------------------------------------------------------------


def test_subsets_by_year_kind_and_speaker(tmp_path: Path) -> None:
    from analysis.documents import TableColumns, selection

    f = write(tmp_path / "arts.csv", ARTS)
    cols = TableColumns(**MAPPING)
    reg = load_registry(FICTION)

    def ids(**sel: object) -> list[str]:
        return [d.id for d in read_corpus(f, registry=reg, columns=cols,
                                          select=selection(**sel))]

    assert ids(years="2031") == ["a1", "a2", "a3"]
    assert ids(years="2030-2030") == []
    assert ids(kinds="report") == ["a1", "a3"]
    assert ids(speakers="velkova") == ids(speakers="Mara Velkova") == ["a2"]
    with pytest.raises(AnalysisError) as err:
        selection(years="2016-2010", countries=["USA", "OSTR"])
    assert [str(p) for p in err.value.problems] == [
        "years: bad year range '2016-2010': 2016 is after 2010",
        "countries: unknown country code 'OSTR'; give ISO 3166 alpha-3 codes such as "
        "USA,RUS,UKR"]


# ------------------------------------------------ a text that is another kind of input

def _text_doc(body: str, source: str = "notes.txt", **meta: object) -> Document:
    return Document(id="notes", body=body, source=source, meta=dict(meta))


def test_a_delimited_text_is_said_to_look_like_a_table() -> None:
    body = "id,date,text\n1,2031-03-01,The river rose.\n2,2031-03-02,The river fell.\n"
    assert misread_as(_text_doc(body)) == "a table (3 lines of 3 comma-separated fields)"
    tabbed = "id\tspeaker\ttext\n1\tvelkova\tWe object.\n2\treinholt\tWe agree.\n"
    assert misread_as(_text_doc(tabbed)) == "a table (3 lines of 3 tab-separated fields)"
    # prose with commas on some lines only is prose
    prose = ("The minister, tired, spoke.\nThen she left.\nRain fell on Tessel, Ardova, and "
             "the coast.\n")
    assert misread_as(_text_doc(prose)) is None
    assert misread_as(_text_doc("x", source="/data/arts.CSV")) == "a table (the file arts.CSV)"


def test_a_record_with_speech_headings_is_said_to_look_like_a_un_record() -> None:
    body = ("Mr. Velkova (Ardova) (spoke in French): We regret the vote.\n\n"
            "Mrs. Reinholt (Tessel): My delegation disagrees.\n\n"
            "The meeting rose at 1 p.m.\n")
    assert misread_as(_text_doc(body)) == (
        "a UN Security Council record (2 speech headings such as Mr. Velkova (Ardova):)")
    # one heading-like line is not a record; UN and table readers' documents never count
    assert misread_as(_text_doc(body.split("\n\n", 1)[0])) is None
    assert misread_as(_text_doc(body, source="/x/UNSC_2031_SPV.9999_spch001.txt")) is None
    table_row = "a,b,c\n1,2,3\n4,5,6\n"
    assert misread_as(_text_doc(table_row, source="/x/arts.csv", row=2)) is None
    assert misread_as(_text_doc(table_row, source="/x/ungdc.tar.gz:ARD_86_2031.txt")) is None

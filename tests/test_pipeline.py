"""run_corpus: partitioned Parquet output, resume after an interruption, bad archive members
skipped and counted, the same tables on every core and on a Dask cluster."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import tar_bytes

from analysis.__main__ import main
from analysis.documents import Document, read_corpus
from analysis.errors import AnalysisError
from analysis.pipeline import TABLES, read_run, run_corpus, run_is_current
from analysis.quotes import extract_statements
from analysis.resources import package_digest
from analysis.scoring import score_statements

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def _docs() -> list[Document]:
    """The seed report and the fictional articles (6 documents, reports and a statement)."""
    return read_corpus(ROOT / "corpus") + read_corpus(DATA / "articles") + read_corpus(
        DATA / "heldout")[:2]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values only: missing as None, text columns as Python objects (Parquet round trip)."""
    out = frame.astype(object)
    return out.where(out.notna(), None).reset_index(drop=True)


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    run_corpus(_docs(), out, partition_size=2, workers=1, progress=False)
    return out


def test_partitions_files_and_manifest(serial: Path) -> None:
    docs = _docs()
    for t in TABLES:
        assert sorted(p.name for p in (serial / t).iterdir()) == [
            "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert (serial / "_SUCCESS").is_file()
    manifest = json.loads((serial / "_manifest.json").read_text())
    assert manifest["partition_size"] == 2 and manifest["documents"] == len(docs)
    assert [p["first"] for p in manifest["partitions"]] == [d.id for d in docs[::2]]
    assert not list(serial.rglob(".*.tmp"))


def test_tables_equal_the_direct_analysis(serial: Path) -> None:
    from analysis.metadata import add_metadata, statement_metadata
    from analysis.speakers import builtin_registry

    statements = extract_statements(_docs())
    direct = score_statements(statements, level="sentence")
    meta = statement_metadata(statements, _docs(), builtin_registry())
    for table in TABLES:
        got = read_run(serial, table)
        want = add_metadata(getattr(direct, table), meta,
                            builtin_registry() if table == "targets" else None)
        assert list(got.columns) == list(want.columns)
        pd.testing.assert_frame_equal(_plain(got), _plain(want), check_exact=True)


def test_a_partition_another_analysis_wrote_is_computed_again(tmp_path: Path,
                                                             serial: Path) -> None:
    docs = _docs()
    first = run_corpus(docs, tmp_path, partition_size=2, workers=1, progress=False)
    assert (first.partitions, first.written) == (3, 3)
    assert run_is_current(tmp_path)
    manifest = json.loads((tmp_path / "_manifest.json").read_text(encoding="utf-8"))
    assert manifest["analysis"] == package_digest()
    # partition 1 as an older version of the analysis (other stance rules, say) left it
    part = tmp_path / "_parts" / "part-00001.json"
    record = json.loads(part.read_text(encoding="utf-8"))
    assert record["analysis"] == package_digest()
    part.write_text(json.dumps({**record, "analysis": "0" * 64}), encoding="utf-8")
    (tmp_path / "_manifest.json").write_text(
        json.dumps({**manifest, "analysis": "0" * 64}), encoding="utf-8")
    assert not run_is_current(tmp_path)
    again = run_corpus(docs, tmp_path, partition_size=2, workers=1, progress=False)
    assert (again.partitions, again.resumed, again.written) == (3, 2, 1)
    assert run_is_current(tmp_path)
    assert json.loads(part.read_text(encoding="utf-8"))["analysis"] == package_digest()
    for table in TABLES:
        pd.testing.assert_frame_equal(read_run(tmp_path, table), read_run(serial, table))
    assert not run_is_current(tmp_path / "nothing-here")


def test_resume_after_an_interruption(tmp_path: Path, serial: Path) -> None:
    docs = _docs()

    def interrupted():
        yield from docs[:4]
        raise KeyboardInterrupt  # the run is stopped after two whole partitions

    with pytest.raises(KeyboardInterrupt):
        run_corpus(interrupted(), tmp_path, partition_size=2, workers=1, progress=False)
    assert sorted(p.name for p in (tmp_path / "_parts").iterdir()) == [
        "part-00000.json", "part-00001.json"]
    assert not (tmp_path / "_SUCCESS").exists()
    with pytest.raises(AnalysisError, match="no finished run"):
        read_run(tmp_path)
    summary = run_corpus(docs, tmp_path, partition_size=2, workers=1, progress=False)
    assert (summary.partitions, summary.resumed, summary.written) == (3, 2, 1)
    assert summary.documents == len(docs)
    for table in TABLES:
        pd.testing.assert_frame_equal(read_run(tmp_path, table), read_run(serial, table))
    with pytest.raises(AnalysisError, match="partition_size 2, not 3"):
        run_corpus(docs, tmp_path, partition_size=3, workers=1, progress=False)
    again = run_corpus(docs, tmp_path, partition_size=3, workers=1, progress=False,
                       resume=False)
    assert (again.partitions, again.resumed, again.written) == (2, 0, 2)
    assert sorted(p.name for p in (tmp_path / "scores").iterdir()) == [
        "part-00000.parquet", "part-00001.parquet"]


def test_changed_documents_are_recomputed(tmp_path: Path) -> None:
    docs = _docs()[:2]
    run_corpus(docs, tmp_path, partition_size=1, workers=1, progress=False)
    other = [docs[0], Document(id="other", body="Ostravia said it was good.",
                               kind="statement")]
    s = run_corpus(other, tmp_path, partition_size=1, workers=1, progress=False)
    assert (s.resumed, s.written) == (1, 1)
    assert set(read_run(tmp_path)["doc_id"]) == {docs[0].id, "other"}


SESSION = "ungdc/TXT/Session 86 - 2031"


def _archive(path: Path) -> Path:
    """A fictional General Debate archive with one undecodable, one empty and one damaged
    member among three good speeches."""
    csv = (b"Year,Session,ISO Code,Country,Name of Person Speaking,Post\n"
           b"2031,86,OST,Ostravia,Anna Velkova,Minister for Foreign Affairs\n"
           b"2031,86,VLK,Valkeria,Mr. Orsino,\n")
    members = [
        (f"{SESSION}/OST_86_2031.txt", b"Ostravia condemns the attack. We call for peace."),
        (f"{SESSION}/KES_86_2031.txt", b"Kessel \xff\xfe speaks."),
        (f"{SESSION}/ZZZ_86_2031.txt", b"  \n\n"),
        (f"{SESSION}/BRV_86_2031.txt", b"Brevia speaks. " * 60),
        (f"{SESSION}/VLK_86_2031.txt", b"Valkeria regrets that the talks were halted."),
        (f"{SESSION}/TSL_86_2031.txt", b"Tessel welcomes the agreement."),
        ("ungdc/speakers_by_session.csv", csv),
    ]
    data = tar_bytes(members, corrupt="Session 86 - 2031/BRV_86_2031.txt")
    path.write_bytes(gzip.compress(data, mtime=0))
    return path


def test_bad_archive_members_are_skipped_and_counted(tmp_path: Path) -> None:
    archive = _archive(tmp_path / "ungdc-test.tar.gz")
    s = run_corpus(archive, tmp_path / "out", partition_size=2, workers=1, progress=False)
    assert s.documents == 3 and s.partitions == 2
    reasons = {Path(p.entry).name: p.message for p in s.skipped}
    assert "not UTF-8" in reasons["KES_86_2031.txt"]
    assert reasons["ZZZ_86_2031.txt"] == "empty speech"
    assert any("damaged data" in m for m in reasons.values())
    assert s.n_skipped == 3
    manifest = json.loads((tmp_path / "out" / "_manifest.json").read_text())
    assert len(manifest["skipped"]) == 3
    scores = read_run(tmp_path / "out")
    assert sorted(set(scores["doc_id"])) == ["OST_86_2031", "TSL_86_2031", "VLK_86_2031"]


def test_a_document_the_analysis_fails_on_is_skipped(tmp_path: Path, monkeypatch) -> None:
    import analysis.pipeline as pl

    real = pl._analyse

    def flaky(docs, *args):
        if any(d.id == "bad" for d in docs):
            raise RuntimeError("boom")
        return real(docs, *args)

    monkeypatch.setattr(pl, "_analyse", flaky)
    docs = [Document(id="good", body="Ostravia said it was good.", kind="statement"),
            Document(id="bad", body="Valkeria said nothing.", kind="statement",
                     source="bad.md")]
    s = run_corpus(docs, tmp_path, workers=1, progress=False)
    assert [(p.where, p.entry) for p in s.skipped] == [("bad.md", "bad")]
    assert "RuntimeError: boom" in s.skipped[0].message
    assert set(read_run(tmp_path)["doc_id"]) == {"good"}


def test_every_core_gives_the_serial_tables(tmp_path: Path, serial: Path) -> None:
    s = run_corpus(_docs(), tmp_path, partition_size=2, workers=2, progress=False)
    assert s.workers == 2 and s.written == 3
    for table in TABLES:
        pd.testing.assert_frame_equal(read_run(tmp_path, table), read_run(serial, table))


def test_dask_local_cluster_gives_the_serial_tables(tmp_path: Path, serial: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        s = run_corpus(_docs(), tmp_path, partition_size=2, client=client, progress=False)
    assert s.scheduler and s.scheduler.startswith("tcp://") and s.workers == 2
    assert s.written == 3
    for table in TABLES:
        pd.testing.assert_frame_equal(read_run(tmp_path, table), read_run(serial, table))


def test_cli_run(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["run", str(ROOT / "corpus"), "--out", str(tmp_path / "out"),
                 "--workers", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 partition(s), 1 written" in out and "0 skipped" in out
    assert main(["run", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o2"),
                 "--quiet"]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_unsc_files_without_heading_are_skipped_by_the_one_dispatch(tmp_path: Path) -> None:
    unsc = Path(__file__).resolve().parent / "data" / "unsc" / "bad"
    s = run_corpus(unsc, tmp_path / "out", workers=1, progress=False)
    assert s.documents == 1 and s.n_skipped == 2
    assert {Path(p.where).name for p in s.skipped} == {"UNSC_2031_SPV.9903_spch001.txt",
                                                       "UNSC_2031_SPV.9903_spch002.txt"}


def test_a_run_reads_a_subset(tmp_path: Path) -> None:
    from analysis.documents import selection

    s = run_corpus(_docs(), tmp_path / "out", workers=1, progress=False,
                   select=selection(kinds="statement"))
    assert s.documents == 1
    assert set(read_run(tmp_path / "out")["doc_id"]) == {
        d.id for d in _docs() if d.kind == "statement"}


# --- metadata in every table (issue 11, item 3) --------------------------------------------

META = ["doc_id", "date", "speaker", "speaker_country", "kind"]


def test_every_table_carries_the_documents_metadata(tmp_path: Path) -> None:
    from analysis.speakers import parse_registry

    reg = parse_registry([
        {"id": "velkova", "name": "Anna Velkova", "kind": "person", "affiliation": "ostravia",
         "aliases": ["Ms. Velkova", "Velkova"]},
        {"id": "ostravia", "name": "Ostravia", "kind": "state", "iso3": "OST",
         "aliases": ["Ostravia"], "adjectives": ["Ostravian"]},
        {"id": "kessel", "name": "Kessel", "kind": "state", "iso3": "KES",
         "aliases": ["Republic of Kessel", "Kessel"], "adjectives": ["Kesselian"]},
    ], "fiction.yml")
    s = run_corpus(DATA / "unsc" / "good", tmp_path / "out", workers=1, progress=False,
                   registry=reg)
    assert s.documents == 4
    tables = {t: read_run(tmp_path / "out", t) for t in TABLES}
    for t, frame in tables.items():
        assert all(c in frame.columns for c in META), t
    scores = tables["scores"]
    own = scores[scores["kind"] == "statement"]
    got = _plain(own.drop_duplicates("doc_id")[["doc_id", "date", "speaker", "speaker_country"]])
    assert got.values.tolist() == [
        ["UNSC_2031_SPV.9901_spch001", "2031-05-04", "unsc-president", None],
        ["UNSC_2031_SPV.9901_spch002", "2031-05-04", "velkova", "OST"],
        ["UNSC_2031_SPV.9901_spch003", "2031-05-04", "dral-kes", "KES"],
        ["UNSC_2031_SPV.9902_spch001", "2031", "harrow", None]]
    targets = tables["targets"]
    kessel = targets[targets["target"] == "kessel"]
    assert len(kessel) and set(kessel["target_kind"]) == {"state"}
    assert set(kessel["target_country"]) == {"KES"}
    assert set(targets.loc[targets["doc_id"] == "UNSC_2031_SPV.9901_spch002",
                           "speaker_country"]) <= {"OST"}


@pytest.mark.shared
def test_unsc_run_every_speech_sentence_has_its_speaker_and_state(shared_corpora: Path,
                                                                   tmp_path: Path) -> None:
    from conftest import PROJECT_REGISTRY

    run_corpus(shared_corpora / "unsc-umuc", tmp_path, workers=2, progress=False,
               registry=PROJECT_REGISTRY)
    scores = read_run(tmp_path)
    own = scores[scores["kind"] == "statement"]
    assert own["speaker"].notna().mean() >= 0.99
    reps = own[~own["affiliation"].isin(["un"]) & (own["speaker"] != "unsc-president")
               & own["affiliation"].notna()]
    assert reps["speaker_country"].notna().mean() >= 0.99
    pc = own[own["speaker"].isin(["power", "churkin"])]
    assert dict(pc.groupby("speaker")["speaker_country"].unique().map(list)) == {
        "churkin": ["RUS"], "power": ["USA"]}
    assert len(pc) > 500

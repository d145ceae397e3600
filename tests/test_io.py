"""Outputs are written whole or not at all, with the usual file mode."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from analysis.io import atomic_write, write_table


def test_atomic_write_leaves_the_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write("half a ")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_outputs_get_the_usual_mode_not_mkstemps_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "sub" / "t.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "sub" / "t.csv").stat().st_mode) == 0o644


def test_table_formats(tmp_path: Path, capsys) -> None:
    frame = pd.DataFrame({"speaker": ["power", None], "n": [1, 2]})
    write_table(frame, tmp_path / "t.jsonl", fmt="jsonl")
    assert (tmp_path / "t.jsonl").read_text() == (
        '{"speaker":"power","n":1}\n{"speaker":null,"n":2}\n')
    write_table(frame, fmt="csv")
    assert capsys.readouterr().out == "speaker,n\npower,1\n,2\n"
    with pytest.raises(ValueError, match="unknown format 'xlsx'"):
        write_table(frame, fmt="xlsx")


def test_jsonl_and_csv_keep_every_digit_of_a_float(tmp_path: Path) -> None:
    frame = pd.DataFrame({"polarity": [0.39166666666666666, float("nan")], "n": [1, 2]})
    write_table(frame, tmp_path / "t.jsonl", fmt="jsonl")
    rows = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text("utf-8").splitlines()]
    assert rows == [{"polarity": 0.39166666666666666, "n": 1}, {"polarity": None, "n": 2}]
    write_table(frame, tmp_path / "t.csv", fmt="csv")
    assert pd.read_csv(tmp_path / "t.csv")["polarity"][0] == 0.39166666666666666


def test_every_command_names_its_output_format_the_same(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture) -> None:
    from analysis.__main__ import main

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    for flag in ("--format", "--output-format"):
        assert main(["corpus", str(corpus), flag, "csv", "--speakers",
                     str(corpus / "speakers.yml")]) == 0
        assert capsys.readouterr().out.startswith("id,kind,speaker,")
    assert main(["corpus", str(corpus), "--reader", "documents", "--format", "jsonl",
                 "--speakers", str(corpus / "speakers.yml")]) == 0
    assert capsys.readouterr().out.startswith('{"id":"deir-ezzor-2016-09-17"')

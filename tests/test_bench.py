"""Smoke test of the benchmark command: it runs, writes its CSV and ends with the summary.

No timing is asserted (speed belongs in benchmarks, never in tests).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.__main__ import main
from analysis.bench import COLUMNS, sample_documents
from analysis.documents import Document


def test_sample_documents_is_seeded_and_order_free() -> None:
    docs = [Document(id=f"D{i:02d}", body="x") for i in range(30)]
    a = [d.id for d in sample_documents(docs, 5, seed=1)]
    b = [d.id for d in sample_documents(list(reversed(docs)), 5, seed=1)]
    assert a == b and len(set(a)) == 5
    assert [d.id for d in sample_documents(docs, 3, seed=1)] == a[:3]
    assert [d.id for d in sample_documents(docs, 5, seed=2)] != a


def test_bench_quick_writes_csv_and_summary(tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "bench.csv"
    assert main(["bench", "--quick", "--sample", "2", "--scale-base", "1",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out.strip().splitlines()
    assert printed[-1].startswith("summary: TextBlob/VADER ")
    table = pd.read_csv(out)
    assert list(table.columns) == COLUMNS
    names = list(table["benchmark"])
    assert names[:2] == ["bare NLTK VADER", "bare TextBlob"]
    for mult in ("1x", "4x", "16x"):
        assert any(n.endswith(f"scaling {mult}") for n in names)
    same = table.loc[table["benchmark"] == "fast paths = libraries", "note"].item()
    assert same.startswith("yes: ") and "score tables" in same
    assert "fast paths identical: yes" in printed[-1]
    vader = table.iloc[0]
    assert vader["sentences"] > 0 and vader["ratio_to_vader"] == 1.0
    assert table.loc[table["benchmark"].str.contains("scaling 16x"), "docs"].item() == 16
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, no leftovers

"""Offline NLTK data: VADER loads from the project's own data root without any network."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from analysis.resources import VADER_MEMBER, build_nltk_data, nltk_data_root

OFFLINE_SCRIPT = r"""
import socket, sys
def no_network(*a, **k):
    raise OSError("network disabled by the test")
socket.socket.connect = no_network
socket.create_connection = no_network
socket.getaddrinfo = no_network
import nltk
def no_download(*a, **k):
    raise AssertionError("nltk.download was called")
nltk.download = no_download
from analysis.resources import ensure_nltk_data
root = ensure_nltk_data()
from nltk.sentiment.vader import SentimentIntensityAnalyzer
s = SentimentIntensityAnalyzer()
score = s.polarity_scores("VADER is smart, handsome, and funny.")["compound"]
print(nltk.data.path[0] == str(root), score)
"""


def _run(env_extra: dict[str, str]) -> str:
    env = {**os.environ, **env_extra}
    out = subprocess.run([sys.executable, "-c", OFFLINE_SCRIPT], env=env, capture_output=True,
                         text=True, check=True)
    return out.stdout.strip()


def test_vader_loads_with_the_network_unavailable(tmp_path: Path) -> None:
    assert _run({"ANALYSIS_NLTK_DATA": str(tmp_path / "fresh")}) == "True 0.8316"
    assert (tmp_path / "fresh" / "sentiment" / "vader_lexicon.zip").is_file()


def test_official_nltk_data_elsewhere_does_not_change_results(tmp_path: Path) -> None:
    # A user's own NLTK data with a tampered lexicon must not be used: ours comes first.
    other = tmp_path / "user_nltk_data" / "sentiment"
    other.mkdir(parents=True)
    with zipfile.ZipFile(other / "vader_lexicon.zip", "w") as zf:
        zf.writestr(VADER_MEMBER, "smart\t-3.0\t0.0\t[-3]\n")
    result = _run({"ANALYSIS_NLTK_DATA": str(tmp_path / "ours"),
                   "NLTK_DATA": str(tmp_path / "user_nltk_data")})
    assert result == "True 0.8316"


def test_build_is_idempotent_and_byte_reproducible(tmp_path: Path) -> None:
    a = build_nltk_data(tmp_path / "a")
    b = build_nltk_data(tmp_path / "b")
    first = a.read_bytes()
    assert first == b.read_bytes()
    mtime = a.stat().st_mtime_ns
    build_nltk_data(tmp_path / "a")
    assert a.stat().st_mtime_ns == mtime
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(a.read_bytes()).hexdigest()


def test_a_corrupt_zip_is_rebuilt(tmp_path: Path) -> None:
    target = tmp_path / "sentiment" / "vader_lexicon.zip"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"not a zip")
    build_nltk_data(tmp_path)
    with zipfile.ZipFile(target) as zf:
        assert b"handsome" in zf.read(VADER_MEMBER)


def test_default_root_is_inside_the_environment(monkeypatch) -> None:
    monkeypatch.delenv("ANALYSIS_NLTK_DATA", raising=False)
    assert nltk_data_root() == Path(sys.prefix) / "share" / "discourse-analysis" / "nltk_data"


def test_no_module_calls_nltk_download() -> None:
    src = Path(__file__).resolve().parent.parent / "analysis"
    offenders = [p.name for p in src.rglob("*.py") if "nltk.download" in p.read_text("utf-8")]
    assert offenders == []

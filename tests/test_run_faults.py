"""`analysis run` under faults: output folders it cannot write, a full disk, Ctrl-C, SIGTERM
and a parent killed outright. Each says what failed and where, leaves only whole files, and
leaves no worker process behind."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import pipeline
from analysis.__main__ import main
from analysis.errors import AnalysisError
from analysis.pipeline import RunInterrupted, run_corpus

DATA = Path(__file__).resolve().parent / "data"
SPEAKERS = DATA / "articles" / "speakers.yml"
REPORT = (
    'Minister Tomas Reinholt said "the talks in Kessland will go on, whatever the weather." '
    "He told reporters that the delegation had been patient.\n\n"
    '"We have waited long enough," Reinholt said on Tuesday.\n'
)


def _corpus(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"report-{i:04d}.txt").write_text(REPORT * 3, encoding="utf-8")
    return folder


def _run(*args: str) -> int:
    return main(["run", *args, "--speakers", str(SPEAKERS), "--quiet"])


def test_out_on_a_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    corpus = _corpus(tmp_path / "c", 2)
    target = tmp_path / "out.txt"
    target.write_text("keep me")
    assert _run(str(corpus), "--out", str(target)) == 2
    assert f"{target}: output folder is a file; give a folder for --out" in capsys.readouterr().err
    assert target.read_text() == "keep me"


def test_out_under_a_file_is_a_clear_error(tmp_path: Path,
                                           capsys: pytest.CaptureFixture) -> None:
    corpus = _corpus(tmp_path / "c", 2)
    (tmp_path / "f").write_text("")
    assert _run(str(corpus), "--out", str(tmp_path / "f" / "run")) == 2
    assert f"output folder is under a file ({tmp_path / 'f'})" in capsys.readouterr().err


def test_an_unwritable_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture) -> None:
    # as root a read-only mode does not stop writing, so the file system's answer is simulated
    corpus = _corpus(tmp_path / "c", 2)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", refuse)
    assert _run(str(corpus), "--out", str(tmp_path / "run")) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'run'}: cannot write to the output folder: Permission denied" in err
    assert "Traceback" not in err


def test_a_full_disk_names_the_file_and_keeps_whole_partitions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "c", 6)
    real = pipeline._write_parquet
    calls = {"n": 0}

    def full(frame: object, path: Path) -> int:
        calls["n"] += 1
        if calls["n"] > 3:  # the first partition's three tables fit, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(frame, path)

    monkeypatch.setattr(pipeline, "_write_parquet", full)
    out = tmp_path / "run"
    with pytest.raises(AnalysisError) as info:
        run_corpus(corpus, out, registry=SPEAKERS, partition_size=2, workers=1, progress=False)
    [problem] = info.value.problems
    assert problem.where == str(out / "scores" / "part-00001.parquet")
    assert problem.message == ("writing the run failed: No space left on device; 1 partition(s) "
                               "are complete and kept for a resumed run")
    assert not list(out.rglob(".*.tmp")) and not (out / "_SUCCESS").exists()


def test_ctrl_c_says_how_many_partitions_are_complete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    corpus = _corpus(tmp_path / "c", 6)
    real = pipeline.process_partition

    def interrupted(index: int, *args: object, **kwargs: object) -> dict:
        if index == 2:
            raise KeyboardInterrupt
        return real(index, *args, **kwargs)

    monkeypatch.setattr(pipeline, "process_partition", interrupted)
    out = tmp_path / "run"
    with pytest.raises(RunInterrupted) as info:
        run_corpus(corpus, out, registry=SPEAKERS, partition_size=2, workers=1, progress=False)
    assert info.value.complete == 2
    assert str(info.value) == (f"run interrupted: 2 partition(s) complete in {out}; run the same "
                               "command again to resume (the complete partitions are kept)")
    assert _run(str(corpus), "--out", str(out), "--partition-size", "2", "--workers", "1") == 130
    assert "run interrupted: 2 partition(s) complete" in capsys.readouterr().err


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


def _start_run(tmp_path: Path) -> tuple[subprocess.Popen, Path, list[int]]:
    corpus = _corpus(tmp_path / "c", 400)
    out = tmp_path / "run"
    proc = subprocess.Popen(
        [sys.executable, "-m", "analysis", "run", str(corpus), "--out", str(out),
         "--speakers", str(SPEAKERS), "--partition-size", "4", "--workers", "2", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(Path(pipeline.__file__).parent.parent)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and pipeline.complete_partitions(out) < 2:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    workers = _children(proc.pid)
    assert len(workers) >= 2
    return proc, out, workers


def _wait_gone(pids: list[int], seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_sigterm_ends_the_run_like_ctrl_c(tmp_path: Path) -> None:
    proc, out, workers = _start_run(tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "run interrupted:" in err and "run the same command again to resume" in err
    assert "Traceback" not in err
    assert _wait_gone(workers) == []
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    proc, out, workers = _start_run(tmp_path)
    proc.kill()
    proc.communicate(timeout=60)
    assert _wait_gone(workers) == []


def test_an_empty_corpus_is_an_error_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "run"
    with pytest.raises(AnalysisError):
        run_corpus([], out, registry=SPEAKERS, workers=1, progress=False)
    assert not out.exists()
    corpus = _corpus(tmp_path / "c", 2)
    assert _run(str(corpus), "--out", str(out), "--years", "1990-1991") == 2
    assert "no documents to analyse (nothing matched); check the path and the selection" in (
        capsys.readouterr().err)
    assert not out.exists()

"""`lianqing gen` in chunks: a killed run goes on from its last finished chunk to the same package,
and a package that cannot fit on the disk is refused before anything is written."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lianqing.analytics.errors import AnalyticsError
from lianqing.analytics.generate import generate
from lianqing.analytics.generate.resume import BYTES_PER_PERSON, CHECKPOINT, WORK

PERSONS, CHUNK = 30_000, 1_000  # 30 chunks of people: a kill lands in the middle


def _gen(out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "lianqing.cli", "gen", "--persons", str(PERSONS)]
    command += ["--chunk-persons", str(CHUNK), "--seed", "7", "--out", str(out), "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603


def _finished_chunks(out: Path) -> int:
    return len(list((out / WORK).glob("part-[0-9]*[0-9]")))


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def test_a_killed_run_resumes_from_its_last_chunk_to_the_same_package(tmp_path: Path) -> None:
    # Given a package generated in one go
    whole = tmp_path / "whole"
    assert _gen(whole).wait(timeout=300) == 0
    # When the same generation is killed (SIGKILL) after some chunks, mid-way
    interrupted = tmp_path / "interrupted"
    process = _gen(interrupted)
    deadline = time.monotonic() + 300
    while _finished_chunks(interrupted) < 5 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL
    # Then it stopped half-way: no manifest, finished chunks and a checkpoint in the work folder
    assert not (interrupted / "_manifest.json").exists()
    assert (interrupted / WORK / CHECKPOINT).exists()
    finished = _finished_chunks(interrupted)
    assert 5 <= finished < PERSONS // CHUNK
    # When it is run again
    resumed = _gen(interrupted)
    assert resumed.wait(timeout=300) == 0, resumed.stderr.read() if resumed.stderr else ""
    # Then the package is byte for byte the uninterrupted one, and the work folder is gone
    assert _files(interrupted) == _files(whole)
    assert not (interrupted / WORK).exists()
    assert len(_files(whole)) > 20  # every dataset, the truth and the manifest


def test_a_half_written_chunk_is_redone(tmp_path: Path) -> None:
    # Given a run stopped after its chunks were written but with one part left half-written
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    generate(whole, persons=3_000, chunk_persons=1_000, seed=3)
    (broken / WORK).mkdir(parents=True)
    half = broken / WORK / "part-00002.tmp"
    half.mkdir()
    (half / "persons.parquet").write_bytes(b"PAR1 cut off")
    # When the generation runs there
    generate(broken, persons=3_000, chunk_persons=1_000, seed=3)
    # Then the half-written part was dropped and the package equals an uninterrupted one
    assert _files(broken) == _files(whole)


def test_a_package_larger_than_the_free_disk_is_refused_before_writing(tmp_path: Path) -> None:
    # Given a number of people whose package needs twice the disk's free space
    free = shutil.disk_usage(tmp_path).free
    persons = 2 * free // BYTES_PER_PERSON
    out = tmp_path / "big"
    # When it is generated
    with pytest.raises(AnalyticsError) as raised:
        generate(out, persons=persons)
    # Then a Chinese message names the folder and the sizes, and nothing was written
    message = str(raised.value)
    assert message.startswith("磁盘空间不足")
    assert str(out) in message
    assert f"{persons:,}" in message
    assert list(out.iterdir()) == []


def test_the_command_refuses_too_large_a_package_without_a_traceback(tmp_path: Path) -> None:
    persons = 2 * shutil.disk_usage(tmp_path).free // BYTES_PER_PERSON
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "lianqing.cli",
            "gen",
            "--persons",
            str(persons),
            "--out",
            str(tmp_path / "p"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("错误: 磁盘空间不足")
    assert "Traceback" not in result.stderr

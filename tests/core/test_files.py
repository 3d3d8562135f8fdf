"""Whole-file writes and what a failed write says (kg_publisher/files.py)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from kg_publisher import files
from kg_publisher.errors import OutputError


@pytest.mark.parametrize(("code", "remedy"), [
    (errno.ENOSPC, "The disk is full"),
    (errno.EDQUOT, "The disk quota is used up"),
    (errno.EACCES, "No permission to write there"),
    (errno.EPERM, "The operation is not permitted"),
    (errno.EROFS, "The file system is read-only"),
    (errno.EIO, "Check the disk and the folder"),
])
def test_a_failed_write_names_the_file_the_reason_and_what_to_do(code: int, remedy: str, tmp_path: Path) -> None:
    failure = OSError(code, os.strerror(code), str(tmp_path / "out" / "kg.nq"))
    error = files.output_error(failure, tmp_path / "out", "DIR/current is unchanged.")
    assert isinstance(error, OutputError)
    assert error.message == f"{tmp_path / 'out' / 'kg.nq'}: cannot be written ({os.strerror(code)})"
    assert error.hint.startswith(remedy) and error.hint.endswith("DIR/current is unchanged.")


def test_a_failure_that_names_no_file_names_the_folder_written_to(tmp_path: Path) -> None:
    with pytest.raises(OutputError) as raised, files.writing(tmp_path / "out"):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert str(raised.value).startswith(f"{tmp_path / 'out'}: cannot be written (No space left on device)")


def test_a_failure_reported_as_text_only_keeps_its_reason_and_remedy(tmp_path: Path) -> None:
    # RocksDB (the store, through pyoxigraph) raises an OSError with no errno; the build then names the folder
    failure = OSError("IO error: No space left on device: While appending to file: 000012.sst")
    failure.filename = str(tmp_path / "staging")
    error = files.output_error(failure, tmp_path / "out")
    assert str(tmp_path / "staging") in str(error) and "No space left on device" in str(error)
    assert "disk is full" in error.hint and "Errno None" not in str(error)
    unknown = files.output_error(OSError("IO error: something else"), tmp_path / "out")
    assert "IO error: something else" in str(unknown) and "Check the disk" in unknown.hint


def test_a_whole_file_write_replaces_the_file_and_honours_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "report.ttl"
    target.write_bytes(b"old")
    previous = os.umask(0o022)
    try:
        files.write_bytes_atomic(target, "新的内容".encode())
    finally:
        os.umask(previous)
    assert target.read_bytes() == "新的内容".encode()
    assert target.stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.ttl"]


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "graph.nt"
    target.write_bytes(b"<a> <b> <c> .\n")
    real_write = os.write
    calls = []

    def fills_up(fd: int, data: bytes) -> int:
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, bytes(data[:10]))  # a short write: the rest is tried again, and fails

    monkeypatch.setattr(files.os, "write", fills_up)
    with pytest.raises(OSError) as raised:
        files.write_bytes_atomic(target, b"x" * 1000)
    assert raised.value.errno == errno.ENOSPC and raised.value.filename == str(target)
    assert calls == [1000, 990]
    assert target.read_bytes() == b"<a> <b> <c> .\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt"]

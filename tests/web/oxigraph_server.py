"""Oxigraph server (the binary the PyPI ``oxigraph`` package ships) started and stopped by the tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def oxigraph_binary() -> str:
    """The ``oxigraph`` command of this virtual environment (the test extra installs it)."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph; `make test` does)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running(command: list[str], probe: str, what: str, *, seconds: float = 60, **popen: object) -> Iterator[None]:
    """Run ``command`` until the block ends; enter the block once ``probe`` answers 200 (fail if it never does)."""
    # stderr goes to a file, not a pipe: a server logging every request would block once a pipe's buffer is full.
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log, **popen)  # type: ignore[call-overload]
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    log.seek(0)
                    pytest.fail(f"{what} exited: {log.read().decode(errors='replace')[-4000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{what} did not answer within {seconds:g} s")
                time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def oxigraph_server(location: Path, *, read_only: bool, timeout_s: int = 60) -> Iterator[str]:
    """``oxigraph serve[-read-only]`` on a free loopback port; yields its base URL (``…/query``, ``…/store``)."""
    port = free_port()
    command = [oxigraph_binary(), "serve-read-only" if read_only else "serve", "--location", str(location),
               "--bind", f"127.0.0.1:{port}", "--timeout-s", str(timeout_s)]
    url = f"http://127.0.0.1:{port}"
    with running(command, f"{url}/query?query=ASK%7B%7D", "oxigraph", seconds=30):
        yield url

"""``forecastle serve``: the page answers on loopback and a browser session gets the real TUI."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft

ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _forecastle(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def _first_screen(port: int, expected: bytes) -> bytes:
    """Connect as a browser tab does and read the terminal stream until ``expected`` shows."""
    received = b""
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(f"http://127.0.0.1:{port}/ws?width=110&height=30") as ws,
    ):
        async with asyncio.timeout(30):
            async for message in ws:
                received += (
                    message.data if isinstance(message.data, bytes) else str(message.data).encode()
                )
                if expected in received:
                    break
    return received


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    workspace = tmp_path / "team.db"
    with open_workspace(workspace) as db:
        store.add_question(
            db, QuestionDraft(title="Will the river flood this spring?"), author="ana"
        )
    port = _free_port()
    server = _forecastle("--db", str(workspace), "--as", "ana", "serve", "--port", str(port))
    yield port, workspace
    server.terminate()
    server.wait(timeout=10)


def test_serve_page_answers_on_loopback(served) -> None:  # type: ignore[no-untyped-def]
    port, _ = served
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                page = response.read().decode()
                break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    assert response.status == 200 and "textual.js" in page and "forecastle" in page
    stream = asyncio.run(_first_screen(port, b"you are ana"))
    assert b"Will the river flood" in stream


def test_serve_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        process = _forecastle("--db", str(tmp_path / "w.db"), "serve", "--port", str(port))
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.decode().startswith(f"error: port: cannot listen on 127.0.0.1:{port}")
    assert stderr.decode().count("\n") == 1
    assert not (tmp_path / "w.db").exists()  # a busy port creates no workspace

"""Two people at one ``forecastle serve``: each browser session, authenticated its own way, runs
forecastle ``--as`` its user, and an edit made in each is recorded in the workspace with that
user's name.

The test speaks textual-serve's browser protocol over a real websocket (aiohttp), as the page's
JavaScript does: ``["stdin", KEYS]`` carries key presses (terminal input, as xterm.js sends it)
to the app process the server spawned for that session, and the terminal stream comes back. Each
session opens the question (enter), opens the forecast dialog (f, prefilled with the model's
posterior) and saves it (ctrl+s); the forecasts are read back from the real workspace file.
"""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import pytest

from forecast.workspace import open_workspace
from questions import store
from questions.identity import add_user
from questions.models import QuestionDraft
from tests.test_serve import _forecastle, _free_port
from tests.test_serve_identity import _status

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

CTRL_S = "\x13"


async def _forecast_as(port: int, headers: dict[str, str], user: str, workspace: Path) -> None:
    """One browser tab: wait for the home screen (``you are USER``), open Q1, forecast, save."""
    received = b""

    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(f"http://127.0.0.1:{port}/ws?width=120&height=36", headers=headers) as ws,
    ):

        async def until(expected: bytes) -> None:
            nonlocal received
            async with asyncio.timeout(60):
                while expected not in received:
                    message = await ws.receive()
                    if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                        raise AssertionError(f"{user}: session closed before {expected!r}")
                    data = message.data
                    received += data if isinstance(data, bytes) else str(data).encode()

        await until(f"you are {user}".encode())
        await until(b"Will the river flood")
        received = b""
        await ws.send_json(["stdin", "\r"])  # open the highlighted question (Q1)
        await until(b"resolves:")
        received = b""
        await ws.send_json(["stdin", "f"])  # the forecast dialog, as this user
        await until(f"as {user}".encode())
        await ws.send_json(["stdin", CTRL_S])
        await _recorded(workspace, user)


async def _recorded(workspace: Path, user: str) -> None:
    """Wait until the workspace holds a forecast by ``user`` (the save runs in a worker)."""
    deadline = time.monotonic() + 30
    while True:
        with open_workspace(workspace) as db:
            if any(f.forecaster == user for f in store.forecasts_for(db, 1)):
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"no forecast by {user} was recorded")
        await asyncio.sleep(0.2)


def _run(tmp_path: Path, options: tuple[str, ...], sessions: dict[str, dict[str, str]]) -> None:
    workspace = tmp_path / "team.db"
    with open_workspace(workspace) as db:
        store.add_question(
            db, QuestionDraft(title="Will the river flood this spring?"), author="ana"
        )
    port = _free_port()
    server = _forecastle(
        "--db", str(workspace), "--as", "owner", "serve", "--port", str(port), *options
    )
    try:
        assert asyncio.run(_status(port, {})) == 401  # no identity: nothing runs

        async def both() -> None:
            await asyncio.gather(
                *(_forecast_as(port, h, user, workspace) for user, h in sessions.items())
            )

        asyncio.run(both())
    finally:
        server.terminate()
        server.wait(timeout=10)
    with open_workspace(workspace) as db:
        forecasters = sorted(f.forecaster for f in store.forecasts_for(db, 1))
    assert forecasters == sorted(sessions)  # one each, each under its own name; none as owner


def test_two_users_behind_a_proxy_each_record_their_own_forecast(tmp_path: Path) -> None:
    _run(
        tmp_path,
        ("--user-header", "X-Forwarded-User"),
        {"bea": {"X-Forwarded-User": "bea"}, "cal": {"X-Forwarded-User": "cal"}},
    )


def test_two_users_from_a_users_file_each_record_their_own_forecast(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    add_user(users, "dee", "correct horse")
    add_user(users, "eli", "battery staple")

    def basic(user: str, password: str) -> dict[str, str]:
        token = base64.b64encode(f"{user}:{password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    _run(
        tmp_path,
        ("--users", str(users)),
        {"dee": basic("dee", "correct horse"), "eli": basic("eli", "battery staple")},
    )

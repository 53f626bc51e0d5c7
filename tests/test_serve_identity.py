"""``forecastle serve`` knows who is who: a non-loopback host needs an identity source; without
identity a request gets 401 and nothing runs; each browser session runs as its own user."""

from __future__ import annotations

import asyncio
import base64
import time
from pathlib import Path

import aiohttp
import pytest

from forecast.workspace import open_workspace
from questions import store
from questions.identity import Identity, add_user, hash_password, read_users
from questions.models import QuestionDraft
from tests.test_serve import _forecastle, _free_port


def _start(tmp_path: Path, *options: str):  # type: ignore[no-untyped-def]
    workspace = tmp_path / "team.db"
    with open_workspace(workspace) as db:
        store.add_question(
            db, QuestionDraft(title="Will the river flood this spring?"), author="ana"
        )
    port = _free_port()
    server = _forecastle(
        "--db", str(workspace), "--as", "owner", "serve", "--port", str(port), *options
    )
    return server, port


async def _status(port: int, headers: dict[str, str]) -> int:
    deadline = time.monotonic() + 30
    async with aiohttp.ClientSession() as client:
        while True:
            try:
                async with client.get(f"http://127.0.0.1:{port}/", headers=headers) as response:
                    return response.status
            except aiohttp.ClientConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.2)


async def _screen(port: int, headers: dict[str, str], expected: bytes) -> bytes:
    received = b""
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(f"http://127.0.0.1:{port}/ws?width=110&height=30", headers=headers) as ws,
    ):
        async with asyncio.timeout(30):
            async for message in ws:
                data = message.data
                received += data if isinstance(data, bytes) else str(data).encode()
                if expected in received:
                    break
    return received


async def _refused_websocket(port: int) -> int:
    async with aiohttp.ClientSession() as client:
        try:
            async with client.ws_connect(f"http://127.0.0.1:{port}/ws"):
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


def test_user_header_from_the_trusted_proxy(tmp_path: Path) -> None:
    server, port = _start(tmp_path, "--user-header", "X-Forwarded-User")
    try:
        assert asyncio.run(_status(port, {})) == 401
        assert asyncio.run(_refused_websocket(port)) == 401
        assert asyncio.run(_status(port, {"X-Forwarded-User": "bea"})) == 200

        async def both() -> tuple[bytes, bytes]:
            return await asyncio.gather(
                _screen(port, {"X-Forwarded-User": "bea"}, b"you are bea"),
                _screen(port, {"X-Forwarded-User": "cal"}, b"you are cal"),
            )

        bea, cal = asyncio.run(both())
        assert b"you are bea" in bea and b"you are cal" in cal and b"owner" not in bea + cal
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_header_from_an_untrusted_address_is_no_identity(tmp_path: Path) -> None:
    server, port = _start(
        tmp_path, "--user-header", "X-Forwarded-User", "--trusted-proxy", "10.9.9.9"
    )
    try:
        assert asyncio.run(_status(port, {"X-Forwarded-User": "bea"})) == 401
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_users_file_with_basic_auth(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    add_user(users, "dee", "correct horse")
    server, port = _start(tmp_path, "--users", str(users))
    good = {"Authorization": "Basic " + base64.b64encode(b"dee:correct horse").decode()}
    bad = {"Authorization": "Basic " + base64.b64encode(b"dee:wrong").decode()}
    try:
        assert asyncio.run(_status(port, {})) == 401
        assert asyncio.run(_status(port, bad)) == 401
        assert asyncio.run(_status(port, good)) == 200
        assert b"you are dee" in asyncio.run(_screen(port, good, b"you are dee"))
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1"])  # noqa: S104
def test_non_loopback_without_identity_is_refused(tmp_path: Path, host: str) -> None:
    process = _forecastle("--db", str(tmp_path / "w.db"), "serve", "--host", host)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 1
    assert stderr.decode().startswith(f"error: --host: {host}: not loopback")


def test_passwords_are_stored_hashed_and_checked(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    add_user(users, "dee", "correct horse")
    assert "correct horse" not in users.read_text()
    identity = Identity(users=read_users(users))
    token = base64.b64encode(b"dee:correct horse").decode()
    assert identity.user({"Authorization": f"Basic {token}"}, "10.0.0.1") == "dee"
    assert identity.user({"Authorization": "Basic ZGVlOng="}, "10.0.0.1") is None
    assert hash_password("x", salt=b"0" * 16) == hash_password("x", salt=b"0" * 16)
    users.write_text("dee:plaintext\n")
    with pytest.raises(Exception, match=r"users.txt:1:5: password: 'plaintext'"):
        read_users(users)

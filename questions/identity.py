"""Who a web request is, for ``forecastle serve`` on a network: a header set by a trusted
authenticating proxy, or a users file of names with scrypt-hashed passwords (HTTP Basic).

Passwords are hashed with ``hashlib.scrypt`` from the standard library (memory-hard, salted;
nothing to install and nothing to keep patched beyond Python itself). A users file has one line
per user: ``NAME:scrypt:N:r:p:SALT_HEX:HASH_HEX``; ``#`` starts a comment.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InvalidInput

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$")
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt:{SCRYPT_N}:{SCRYPT_R}:{SCRYPT_P}:{salt.hex()}:{digest.hex()}"


def _verify(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split(":")
    found = hashlib.scrypt(
        password.encode(),
        salt=bytes.fromhex(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        maxmem=256 * 1024 * 1024,
    )
    return hmac.compare_digest(found.hex(), digest)


def read_users(path: Path) -> dict[str, str]:
    """name -> stored hash; a malformed line is refused as FILE:LINE:COLUMN: field: value: allowed."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"--users: {path}: cannot read ({exc})") from None
    users: dict[str, str] = {}
    pattern = re.compile(r"^scrypt:\d+:\d+:\d+:[0-9a-f]{32}:[0-9a-f]{64,128}$")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, stored = line.strip().partition(":")
        if not NAME.match(name):
            raise InvalidInput(
                f"{path}:{number}:1: name: {name!r}: letters, digits and ._@- (up to 100)"
            )
        if not pattern.match(stored):
            raise InvalidInput(
                f"{path}:{number}:{len(name) + 2}: password: {stored[:20]!r}: a hash written by"
                " `forecastle serve-user FILE NAME`"
            )
        users[name] = stored
    if not users:
        raise InvalidInput(f"--users: {path}: names no users (add one with forecastle serve-user)")
    return users


def add_user(path: Path, name: str, password: str) -> None:
    """Add or replace ``name`` in a users file (created if missing)."""
    if not NAME.match(name):
        raise InvalidInput(f"name: {name!r}: letters, digits and ._@- (up to 100)")
    if len(password) < 8:
        raise InvalidInput("password: at least 8 characters")
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    lines = [line for line in lines if line.partition(":")[0] != name]
    lines.append(f"{name}:{hash_password(password)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)


@dataclass
class Identity:
    """How ``serve`` learns who a request is; ``user`` returns None when it cannot (-> 401)."""

    fixed_user: str | None = None
    header: str | None = None
    trusted: tuple[str, ...] = ("127.0.0.1",)
    users: dict[str, str] = field(default_factory=dict)
    _checked: dict[str, str] = field(default_factory=dict)

    def user(self, headers: Mapping[str, str], peer: str | None) -> str | None:
        if self.header is not None:
            if peer is None or not self._trusted(peer):
                return None
            name = headers.get(self.header, "").strip()
            return name if NAME.match(name) else None
        if self.users:
            return self._basic(headers.get("Authorization", ""))
        return self.fixed_user

    def _trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in self.trusted)

    def _basic(self, header: str) -> str | None:
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            name, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        stored = self.users.get(name)
        if stored is None:
            return None
        seen = hashlib.sha256(header.encode()).hexdigest()  # a browser re-sends it on every request
        if self._checked.get(seen) == name:
            return name
        if _verify(password, stored):
            self._checked[seen] = name
            return name
        return None

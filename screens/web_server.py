"""``forecastle serve``'s web server: textual-serve with identity. Every request must say who it
is (``questions.identity``), or it gets 401 and nothing runs; each browser session then runs its
own forecastle ``--as`` that user, so authorship, conflicts and review work per person."""

from __future__ import annotations

import shlex
from collections.abc import Awaitable, Callable
from contextvars import ContextVar

from aiohttp import web
from textual_serve.server import Server

from questions.identity import Identity

_current_user: ContextVar[str | None] = ContextVar("forecastle_user", default=None)


class IdentityServer(Server):
    def __init__(self, base_command: list[str], identity: Identity, **kwargs: object) -> None:
        self._base = base_command
        self.identity = identity
        super().__init__(shlex.join(base_command), **kwargs)  # type: ignore[arg-type]

    @property  # type: ignore[override]
    def command(self) -> str:
        """The command for the request being served: forecastle ``--as`` its user."""
        user = _current_user.get()
        return shlex.join([*self._base, "--as", user] if user else self._base)

    @command.setter
    def command(self, value: str) -> None:
        pass  # fixed at construction (``_base``)

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._who)
        return app

    @web.middleware
    async def _who(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        user = self.identity.user(request.headers, request.remote)
        if user is None:
            headers = (
                {"WWW-Authenticate": 'Basic realm="forecastle"'} if self.identity.users else {}
            )
            return web.Response(
                status=401, text="401: who are you? (no identity)\n", headers=headers
            )
        token = _current_user.set(user)
        try:
            return await handler(request)
        finally:
            _current_user.reset(token)

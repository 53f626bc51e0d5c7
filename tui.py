"""The ``forecastle`` command: the TUI when run bare, ``demo`` and ``serve``, and the verbs of
``cli/`` (each command module imported only when its verb is looked up).

Textual is imported only when a screen is about to open, so scripted CLI verbs start fast.
"""

from __future__ import annotations

import os
import sys

OWN_PACKAGES = ("questions", "arguments", "forecast", "cli", "screens")
"""forecastle's top-level packages. Their names are taken on PyPI by unrelated projects, so an
install can end up with one of those in their place: ``refuse_replaced_packages`` says so in one
line before anything is imported from them."""


def refuse_replaced_packages() -> None:
    """Exit with one line if one of ``OWN_PACKAGES`` is not forecastle's: found elsewhere than
    beside this file (another distribution, or a folder on ``PYTHONPATH``, shadows it), or, in an
    installed wheel, its ``__init__.py`` differs from the one forecastle's RECORD lists (another
    distribution wrote over it). Cheap: no package is imported, one small file per package hashed
    only when installed from a wheel."""
    from importlib.util import find_spec

    home = os.path.dirname(os.path.realpath(__file__))
    recorded = _recorded_init_hashes(home)
    for name in OWN_PACKAGES:
        expected = os.path.join(home, name, "__init__.py")
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None or os.path.realpath(origin) != expected:
            found = "nowhere" if spec is None else (origin or "a namespace package")
            _replaced(name, f"the one imported comes from {found}, not {expected}")
        elif name in recorded and _file_hash(expected) != recorded[name]:
            _replaced(name, f"{expected} is not the file forecastle installed")


def _recorded_init_hashes(home: str) -> dict[str, str]:
    """``name -> sha256=...`` of each package's ``__init__.py`` from the RECORD of a forecastle
    wheel installed in ``home`` (empty for a clone or an editable install)."""
    try:
        infos = [e.path for e in os.scandir(home) if e.name.startswith("forecastle-")]
    except OSError:
        return {}
    hashes: dict[str, str] = {}
    for info in infos:
        if not info.endswith(".dist-info"):
            continue
        try:
            with open(os.path.join(info, "RECORD"), encoding="utf-8") as record:
                for line in record:
                    path, _, rest = line.partition(",")
                    package, _, leaf = path.partition("/")
                    if leaf == "__init__.py" and package in OWN_PACKAGES:
                        hashes[package] = rest.partition(",")[0]
        except OSError:
            continue
    return hashes


def _file_hash(path: str) -> str:
    import base64
    import hashlib

    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _replaced(name: str, detail: str) -> None:
    try:
        from importlib.metadata import packages_distributions

        others = sorted(set(packages_distributions().get(name, [])) - {"forecastle"})
    except Exception:  # noqa: BLE001 - naming the culprit is a courtesy; the message stands
        others = []
    culprit = f" (installed by {', '.join(others)})" if others else ""
    sys.exit(
        f"forecastle: the package {name!r} is not forecastle's{culprit}: {detail}; "
        "install forecastle in an environment of its own (pipx install / uv tool install)"
    )


refuse_replaced_packages()

from pathlib import Path  # noqa: E402  (after the check above: these import our packages)

import click  # noqa: E402

from cli import COMMANDS  # noqa: E402
from cli.support import ForecastleGroup, emit_json, write_verb  # noqa: E402
from forecast.workspace import open_workspace  # noqa: E402
from questions.session import Session, default_user  # noqa: E402
from questions.workspace import default_path  # noqa: E402


@click.group(cls=ForecastleGroup, lazy_commands=COMMANDS, invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Workspace file (default: FORECASTLE_DB, else the user data dir).",
)
@click.option("--as", "user", help="Act as NAME (default: FORECASTLE_USER, else the login name).")
@click.version_option(package_name="forecastle")
@click.pass_context
def main(ctx: click.Context, db: Path | None, user: str | None) -> None:
    """forecastle: structured argument and forecasting in the terminal.

    Run without a command to open the TUI on the workspace.
    """
    ctx.obj = Session(
        path=db or default_path(),
        user=user or default_user(),
        opener=open_workspace,
        explicit_path=db is not None,
        announce=lambda message: click.echo(message, err=True),
    )
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj)


@main.command("demo")
@click.option("--rebuild", is_flag=True, help="Build the demo workspace again from nothing.")
@click.option("--no-open", is_flag=True, help="Build it, print where, do not open the TUI.")
@write_verb
@click.pass_obj
def demo(session: Session, rebuild: bool, no_open: bool, as_json: bool) -> None:
    """Build (once) and open the demo workspace."""
    from forecast.demo import build_demo, demo_path

    if not session.explicit_path:
        session.path = demo_path()
    created = build_demo(session.path, rebuild=rebuild)
    if as_json:
        emit_json({"workspace": str(session.path), "built": created})
    elif no_open:
        click.echo(f"{'built' if created else 'using'} demo workspace {session.path}")
    if no_open:
        return
    run_app(session)


@main.command("serve")
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="TCP port."
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; the default, loopback, keeps it to this machine. Any other needs"
    " --user-header or --users.",
)
@click.option(
    "--user-header",
    metavar="NAME",
    help="Take each request's user from this header, set by an authenticating reverse proxy.",
)
@click.option(
    "--trusted-proxy",
    "trusted",
    multiple=True,
    metavar="ADDRESS",
    help="Accept --user-header only from this address or network (repeatable; default 127.0.0.1).",
)
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ask each browser for a name and password (HTTP Basic) checked against this file"
    " (forecastle serve-user).",
)
@click.pass_obj
def serve(
    session: Session,
    port: int,
    host: str,
    user_header: str | None,
    trusted: tuple[str, ...],
    users_file: Path | None,
) -> None:
    """Serve the TUI to a web browser (textual-serve): each browser tab runs its own forecastle
    on this workspace, as this user on loopback, or as the user the request names (--user-header,
    --users); a request without identity gets 401 and nothing runs."""
    import socket
    import sys

    from questions.errors import InvalidInput
    from questions.identity import Identity, is_loopback, read_users

    if user_header and users_file:
        raise InvalidInput("serve: give --user-header or --users, not both")
    if trusted and not user_header:
        raise InvalidInput("--trusted-proxy: goes with --user-header")
    if not (user_header or users_file) and not is_loopback(host):
        raise InvalidInput(
            f"--host: {host}: not loopback; say who each browser is with --user-header NAME (behind"
            " an authenticating proxy) or --users FILE"
        )
    identity = Identity(fixed_user=session.user)
    if user_header:
        identity = Identity(header=user_header, trusted=trusted or ("127.0.0.1",))
        _check_networks(identity.trusted)
    elif users_file:
        identity = Identity(users=read_users(users_file))
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        raise InvalidInput(
            f"port: cannot listen on {host}:{port} ({exc.strerror}); choose another with --port"
        ) from None
    session.may_create = True  # each browser tab's TUI writes
    session.db  # noqa: B018  (open it now: a bad workspace is refused here, not in each browser tab)
    from screens.web_server import IdentityServer

    command = [sys.executable, "-m", "tui", "--db", str(session.path)]
    IdentityServer(command, identity, host=host, port=port, title="forecastle").serve()


def _check_networks(networks: tuple[str, ...]) -> None:
    import ipaddress

    from questions.errors import InvalidInput

    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise InvalidInput(
                f"--trusted-proxy: {network!r}: an IP address or network (10.0.0.0/8)"
            ) from None


@main.command("serve-user")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("name")
@click.password_option(help="The password (asked for when not given).")
def serve_user(file: Path, name: str, password: str) -> None:
    """Add NAME (or change their password) in a users FILE for `serve --users FILE`; the password
    is stored hashed (scrypt)."""
    from questions.identity import add_user

    add_user(file, name, password)
    click.echo(f"{name}: saved in {file}")


def run_app(session: Session) -> None:
    """Open the TUI on the session's workspace; exit with the app's status (non-zero when it
    crashed, e.g. on a stylesheet it could not read)."""
    import sys

    from screens.app import ForecastleApp

    session.may_create = True  # the TUI writes: a new workspace starts here
    session.db  # noqa: B018  (open, or create and say so, before the screen is taken over)
    app = ForecastleApp(session)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


if __name__ == "__main__":  # ``python -m tui``: what ``forecastle serve`` runs per browser tab
    main()

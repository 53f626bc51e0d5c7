"""A property-based fuzz test of the CLI: random argument lists for every verb (bad numbers, odd
Unicode, huge strings, control characters). Every run exits 0, 1 or 2; a refusal (1) or a usage
mistake (2) is one line on stderr, never a traceback; and a refusal leaves the workspace's dump
exactly as it was."""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import Cli

SKIPPED = {
    ("demo",),  # opens the TUI
    ("serve",),  # runs a web server until stopped
    ("serve-user",),  # writes a password file it prompts for
    ("git", "install"),  # changes a git repository's configuration
}
FILES = ["missing.txt", "notes.txt", "bundle.json", "brief.md", "out/x.txt", "."]
"""What a path argument is drawn from: files the run's own temporary folder may hold."""
ARTICLE = """Will the river flood?
By A. Writer, 1 March 2020

Officials said the river could rise by 2 metres if the rains continue.[1]

The dam is likely to hold until June.[2]

1. Water board, report.
2. Ibid.
"""


def verbs() -> list[tuple[tuple[str, ...], click.Command]]:
    from tui import main

    found: list[tuple[tuple[str, ...], click.Command]] = []

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, (*path, name))
        elif path not in SKIPPED:
            found.append((path, command))

    walk(main, ())
    return found


VERBS = verbs()
OUTCOMES: dict[int, int] = {}
junk_text = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    st.sampled_from(["\x7f", "\n\n", "\t\r", "\x1b[31m", "‮Q1", "Ｑ１", "🦉", "Q1\n", "-", "--"]),
    st.integers(1_000, 60_000).map(lambda n: "ẞ" * n),
)
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
    st.sampled_from(["nan", "-inf", "1e309", "0x10", "½", "1,5", "", " 0.5 ", "٣"]),
)
refs = st.sampled_from(
    ["Q1", "Q2", "Q999", "E1", "E2", "S1", "S1:2", "S1:99", "N1", "C1", "q1", "1", "S1:" + "9" * 25]
)


def value_for(param: click.Parameter) -> st.SearchStrategy[str]:
    kind = param.type
    if isinstance(kind, click.Choice):
        return st.one_of(st.sampled_from([str(c) for c in kind.choices]), junk_text)
    if isinstance(kind, (click.Path, click.File)):
        return st.sampled_from(FILES)
    if isinstance(kind, (click.types.FloatParamType, click.types.IntParamType)):
        return st.one_of(numbers, junk_text)
    return st.one_of(refs, numbers, junk_text)


@st.composite
def argument_lists(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(VERBS))
    args = list(path)
    for param in command.params:
        if isinstance(param, click.Argument):
            if draw(st.integers(0, 9)) > 0:
                args += [draw(value_for(param)) for _ in range(max(param.nargs, 1))]
        elif isinstance(param, click.Option) and draw(st.booleans()):
            flag = param.opts[-1]
            if param.is_flag:
                args.append(flag)
            else:
                args += [flag, *(draw(value_for(param)) for _ in range(max(param.nargs, 1)))]
    if draw(st.integers(0, 4)) == 0:
        extra = draw(st.one_of(junk_text, refs, st.sampled_from(["--json", "--bogus", "-x"])))
        args.insert(draw(st.integers(0, len(args))), extra)
    return [arg.replace("\x00", "") for arg in args]  # an operating system's argv has no NUL


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    cli = Cli(folder / "template.db")
    cli.ok("question", "add", "Will the river flood?", "--prior", "0.3")
    cli.ok("question", "add", "Who wins?", "--outcome", "A", "--outcome", "B", "--outcome", "C")
    cli.ok("evidence", "add", "Q1", "Rain keeps falling", "--lr", "2", "--range", "1.5", "3")
    cli.ok("forecast", "Q1", "0.4")
    article = folder / "article.txt"
    article.write_text(ARTICLE)
    cli.ok("import", "article", str(article))
    cli.ok("tree", "add", "Q1", "The dam holds")
    cli.ok("comment", "E1", "Which gauge?")
    return cli.path


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(args=argument_lists())
def test_every_verb_ends_cleanly_on_random_arguments(template: Path, args: list[str]) -> None:
    from tui import main

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        workspace = work / "w.db"
        shutil.copy(template, workspace)
        (work / "notes.txt").write_text("not json, not csv: \x00\x01 ✓\n")
        (work / "bundle.json").write_text('{"format": "forecastle-bundle", "version": 99}')
        (work / "brief.md").write_text(ARTICLE)
        before = dump(workspace)
        with contextlib.chdir(work):
            result = CliRunner().invoke(main, ["--db", str(workspace), *args])
        OUTCOMES[result.exit_code] = OUTCOMES.get(result.exit_code, 0) + 1
        shown = f"args={args!r}\nstdout={result.stdout[-500:]!r}\nstderr={result.stderr[-500:]!r}"
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            f"{shown}\n{result.exc_info}"
        )
        assert result.exit_code in (0, 1, 2), shown
        assert "Traceback" not in result.output, shown
        if result.exit_code == 1 and args[:1] == ["diff"] and not result.stderr:
            assert result.stdout, shown  # diff(1)'s convention: 1 means "they differ"
        elif result.exit_code:
            assert result.stderr.strip(), shown
            assert "\n" not in result.stderr.strip(), shown
            assert dump(workspace) == before, shown


def test_the_fuzz_reaches_every_outcome() -> None:
    """Runs after the fuzz (same module, file order): the arguments were not all refused."""
    if not OUTCOMES:
        pytest.skip("the fuzz test did not run first")
    assert {0, 1, 2} <= set(OUTCOMES), OUTCOMES

"""The README's Python example runs as written, and every command it lists exists."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

README = Path(__file__).resolve().parents[1] / "README.md"


def test_python_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own documentation
    model = namespace["model"]
    assert 0.3 < float(model.analysis.posterior[0]) < 1.0  # type: ignore[attr-defined]
    assert (tmp_path / "team.db").exists()


def test_documented_commands_exist() -> None:
    from tui import main

    text = README.read_text()
    verb = r"[a-z][a-z-]*(?: [a-z][a-z-]*)?"
    blocks = "\n".join(re.findall(r"```\n(.*?)```", text, flags=re.S))
    commands = set(re.findall(rf"^\s*forecastle ({verb})", blocks, flags=re.M))
    commands |= set(re.findall(rf"`forecastle ({verb})", text))
    assert len(commands) > 20
    runner = CliRunner()
    context = click.Context(main)
    for command in sorted(commands):
        words = command.split()
        group = main.get_command(context, words[0])
        if len(words) == 2 and not (
            group is not None and hasattr(group, "commands") and words[1] in group.commands
        ):
            words = words[:1]  # "forecastle resolve ID": the second word is an argument
        result = runner.invoke(main, [*words, "--help"])
        assert result.exit_code == 0, f"forecastle {command}: {result.output}"

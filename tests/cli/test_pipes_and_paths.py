"""Pipes and paths: ``-o -`` is standard output, ``import ... -`` reads standard input, a missing
workspace is refused by read-only verbs (nothing created) and created by verbs that write (said
once on stderr), and every verb that writes has ``--json``."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from arguments import source_store
from cli.support import writes
from tests.conftest import Cli, dump

WRITE_VERBS = {
    "import text",
    "import history",
    "question add",
    "question edit",
    "question duplicate",
    "question remove",
    "question restore",
    "forecast",
    "resolve",
    "unresolve",
    "evidence add",
    "evidence edit",
    "evidence remove",
    "tree add",
    "tree link",
    "tree move",
    "tree status",
    "comment",
    "review",
    "challenge",
    "accept",
    "reject",
    "resolve-thread",
    "import forecasts",
    "import article",
    "import bundle",
    "demo",
    "condition",
    "indicator add",
    "indicator remove",
}
READ_VERBS = {
    "question list",
    "question show",
    "evidence list",
    "source list",
    "source show",
    "source claims",
    "tree show",
    "comments",
    "ach",
    "report",
    "calibration",
    "export bundle",
    "backup",  # reads the workspace; writes only the copy
    "datasette-metadata",
    "indicator list",
    "conditions",
    "whatif",
    "export text",
}
# Verbs that never open a workspace: they work on files, directories or git.
NO_WORKSPACE_VERBS = {"diff", "git install", "git textconv", "git merge-driver", "serve-user"}
READ_CALLS = [
    ["question", "list"],
    ["question", "show", "Q1"],
    ["evidence", "list", "Q1"],
    ["source", "list"],
    ["source", "show", "S1"],
    ["source", "claims", "S1"],
    ["tree", "show", "Q1"],
    ["comments", "Q1"],
    ["ach", "Q1"],
    ["report"],
    ["report", "--format", "json", "-o", "out.json"],
    ["calibration", "tester"],
    ["export", "bundle"],
    ["indicator", "list"],
    ["conditions"],
]


def leaf_commands() -> dict[str, click.Command]:
    from tui import main

    found: dict[str, click.Command] = {}

    def walk(group: click.Group, prefix: str) -> None:
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None
            if isinstance(command, click.Group):
                walk(command, f"{prefix}{name} ")
            else:
                found[f"{prefix}{name}"] = command

    walk(main, "")
    return found


def test_every_verb_is_read_only_or_writes_and_every_write_verb_has_json() -> None:
    commands = leaf_commands()
    assert set(commands) == WRITE_VERBS | READ_VERBS | NO_WORKSPACE_VERBS | {"serve"}
    assert {name for name, command in commands.items() if writes(command)} == WRITE_VERBS
    for name in WRITE_VERBS:
        options = {o for p in commands[name].params for o in getattr(p, "opts", [])}
        assert "--json" in options, name


@pytest.mark.parametrize("args", READ_CALLS, ids=lambda a: " ".join(a[:2]))
def test_read_only_verbs_refuse_a_missing_workspace_and_create_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    from tui import main

    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "no-such-dir" / "wrokspace.db"
    result = CliRunner().invoke(main, ["--db", str(typo), *args])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {typo}: no workspace there (check --db or FORECASTLE_DB; "
        "a command that writes creates one)\n"
    )
    assert result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_default_workspace_is_refused_too_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui import main

    monkeypatch.setenv("FORECASTLE_DB", str(tmp_path / "env.db"))
    result = CliRunner().invoke(main, ["question", "list"])
    assert result.exit_code == 1 and str(tmp_path / "env.db") in result.stderr
    assert not (tmp_path / "env.db").exists()


def test_write_verbs_create_the_workspace_and_say_so_once(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "new" / "team.db")
    first = cli("question", "add", "Will it rain?")
    assert first.exit_code == 0
    assert first.stdout == "Q1\n"
    assert first.stderr == f"created workspace {tmp_path / 'new' / 'team.db'}\n"
    second = cli("forecast", "Q1", "0.3")
    assert second.exit_code == 0 and second.stderr == ""


def test_a_refused_write_on_a_missing_workspace_still_says_it_was_created(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "w.db")
    result = cli("forecast", "Q9", "0.3")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"created workspace {tmp_path / 'w.db'}"


def test_dash_output_writes_to_stdout(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cli.ok("question", "add", "Will it rain?")
    cli.ok("forecast", "Q1", "0.7", "--at", "2026-01-02")
    cli.ok("resolve", "Q1", "Yes")
    report = cli("report", "--format", "json", "-o", "-")
    assert report.exit_code == 0 and report.stderr == ""
    assert json.loads(report.stdout) == json.loads(cli.ok("report", "--format", "json"))
    bundle = cli("export", "bundle", "--output", "-")
    assert bundle.exit_code == 0 and json.loads(bundle.stdout)["questions"][0]["title"]
    assert not (tmp_path / "-").exists()
    cli.ok("report", "--format", "md", "-o", "report.md")
    assert (tmp_path / "report.md").read_text().startswith("#")


def test_imports_read_standard_input(tmp_path: Path) -> None:
    source = Cli(tmp_path / "a.db")
    source.ok("question", "add", "Shared?")
    source.ok("forecast", "Q1", "0.4")
    bundle = source.ok("export", "bundle")

    target = Cli(tmp_path / "b.db")
    merged = target("import", "bundle", "-", "--json", input=bundle)
    assert merged.exit_code == 0, merged.stderr
    assert json.loads(merged.stdout)["added"]
    csv = "question,forecaster,probability,made_at\nQ1,ann,0.7,2026-01-02\n"
    imported = target("import", "forecasts", "-", input=csv)
    assert imported.exit_code == 0 and "1 forecasts added" in imported.stdout
    text = (
        "# Troops and timelines\n\nThe coalition will leave by 2026, officials said.[1]\n\n"
        "Iraqi units still depend on air support.[2]\n\nOthers disagree.\n\n"
        "Notes\n\n[1] Reuters, 2024.\n[2] Ibid.\n"
    )
    article = target("import", "article", "-", "--json", input=text)
    assert article.exit_code == 0, article.stderr
    data = json.loads(article.stdout)
    assert data["id"] == "S1" and data["passages"] >= 2 and data["citations"] >= 1


def test_stdin_errors_name_stdin_and_keep_the_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = Cli(tmp_path / "w.db")
    cli.ok("question", "add", "Q?")
    before = dump(cli.open())
    bad = cli("import", "forecasts", "-", input="question,forecaster\nQ1,ann\n")
    assert bad.exit_code == 1 and bad.stderr.startswith("error: stdin:1: missing column")
    monkeypatch.setattr(source_store, "MAX_ARTICLE_BYTES", 100)
    big = cli("import", "article", "-", input="Title\n\n" + "word " * 100)
    assert big.exit_code == 1 and big.stderr == "error: stdin: larger than 100 bytes\n"
    assert dump(cli.open()) == before


def test_write_verbs_print_json(cli: Cli) -> None:
    added = json.loads(cli.ok("question", "add", "Will it rain?", "--prior", "0.4", "--json"))
    assert added["id"] == "Q1" and added["outcomes"][0] == {"name": "Yes", "prior": 0.4}
    made = json.loads(cli.ok("forecast", "Q1", "0.7", "--json", "--at", "2026-01-02"))
    assert made == {
        "question": "Q1",
        "forecaster": "tester",
        "made_at": "2026-01-02T00:00:00Z",
        "probs": [0.7, pytest.approx(0.3)],
        "rationale": "",
        "recalibration": "no recalibration yet: only 0 resolved forecasts; "
        "recalibration needs at least 20",
        "recalibrated": None,
        "took_recalibration": False,
    }
    item = json.loads(cli.ok("evidence", "add", "Q1", "Clouds", "--lr", "3", "--json"))
    assert item["id"] == "E1" and item["lr"] == 3 and item["version"] == 1
    edited = json.loads(cli.ok("evidence", "edit", "E1", "--lr", "2", "--json"))
    assert edited["lr"] == 2 and edited["version"] == 2
    node = json.loads(cli.ok("tree", "add", "Q1", "Wet season", "--json"))
    assert node["id"] == "N1" and node["stance"] == "supports" and node["parent"] is None
    linked = json.loads(cli.ok("tree", "link", "N1", "E1", "--json"))
    assert linked["evidence"] == ["E1"]
    comment = json.loads(cli.ok("comment", "E1", "Source?", "--json"))
    assert comment["id"] == 1 and comment["target"] == "E1"
    challenged = json.loads(cli.ok("challenge", "E1", "--lr", "1.5", "--reason", "weak", "--json"))
    assert challenged["id"] == "C1" and challenged["evidence"] == "E1"
    removed = json.loads(cli.ok("evidence", "remove", "E1", "--json"))
    assert removed["removed_at"]
    resolved = json.loads(cli.ok("resolve", "Q1", "Yes", "--json"))
    assert resolved["status"] == "resolved" and resolved["resolution"]["outcome"] == "Yes"
    reopened = json.loads(cli.ok("unresolve", "Q1", "--json"))
    assert reopened["status"] == "open"


def test_demo_json(tmp_path: Path) -> None:
    cli = Cli(tmp_path / "demo.db")
    data = json.loads(cli.ok("demo", "--no-open", "--json"))
    assert data == {"workspace": str(tmp_path / "demo.db"), "built": True}

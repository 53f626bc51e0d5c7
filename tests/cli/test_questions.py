import json

from tests.conftest import Cli, dump


def test_question_add_list_show(cli: Cli) -> None:
    assert (
        cli.ok("question", "add", "Will troops leave?", "--prior", "0.3", "--tag", "Iraq") == "Q1"
    )
    assert (
        cli.ok(
            "question",
            "add",
            "What best describes it?",
            "--outcome",
            "Defeated",
            "--outcome",
            "Insurgency",
            "--outcome",
            "Resurgent",
            "--prior",
            "3",
            "--prior",
            "2",
            "--prior",
            "1",
            "--closes",
            "2030-01-01",
        )
        == "Q2"
    )
    listing = json.loads(cli.ok("question", "list", "--json"))
    assert [q["id"] for q in listing] == ["Q1", "Q2"]
    assert listing[0]["tags"] == ["iraq"]
    shown = json.loads(cli.ok("question", "show", "Q2", "--json"))
    assert [round(o["prior"], 4) for o in shown["outcomes"]] == [0.5, 0.3333, 0.1667]
    text = cli.ok("question", "show", "Q1")
    assert "Will troops leave?" in text and "0.300" in text


def test_forecast_verbs_and_default_forecaster(cli: Cli, monkeypatch) -> None:
    cli.ok("question", "add", "Binary")
    cli.ok("question", "add", "Multi", "--outcome", "a", "--outcome", "b", "--outcome", "c")
    cli.ok("forecast", "Q1", "0.7", "--at", "2020-01-01", "--rationale", "base rate")
    cli.ok("forecast", "Q1", "0.6", "--by", "bob", "--at", "2020-01-02")
    monkeypatch.setenv("FORECASTLE_USER", "carol")
    cli.ok("forecast", "Q2", "--probs", "0.2,0.5,0.3", "--at", "2020-01-03")
    cli.ok("--as", "dave", "forecast", "Q1", "0.1", "--at", "2020-01-04")
    q1 = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert [(f["forecaster"], f["probs"][0]) for f in q1["forecasts"]] == [
        ("tester", 0.7),
        ("bob", 0.6),
        ("dave", 0.1),
    ]
    q2 = json.loads(cli.ok("question", "show", "Q2", "--json"))
    assert q2["forecasts"][0]["forecaster"] == "carol"


def test_errors_are_one_line_exit_1_and_change_nothing(cli: Cli) -> None:
    cli.ok("question", "add", "Binary")
    cli.ok("question", "add", "Multi", "--outcome", "a", "--outcome", "b", "--outcome", "c")
    with cli.open() as database:
        before = dump(database)
    cases = [
        (["forecast", "Q1", "1.5"], "probability"),
        (["forecast", "Q1", "nan"], "probability"),
        (["forecast", "Q2", "--probs", "0.5,0.5"], "2 values for 3 outcomes"),
        (["forecast", "Q9", "0.5"], "Q9"),
        (["forecast", "Q1", "0.5", "--at", "yesterday"], "at: 'yesterday'"),
        (["resolve", "Q1", "maybe"], "'maybe' is not an outcome"),
        (["resolve", "Q2", "d", "--at", "2020-01-01"], "'d' is not an outcome"),
        (["question", "add", "x", "--prior", "2"], "prior"),
        (["question", "add", "x", "--closes", "soon"], "closes"),
    ]
    for args, fragment in cases:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        assert fragment in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    with cli.open() as database:
        assert dump(database) == before


def test_usage_errors_exit_2(cli: Cli) -> None:
    cli.ok("question", "add", "Binary")
    assert cli("forecast", "Q1").exit_code == 2
    assert cli("forecast", "Q1", "--probs", "a,b").exit_code == 2
    assert cli("resolve", "Q1").exit_code == 2
    assert cli("resolve", "Q1", "yes", "--annul").exit_code == 2
    assert cli("question", "list", "--status", "nope").exit_code == 2


def test_resolve_annul_unresolve(cli: Cli) -> None:
    cli.ok("question", "add", "Binary")
    assert "resolved Yes" in cli.ok("resolve", "Q1", "yes", "--at", "2021-01-01")
    assert json.loads(cli.ok("question", "list", "--status", "resolved", "--json"))[0]["id"] == "Q1"
    assert cli.ok("resolve", "Q1", "--annul") == "Q1: annulled"
    refused = cli("resolve", "Q1", "no")
    assert refused.exit_code == 1 and "annulled" in refused.stderr
    assert cli.ok("unresolve", "Q1") == "Q1: open"
    shown = json.loads(cli.ok("question", "show", "Q1", "--json"))
    assert [r["action"] for r in shown["resolution_history"]] == [
        "resolved",
        "annulled",
        "unresolved",
    ]


def test_db_option_and_environment_variable(tmp_path, monkeypatch) -> None:
    from click.testing import CliRunner

    from tui import main

    env_db = tmp_path / "env.db"
    monkeypatch.setenv("FORECASTLE_DB", str(env_db))
    runner = CliRunner()
    assert runner.invoke(main, ["question", "add", "via env"]).exit_code == 0
    other = tmp_path / "other.db"
    assert runner.invoke(main, ["--db", str(other), "question", "add", "via option"]).exit_code == 0
    listed = runner.invoke(main, ["question", "list", "--json"]).stdout
    assert [q["title"] for q in json.loads(listed)] == ["via env"]

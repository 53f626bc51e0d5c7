"""Multi-outcome likelihoods are probabilities: the CLI refuses one above 1 (or <= 0) in one line
naming the outcome and the value, and changes nothing."""

from __future__ import annotations

from tests.conftest import Cli, dump


def test_likelihoods_outside_zero_one_are_refused_naming_the_outcome(cli: Cli) -> None:
    outcomes = ("--outcome", "remnant", "--outcome", "insurgency", "--outcome", "resurgence")
    cli.ok("question", "add", "State of ISIS", *outcomes)
    cli.ok("evidence", "add", "Q1", "Night raids", "--likelihoods", "0.2,0.8,0.4")
    with cli.open() as database:
        before = dump(database)
    cases = [
        (["evidence", "add", "Q1", "x", "--likelihoods", "0.2,1.5,0.4"], "insurgency 1.5"),
        (["evidence", "add", "Q1", "x", "--likelihoods", "0,0.5,0.4"], "remnant 0"),
        (["evidence", "edit", "E1", "--likelihoods", "0.2,0.8,3"], "resurgence 3"),
    ]
    for args, fragment in cases:
        result = cli(*args)
        assert result.exit_code == 1, (args, result.output)
        line = result.stderr.strip()
        assert "\n" not in line and fragment in line and "(0, 1]" in line, line
    with cli.open() as database:
        assert dump(database) == before
    cli.ok("evidence", "edit", "E1", "--likelihoods", "0.2,1,0.4")  # 1 is allowed

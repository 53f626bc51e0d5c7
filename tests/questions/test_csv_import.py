import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from questions import store
from questions.csv_import import import_forecasts
from questions.errors import ForecastleError, InvalidInput
from questions.models import QuestionDraft
from tests.conftest import Cli, dump

GOOD = """Question,Forecaster,Probability,Made_At,Outcome,Resolved_At,Tags
Will the dam hold?,ann,0.7,2020-01-01,yes,2020-06-01,infra;water
Will the dam hold?,bob,0.4,2020-01-02T10:30,yes,,
Will the dam hold?,ann,0.8,2020-02-01,,,
Will talks resume?,ann,0.2,2020-01-05,,,
"""


def write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_creates_questions_forecasts_and_resolutions(db: Database, tmp_path: Path) -> None:
    summary = import_forecasts(db, write(tmp_path, GOOD), author="lead")
    assert summary.forecasts_added == 4
    assert summary.questions_created == ["Q1", "Q2"]
    dam = store.get_question(db, "Q1")
    assert dam.status == "resolved" and dam.resolved_outcome == "Yes"
    assert dam.resolved_at == "2020-06-01T00:00:00Z"
    assert dam.tags == ["infra", "water"]
    assert [f.made_at for f in store.forecasts_for(db, "Q1")] == [
        "2020-01-01T00:00:00Z",
        "2020-01-02T10:30:00Z",
        "2020-02-01T00:00:00Z",
    ]
    assert store.get_question(db, "Q2").status == "open"


def test_importing_twice_adds_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    import_forecasts(db, path, author="lead")
    before = dump(db)
    again = import_forecasts(db, path, author="lead")
    assert again.forecasts_added == 0 and again.forecasts_skipped == 4
    assert dump(db) == before


def test_existing_question_by_id(db: Database, tmp_path: Path) -> None:
    store.add_question(db, QuestionDraft(title="Existing"), author="a")
    import_forecasts(
        db,
        write(tmp_path, "question,forecaster,probability,made_at\nQ1,zoe,0.25,2021-03-04\n"),
        author="a",
    )
    assert store.forecasts_for(db, "Q1")[0].probs[0] == 0.25


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Q7,ann,0.5,2020-01-01", "f.csv:2: question: 'Q7'"),
        ("T,ann,1.5,2020-01-01", "f.csv:2: probability: '1.5': outside [0, 1]"),
        ("T,ann,nan,2020-01-01", "f.csv:2: probability: 'nan'"),
        ("T,ann,x,2020-01-01", "f.csv:2: probability: 'x': not a number"),
        ("T,ann,0.5,01/02/2020", "f.csv:2: made_at: '01/02/2020'"),
        ("T,,0.5,2020-01-01", "f.csv:2: forecaster"),
        ("T,ann,0.5,2020-01-01,maybe", "f.csv:2: outcome: 'maybe'"),
    ],
)
def test_bad_rows_are_named_and_change_nothing(
    db: Database, tmp_path: Path, body: str, expected: str
) -> None:
    good_line = "Fine,ann,0.5,2020-01-01,"
    path = write(
        tmp_path,
        f"question,forecaster,probability,made_at,outcome\n{good_line}\n{body}\n".replace(
            f"{good_line}\n{body}", f"{body}\n{good_line}"
        ),
    )
    before = dump(db)
    with pytest.raises(InvalidInput) as caught:
        import_forecasts(db, path, author="a")
    assert str(caught.value).startswith(str(path.parent / expected))
    assert dump(db) == before


def test_missing_column_and_contradictions(db: Database, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="missing column 'made_at'"):
        import_forecasts(
            db, write(tmp_path, "question,forecaster,probability\nT,a,0.5\n"), author="a"
        )
    contradiction = "question,forecaster,probability,made_at,outcome\nT,a,0.5,2020-01-01,yes\nT,b,0.5,2020-01-01,no\n"
    with pytest.raises(InvalidInput, match="f.csv:3: outcome: 'no': contradicts line 2"):
        import_forecasts(db, write(tmp_path, contradiction), author="a")
    with pytest.raises(ForecastleError, match="append-only"):
        import_forecasts(
            db,
            write(
                tmp_path,
                "question,forecaster,probability,made_at\nT,a,0.5,2020-01-01\nT,a,0.6,2020-01-01\n",
            ),
            author="a",
        )
    assert db.execute("select count(*) from questions").fetchone()[0] == 0


def test_not_text_and_empty_files(db: Database, tmp_path: Path) -> None:
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\x00\x01\x02question")
    with pytest.raises(InvalidInput, match="NUL"):
        import_forecasts(db, binary, author="a")
    with pytest.raises(InvalidInput, match="empty"):
        import_forecasts(db, write(tmp_path, ""), author="a")


def test_cli_import(cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert "4 forecasts added" in cli.ok("import", "forecasts", str(path))
    assert "0 forecasts added, 4 already present" in cli.ok("import", "forecasts", str(path))
    bad = write(tmp_path, "question,forecaster,probability,made_at\nX,a,2,2020-01-01\n", "bad.csv")
    result = cli("import", "forecasts", str(bad))
    assert result.exit_code == 1 and "bad.csv:2: probability: '2'" in result.stderr
    assert len(json.loads(cli.ok("question", "list", "--status", "all", "--json"))) == 2


cells = st.one_of(
    st.sampled_from(
        [
            "Q1",
            "Q99",
            "T",
            "",
            "0.5",
            "1.5",
            "-0",
            "nan",
            "inf",
            "2020-01-01",
            "2020-02-30",
            "yes",
            "no",
            "maybe",
            "a;b",
            '"',
            "\x00",
            "\r",
            "\n",
            ",",
        ]
    ),
    st.text(max_size=8),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=st.permutations(["question", "forecaster", "probability", "made_at", "outcome"]).map(
        list
    ),
    rows=st.lists(st.lists(cells, min_size=0, max_size=6), max_size=6),
    raw_tail=st.binary(max_size=20),
)
def test_fuzzed_files_never_traceback_and_leave_workspace_unchanged(
    tmp_path_factory: pytest.TempPathFactory,
    header: list[str],
    rows: list[list[str]],
    raw_tail: bytes,
) -> None:
    from forecast.workspace import open_workspace

    database = open_workspace(":memory:")
    store.add_question(database, QuestionDraft(title="T"), author="a")
    before = dump(database)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8", "surrogatepass") + raw_tail)
    try:
        import_forecasts(database, path, author="a")
    except ForecastleError as exc:
        assert "\n" not in str(exc)
        assert dump(database) == before
    database.close()


UNTIMED = """question,forecaster,probability,made_at,outcome
Will the bridge open?,ann,0.6,2020-03-01,yes
Will the bridge open?,bob,0.3,2020-03-05T18:00,yes
Will the bridge open?,ann,0.7,2020-03-09T09:15,yes
Will the port close?,cho,0.2,2020-04-02,no
Will the port close?,ann,0.1,2020-04-02T23:59:59,no
"""


def test_an_outcome_without_resolved_at_scores_every_forecast(db: Database, tmp_path: Path) -> None:
    """Rows with an outcome and no resolved_at: the question resolves at the midnight after its
    latest forecast, so no forecast (least of all the last) drops out of scoring."""
    from forecast.reports.build import build_report
    from forecast.reports.data import ReportSettings, gather

    import_forecasts(db, write(tmp_path, UNTIMED), author="lead")
    assert store.get_question(db, "Q1").resolved_at == "2020-03-10T00:00:00Z"
    assert store.get_question(db, "Q2").resolved_at == "2020-04-03T00:00:00Z"
    data = gather(db, ReportSettings())
    assert data.p.size == 5 and bool(data.before_close.all())
    every = build_report(db, ReportSettings(all_forecasts=True))
    last = build_report(db, ReportSettings())
    # every imported forecast with an outcome is scored; by default each forecaster's last
    assert sum(f["n"] for f in every["forecasters"]) == 5
    assert sum(f["n"] for f in last["forecasters"]) == 4  # ann and bob; cho and ann
    # importing the same file again changes nothing
    before = dump(db)
    import_forecasts(db, write(tmp_path, UNTIMED), author="lead")
    assert dump(db) == before


def test_the_default_resolution_is_never_in_the_future(db: Database, tmp_path: Path) -> None:
    body = "question,forecaster,probability,made_at,outcome\nSoon?,ann,0.6,2026-01-15T09:00,yes\n"
    import_forecasts(db, write(tmp_path, body), author="lead")
    assert store.get_question(db, "Q1").resolved_at == "2026-01-15T12:00:00Z"  # the fixed now

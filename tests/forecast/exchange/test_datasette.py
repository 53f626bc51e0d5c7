"""Datasette serves the demo workspace with forecastle's metadata; every canned query runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from forecast.exchange.datasette import QUERIES, as_yaml, metadata
from forecast.workspace import open_workspace

datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from forecast.demo.build import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path)
    with open_workspace(path) as db:  # a team member who has not forecast everything
        db.execute(
            "insert into forecasts (question_id, forecaster, made_at, p, recorded_at)"
            " select id, 'newcomer', '2020-01-01T00:00:00Z', 0.5, '2020-01-01T00:00:00Z'"
            " from questions where kind = 'binary' and status = 'open' limit 1"
        )
    return path


def get(ds: Any, path: str) -> dict[str, Any]:
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == 200, response.text
    return response.json()


def test_each_canned_query_answers(demo: Path) -> None:
    ds = datasette_app.Datasette([str(demo)], metadata=metadata("demo"))
    found = {name: get(ds, f"/demo/{name}.json?_shape=objects")["rows"] for name in QUERIES}
    assert any(r["forecaster"] == "newcomer" for r in found["not_forecast"])
    assert found["team_disagreement"] and found["team_disagreement"][0]["spread"] > 0
    assert found["model_vs_team"] and all(0 <= r["model"] <= 1 for r in found["model_vs_team"])
    people = {r["forecaster"] for r in found["calibration_by_person"]}
    assert len(people) >= 3 and all(r["n"] > 0 for r in found["calibration_by_person"])
    assert isinstance(found["closing_this_month"], list)


def test_tables_are_described_and_internal_ones_hidden(demo: Path) -> None:
    ds = datasette_app.Datasette([str(demo)], metadata=metadata("demo"))
    tables = {t["name"]: t for t in get(ds, "/demo.json")["tables"]}
    assert tables["_sqlite_migrations"]["hidden"]
    board = get(ds, "/demo/question_board.json")
    assert "tags" in board["facet_results"]
    scores = metadata("demo")["databases"]["demo"]["tables"]["forecaster_scores"]
    assert (
        "0..1" in scores["columns"]["brier_per_event"]
        and "per event" in scores["columns"]["brier_per_event"]
    )
    assert "per question" in scores["columns"]["log_score_per_question"]


def test_yaml_form_reads_back() -> None:
    yaml = pytest.importorskip("yaml")
    assert yaml.safe_load(as_yaml(metadata("demo"))) == json.loads(json.dumps(metadata("demo")))

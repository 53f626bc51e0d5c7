"""An app factory over a small seeded workspace file, for Pilot and snapshot tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from arguments.evidence import EvidenceInputs
from arguments.evidence_store import add_evidence
from forecast.workspace import open_workspace
from questions import store
from questions.models import QuestionDraft
from questions.session import Session


def seed(path: Path) -> None:
    db = open_workspace(path)
    troops = store.add_question(
        db,
        QuestionDraft(
            title="Will coalition troops leave Iraq before 2021?",
            priors=[0.3],
            tags=["iraq"],
            closes_at="2021-01-01T00:00:00Z",
        ),
        author="amira",
    ).id
    add_evidence(
        db,
        troops,
        EvidenceInputs(
            text="Parliament votes to expel foreign forces",
            lr=3,
            range_low=[1.5],
            range_high=[6],
            observed_at="2020-01-05",
            source="Reuters, 5 Jan 2020",
        ),
        by="amira",
    )
    add_evidence(
        db,
        troops,
        EvidenceInputs(
            text="Pentagon says no plan to leave",
            lr=0.5,
            credibility=0.8,
            observed_at="2020-01-07",
            source="Reuters, 5 Jan 2020",
        ),
        by="ben",
    )
    add_evidence(
        db,
        troops,
        EvidenceInputs(
            text="Drawdown to 3,000 announced",
            lr=1.8,
            observed_at="2020-09-09",
            group="drawdown",
            redundancy=0.6,
        ),
        by="amira",
    )
    state = store.add_question(
        db,
        QuestionDraft(
            title="What best describes ISIS in Iraq by end of 2021?",
            outcome_names=["Defeated remnant", "Rural insurgency", "Urban resurgence"],
            priors=[2, 5, 3],
        ),
        author="amira",
    ).id
    add_evidence(
        db,
        state,
        EvidenceInputs(
            text="Attacks concentrated in Kirkuk and Diyala hills",
            likelihoods=[0.2, 0.8, 0.4],
            observed_at="2019-12-01",
        ),
        by="amira",
    )
    store.record_forecast(db, troops, forecaster="tester", p_yes=0.35, made_at="2020-01-10")
    store.record_forecast(db, troops, forecaster="ben", p_yes=0.2, made_at="2020-01-12")
    store.record_forecast(db, state, forecaster="ben", probs=[0.1, 0.7, 0.2], made_at="2020-01-12")
    done = store.add_question(
        db, QuestionDraft(title="Will Iraq's PM resign by end of 2019?"), author="amira"
    ).id
    store.record_forecast(db, done, forecaster="tester", p_yes=0.6, made_at="2019-11-01")
    store.resolve(db, done, "yes", by="amira", at="2019-12-01")
    db.close()


@pytest.fixture
def seeded_path(tmp_path: Path) -> Path:
    path = tmp_path / "seeded.db"
    seed(path)
    return path


@pytest.fixture
def make_app(seeded_path: Path):
    from screens.app import ForecastleApp

    def factory() -> ForecastleApp:
        return ForecastleApp(Session(path=seeded_path, user="tester", opener=open_workspace))

    return factory


async def save(pilot) -> None:
    """Press ctrl+s in a dialog and wait for its save (a worker) to report back."""
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def written(pilot) -> None:
    """Wait for the screen's write workers (a nudge, a removal, an undo...) to report back, and
    for any write one's reply started (a nudge pressed while another was being written)."""
    from textual.worker import WorkerState

    for _ in range(50):
        await pilot.pause()
        if all(
            w.state not in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers
        ):
            return
        await pilot.app.workers.wait_for_complete()


async def press_and_write(pilot, *keys: str) -> None:
    """Press keys that write (each a worker) and wait for the writes to report back."""
    await pilot.press(*keys)
    await written(pilot)

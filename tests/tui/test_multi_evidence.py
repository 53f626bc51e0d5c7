"""Multi-outcome evidence in the TUI: the dialog's likelihood inputs are labelled with their
outcomes and follow the question; a likelihood above 1 is refused inline; +/- scale the leader's
likelihood ratio and keep every likelihood in (0, 1]; the dB column and flip figure name their
outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Label, Select, Static, TextArea

from arguments.evidence import Evidence
from arguments.evidence_store import get_evidence, list_evidence
from forecast.workspace import open_workspace
from screens.nudges import LR_STEP, nudge_inputs
from tests.tui.conftest import save, written
from tests.tui.test_reader_marks import open_reader

STATE = ["Defeated remnant", "Rural insurgency", "Urban resurgence"]


async def open_state_question(pilot) -> None:
    """The seeded multi-outcome question (Q2): E4 has likelihoods 0.2, 0.8, 0.4."""
    await pilot.pause()
    await pilot.press("down", "enter")
    await pilot.pause()
    assert pilot.app.screen.model.question.outcome_names == STATE


def likelihood_inputs(dialog) -> list[Input]:
    return [i for i in dialog.query(Input) if str(i.id).startswith("ev-lk-")]


def item(likelihoods: tuple[float, ...], low=None, high=None) -> Evidence:
    return Evidence(
        id=1,
        uuid="u",
        question_id=2,
        text="x",
        likelihoods=likelihoods,
        range_low=low,
        range_high=high,
        credibility=1.0,
        created_by="a",
        created_at="2020-01-01T00:00:00Z",
        updated_at="2020-01-01T00:00:00Z",
        updated_by="a",
        version=1,
    )


def test_a_nudge_scales_the_leaders_ratio_and_keeps_likelihoods_at_most_one() -> None:
    """By hand: (0.2, 0.8, 0.4), leader 1, x1.5 -> (0.2, 1.2, 0.4) -> / 1.2 -> (1/6, 1, 1/3):
    the leader's ratio to each other outcome goes 4 -> 6 and 2 -> 3 (x1.5), nothing above 1.
    Weaker: (0.2, 0.8/1.5, 0.4) = (0.2, 0.5333, 0.4), no rescale needed. The range rescales
    with the point: high (0.3, 0.9, 0.5) -> (0.3, 1.35, 0.5) / 1.35."""
    up = nudge_inputs(item((0.2, 0.8, 0.4)), 1, LR_STEP, kind="multi")
    assert up.likelihoods == pytest.approx([1 / 6, 1.0, 1 / 3])
    down = nudge_inputs(item((0.2, 0.8, 0.4)), 1, 1 / LR_STEP, kind="multi")
    assert down.likelihoods == pytest.approx([0.2, 0.8 / 1.5, 0.4])
    ranged = nudge_inputs(
        item((0.2, 0.8, 0.4), low=(0.1, 0.7, 0.3), high=(0.3, 0.9, 0.5)), 1, LR_STEP, kind="multi"
    )
    assert ranged.range_high == pytest.approx([0.3 / 1.35, 1.0, 0.5 / 1.35])
    assert ranged.likelihoods == pytest.approx([0.2 / 1.35, 1.2 / 1.35, 0.4 / 1.35])
    assert ranged.range_low == pytest.approx([0.1 / 1.35, 1.05 / 1.35, 0.3 / 1.35])
    binary = nudge_inputs(item((3.0, 1.0)), 0, LR_STEP, kind="binary")  # an LR may pass 1
    assert binary.likelihoods == pytest.approx([4.5, 1.0])


async def test_nudges_on_a_multi_outcome_item_never_pass_one(make_app, seeded_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(160, 44)) as pilot:
        await open_state_question(pilot)
        screen = app.screen
        status = str(screen.query_one("#question-status").render())
        # posterior ∝ (2, 5, 3) * (0.2, 0.8, 0.4) = (0.4, 4, 1.2): the flip LR is 4 / 1.2
        assert "needs LR 3.33 for Urban resurgence over Rural insurgency" in status
        assert "dB(Rural ins…)" in [c.label for c in screen.query_one("#evidence").columns]
        await pilot.press("plus")
        await written(pilot)
        assert get_evidence(app.db, 4).likelihoods == pytest.approx((1 / 6, 1.0, 1 / 3))
        await pilot.press("plus")
        await written(pilot)
        assert get_evidence(app.db, 4).likelihoods == pytest.approx((1 / 9, 1.0, 2 / 9))
        await pilot.press("minus")
        await written(pilot)
        assert get_evidence(app.db, 4).likelihoods == pytest.approx((1 / 9, 2 / 3, 2 / 9))


async def test_the_dialog_labels_each_likelihood_and_refuses_one_above_one(
    make_app, seeded_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await open_state_question(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        labels = [str(label.render()) for label in dialog.query(Label)]
        assert labels[1:4] == STATE  # after "statement", one per outcome
        assert [i.placeholder for i in likelihood_inputs(dialog)] == [
            f"P(evidence | {name}): 0 to 1" for name in STATE
        ]
        assert len(likelihood_inputs(dialog)) == 3
        dialog.query_one("#ev-text", Input).value = "Fighters move into Mosul suburbs"
        for j, value in enumerate(["0.2", "1.5", "0.4"]):
            dialog.query_one(f"#ev-lk-{j}", Input).value = value
        await pilot.pause()
        error = str(dialog.query_one("#form-error", Static).render())
        assert "likelihoods: Rural insurgency 1.5 is not allowed" in error and "\n" not in error
        await save(pilot)
        assert app.screen is dialog  # nothing saved
        dialog.query_one("#ev-lk-1", Input).value = "abc"
        await pilot.pause()
        assert "likelihood Rural insurgency: 'abc' is not a number" in str(
            dialog.query_one("#form-error", Static).render()
        )
        dialog.query_one("#ev-lk-1", Input).value = "0.9"
        await pilot.pause()
        await save(pilot)
        assert app.screen is not dialog
    with open_workspace(seeded_path) as db:
        assert list_evidence(db, 2)[-1].likelihoods == pytest.approx((0.2, 0.9, 0.4))


async def test_the_source_dialog_rebuilds_its_inputs_for_the_question_picked(
    make_app, seeded_path: Path, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(150, 50)) as pilot:
        reader = await open_reader(pilot, seeded_path, tmp_path)
        await pilot.press("n")  # the first mark; no selection: the mark is used
        reader.query_one(TextArea).move_cursor((0, 0))
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        picker = dialog.query_one("#ev-question", Select)
        assert picker.value == 2  # the question the passage's mark was for: one input per outcome
        assert len(likelihood_inputs(dialog)) == 3 and not dialog.query("#ev-strength")
        dialog.query_one("#ev-credibility", Input).value = "0.7"
        picker.value = 1  # binary: one LR
        await pilot.pause()
        await pilot.pause()
        assert dialog.query("#ev-strength") and not likelihood_inputs(dialog)
        picker.value = 2
        await pilot.pause()
        await pilot.pause()
        assert not dialog.query("#ev-strength")
        assert len(likelihood_inputs(dialog)) == 3
        assert dialog.query_one("#ev-credibility", Input).value == "0.7"  # kept
        for j, value in enumerate(["0.3", "0.6", "0.9"]):
            dialog.query_one(f"#ev-lk-{j}", Input).value = value
        await pilot.pause()
        await save(pilot)
        assert app.screen is not dialog
    with open_workspace(seeded_path) as db:
        made = list_evidence(db, 2)[-1]
        assert made.likelihoods == pytest.approx((0.3, 0.6, 0.9)) and made.credibility == 0.7

"""``?``: a short guide to what forecastle is for and the path through it, where to go next from
the screen underneath, and every key of that screen with what it does."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from screens.commands import screen_bindings

GUIDE = (
    "forecastle turns an analytic article into forecasting questions, weighs the article's "
    "evidence with likelihood ratios, and scores your forecasts once the questions resolve.\n"
    "The path: import an article (home: s, then i) → mark claims in the reader (n / N) → "
    "questions and hypotheses (h, or n on home) → evidence with LRs (e) → forecast (f) → "
    "review (home: r) → resolve (r) → calibration (home: c)."
)

NEXT = {
    "QuestionsScreen": "enter opens a question; s reads a source; n adds a question (e edits "
    "it); r reviews challenges; c shows calibration.",
    "SourcesScreen": "i imports an article; enter reads it and marks its claims.",
    "ReaderScreen": "n / N step through the marked claims; h makes a question of one, e makes "
    "it evidence; escape goes back to the sources.",
    "QuestionScreen": "e adds evidence, + / - weigh an item (u undoes), C / m challenge or "
    "comment on it (c replies to its thread), h shows who changed what, f records your "
    "forecast, v shows what the answer rests on, t / a open the tree / ACH, r resolves it.",
    "SensitivityScreen": "escape goes back to the question to weigh the items that matter "
    "(+ / -) or record a forecast (f).",
    "TreeScreen": "n adds a claim, l links evidence under it, s sets its review status; "
    "escape goes back to the question.",
    "AchScreen": "escape goes back to the question; e there adds evidence with ACH ratings.",
    "ReviewScreen": "a / x accept or reject a challenge, c replies, enter opens the question.",
    "CalibrationScreen": "f picks a forecaster, l shows what to learn, x exports the report.",
    "NumericQuestionScreen": "f records your distribution (quantiles, drawn as you type); "
    "escape goes back to the questions; the report scores it (CRPS, PIT) once it resolves.",
}
"""Where to go next from each screen (by class name); a test checks every screen has one."""


def next_step(screen: Screen) -> str:
    return NEXT.get(type(screen).__name__, "escape goes back; ctrl+p lists every action.")


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        doc = self.under.__class__.__doc__
        with Vertical(id="help-box", classes="dialog"):
            yield Static("What forecastle is for", classes="dialog-title")
            yield Static(GUIDE, id="help-guide")
            yield Static(f"Next: {next_step(self.under)}", id="help-next")
            yield Static(
                f"Keys — {doc.splitlines()[0] if doc else ''}",
                classes="dialog-title",
            )
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Static("ctrl+p: every action by name · escape: close", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "action")
        for binding in screen_bindings(self.under):
            table.add_row(binding.key_display or binding.key, binding.description)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)

"""Choose a file to import or export."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Select

from questions.errors import InvalidInput
from screens.dialogs.form import FormDialog


class ImportDialog(FormDialog):
    """Import a forecasts CSV (article and bundle imports join when they exist)."""

    TITLE_TEXT = "Import"

    def fields(self) -> list[tuple[str, str, str, str]]:
        return [("im-path", "file", "", "path to a forecasts .csv or an article .txt/.md/.html")]

    def extra(self) -> ComposeResult:
        yield Select(
            [("forecasts CSV", "forecasts"), ("article", "article")],
            value="forecasts",
            allow_blank=False,
            id="im-kind",
        )

    def validate_form(self) -> None:
        from pathlib import Path

        path = Path(self.value("im-path").strip()).expanduser()
        if not self.value("im-path").strip():
            raise InvalidInput("file: give a path")
        if not path.is_file():
            raise InvalidInput(f"file: {path} does not exist")

    def save(self) -> Any:
        from pathlib import Path

        from questions.csv_import import import_forecasts

        path = Path(self.value("im-path").strip()).expanduser()
        if self.kind == "article":
            from arguments.source_store import import_article  # type: ignore[import-not-found]

            return import_article(self.db, path, by=self.app.session.user)
        return import_forecasts(self.db, path, author=self.app.session.user)

    def prepare(self) -> None:
        self.kind = self.query_one("#im-kind", Select).value

    def saved(self, result: Any) -> None:
        if self.kind == "article":
            self.app.notify(f"imported {result.short_id}: {result.title}")
        else:
            self.app.notify(
                f"{result.forecasts_added} forecasts added,"
                f" {result.forecasts_skipped} already present"
            )


class ExportDialog(FormDialog):
    """Export a calibration report (written in a worker; the screen stays responsive)."""

    TITLE_TEXT = "Export a calibration report"
    SAVE_IN_WORKER = False  # it only starts the export worker

    def __init__(self, forecaster: str | None = None) -> None:
        super().__init__()
        self.forecaster = forecaster

    def fields(self) -> list[tuple[str, str, str, str]]:
        scope = f" for {self.forecaster}" if self.forecaster else ""
        self.TITLE_TEXT = f"Export a calibration report{scope}"
        return [
            ("ex-format", "format", "html", "html, md, json or csv"),
            ("ex-path", "write to", "forecastle-report.html", "path"),
        ]

    def validate_form(self) -> None:
        if self.value("ex-format").strip() not in ("html", "md", "json", "csv"):
            raise InvalidInput(
                f"format: {self.value('ex-format')!r} is not allowed (html, md, json or csv)"
            )
        if not self.value("ex-path").strip():
            raise InvalidInput("write to: give a path")
        from pathlib import Path

        folder = Path(self.value("ex-path").strip()).expanduser().parent
        if not folder.is_dir():
            raise InvalidInput(f"write to: folder {folder} does not exist")

    def save(self) -> Any:
        from pathlib import Path

        path = Path(self.value("ex-path").strip()).expanduser()
        self.app.export_report(self.value("ex-format").strip(), path, self.forecaster)
        return path

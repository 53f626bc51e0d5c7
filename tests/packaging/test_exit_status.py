"""The TUI's exit status follows the app: 0 when it quits, non-zero when it crashes (a stylesheet
it cannot read, an exception in a screen), for bare ``forecastle`` and ``forecastle demo``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs the real entry point in a fresh process with the app made headless, driven by an
# auto-pilot that either quits, raises, or (with CSS_PATH pointing nowhere) never gets to run.
DRIVER = """
import sys
from screens.app import ForecastleApp

mode, args = sys.argv[1], sys.argv[2:]
if mode == "missing-css":
    ForecastleApp.CSS_PATH = "no-such-file.tcss"

async def pilot(pilot):
    await pilot.pause()
    if mode == "crash":
        raise RuntimeError("a screen broke")
    pilot.app.exit()

original = ForecastleApp.run
ForecastleApp.run = lambda self, **kw: original(self, headless=True, auto_pilot=pilot)
import tui
tui.main(args)
"""


def _run(mode: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", DRIVER, mode, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


@pytest.mark.parametrize(("mode", "expected"), [("quit", 0), ("crash", 1), ("missing-css", 1)])
def test_bare_forecastle_exits_with_the_apps_status(
    tmp_path: Path, mode: str, expected: int
) -> None:
    result = _run(mode, "--db", str(tmp_path / "w.db"))
    assert result.returncode == expected, result.stderr[-2000:]


def test_demo_exits_non_zero_when_the_app_cannot_start(tmp_path: Path) -> None:
    result = _run("missing-css", "--db", str(tmp_path / "demo.db"), "demo")
    assert result.returncode == 1, result.stderr[-2000:]
    assert _run("quit", "--db", str(tmp_path / "demo.db"), "demo").returncode == 0

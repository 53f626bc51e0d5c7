"""Start the installed forecastle TUI headless on a workspace, open its first question, and quit.

Usage: python smoke_tui.py WORKSPACE [CLONE]

Run it with the interpreter of an environment where forecastle was installed from a wheel, from a
directory outside the clone: it imports ``tui`` (the entry point, with its check that the
top-level packages are forecastle's), runs ``ForecastleApp`` with ``run_test()`` (its stylesheet,
the questions screen, then the question screen), and exits non-zero, with one line on stderr,
when any step fails. Given CLONE, it also fails if the app was imported from the clone rather
than from the installed wheel.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path


async def smoke(workspace: Path) -> str:
    import tui  # noqa: F401  (the entry point: refuses replaced top-level packages)
    from forecast.workspace import open_workspace
    from questions.session import Session
    from screens.app import ForecastleApp
    from screens.home import QuestionsScreen
    from screens.question import QuestionScreen

    app = ForecastleApp(Session(path=workspace, user="ci", opener=open_workspace))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if not isinstance(app.screen, QuestionsScreen):
            raise SystemExit(f"smoke: the questions screen did not open ({app.screen!r})")
        await pilot.press("enter")
        await pilot.pause()
        if not isinstance(app.screen, QuestionScreen):
            raise SystemExit(f"smoke: enter did not open a question ({app.screen!r})")
        model = app.screen.model
        title = model.question.title if model is not None else "?"
        await pilot.press("escape")
        await pilot.pause()
        app.exit()
    if app.return_code:
        raise SystemExit(f"smoke: the app exited with status {app.return_code}")
    return title


def main(argv: list[str]) -> None:
    if not 1 <= len(argv) <= 2:
        raise SystemExit(__doc__)
    workspace = Path(argv[0])
    if not workspace.is_file():
        raise SystemExit(f"smoke: {workspace}: no workspace there")
    title = asyncio.run(smoke(workspace))
    import screens.app

    where = Path(screens.app.__file__).resolve()
    if len(argv) == 2 and Path(argv[1]).resolve() in where.parents:
        raise SystemExit(f"smoke: the app was imported from the clone ({where}), not installed")
    print(f"smoke: the TUI started from {where.parent.parent} and opened {title!r}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""The domain packages and the CLI never import Textual (checked in a fresh interpreter)."""

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize(
    "module",
    ["questions.store", "cli.question", "cli.evidence", "cli.report", "forecast.workspace"],
)
def test_domain_modules_do_not_import_textual(module: str) -> None:
    code = (
        f"import sys, importlib, pkgutil\n"
        f"import {module}\n"
        "for pkg in ('questions', 'arguments', 'forecast', 'cli'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_start_up_skips_heavy_imports() -> None:
    code = (
        "import sys\nimport tui\n"
        "heavy = [m for m in ('textual', 'scipy', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_cli_verbs_load_only_when_a_command_is_looked_up() -> None:
    """Opening the TUI (no command) imports no command module of ``cli``; asking for help loads
    them all."""
    code = (
        "import sys\nimport tui\n"
        "print(','.join(m for m in sys.modules if m.startswith('cli.') and m != 'cli.support'))\n"
        "from click.testing import CliRunner\n"
        "out = CliRunner().invoke(tui.main, ['--help']).output\n"
        "print(all(verb in out for verb in ('question', 'evidence', 'report', 'challenge', 'demo')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split("\n")[:2] == ["", "True"]


def test_questions_screen_paints_before_pydantic_is_imported(tmp_path: Path) -> None:
    """The questions screen reads plain records (questions.records, arguments.evidence_records):
    its first paint, model columns filled, comes before the validation layer is imported; a
    warm-up worker loads it (and the question screen) afterwards."""
    from tests.tui.conftest import seed

    seed(tmp_path / "seeded.db")
    code = (
        "import asyncio, importlib.abc, sys, time\nfrom pathlib import Path\n"
        "seen = {}\n"
        "class Watch(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name == 'pydantic':\n"
        "            seen.setdefault('pydantic', time.perf_counter())\n"
        "sys.meta_path.insert(0, Watch())\n"
        "import tui\nfrom forecast.workspace import open_workspace\n"
        "from questions.session import Session\nfrom screens.app import ForecastleApp\n"
        "from screens.home import QuestionsScreen\n"
        "async def main():\n"
        "    app = ForecastleApp(Session(path=Path(sys.argv[1]), user='t', opener=open_workspace))\n"
        "    display = app._display\n"
        "    def painted(screen, update):\n"
        "        display(screen, update)\n"
        "        if update is not None and isinstance(screen, QuestionsScreen) and screen.overview_batches_shown:\n"
        "            seen.setdefault('paint', time.perf_counter())\n"
        "            seen.setdefault('model', screen.row(0)[2])\n"
        "    app._display = painted\n"
        "    async with app.run_test(size=(120, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        await app.workers.wait_for_complete()\n"
        "    print(seen['model'], seen['paint'] < seen.get('pydantic', float('inf')), 'screens.question' in sys.modules)\n"
        "asyncio.run(main())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "seeded.db")],
        capture_output=True,
        text=True,
        check=True,
    )
    model, painted_first, warmed = result.stdout.split()
    assert model.endswith("%") and painted_first == "True" and warmed == "True"


def test_layer_contracts_hold() -> None:
    """The import-linter contracts in ``.importlinter``: layers one way, forecast's rooms one way,
    exchange on the stores only, Textual only in screens. A wrong-way import fails here."""
    root = Path(__file__).resolve().parents[1]
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--config", str(root / ".importlinter")],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "0 broken" in result.stdout

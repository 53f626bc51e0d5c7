"""The domain packages never import Textual (checked in a fresh interpreter)."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    ["questions.store", "questions.cli", "arguments.cli", "forecast.cli", "forecast.workspace"],
)
def test_domain_modules_do_not_import_textual(module: str) -> None:
    code = (
        f"import sys, importlib, pkgutil\n"
        f"import {module}\n"
        "for pkg in ('questions', 'arguments', 'forecast'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_cli_start_up_skips_heavy_imports() -> None:
    code = (
        "import sys\nimport tui\n"
        "heavy = [m for m in ('textual', 'scipy', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_cli_verbs_load_only_when_a_command_is_looked_up() -> None:
    """Opening the TUI (no command) skips every package's CLI; asking for help loads them all."""
    code = (
        "import sys\nimport tui\n"
        "print(','.join(m for m in ('questions.cli', 'arguments.cli', 'forecast.cli') if m in sys.modules))\n"
        "from click.testing import CliRunner\n"
        "out = CliRunner().invoke(tui.main, ['--help']).output\n"
        "print(all(verb in out for verb in ('question', 'evidence', 'report', 'challenge', 'demo')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["", "True"]

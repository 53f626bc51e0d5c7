"""forecastle's top-level packages share names with unrelated PyPI projects: when another one is
imported in their place, ``forecastle`` stops with one line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tui import OWN_PACKAGES

ROOT = Path(__file__).resolve().parents[2]


def _forecastle(tmp_path: Path, shadow: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(shadow), str(ROOT)])}
    return subprocess.run(
        [sys.executable, "-m", "tui", "--db", str(tmp_path / "w.db"), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("name", OWN_PACKAGES)
def test_a_shadowing_package_is_refused_in_one_line(tmp_path: Path, name: str) -> None:
    shadow = tmp_path / "other-site"
    (shadow / name).mkdir(parents=True)
    (shadow / name / "__init__.py").write_text("raise ImportError('an unrelated project')\n")
    result = _forecastle(tmp_path, shadow, "question", "list")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"the package {name!r} is not forecastle's" in result.stderr
    assert str(shadow / name) in result.stderr
    assert not (tmp_path / "w.db").exists()


def test_a_single_file_module_of_the_same_name_is_refused_too(tmp_path: Path) -> None:
    shadow = tmp_path / "other-site"
    shadow.mkdir()
    (shadow / "cli.py").write_text("COMMANDS = {}\n")
    result = _forecastle(tmp_path, shadow, "question", "list")
    assert result.returncode == 1 and "'cli' is not forecastle's" in result.stderr


def test_our_own_packages_pass(tmp_path: Path) -> None:
    result = _forecastle(tmp_path, tmp_path / "empty", "question", "add", "Fine?")
    assert result.returncode == 0, result.stderr

"""What a user installs: the sdist and the wheel carry every file the program reads at run time,
and the wheel, installed away from the clone, runs the CLI and the TUI and guards its names."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui import OWN_PACKAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """``python -m build``: the sdist, then the wheel built from it (so the wheel proves the
    sdist complete too)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    yield sdist, wheel


@pytest.fixture(scope="module")
def installed(dists: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed (pip, no dependencies: this environment has them) into a folder of
    its own, as site-packages would hold it."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index"]
        + ["--target", str(site), str(dists[1])],
        check=True,
        capture_output=True,
    )
    return site


def runtime_files() -> set[str]:
    """Every file under the packages that is not Python source: templates, stylesheets, data."""
    found = set()
    for package in OWN_PACKAGES:
        for path in (ROOT / package).rglob("*"):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and path.suffix not in {".py", ".pyc"}
            ):
                found.add(path.relative_to(ROOT).as_posix())
    return found


def test_the_packages_hold_the_files_read_at_run_time() -> None:
    assert {
        "screens/app.tcss",
        "forecast/reports/templates/report.html.j2",
        "forecast/demo/demo_data.json",
    } <= runtime_files()
    assert not (ROOT / "tui.tcss").exists()


def test_wheel_carries_every_non_python_file(dists: tuple[Path, Path]) -> None:
    names = set(zipfile.ZipFile(dists[1]).namelist())
    assert runtime_files() - names == set()
    assert "tui.py" in names
    assert not any(n.startswith("tests/") for n in names)


def test_sdist_carries_every_non_python_file_and_the_licence(dists: tuple[Path, Path]) -> None:
    with tarfile.open(dists[0]) as sdist:
        prefix = sdist.getnames()[0].split("/")[0] + "/"
        names = {n.removeprefix(prefix) for n in sdist.getnames()}
    assert runtime_files() - names == set()
    assert {"tui.py", "README.md", "LICENSE", "pyproject.toml"} <= names


def _run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("FORECASTLE_DB", None)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def test_installed_wheel_runs_cli_and_tui_outside_the_clone(
    installed: Path, tmp_path: Path
) -> None:
    workspace = tmp_path / "demo.db"
    built = _run(installed, tmp_path, "-m", "tui", "--db", str(workspace), "demo", "--no-open")
    assert built.returncode == 0, built.stderr
    listed = _run(installed, tmp_path, "-m", "tui", "--db", str(workspace), "question", "list")
    assert listed.returncode == 0 and "Q1" in listed.stdout, listed.stderr
    smoke = _run(installed, tmp_path, str(ROOT / ".ci" / "smoke_tui.py"), str(workspace), str(ROOT))
    assert smoke.returncode == 0, smoke.stderr[-3000:]
    assert f"started from {installed.resolve()}" in smoke.stdout


def test_installed_wheel_refuses_a_package_another_distribution_wrote_over(
    installed: Path, tmp_path: Path
) -> None:
    init = installed / "questions" / "__init__.py"
    original = init.read_bytes()
    try:
        init.write_text('"""questions: an unrelated project of the same name."""\n')
        result = _run(
            installed, tmp_path, "-m", "tui", "--db", str(tmp_path / "w.db"), "question", "list"
        )
    finally:
        init.write_bytes(original)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "'questions' is not forecastle's" in result.stderr
    assert not (tmp_path / "w.db").exists()


def test_wheel_metadata_names_licence_urls_and_classifiers(dists: tuple[Path, Path]) -> None:
    wheel = zipfile.ZipFile(dists[1])
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    text = wheel.read(metadata).decode()
    assert "License-Expression: MIT" in text
    assert any(n.endswith("licenses/LICENSE") for n in wheel.namelist())
    assert "Project-URL: Repository, " in text and "Classifier: Environment :: Console" in text
    assert "Requires-Dist: scipy>=1.12" in text

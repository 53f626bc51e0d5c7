"""Parse Argdown with the reference parser (npm ``@argdown/core``, installed into ``.ci/node`` by
``.ci/run`` or ``npm install --prefix .ci/node @argdown/core@1.7.5``); tests skip without it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
ARGDOWN_NODE = ROOT / ".ci" / "node"
SCRIPT = ROOT / "tests" / "arguments" / "argdown_check.cjs"


def parse_argdown(text: str, tmp_path: Path) -> dict[str, Any]:
    """{"errors": [...], "statements": {title: {"text": [...], "data": {...}}}, "relations":
    [[from, "support"|"attack", to], ...]} as the reference parser reads ``text``."""
    node = shutil.which("node")
    if not node or not (ARGDOWN_NODE / "node_modules" / "@argdown" / "core").exists():
        pytest.skip("the Argdown reference parser (npm @argdown/core in .ci/node) is not installed")
    path = tmp_path / "tree.argdown"
    path.write_text(text, encoding="utf-8")
    result = subprocess.run(
        [node, str(SCRIPT), str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"NODE_PATH": str(ARGDOWN_NODE / "node_modules"), "PATH": "/usr/bin:/bin"},
    )
    return json.loads(result.stdout)

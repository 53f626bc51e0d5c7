"""The demo workspace: built once from the project's own sample brief, then reused."""

from __future__ import annotations

from pathlib import Path

from .build import build_demo, demo_path

__all__ = ["build_demo", "demo_path", "Path"]

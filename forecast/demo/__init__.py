"""The demo workspace: built once from the project's own sample brief, then reused."""

from .build import brief_path, build_demo, demo_path

__all__ = ["brief_path", "build_demo", "demo_path"]

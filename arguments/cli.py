"""CLI verbs of the arguments layer."""

from __future__ import annotations

import click


def register(root: click.Group) -> None:
    """Add this layer's verbs to the ``forecastle`` command."""

"""A command-palette provider that offers every key binding of the current screen and the app,
so that each action can be found by name as well as by key."""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import Hit, Hits, Provider


def screen_bindings(screen: object) -> list[Binding]:
    """The bindings a user can press on ``screen`` (its own, then the app's), without duplicates."""
    seen: set[str] = set()
    found: list[Binding] = []
    app = getattr(screen, "app", None)
    for owner in (screen, app):
        for binding in getattr(owner, "BINDINGS", []):
            if not isinstance(binding, Binding):
                binding = Binding(*binding)
            if (
                binding.action in seen
                or binding.action == "command_palette"
                or not binding.description
            ):
                continue
            seen.add(binding.action)
            found.append(binding)
    return found


class BindingCommands(Provider):
    async def search(self, query: str) -> Hits:
        screen = self.screen
        matcher = self.matcher(query)
        for binding in screen_bindings(screen):
            title = f"{binding.description} ({binding.key_display or binding.key})"
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(screen.run_action, binding.action),
                    help=f"key: {binding.key_display or binding.key}",
                )

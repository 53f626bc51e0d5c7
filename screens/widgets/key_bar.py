"""The key bar at the foot of every screen: the bindings that matter, on one line.

Textual's Footer mounts a widget per key and restyles each one as it starts (a third of the home
screen's start-up went there). This draws the same information as one line of text that is
redrawn when the screen's bindings change; a click on a key presses it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class KeyBar(Widget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        & > .key-bar--key {
            color: $footer-key-foreground;
            text-style: bold;
        }
        & > .key-bar--description {
            color: $footer-description-foreground;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []
        """Where each key sits on the line (start, end, key), for clicks."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def shown(self) -> list[tuple[Binding, bool]]:
        """The bindings shown, one per action (the first key bound to it), and whether each is
        enabled now."""
        seen: set[str] = set()
        shown = []
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                shown.append((binding, enabled))
        return shown

    def _key(
        self, text: Text, binding: Binding, enabled: bool, key: Style, description: Style
    ) -> None:
        start = cell_len(text.plain)
        dim = Style(dim=not enabled)
        text.append(f" {self.app.get_key_display(binding)} ", key + dim)
        text.append(f"{binding.description} ", description + dim)
        self._spans.append((start, cell_len(text.plain), binding.key))

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)

    def render(self) -> Text:
        key = self.rich_style + self.get_component_rich_style("key-bar--key", partial=True)
        description = self.rich_style + self.get_component_rich_style(
            "key-bar--description", partial=True
        )
        text = Text(no_wrap=True, overflow="crop")
        self._spans = []
        for binding, enabled in self.shown():
            self._key(text, binding, enabled, key, description)
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.app.ENABLE_COMMAND_PALETTE:
            label = f" {self.app.get_key_display(palette[1])} {palette[1].description} "
            room = self.size.width - cell_len(text.plain) - cell_len(label)
            if room >= 1:
                text.append(" " * room)
                self._key(text, palette[1], palette[2], key, description)
        return text

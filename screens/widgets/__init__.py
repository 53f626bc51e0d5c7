"""Widgets the screens share: a line-API row list, the key bar, single-line texts, the
timeline chart and probability bars. Textual only; they know nothing of the workspace."""

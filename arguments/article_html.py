"""HTML to plain blocks for the article parser, with the standard library's HTML parser: block
elements become paragraphs separated by blank lines, ``<sup>`` footnote numbers become ``[n]``,
scripts and styles are dropped, the ``<title>`` (or first ``<h1>``) becomes the first line."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "ol",
    "ul",
    "br",
    "tr",
    "figcaption",
    "aside",
    "nav",
}
SKIP = {"script", "style", "noscript", "template", "svg"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.title = ""
        self.in_title = False
        self.skip_depth = 0
        self.in_sup = False
        self.list_counter: list[int] = []

    def flush(self) -> None:
        text = re.sub(r"[ \t\n]+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP:
            self.skip_depth += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "sup":
            self.in_sup = True
            self.current.append("[")
        elif tag == "ol":
            self.flush()
            self.list_counter.append(0)
        elif tag == "li" and self.list_counter:
            self.flush()
            self.list_counter[-1] += 1
            self.current.append(f"[{self.list_counter[-1]}] ")
        elif tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skip_depth = max(self.skip_depth - 1, 0)
        elif tag == "title":
            self.in_title = False
        elif tag == "sup":
            self.in_sup = False
            self.current.append("]")
        elif tag == "ol":
            self.flush()
            if self.list_counter:
                self.list_counter.pop()
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_title:
            self.title += data
            return
        if self.in_sup:
            data = data.strip().strip("[]")
        self.current.append(data)


def html_to_text(html: str) -> str:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    collector.flush()
    blocks = [b.replace("[[", "[").replace("]]", "]") for b in collector.blocks]
    title = " ".join(collector.title.split())
    if title and (not blocks or blocks[0] != title):
        blocks.insert(0, title)
    return "\n\n".join(blocks) + "\n"

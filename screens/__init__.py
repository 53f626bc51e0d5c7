"""The Textual screens and widgets of forecastle (the only package that imports Textual)."""

"""The semantic diff of two workspaces (or bundles, text directories, git revisions): what changed
per question and what it does to the model; and forecastle's git support (textconv, merge driver)."""

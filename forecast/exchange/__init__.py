"""Moving work between workspaces: bundle models and their JSON Schema, export and merge-import.
Depends on the stores (``questions``, ``arguments``) only, not on the engine or the views."""

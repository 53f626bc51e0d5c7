"""The plain-text workspace: a directory of TOML files (one per question, one per source) and an
append-only forecasts CSV per question, written from and read into the bundle models, so whatever a
bundle carries the text carries, and merged with the bundle's rules."""

"""How likely and how well: one room per job.

``engine`` (the Bayesian engine and a question's model) <- ``views`` (what the CLI and the screens
show of a question); ``scoring`` (scores, calibration, aggregation) <- ``reports``; ``exchange``
(bundles) uses the stores only; ``demo`` builds the demo workspace. ``migrations`` and ``workspace``
open and upgrade the file. Nothing here imports Textual or click.
"""

"""Scores (Brier, log, time-averaged, Metaculus), calibration (bins, Murphy, CORP,
Spiegelhalter) and team aggregates: array functions with no workspace access. Imports nothing
from the other rooms of ``forecast``."""

"""Heuer's ACH ratings (CC, C, N, I, II, NA) and the likelihood each stands for: an editable
table in the workspace (``ach_ratings``), through which ratings given on an evidence item become
its likelihoods."""

from __future__ import annotations

from sqlite_utils import Database

from questions.errors import InvalidInput
from questions.workspace import write_transaction


def rating_table(db: Database) -> dict[str, float]:
    """Heuer's ratings and the likelihood each maps to (editable)."""
    return dict(db.execute("select rating, likelihood from ach_ratings").fetchall())


def set_rating(db: Database, rating: str, likelihood: float) -> None:
    rating = rating.strip().upper()
    if rating not in rating_table(db):
        raise InvalidInput(f"rating: {rating!r} is not allowed ({', '.join(rating_table(db))})")
    if not 0 <= likelihood <= 1:
        raise InvalidInput(f"likelihood: {likelihood!r} is not allowed (0 to 1)")
    with write_transaction(db):
        db.execute("update ach_ratings set likelihood = ? where rating = ?", [likelihood, rating])


def ratings_to_likelihoods(db: Database, ratings: list[str], outcomes: int) -> list[float]:
    """Map CC/C/N/I/II/NA ratings (one per outcome) to likelihoods through the table."""
    table = rating_table(db)
    if len(ratings) != outcomes:
        raise InvalidInput(
            f"ratings: {len(ratings)} values for {outcomes} outcomes (one per outcome)"
        )
    values = []
    for rating in ratings:
        key = rating.strip().upper()
        if key not in table:
            raise InvalidInput(f"ratings: {rating!r} is not allowed ({', '.join(table)})")
        values.append(table[key])
    return values

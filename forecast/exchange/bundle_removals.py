"""Bundle parts that carry removals and edit history: a removed condition's tombstone and one
entry of a question's history (every state it has had)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from forecast.exchange.bundle_types import Author, Timestamp, Uuid


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BundleConditionRemoval(_Part):
    """A condition of this question on ``parent`` that was declared and later removed: the
    tombstone that keeps an older export from bringing it back."""

    uuid: Uuid
    """The removed condition's UUID."""
    parent: Uuid
    created_at: Timestamp
    created_by: Author
    removed_at: Timestamp
    removed_by: Author


class BundleQuestionChange(_Part):
    """One entry of the question's history: what was done, by whom, and the state after it.
    Entries are identified by (version, action, at, by); an import adds the ones it lacks."""

    version: Annotated[int, Field(ge=1)]
    action: Literal["added", "edited", "removed", "restored", "duplicated"]
    at: Timestamp
    by: Author
    state: dict[str, Any] = Field(default_factory=dict)
    """The question's editable fields after the change (title, description, criteria, dates,
    tags, outcome names, version, removed_at); a field with no value is left out."""


def change_key(change: dict[str, Any]) -> tuple[int, str, str, str]:
    """A history entry's identity."""
    return (int(change["version"]), str(change["action"]), str(change["at"]), str(change["by"]))

"""The plain records (read before pydantic is imported) and the pydantic models describe the same
stored rows. The records are the definition the stores read into; these tests keep each model's
field list, and the types, in step with its record, so the two cannot drift apart."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from arguments.evidence import Evidence
from arguments.evidence_records import EvidenceRecord
from questions.models import Outcome, Question
from questions.records import OutcomeRecord, QuestionRecord


def _bare(annotation: object) -> object:
    """A type without pydantic's constraints (``Annotated[float, Field(ge=0)]`` -> ``float``;
    a ``Literal`` of strings -> ``str``)."""
    if typing.get_origin(annotation) is typing.Literal:
        return str
    if typing.get_origin(annotation) is typing.Annotated:
        return _bare(typing.get_args(annotation)[0])
    args = typing.get_args(annotation)
    origin = typing.get_origin(annotation)
    if origin is not None and args:
        return (origin, tuple(_bare(a) for a in args))
    return annotation


@pytest.mark.parametrize(
    ("record", "model", "nested"),
    [
        (QuestionRecord, Question, {"outcomes"}),
        (OutcomeRecord, Outcome, set()),
        (EvidenceRecord, Evidence, set()),
    ],
)
def test_record_and_model_have_the_same_fields_and_types(
    record: type, model: type, nested: set[str]
) -> None:
    record_types = typing.get_type_hints(record)
    model_types = typing.get_type_hints(model, include_extras=True)
    record_fields = {f.name for f in dataclasses.fields(record)}
    assert record_fields == set(model.model_fields), (  # type: ignore[attr-defined]
        "records and models must list the same fields"
    )
    for name in record_fields - nested:
        assert _bare(model_types[name]) == _bare(record_types[name]), name

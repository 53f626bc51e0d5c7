import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questions.errors import InvalidInput
from questions.models import Forecast, QuestionDraft, checked


def test_binary_question_defaults_to_even_prior() -> None:
    draft = checked(QuestionDraft, title="Will it happen?")
    assert draft.kind == "binary"
    assert [(o.name, o.prior) for o in draft.outcomes()] == [("Yes", 0.5), ("No", 0.5)]


def test_single_prior_is_p_yes() -> None:
    outcomes = checked(QuestionDraft, title="t", priors=[0.3]).outcomes()
    assert outcomes[0].prior == 0.3
    assert outcomes[1].prior == pytest.approx(0.7)


def test_weights_are_normalised() -> None:
    # 3:2:1 -> 3/6, 2/6, 1/6
    outcomes = checked(
        QuestionDraft, title="t", outcome_names=["a", "b", "c"], priors=[3, 2, 1]
    ).outcomes()
    assert [o.prior for o in outcomes] == pytest.approx([1 / 2, 1 / 3, 1 / 6])


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"title": "t", "priors": [1.5]}, "prior: 1.5"),
        ({"title": "t", "priors": [0.0]}, "prior: 0.0"),
        ({"title": "t", "priors": [float("nan")]}, "prior: nan"),
        ({"title": "t", "outcome_names": ["a"]}, "at least 2 outcomes"),
        ({"title": "t", "outcome_names": ["a", "A"]}, "distinct"),
        ({"title": "t", "outcome_names": ["a", "b"], "priors": [1]}, "1 values for 2 outcomes"),
        ({"title": "   "}, "title"),
        ({"title": "t", "opens_at": "2021-01-01", "closes_at": "2020-01-01"}, "before opens"),
    ],
)
def test_bad_drafts_are_named(data: dict, fragment: str) -> None:
    with pytest.raises(InvalidInput, match=fragment.replace("(", r"\(")):
        checked(QuestionDraft, **data)


@given(st.lists(st.floats(min_value=1e-3, max_value=1e3), min_size=2, max_size=6))
def test_normalised_priors_sum_to_one(weights: list[float]) -> None:
    names = [f"o{i}" for i in range(len(weights))]
    outcomes = checked(QuestionDraft, title="t", outcome_names=names, priors=weights).outcomes()
    assert math.isclose(sum(o.prior for o in outcomes), 1.0, rel_tol=1e-9)


@pytest.mark.parametrize("probs", [[0.2, 0.2], [1.2, -0.2], [float("nan"), 1.0], [1.0]])
def test_forecast_rejects_bad_vectors(probs: list[float]) -> None:
    with pytest.raises(InvalidInput):
        checked(
            Forecast, question_id=1, forecaster="a", made_at="2020-01-01T00:00:00Z", probs=probs
        )

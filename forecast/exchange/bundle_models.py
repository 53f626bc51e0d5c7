"""What a bundle file is: pydantic models of a workspace's (or some questions') shareable content.

A bundle names rows by UUID, never by a workspace's local numbers (``Q3``, ``E12``), so two
workspaces can exchange and merge work. Forecasts are append-only and unique per question,
forecaster and time, so that triple is their identity. The published JSON Schema
(``docs/bundle.schema.json``) is generated from these models by ``bundle_schema()``.
"""

from __future__ import annotations

import math
from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.exchange.bundle_numeric import (
    BundleNumericForm,
    BundleNumericRange,
    check_numeric_question,
)
from forecast.exchange.bundle_removals import BundleConditionRemoval, BundleQuestionChange
from forecast.exchange.bundle_types import Author, Timestamp, Uuid

SCHEMA_VERSION: Final = 3
"""2: links between questions (``conditions``, ``conditional_forecasts``, ``indicators`` on the
child question; ``indicator``/``indicator_outcome`` on evidence). 3: numeric and date questions
(``numeric`` range on the question, ``cdf``/``typed``/``method`` on forecasts, ``numeric`` form on
evidence, ``resolved_value``/``value``; see ``bundle_numeric``), and removals and history:
``removed_at``/``removed_by`` and ``history`` on questions, removed ``indicators`` (with their
``removed_at``/``removed_by``), ``removed_conditions`` tombstones, ``decision_reason`` on
challenges (see ``bundle_removals``). Versions 1 and 2 read as bundles without these
(``migrate_bundle``)."""
FORMAT: Final = "forecastle-bundle"
PRIOR_TOLERANCE = 1e-6
PROBABILITY_TOLERANCE = 1e-3


Text = Annotated[str, Field(max_length=200_000)]
Title = Annotated[str, Field(min_length=1, max_length=300)]
Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
Likelihood = Annotated[float, Field(ge=0.0, le=1e12, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
ReviewStatus = Literal["draft", "in review", "approved", "challenged"]


class BundlePart(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BundleOutcome(BundlePart):
    name: Title
    prior: Annotated[float, Field(gt=0.0, lt=1.0, allow_inf_nan=False)]


class BundlePriorChange(BundlePart):
    priors: list[Probability]
    changed_at: Timestamp
    changed_by: Author


class BundleResolution(BundlePart):
    """One entry of the resolution audit trail."""

    action: Literal["resolved", "annulled", "unresolved"]
    outcome: Title | None = None
    resolved_at: Timestamp | None = None
    recorded_at: Timestamp
    recorded_by: Author
    value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    """The value a numeric question resolved to (days since 1970-01-01 for a date question)."""


class BundleForecast(BundlePart):
    forecaster: Author
    made_at: Timestamp
    probs: list[Probability] = Field(default_factory=list)
    """One probability per outcome (empty for a numeric or date question)."""
    rationale: Text = ""
    adopted_model: bool = False
    took_recalibration: bool = False
    recorded_at: Timestamp
    origin: Annotated[str, Field(max_length=40)] = "cli"
    cdf: list[Probability] | None = None
    """A numeric/date forecast: its CDF at the question's 201 grid points (the stored truth;
    ``cdf[0]`` is the lower tail's mass, ``1 - cdf[-1]`` the upper's)."""
    typed: Text | None = None
    """What the forecaster typed (``0.05:100,0.5:400,0.95:1500``, ``400 50``)."""
    method: Literal["quantiles", "normal", "lognormal", "model"] | None = None


class BundleAnchor(BundlePart):
    """Where an evidence item's quote sits in an imported source, and the notes it rests on."""

    source: Uuid
    passage: Annotated[int, Field(ge=1)]
    quote_start: Count | None = None
    quote_end: Count | None = None
    citations: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)


class BundleReview(BundlePart):
    status: ReviewStatus = "draft"
    by: Author | None = None
    at: Timestamp | None = None


class BundleEvidence(BundlePart):
    uuid: Uuid
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    quote: Text = ""
    source_note: Text = ""
    observed_at: Timestamp | None = None
    credibility: Probability = 1.0
    likelihoods: list[Likelihood]
    range_low: list[Likelihood] | None = None
    range_high: list[Likelihood] | None = None
    depends_on: Uuid | None = None
    group: Title | None = None
    ratings: list[Annotated[str, Field(max_length=4)]] | None = None
    anchor: BundleAnchor | None = None
    review: BundleReview = Field(default_factory=BundleReview)
    created_at: Timestamp
    created_by: Author
    updated_at: Timestamp
    updated_by: Author
    version: Annotated[int, Field(ge=1)] = 1
    removed_at: Timestamp | None = None
    removed_by: Author | None = None
    indicator: Uuid | None = None
    """The indicator whose resolution made this item (its UUID), if any."""
    indicator_outcome: Title | None = None
    numeric: BundleNumericForm | None = None
    """An item on a numeric/date question: its form over the range (its LR is ``likelihoods``'
    pair [LR, 1], as for a binary item)."""

    @model_validator(mode="after")
    def _ranges(self) -> BundleEvidence:
        if (self.range_low is None) != (self.range_high is None):
            raise ValueError("range_low and range_high: give both or neither")
        if self.range_low is not None and self.range_high is not None:
            if len(self.range_low) != len(self.likelihoods) or len(self.range_high) != len(
                self.likelihoods
            ):
                raise ValueError("range_low/range_high: one value per likelihood")
            if any(lo > hi for lo, hi in zip(self.range_low, self.range_high, strict=True)):
                raise ValueError("range_low: each low end must be at most its high end")
        if not any(value > 0 for value in self.likelihoods):
            raise ValueError("likelihoods: at least one must be above 0")
        return self


class BundleLink(BundlePart):
    evidence: Uuid
    linked_at: Timestamp
    linked_by: Author


class BundleCondition(BundlePart):
    """This question may be forecast given each outcome of ``parent`` (a question's UUID)."""

    uuid: Uuid
    parent: Uuid
    created_at: Timestamp
    created_by: Author


class BundleConditionalForecast(BundlePart):
    """A forecast of this question given ``parent`` resolves to ``parent_outcome``."""

    parent: Uuid
    parent_outcome: Title
    forecaster: Author
    made_at: Timestamp
    probs: list[Probability]
    rationale: Text = ""
    recorded_at: Timestamp
    origin: Annotated[str, Field(max_length=40)] = "cli"


class BundleIndicator(BundlePart):
    """This (binary) question indicates ``parent``'s outcomes: P(Yes | each outcome of parent)."""

    uuid: Uuid
    parent: Uuid
    likelihoods: list[Annotated[float, Field(gt=0.0, lt=1.0, allow_inf_nan=False)]]
    credibility: Probability = 1.0
    group: Title | None = None
    created_at: Timestamp
    created_by: Author
    removed_at: Timestamp | None = None
    """Set when the indicator was removed (the row stays, so the removal travels)."""
    removed_by: Author | None = None


class BundleNode(BundlePart):
    """A claim in a question's argument tree."""

    uuid: Uuid
    parent: Uuid | None = None
    outcome: Count | None = None
    stance: Literal["supports", "attacks"]
    text: Annotated[str, Field(min_length=1, max_length=20_000)]
    status: ReviewStatus = "draft"
    status_by: Author
    status_at: Timestamp
    evidence: list[BundleLink] = Field(default_factory=list)
    created_at: Timestamp
    created_by: Author
    updated_at: Timestamp
    updated_by: Author
    version: Annotated[int, Field(ge=1)] = 1


class BundleComment(BundlePart):
    """A comment on the question (``target`` null), an outcome (its name), an item or a node (UUID)."""

    uuid: Uuid
    target_kind: Literal["question", "outcome", "evidence", "node"]
    target: Annotated[str, Field(max_length=300)] | None = None
    parent: Uuid | None = None
    body: Annotated[str, Field(min_length=1, max_length=20_000)]
    author: Author
    created_at: Timestamp
    resolved: bool = False


class BundleChallenge(BundlePart):
    """A reviewer's proposed likelihoods for an evidence item."""

    uuid: Uuid
    evidence: Uuid
    proposer: Author
    likelihoods: list[Likelihood]
    reason: Annotated[str, Field(min_length=1, max_length=20_000)]
    status: Literal["open", "accepted", "withdrawn", "rejected"] = "open"
    created_at: Timestamp
    decided_by: Author | None = None
    decided_at: Timestamp | None = None
    decision_reason: Text = ""
    """Why it was accepted, rejected or withdrawn, as its decider said."""


class BundleQuestion(BundlePart):
    uuid: Uuid
    title: Title
    description: Text = ""
    criteria: Text = ""
    kind: Literal["binary", "multi", "numeric", "date"]
    status: Literal["open", "closed", "resolved", "annulled"] = "open"
    opens_at: Timestamp | None = None
    closes_at: Timestamp | None = None
    resolved_outcome: Title | None = None
    resolved_at: Timestamp | None = None
    tags: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list)
    outcomes: list[BundleOutcome] = Field(default_factory=list, max_length=100)
    """At least two for a binary or multi question; none for a numeric or date one."""
    numeric: BundleNumericRange | None = None
    """A numeric/date question's range (values in days since 1970-01-01 for a date)."""
    resolved_value: Annotated[float, Field(allow_inf_nan=False)] | None = None
    groups: dict[Title, Probability] = Field(default_factory=dict)
    """Redundancy groups of the question's evidence: name -> rho."""
    created_at: Timestamp
    created_by: Author
    updated_at: Timestamp
    updated_by: Author
    version: Annotated[int, Field(ge=1)] = 1
    removed_at: Timestamp | None = None
    """Set when the question was removed (soft: it leaves lists and scores, its rows stay)."""
    removed_by: Author | None = None
    history: list[BundleQuestionChange] = Field(default_factory=list)
    """Every state the question has had, oldest first (``question history``)."""
    prior_history: list[BundlePriorChange] = Field(default_factory=list)
    resolutions: list[BundleResolution] = Field(default_factory=list)
    forecasts: list[BundleForecast] = Field(default_factory=list)
    evidence: list[BundleEvidence] = Field(default_factory=list)
    tree: list[BundleNode] = Field(default_factory=list)
    comments: list[BundleComment] = Field(default_factory=list)
    challenges: list[BundleChallenge] = Field(default_factory=list)
    conditions: list[BundleCondition] = Field(default_factory=list)
    conditional_forecasts: list[BundleConditionalForecast] = Field(default_factory=list)
    indicators: list[BundleIndicator] = Field(default_factory=list)
    removed_conditions: list[BundleConditionRemoval] = Field(default_factory=list)
    """Conditions of this question that were removed (tombstones)."""

    @model_validator(mode="after")
    def _consistent(self) -> BundleQuestion:
        if self.kind in ("numeric", "date") or self.numeric is not None:
            check_numeric_question(self)
            self._check_references(2, outcome_names=set())
            return self
        k = len(self.outcomes)
        if k < 2:
            raise ValueError("outcomes: a binary or multi question has at least 2")
        names = [o.name.casefold() for o in self.outcomes]
        if len(set(names)) != k:
            raise ValueError("outcomes: names must be unique")
        if self.kind == "binary" and k != 2:
            raise ValueError("outcomes: a binary question has exactly two (Yes, No)")
        if not math.isclose(sum(o.prior for o in self.outcomes), 1.0, abs_tol=PRIOR_TOLERANCE):
            raise ValueError("outcomes: priors must sum to 1")
        known = set(names)
        for name in [self.resolved_outcome, *(r.outcome for r in self.resolutions)]:
            if name is not None and name.casefold() not in known:
                raise ValueError(f"resolution: {name!r} is not one of the outcomes")
        for i, change in enumerate(self.prior_history):
            if len(change.priors) != k:
                raise ValueError(f"prior_history[{i}]: one prior per outcome ({k})")
        for i, forecast in enumerate(self.forecasts):
            if len(forecast.probs) != k or not math.isclose(
                sum(forecast.probs), 1.0, abs_tol=PROBABILITY_TOLERANCE
            ):
                raise ValueError(f"forecasts[{i}]: {k} probabilities that sum to 1")
        if len({(f.forecaster, f.made_at) for f in self.forecasts}) != len(self.forecasts):
            raise ValueError("forecasts: one forecast per forecaster and time")
        for i, forecast in enumerate(self.forecasts):
            if forecast.cdf is not None or forecast.typed is not None or forecast.method:
                raise ValueError(f"forecasts[{i}].cdf: only a numeric or date forecast has one")
        for i, item in enumerate(self.evidence):
            if item.numeric is not None:
                raise ValueError(f"evidence[{i}].numeric: only on a numeric or date question")
        if self.resolved_value is not None or any(r.value is not None for r in self.resolutions):
            raise ValueError("resolved_value: only a numeric or date question resolves to a value")
        self._check_references(k, {o.name for o in self.outcomes})
        self._check_links(k)
        return self

    def _check_links(self, k: int) -> None:
        parents = {c.parent for c in self.conditions}
        for i, cf in enumerate(self.conditional_forecasts):
            if cf.parent not in parents:
                raise ValueError(
                    f"conditional_forecasts[{i}].parent: {cf.parent} is not in this question's conditions"
                )
            if len(cf.probs) != k or not math.isclose(
                sum(cf.probs), 1.0, abs_tol=PROBABILITY_TOLERANCE
            ):
                raise ValueError(f"conditional_forecasts[{i}]: {k} probabilities that sum to 1")
        for i, parent in enumerate(
            [
                *(c.parent for c in self.conditions),
                *(i.parent for i in self.indicators),
                *(r.parent for r in self.removed_conditions),
            ]
        ):
            if parent == self.uuid:
                raise ValueError(f"links[{i}].parent: a question cannot be linked to itself")
        if self.indicators and self.kind != "binary":
            raise ValueError("indicators: only a binary question can be an indicator")

    def _check_references(self, k: int, outcome_names: set[str]) -> None:
        items = {e.uuid for e in self.evidence}
        nodes = {n.uuid for n in self.tree}
        comments = {c.uuid for c in self.comments}
        if (
            len(items) != len(self.evidence)
            or len(nodes) != len(self.tree)
            or len(comments) != len(self.comments)
        ):
            raise ValueError("uuid: each item, node and comment appears once")
        for i, item in enumerate(self.evidence):
            if len(item.likelihoods) != k:
                raise ValueError(f"evidence[{i}].likelihoods: one per outcome ({k})")
            if item.depends_on is not None and (
                item.depends_on not in items or item.depends_on == item.uuid
            ):
                raise ValueError(
                    f"evidence[{i}].depends_on: {item.depends_on} is not another item of this question"
                )
            if item.group is not None and item.group not in self.groups:
                raise ValueError(
                    f"evidence[{i}].group: {item.group!r} is not in the question's groups"
                )
        for i, node in enumerate(self.tree):
            if node.parent is not None and (node.parent not in nodes or node.parent == node.uuid):
                raise ValueError(
                    f"tree[{i}].parent: {node.parent} is not another node of this question"
                )
            if node.outcome is not None and node.outcome >= k:
                raise ValueError(
                    f"tree[{i}].outcome: {node.outcome} is not an outcome position (0..{k - 1})"
                )
            for link in node.evidence:
                if link.evidence not in items:
                    raise ValueError(
                        f"tree[{i}].evidence: {link.evidence} is not an item of this question"
                    )
        parents = {n.uuid: n.parent for n in self.tree}
        for start in parents:
            seen, cursor = set(), parents[start]
            while cursor is not None:
                if cursor in seen or cursor == start:
                    raise ValueError(f"tree: node {start} is its own ancestor")
                seen.add(cursor)
                cursor = parents.get(cursor)
        targets = {"evidence": items, "node": nodes, "outcome": outcome_names}
        for i, comment in enumerate(self.comments):
            if comment.target_kind == "question":
                if comment.target is not None:
                    raise ValueError(
                        f"comments[{i}].target: a comment on the question has no target"
                    )
            elif comment.target not in targets[comment.target_kind]:
                raise ValueError(
                    f"comments[{i}].target: {comment.target!r} is not a {comment.target_kind} of this question"
                )
            if comment.parent is not None and comment.parent not in comments:
                raise ValueError(
                    f"comments[{i}].parent: {comment.parent} is not a comment of this question"
                )
        for i, challenge in enumerate(self.challenges):
            if challenge.evidence not in items:
                raise ValueError(
                    f"challenges[{i}].evidence: {challenge.evidence} is not an item of this question"
                )
            if len(challenge.likelihoods) != k:
                raise ValueError(f"challenges[{i}].likelihoods: one per outcome ({k})")


class BundlePassage(BundlePart):
    number: Annotated[int, Field(ge=1)]
    start: Count
    end: Count
    text: Text


class BundleMarker(BundlePart):
    position: Count
    label: Annotated[str, Field(max_length=40)]
    note: Count
    start: Count
    end: Count
    passage: Count | None = None


class BundleCitation(BundlePart):
    number: Annotated[int, Field(ge=1)]
    label: Annotated[str, Field(max_length=40)]
    text: Text
    ibid: bool = False
    resolves_to: Count
    work_key: Annotated[str, Field(max_length=400)]


class BundleWork(BundlePart):
    key: Annotated[str, Field(max_length=400)]
    title: Text
    cited: Count


class BundleSkipped(BundlePart):
    start: Count
    end: Count
    text: Text
    reason: Annotated[str, Field(max_length=200)]


class BundleSource(BundlePart):
    """An imported article with what the parser found in it."""

    uuid: Uuid
    title: Title
    url: Annotated[str, Field(max_length=2000)] = ""
    published: Timestamp | None = None
    format: Literal["text", "markdown", "html"]
    filename: Annotated[str, Field(max_length=400)] = ""
    text: Annotated[str, Field(max_length=5_000_000)]
    content_hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    imported_at: Timestamp
    imported_by: Author
    passages: list[BundlePassage] = Field(default_factory=list)
    markers: list[BundleMarker] = Field(default_factory=list)
    citations: list[BundleCitation] = Field(default_factory=list)
    works: list[BundleWork] = Field(default_factory=list)
    skipped: list[BundleSkipped] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_parts(self) -> BundleSource:
        for name, keys in (
            ("passages", [p.number for p in self.passages]),
            ("markers", [m.position for m in self.markers]),
            ("citations", [c.number for c in self.citations]),
            ("works", [w.key for w in self.works]),
        ):
            if len(set(keys)) != len(keys):
                raise ValueError(f"{name}: each number (or key) appears once")
        return self


class Bundle(BundlePart):
    """A forecastle bundle: questions with everything attached to them, and the sources they cite."""

    format: Literal["forecastle-bundle"] = FORMAT
    schema_version: Literal[3] = SCHEMA_VERSION
    sources: list[BundleSource] = Field(default_factory=list)
    questions: list[BundleQuestion] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> Bundle:
        uuids = [s.uuid for s in self.sources] + [q.uuid for q in self.questions]
        uuids += [e.uuid for q in self.questions for e in q.evidence]
        uuids += [n.uuid for q in self.questions for n in q.tree]
        uuids += [c.uuid for q in self.questions for c in q.comments]
        uuids += [c.uuid for q in self.questions for c in q.challenges]
        uuids += [c.uuid for q in self.questions for c in q.conditions]
        uuids += [i.uuid for q in self.questions for i in q.indicators]
        if len(set(uuids)) != len(uuids):
            raise ValueError("uuid: each appears once in a bundle")
        return self


def migrate_bundle(data: dict[str, object]) -> dict[str, object]:
    """An older bundle's JSON brought to this schema version (1 -> 2: no links; 2 -> 3: no numeric
    or date questions; every field they add is optional, so only the version moves)."""
    version = data.get("schema_version")
    if version in (1, 2):
        data = {**data, "schema_version": SCHEMA_VERSION}
    return data


def bundle_schema() -> dict[str, object]:
    """The JSON Schema of a bundle, as published in docs/bundle.schema.json."""
    schema = Bundle.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_json() -> str:
    import json

    return json.dumps(bundle_schema(), sort_keys=True, indent=2) + "\n"


if (
    __name__ == "__main__"
):  # regenerate: python -m forecast.exchange.bundle_models > docs/bundle.schema.json
    print(schema_json(), end="")

"""What if: resolve some questions hypothetically and follow the links, writing nothing.

For hypothetical outcomes (question -> outcome position), the questions reached are:

- by belief, each fixed question and, transitively, the conditional children of a question
  reached by belief: a forecaster's belief in a fixed question is certainty of its outcome, and in
  a child P(child) = sum_o belief(parent = o) * P(child | parent = o) through its first reached
  parent, when they have forecast every branch of it (else their standing forecast stands);
- by model, each fixed question (its posterior is certainty) and each parent of an indicator that
  is fixed (its posterior gains the item the resolution would add: (a_j) on Yes, (1 - a_j) on No,
  with the indicator's credibility and group);
- and, at the edge, the conditional children of a question whose model moved (their ``model``
  implied forecast moves) and the indicators of such a question (their ``implied_by_model``).

The model before is the stored one (``model_posteriors``); beliefs before are each forecaster's
standing forecast, else their implied one.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlite_utils import Database

from arguments.evidence import DEFAULT_REDUNDANCY
from arguments.evidence_records import records_by_question
from forecast.engine import bayes
from forecast.engine.inputs import engine_input
from forecast.engine.links import (
    LinkGraph,
    Vector,
    implied,
    indicator_implied,
    load_details,
    load_links,
    one_hot,
)
from questions.errors import InvalidInput
from questions.store import outcome_index


def parse_assignments(db: Database, texts: list[str]) -> dict[int, str]:
    """``["Q9=Yes", ...]`` -> {9: "Yes"}; each question open, each outcome its own."""
    from questions.store import get_question

    if not texts:
        raise InvalidInput("whatif: give at least one QUESTION=OUTCOME (e.g. Q9=Yes)")
    fixed: dict[int, str] = {}
    for text in texts:
        ref, sep, outcome = text.partition("=")
        if not sep or not ref.strip() or not outcome.strip():
            raise InvalidInput(f"whatif: {text!r} is not QUESTION=OUTCOME (e.g. Q9=Yes)")
        question = get_question(db, ref.strip())
        if question.status in ("resolved", "annulled"):
            raise InvalidInput(f"whatif: {question.short_id} is already {question.status}")
        try:
            position = outcome_index(question, outcome)
        except InvalidInput as exc:
            raise InvalidInput(f"whatif: {str(exc).removeprefix('outcome: ')}") from None
        if question.id in fixed:
            raise InvalidInput(f"whatif: {question.short_id} is given twice")
        fixed[question.id] = question.outcomes[position].name
    return fixed


def _reach(graph: LinkGraph, fixed: Mapping[int, int]) -> tuple[list[int], set[int], set[int]]:
    """(questions reached by belief in topological order, by model, at the edge)."""
    children: dict[int, list[int]] = {}
    for parent, child in graph.conditions:
        children.setdefault(parent, []).append(child)
    belief: set[int] = set()
    queue = deque(sorted(fixed))
    while queue:
        node = queue.popleft()
        if node in belief:
            continue
        belief.add(node)
        queue.extend(children.get(node, ()))
    model = set(fixed) | {i.parent for i in graph.indicators if i.child in fixed}
    edge = {c for m in model for c in children.get(m, ())}
    edge |= {i.child for i in graph.indicators if i.parent in model}
    indegree = {q: 0 for q in belief}
    for parent, child in graph.conditions:
        if parent in belief and child in belief:
            indegree[child] += 1
    order: list[int] = []
    ready = deque(sorted(q for q, n in indegree.items() if n == 0))
    while ready:
        node = ready.popleft()
        order.append(node)
        for child in sorted(children.get(node, ())):
            if child in indegree:
                indegree[child] -= 1
                if indegree[child] == 0:
                    ready.append(child)
    return order, model, edge - belief - model


def _models_after(
    db: Database, graph: LinkGraph, fixed: Mapping[int, int], model: set[int]
) -> dict[int, Vector]:
    after: dict[int, Vector] = {q: one_hot(p, len(graph.outcomes[q])) for q, p in fixed.items()}
    moved = sorted(model - set(fixed))
    for qid, (prior, items) in _inputs_after(db, graph, fixed, moved).items():
        after[qid] = tuple(float(p) for p in bayes.posterior(prior, items))
    return after


def _inputs_after(
    db: Database, graph: LinkGraph, fixed: Mapping[int, int], moved: list[int]
) -> dict[int, tuple[list[float], list[bayes.EvidenceInput]]]:
    """Each moved question's prior and evidence with the items the hypothetical resolutions of
    its indicators would add."""
    if not moved:
        return {}
    evidence = records_by_question(db, moved)
    priors: dict[int, list[float]] = {}
    for qid, prior in db.execute(
        f"select question_id, prior from outcomes where question_id in ({','.join('?' * len(moved))})"  # noqa: S608
        " order by question_id, position",
        moved,
    ):
        priors.setdefault(qid, []).append(prior)
    rhos = {
        (q, name): rho
        for q, name, rho in db.execute("select question_id, name, rho from evidence_groups")
    }
    out = {}
    for qid in moved:
        items = [engine_input(r) for r in evidence[qid]]
        for ind in graph.indicators:
            if ind.parent == qid and ind.child in fixed:
                yes = fixed[ind.child] == 0
                items.append(
                    bayes.EvidenceInput(
                        id=f"whatif-Q{ind.child}",
                        likelihoods=ind.likelihoods
                        if yes
                        else tuple(1 - a for a in ind.likelihoods),
                        credibility=ind.credibility,
                        group=ind.group,
                        rho=rhos.get((qid, ind.group), DEFAULT_REDUNDANCY) if ind.group else 0.0,
                    )
                )
        out[qid] = (priors[qid], items)
    return out


def interval_after(db: Database, qid: int, assignments: Mapping[int, str]) -> np.ndarray | None:
    """(outcomes, 2): the 90% interval of ``qid``'s model if ``assignments`` were the outcomes,
    from its items' LR ranges as the model's own interval is (None when its model would not
    move through an indicator: the screen then keeps the interval it has)."""
    graph = load_links(db)
    load_details(db, graph, {qid, *assignments})
    fixed = {q: outcome_index_of(graph, q, name) for q, name in assignments.items()}
    if qid in fixed or not any(i.parent == qid and i.child in fixed for i in graph.indicators):
        return None
    prior, items = _inputs_after(db, graph, fixed, [qid])[qid]
    return bayes.analyse(prior, items, sensitivity=False).interval


def _inputs_of(graph: LinkGraph, targets: set[int]) -> set[int]:
    """The targets and every question their numbers depend on: condition parents and indicator
    parents, transitively."""
    needed, stack = set(targets), list(targets)
    while stack:
        node = stack.pop()
        for source in [
            *graph.parents(node),
            *(i.parent for i in graph.indicators if i.child == node),
        ]:
            if source not in needed:
                needed.add(source)
                stack.append(source)
    return needed


def whatif(
    db: Database, assignments: Mapping[int, str], *, targets: set[int] | None = None
) -> dict[str, Any]:
    """Every question reached from these hypothetical outcomes, with the model posterior and each
    forecaster's implied forecast before and after (``whatif --json``). Reads only. With
    ``targets``, only those questions (and what their numbers depend on) are worked out, as the
    question screen needs."""
    graph = load_links(db)
    load_details(db, graph, assignments)
    fixed = {q: outcome_index_of(graph, q, name) for q, name in assignments.items()}
    order, model, edge = _reach(graph, fixed)
    if targets is not None:
        needed = _inputs_of(graph, targets) | set(fixed)
        order = [q for q in order if q in needed]
        model &= needed
        edge &= needed
    parents_needed = {p for q in [*order, *edge] for p in graph.parents(q)}
    ind_parents = {i.parent for i in graph.indicators if i.child in edge}
    load_details(db, graph, {*order, *model, *edge, *parents_needed, *ind_parents})
    model_after = _models_after(db, graph, fixed, model)

    def model_of(q: int, after: bool) -> Vector | None:
        if after and q in model_after:
            return model_after[q]
        return graph.model.get(q)

    names = sorted(
        {who for q in order for who in graph.standing.get(q, {})}
        | {who for q in order for p in graph.parents(q) for who in graph.branches.get((q, p), {})}
    )
    before, after = {}, {}
    rows: dict[int, dict[str, Any]] = {}
    reached = set(order)
    for q in order:
        k = len(graph.outcomes[q])
        standing = _matrix(graph.standing.get(q, {}), names, (k,))
        forecasters: dict[str, dict[str, list[float] | None]] = {}
        if q in fixed:
            before[q] = standing
            after[q] = np.tile(np.asarray(one_hot(fixed[q], k)), (len(names), 1))
        else:
            parent = next(p for p in graph.parents(q) if p in reached)
            given = graph.branches.get((q, parent), {})
            branches = _matrix(given, names, (len(graph.outcomes[parent]), k))
            implied_before = np.einsum("fo,foj->fj", before[parent], branches)
            implied_after = np.einsum("fo,foj->fj", after[parent], branches)
            missing = np.isnan(standing).any(axis=1)
            before[q] = np.where(missing[:, None], implied_before, standing)
            after[q] = np.where(
                np.isnan(implied_after).any(axis=1)[:, None], before[q], implied_after
            )
            b_rows, a_rows = implied_before.tolist(), implied_after.tolist()
            for i, who in enumerate(names):
                if who not in given or (math.isnan(a_rows[i][0]) and math.isnan(b_rows[i][0])):
                    continue
                forecasters[who] = {
                    "before": None if math.isnan(b_rows[i][0]) else b_rows[i],
                    "after": (b_rows[i] if math.isnan(a_rows[i][0]) else a_rows[i]),
                }
        rows[q] = _row(graph, q, fixed, model_of, forecasters)
    for q in sorted((model | edge) - reached):
        rows[q] = _row(graph, q, fixed, model_of, {})
    for q, row in rows.items():
        row["model_implied"] = _model_implied(graph, q, model_after, model_of)
        row["implied_by_model"] = {
            f"Q{i.parent}": {
                "before": indicator_implied(i.likelihoods, b),
                "after": indicator_implied(i.likelihoods, model_of(i.parent, True) or b),
            }
            for i in graph.indicators
            if i.child == q and i.child not in fixed and (b := model_of(i.parent, False))
        }
    return {
        "hypothetical": {f"Q{q}": name for q, name in sorted(assignments.items())},
        "questions": [rows[q] for q in sorted(rows)],
    }


def _matrix(
    by_forecaster: Mapping[str, Any], names: list[str], shape: tuple[int, ...]
) -> np.ndarray:
    """Rows in ``names`` order (NaN for a forecaster without a value)."""
    rows = [by_forecaster.get(who) for who in names]
    if all(row is not None for row in rows):
        return np.array(rows, dtype=float).reshape(len(names), *shape)
    out = np.full((len(names), *shape), np.nan)
    for i, row in enumerate(rows):
        if row is not None:
            out[i] = row
    return out


def outcome_index_of(graph: LinkGraph, q: int, name: str) -> int:
    return [n.lower() for n in graph.outcomes[q]].index(name.lower())


def _row(
    graph: LinkGraph,
    q: int,
    fixed: Mapping[int, int],
    model_of: Any,
    forecasters: dict[str, Any],
) -> dict[str, Any]:
    before, after = model_of(q, False), model_of(q, True)
    return {
        "id": f"Q{q}",
        "title": graph.titles[q],
        "outcomes": graph.outcomes[q],
        "hypothetical": graph.outcomes[q][fixed[q]] if q in fixed else None,
        "model": {
            "before": list(before) if before else None,
            "after": list(after) if after else None,
        },
        "forecasters": forecasters,
    }


def _model_implied(
    graph: LinkGraph, q: int, model_after: Mapping[int, Vector], model_of: Any
) -> dict[str, dict[str, dict[str, list[float]]]]:
    """Per forecaster, the forecast implied through each parent whose model moved."""
    found: dict[str, dict[str, dict[str, list[float]]]] = {}
    for parent in graph.parents(q):
        if parent not in model_after:
            continue
        before, after = model_of(parent, False), model_after[parent]
        for who, branches in sorted(graph.branches.get((q, parent), {}).items()):
            found.setdefault(who, {})[f"Q{parent}"] = {
                "before": list(implied(branches, before)) if before else None,  # type: ignore[dict-item]
                "after": list(implied(branches, after)),
            }
    return found

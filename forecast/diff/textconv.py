"""``git diff``'s view of a question file (git's textconv): the question as a reader sees it, with
the model's posterior, so a diff shows "LR 2.5 → 3.0" beside "posterior 0.41 → 0.47"."""

from __future__ import annotations

import tomllib

from forecast.diff.numeric_posterior import bundle_range
from forecast.diff.posterior import model_posterior
from forecast.exchange.bundle_models import BundleQuestion
from forecast.exchange.text.layout import read_question
from questions.errors import InvalidInput


def _lr(question: BundleQuestion, values: list[float]) -> str:
    if question.kind in ("binary", "numeric", "date") and values[1]:
        return f"LR {values[0] / values[1]:.4g}"
    return "likelihoods " + ", ".join(f"{v:.4g}" for v in values)


def question_view(text: str, where: str) -> str:
    """The readable view of a question file; text it cannot read is shown as it is."""
    try:
        question = read_question(text, where)
    except (InvalidInput, tomllib.TOMLDecodeError):
        return text
    posterior, problem = model_posterior(question)
    lines = [f"question: {question.title}", f"status: {question.status}"]
    for i, outcome in enumerate(question.outcomes):
        after = f"{posterior[i]:.4g}" if posterior else "—"
        lines.append(f"outcome {outcome.name}: prior {outcome.prior:.4g}, posterior {after}")
    if question.numeric is not None and posterior:
        rng = bundle_range(question)
        median, q05, q95 = (rng.show(v) for v in posterior)
        lines.append(
            f"range {rng.show(rng.lo)} .. {rng.show(rng.hi)}, prior {question.numeric.prior}:"
            f" posterior median {median}, 90% {q05} .. {q95}"
        )
    if problem:
        lines.append(f"model not computable: {problem}")
    for item in question.evidence:
        state = f"removed by {item.removed_by}" if item.removed_at else f"by {item.updated_by}"
        ranged = ""
        if item.range_low and item.range_high:
            ranged = f" (90% {_lr(question, item.range_low)} to {_lr(question, item.range_high)})"
        form = ""
        if item.numeric is not None and question.numeric is not None:
            rng = bundle_range(question)
            form = f"{item.numeric.form} {rng.show(item.numeric.a)}"
            form += f" {rng.show(item.numeric.b)}" if item.numeric.b is not None else ""
            form += f" ± {item.numeric.sd:g}, " if item.numeric.sd is not None else ", "
        lines.append(
            f"evidence {item.text!r}: {form}{_lr(question, item.likelihoods)}{ranged},"
            f" credibility {item.credibility:.4g}, {item.review.status}, {state}, v{item.version}"
        )
    for node in question.tree:
        lines.append(f"node {node.text!r}: {node.stance}, {node.status} (by {node.status_by})")
    for comment in question.comments:
        lines.append(f"comment by {comment.author}: {comment.body!r}")
    for challenge in question.challenges:
        lines.append(
            f"challenge by {challenge.proposer}: {challenge.reason!r} ({challenge.status})"
        )
    for event in question.resolutions:
        what = event.outcome or ""
        if event.value is not None and question.numeric is not None:
            what = bundle_range(question).show(event.value)
        lines.append(f"{event.action} {what} by {event.recorded_by}".replace("  ", " "))
    return "\n".join(lines) + "\n"

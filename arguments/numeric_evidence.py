"""Evidence on numeric and date questions: an item is an ordinary ``evidence`` row (text, source,
credibility, LR and its 90% range, group, ``depends_on``, history) plus its form over the range in
``numeric_evidence``: a step ``above``/``below`` a threshold or ``between`` two values with a
likelihood ratio, or a noisy ``measured`` value with a standard deviation (normal likelihood)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlite_utils import Database

from questions.errors import InvalidInput
from questions.numeric_store import numeric_range
from questions.workspace import write_transaction

from .evidence import Evidence, EvidenceInputs
from .evidence_store import add_anchored_evidence, get_evidence

FORMS = ("above", "below", "between", "measured")


@dataclass(frozen=True)
class NumericForm:
    form: str
    a: float
    b: float | None = None
    sd: float | None = None


def check_form(
    db: Database, question: str | int, form: NumericForm, lr: float | None, ranged: bool = False
) -> None:
    rng = numeric_range(db, question)
    if form.form not in FORMS:
        raise InvalidInput(f"form: {form.form!r} is not allowed ({', '.join(FORMS)})")
    values = [form.a] + ([form.b] if form.b is not None else [])
    for value in values:
        if not math.isfinite(value):
            raise InvalidInput(f"--{form.form}: {value!r} is not a finite number")
    if form.form == "measured":
        if form.sd is None or not math.isfinite(form.sd) or form.sd <= 0:
            raise InvalidInput("--sd: give the measurement's standard deviation (> 0)")
        if lr is not None:
            raise InvalidInput("--lr: a --measured item has no LR (its likelihood is normal)")
        if ranged:
            raise InvalidInput("--range: a --measured item has no LR to range over (--sd says it)")
        return
    if form.sd is not None:
        raise InvalidInput("--sd: only with --measured")
    if lr is None:
        raise InvalidInput(f"--lr: give the likelihood ratio of being {form.form} the threshold")
    if form.form == "between":
        assert form.b is not None
        if not form.b > form.a:
            raise InvalidInput(
                f"--between: {rng.show(form.a)} .. {rng.show(form.b)} (A must be below B)"
            )
    for value in values:
        if not rng.lo <= value <= rng.hi:
            raise InvalidInput(
                f"--{form.form}: {rng.show(value)} is outside the question's range "
                f"{rng.show(rng.lo)} .. {rng.show(rng.hi)}"
            )


def add_numeric_evidence(
    db: Database,
    question: str | int,
    inputs: EvidenceInputs,
    form: NumericForm,
    *,
    passage: str | None,
    by: str,
) -> Evidence:
    """Add an item with its form over the range, in one transaction."""
    check_form(db, question, form, inputs.lr, inputs.range_low is not None)
    if form.form == "measured":
        inputs = inputs.model_copy(update={"lr": 1.0})
    with write_transaction(db):
        item = add_anchored_evidence(db, question, inputs, passage=passage, by=by)
        db.execute(
            "insert into numeric_evidence (evidence_id, form, a, b, sd) values (?, ?, ?, ?, ?)",
            [item.id, form.form, form.a, form.b, form.sd],
        )
    return get_evidence(db, item.id)


def numeric_form(db: Database, evidence_id: int) -> NumericForm | None:
    row = db.execute(
        "select form, a, b, sd from numeric_evidence where evidence_id = ?", [evidence_id]
    ).fetchone()
    return None if row is None else NumericForm(*row)


def form_text(db: Database, evidence_id: int) -> str:
    """``above 100 ×8``, ``between 2 5 ×2``, ``measured 742 ±50``: an item's form as a cell."""
    form = numeric_form(db, evidence_id)
    if form is None:
        return "?"
    row = db.execute(
        "select e.likelihoods, e.question_id from evidence e where e.id = ?", [evidence_id]
    ).fetchone()
    rng = numeric_range(db, row[1])
    if form.form == "measured":
        return f"measured {rng.show(form.a)} ±{form.sd:g}"
    lr = float(row[0].strip("[]").split(",")[0])
    where = rng.show(form.a) + (f" {rng.show(form.b)}" if form.b is not None else "")
    return f"{form.form} {where} ×{lr:g}"

"""``forecastle ach``: the ACH matrix of a question."""

from __future__ import annotations

import click

from questions.session import Session

from .support import emit_json, pass_session, table


@click.command("ach")
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def ach_cmd(session: Session, question: str, as_json: bool) -> None:
    """The ACH matrix: evidence × hypotheses, inconsistency, diagnosticity, posterior."""
    from forecast.views.ach import ach_matrix

    data = ach_matrix(session.db, question)
    if as_json:
        emit_json(data)
        return
    names = [h["name"][:14] for h in data["hypotheses"]]
    rows = []
    for e in data["evidence"]:
        cells = e["ratings"] or [f"{v:.2g}" for v in e["likelihoods"]]
        rows.append([e["id"], *cells, f"{e['diagnosticity']:.1f}", e["text"][:40]])
    rows.append(
        ["inconsistency", *[f"{h['inconsistency']:.1f}" for h in data["hypotheses"]], "", ""]
    )
    rows.append(["posterior", *[f"{h['posterior']:.1%}" for h in data["hypotheses"]], "", ""])
    click.echo(f"{data['question']}  {data['title']}")
    click.echo(table(rows, ["evidence", *names, "diag dB", "text"]))
    if data["least_inconsistent"]:
        click.echo(
            f"least inconsistent (ACH): {data['least_inconsistent']}; most probable (Bayes): {data['most_probable']}"
        )

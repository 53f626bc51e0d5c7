"""``forecastle source``: list and show imported sources."""

from __future__ import annotations

import click

from arguments.source_store import list_sources, source_detail
from questions.session import Session

from .support import ForecastleGroup, emit_json, pass_session, table


@click.group(cls=ForecastleGroup)
def source() -> None:
    """Imported sources (articles)."""


@source.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def source_list(session: Session, as_json: bool) -> None:
    """List imported sources."""
    sources = list_sources(session.db)
    if as_json:
        emit_json([{**s.__dict__, "id": s.short_id} for s in sources])
        return
    if not sources:
        click.echo("no sources (forecastle import article FILE)")
        return
    click.echo(
        table(
            [
                [s.short_id, str(s.passages), str(s.citations), str(s.works), s.title[:60]]
                for s in sources
            ],
            ["id", "passages", "citations", "works", "title"],
        )
    )


@source.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_session
def source_show(session: Session, ref: str, as_json: bool) -> None:
    """Show a source: passages with note markers, citations, cited works with counts, skipped text."""
    data = source_detail(session.db, ref)
    if as_json:
        emit_json(data)
        return
    lines = [f"{data['id']}  {data['title']}", ""]
    for passage in data["passages"]:
        marks = " ".join(f"[{m['label']}]→{m['note']}" for m in passage["markers"])
        lines.append(
            f"¶{passage['number']} ({passage['start']}–{passage['end']}) {passage['text'][:90]}"
            + (f"  {marks}" if marks else "")
        )
    lines.append("")
    lines.append(
        table(
            [
                [
                    str(c["number"]),
                    c["label"],
                    "ibid→" + str(c["resolves_to"]) if c["ibid"] else "",
                    c["text"][:70],
                ]
                for c in data["citations"]
            ],
            ["n", "label", "", "citation"],
        )
    )
    lines.append("")
    lines.append(
        table([[str(w["cited"]), w["title"][:80]] for w in data["sources"]], ["cited", "work"])
    )
    if data["skipped"]:
        lines.append("")
        lines += [f"skipped ({s['reason']}): {s['text'][:80]}" for s in data["skipped"]]
    click.echo("\n".join(lines))


@source.command("claims")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print the marks as JSON.")
@pass_session
def source_claims_cmd(session: Session, ref: str, as_json: bool) -> None:
    """List the sentences of source REF that carry something forecastable: hedged or predictive
    claims (with the range a word like "likely" conventionally means), conditionals, quantities
    and dates. Each mark gives its passage (S1:4), the sentence's span in it, kind and cue."""
    from arguments.claims import source_claims

    short_id, marks = source_claims(session.db, ref)
    if as_json:
        emit_json([mark.as_dict(short_id) for mark in marks])
        return
    if not marks:
        click.echo(f"{short_id}: no forecastable sentences found")
        return
    click.echo(
        table(
            [
                [
                    f"{short_id}:{m.passage}",
                    f"{m.start}–{m.end}",
                    m.kind,
                    m.estimative.label() if m.estimative else m.cue,
                    m.sentence[:70],
                ]
                for m in marks
            ],
            ["passage", "span", "kind", "cue", "sentence"],
        )
    )

"""Datasette metadata for a workspace: what each table and column means (with units), the
internal tables hidden, facets by tag and status, and the canned queries a team lead asks for.
``forecastle datasette-metadata > metadata.yml`` then ``datasette workspace.db -m metadata.yml``.

Canned queries read only the documented tables and views; none takes user text into SQL."""

from __future__ import annotations

import json
from typing import Any

HIDDEN = (
    "_sqlite_migrations",
    "sqlite_sequence",
    "note_markers",
    "skipped_text",
    "evidence_citations",
)

BRIER = (
    "Brier score per event of the forecast that counts (the last made before the close), "
    "0..1, mean (p - o)^2 over binary events: a binary question is one event (P(Yes)), a "
    "multi-outcome question one per outcome; lower is better"
)

TABLES: dict[str, dict[str, Any]] = {
    "questions": {
        "description": "One row per question; Q12 is id 12. Times are UTC ISO 8601.",
        "columns": {
            "kind": "binary (Yes/No) or multi (named outcomes)",
            "status": "open, closed, resolved or annulled (annulled questions are not scored)",
            "closes_at": "when forecasting ends: the forecast that counts is the last made before it",
            "resolved_at": "when the outcome became known",
            "version": "bumped on every edit; a stale save is refused",
        },
        "facets": ["status", "kind"],
    },
    "outcomes": {
        "description": "The outcomes of each question, in position order (0 is Yes)",
        "columns": {"prior": "the analyst's probability before any evidence, 0..1"},
    },
    "forecasts": {
        "description": "Every forecast ever made (append-only)",
        "columns": {
            "p": "P(Yes), 0..1, for a binary question (null for multi-outcome)",
            "probs": "JSON probability per outcome, in outcome order, for a multi-outcome question",
            "made_at": "when the forecaster made it (UTC)",
            "origin": "cli, tui, or FORMAT:FILE for an imported history",
        },
        "facets": ["forecaster", "origin"],
    },
    "question_tags": {"description": "Tags of each question", "facets": ["tag"]},
    "model_posteriors": {
        "description": "The Bayesian model's posterior per question and outcome, refreshed in the same transaction as every prior or evidence change",
        "columns": {
            "prior": "probability before evidence, 0..1",
            "posterior": "probability after the live evidence, 0..1",
            "evidence_items": "how many live evidence items went into it",
        },
    },
    "evidence": {
        "description": "Evidence items, each bearing on one question",
        "columns": {
            "likelihoods": "JSON likelihood per outcome; a binary likelihood ratio LR is [LR, 1]",
            "credibility": "0..1: 0 ignores the item, 1 takes it at face value",
        },
    },
    "question_board": {
        "description": "One row per question: tags, the model's probability of its first outcome (P(Yes)), how many forecast it",
        "facets": [{"array": "tags"}, "status"],
        "columns": {
            "model_first_outcome": "model posterior of outcome 0 (P(Yes) when binary), 0..1"
        },
    },
    "current_probability": {
        "description": "Per question and outcome: the team's mean standing probability (each forecaster's latest forecast), 0..1",
    },
    "forecaster_scores": {
        "description": "Per forecaster over the resolved questions that were due: each forecaster's last forecast before the close, scored as the calibration report scores it",
        "columns": {
            "brier_per_event": BRIER,
            "log_score_per_question": "log score per question: mean -ln p(realised outcome), natural log; lower is better",
            "events": "binary events scored (the Brier's denominator)",
            "questions": "questions scored (the log score's denominator)",
        },
    },
}

STANDING = """
  select q.id as question_id, f.forecaster, o.position, o.name as outcome,
         case when f.probs is not null then json_extract(f.probs, '$[' || o.position || ']')
              when o.position = 0 then f.p else 1 - f.p end as probability
  from question_current f join questions q on q.id = f.question_id
  join outcomes o on o.question_id = q.id
"""

QUERIES: dict[str, dict[str, str]] = {
    "not_forecast": {
        "title": "Who has not forecast an open question",
        "description": "Open questions and the team members (anyone who has forecast anything) with no forecast on them",
        "sql": """
select 'Q' || q.id as question, q.title, q.closes_at, people.forecaster
from questions q
cross join (select distinct forecaster from forecasts) people
where q.status = 'open'
  and not exists (
    select 1 from forecasts f where f.question_id = q.id and f.forecaster = people.forecaster)
order by q.closes_at is null, q.closes_at, q.id, people.forecaster""",
    },
    "team_disagreement": {
        "title": "Where the team disagrees most",
        "description": "Open questions by the widest spread (max - min, 0..1) of standing probabilities on one outcome",
        "sql": """
with standing as (STANDING)
select 'Q' || s.question_id as question, q.title, s.outcome,
       count(*) as forecasters, min(s.probability) as lowest, max(s.probability) as highest,
       max(s.probability) - min(s.probability) as spread
from standing s join questions q on q.id = s.question_id
where q.status = 'open'
group by s.question_id, s.position
having count(*) >= 2
order by spread desc, s.question_id
limit 50""",
    },
    "closing_this_month": {
        "title": "What closes this month",
        "description": "Open questions whose close date falls in the current calendar month (UTC)",
        "sql": """
select 'Q' || q.id as question, q.title, q.closes_at,
       (select count(distinct f.forecaster) from forecasts f where f.question_id = q.id) as forecasters
from questions q
where q.status = 'open'
  and q.closes_at >= strftime('%Y-%m-01T00:00:00Z', 'now')
  and q.closes_at < strftime('%Y-%m-01T00:00:00Z', 'now', 'start of month', '+1 month')
order by q.closes_at""",
    },
    "model_vs_team": {
        "title": "Model vs team",
        "description": "Per question and outcome: the model's posterior, the team's mean standing probability, and the gap (team - model), all 0..1",
        "sql": """
with standing as (STANDING)
select 'Q' || m.question_id as question, q.title, m.outcome, m.posterior as model,
       avg(s.probability) as team, count(s.forecaster) as forecasters,
       avg(s.probability) - m.posterior as gap
from model_posteriors m join questions q on q.id = m.question_id
left join standing s on s.question_id = m.question_id and s.position = m.position
group by m.question_id, m.position
order by abs(avg(s.probability) - m.posterior) desc nulls last, m.question_id, m.position""",
    },
    "calibration_by_person": {
        "title": "Calibration by person",
        "description": "Per forecaster and tenth of the probability scale: how many forecasts (each outcome of a resolved question, the last forecast before the close), their mean and how often it happened",
        "sql": """
with cutoff as (
  select q.id, q.resolved_outcome_id,
         case when q.closes_at is null then q.resolved_at when q.resolved_at is null then q.closes_at
              else min(q.closes_at, q.resolved_at) end as cutoff
  from questions q where q.status = 'resolved'
),
counted as (
  select f.*, c.resolved_outcome_id from forecasts f join cutoff c on c.id = f.question_id
  where f.id = (select f2.id from forecasts f2 where f2.question_id = f.question_id
                and f2.forecaster = f.forecaster and (c.cutoff is null or f2.made_at < c.cutoff)
                order by f2.made_at desc, f2.id desc limit 1)
),
events as (
  select c.forecaster,
         case when c.probs is not null then json_extract(c.probs, '$[' || o.position || ']')
              when o.position = 0 then c.p else 1 - c.p end as probability,
         o.id = c.resolved_outcome_id as happened
  from counted c join outcomes o on o.question_id = c.question_id
)
select forecaster, min(cast(probability * 10 as integer), 9) / 10.0 as bin_from,
       count(*) as n, avg(probability) as mean_forecast, avg(happened) as observed
from events
group by forecaster, bin_from
order by forecaster, bin_from""",
    },
}


def _sql(query: dict[str, str]) -> str:
    return query["sql"].replace("(STANDING)", f"({STANDING})").strip()


def metadata(database: str) -> dict[str, Any]:
    tables: dict[str, Any] = {name: {"hidden": True} for name in HIDDEN}
    tables.update(TABLES)
    return {
        "title": "forecastle workspace",
        "description": "Questions, forecasts, the model's posterior and scores. Probabilities are 0..1; times UTC.",
        "databases": {
            database: {
                "tables": tables,
                "queries": {name: dict(q, sql=_sql(q)) for name, q in QUERIES.items()},
            }
        },
    }


def as_yaml(data: Any, indent: int = 0) -> str:
    """YAML without a YAML library: mappings and lists in block style, strings as JSON (a JSON
    string is a valid YAML double-quoted scalar), SQL as literal blocks."""
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            name = json.dumps(key)
            if isinstance(value, str) and "\n" in value:
                lines.append(f"{pad}{name}: |-")
                lines.extend(f"{pad}  {line}" if line else "" for line in value.splitlines())
            elif isinstance(value, dict | list) and value:
                lines.append(f"{pad}{name}:")
                lines.append(as_yaml(value, indent + 1))
            else:
                lines.append(f"{pad}{name}: {json.dumps(value)}")
    else:
        for value in data:
            if isinstance(value, dict | list) and value:
                inner = as_yaml(value, indent + 1).lstrip()
                lines.append(f"{pad}- {inner}")
            else:
                lines.append(f"{pad}- {json.dumps(value)}")
    return "\n".join(lines)

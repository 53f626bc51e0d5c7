"""The forecast layer's tables, as the named migration set ``forecastle.forecast``.

Views (read-only team views for ``datasette workspace.db``):

- ``current_probability``: one row per question and outcome with the team's mean standing
  probability (each forecaster's latest forecast) and how many forecasters it averages.
- ``forecaster_scores``: one row per forecaster with their mean Brier score over resolved
  questions that were due (each forecaster's last forecast made by the close). Since m002 a
  question resolved on a day before its scheduled close is left out, as the report leaves it out
  of its scores by default (``forecastle report --include-early`` counts it).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("forecastle.forecast")


@MIGRATIONS()
def m001_team_views(db: Database) -> None:
    """Views ``current_probability`` and ``forecaster_scores`` for browsing with datasette."""
    db.executescript(
        """
        -- current_probability: one row per question and outcome.
        --   A forecaster's standing forecast is their latest one by made_at, then id (the view
        --   question_current of the questions layer). A forecast's probability of an outcome is
        --   p for position 0 (Yes) and 1 - p for position 1 (No) of a binary question, and
        --   element [position] of the JSON vector probs for a multi-outcome question.
        --   mean_probability is the plain mean over the forecasters with a standing forecast
        --   (NULL when nobody has forecast). status is the stored one: a question past its
        --   closes_at but not yet resolved still reads 'open' (closes_at is shown beside it).
        create view current_probability as
        with standing as (
            select qc.question_id, qc.forecaster, o.id as outcome_id,
                   case
                       when qc.probs is not null
                           then json_extract(qc.probs, '$[' || o.position || ']')
                       when o.position = 0 then qc.p
                       else 1 - qc.p
                   end as probability
            from question_current qc
            join outcomes o on o.question_id = qc.question_id
        )
        select 'Q' || q.id as short_id,
               q.id as question_id,
               q.title,
               q.status,
               q.closes_at,
               o.name as outcome,
               o.position,
               o.prior,
               count(s.forecaster) as forecasters,
               avg(s.probability) as mean_probability
        from questions q
        join outcomes o on o.question_id = q.id
        left join standing s on s.outcome_id = o.id
        group by q.id, o.id;

        -- forecaster_scores: one row per forecaster over questions with status 'resolved'.
        --   Each forecaster is scored once per question on their last forecast (by made_at, then
        --   id) made before the cutoff: the earlier of closes_at and resolved_at (as the report
        --   counts them); with neither, their latest forecast. Later forecasts are ignored.
        --   Binary question: Brier (p - o)^2 on P(Yes), o = 1 if Yes happened (0 .. 1).
        --   Multi-outcome question: Brier's original multi-category score
        --   sum_j (p_j - o_j)^2 over the outcomes, o_j = 1 for the realised one (0 .. 2).
        --   mean_brier is the plain mean of those per-question scores (so a multi-outcome
        --   question can weigh up to twice a binary one); binary_questions and multi_questions
        --   count how many of each went into it.
        create view forecaster_scores as
        with resolved as (
            select q.id as question_id,
                   q.kind,
                   case when q.closes_at is null then q.resolved_at
                        when q.resolved_at is null then q.closes_at
                        else min(q.closes_at, q.resolved_at) end as cutoff,
                   o.position as realised
            from questions q
            join outcomes o on o.id = q.resolved_outcome_id
            where q.status = 'resolved'
        ),
        scored as (
            select r.question_id, r.kind, r.realised, f.forecaster, f.p, f.probs
            from resolved r
            join forecasts f on f.question_id = r.question_id
            where f.id = (
                select f2.id from forecasts f2
                where f2.question_id = f.question_id
                  and f2.forecaster = f.forecaster
                  and (r.cutoff is null or f2.made_at < r.cutoff)
                order by f2.made_at desc, f2.id desc
                limit 1
            )
        ),
        score as (
            select s.forecaster,
                   s.kind,
                   case
                       when s.kind = 'binary'
                           then (s.p - (s.realised = 0)) * (s.p - (s.realised = 0))
                       else (
                           select sum((j.value - (j.key = s.realised))
                                      * (j.value - (j.key = s.realised)))
                           from json_each(s.probs) j
                       )
                   end as brier
            from scored s
        )
        select forecaster,
               count(*) as questions,
               avg(brier) as mean_brier,
               sum(kind = 'binary') as binary_questions,
               sum(kind = 'multi') as multi_questions
        from score
        group by forecaster;
        """
    )


@MIGRATIONS()
def m002_scores_only_due_questions(db: Database) -> None:
    """``forecaster_scores`` leaves out questions resolved before their scheduled close date, as
    the calibration report does by default (an early resolution is nearly always a Yes)."""
    db.executescript(
        """
        drop view if exists forecaster_scores;
        -- forecaster_scores: as m001's, over the questions that were due:
        --   status 'resolved' and resolved on or after the day of closes_at (or no closes_at).
        create view forecaster_scores as
        with resolved as (
            select q.id as question_id,
                   q.kind,
                   case when q.closes_at is null then q.resolved_at
                        when q.resolved_at is null then q.closes_at
                        else min(q.closes_at, q.resolved_at) end as cutoff,
                   o.position as realised
            from questions q
            join outcomes o on o.id = q.resolved_outcome_id
            where q.status = 'resolved'
              and (q.closes_at is null or date(q.resolved_at) >= date(q.closes_at))
        ),
        scored as (
            select r.question_id, r.kind, r.realised, f.forecaster, f.p, f.probs
            from resolved r
            join forecasts f on f.question_id = r.question_id
            where f.id = (
                select f2.id from forecasts f2
                where f2.question_id = f.question_id
                  and f2.forecaster = f.forecaster
                  and (r.cutoff is null or f2.made_at < r.cutoff)
                order by f2.made_at desc, f2.id desc
                limit 1
            )
        ),
        score as (
            select s.forecaster,
                   s.kind,
                   case
                       when s.kind = 'binary'
                           then (s.p - (s.realised = 0)) * (s.p - (s.realised = 0))
                       else (
                           select sum((j.value - (j.key = s.realised))
                                      * (j.value - (j.key = s.realised)))
                           from json_each(s.probs) j
                       )
                   end as brier
            from scored s
        )
        select forecaster,
               count(*) as questions,
               avg(brier) as mean_brier,
               sum(kind = 'binary') as binary_questions,
               sum(kind = 'multi') as multi_questions
        from score
        group by forecaster;
        """
    )


@MIGRATIONS()
def m003_model_posteriors(db: Database) -> None:
    """``model_posteriors``: the engine's posterior per question and outcome, kept current by the
    stores (refreshed in the same transaction as every prior or evidence change), so SQL tools
    see the tool's headline number. Rows for existing questions are filled when the workspace is
    next opened (``forecast.workspace``), since the engine is Python."""
    db.executescript(
        """
        create table model_posteriors (
            question_id integer not null references questions(id),
            position integer not null,
            outcome text not null,
            prior real not null,
            posterior real not null,
            evidence_items integer not null,
            updated_at text not null,
            primary key (question_id, position)
        );
        """
    )


@MIGRATIONS()
def m004_question_board(db: Database) -> None:
    """View ``question_board``: one row per question with its tags as a JSON array (Datasette
    facets on it), the model's probability of its first outcome (P(Yes) for a binary question)
    and how many forecasters stand on it."""
    db.executescript(
        """
        create view question_board as
        select 'Q' || q.id as short_id,
               q.id as question_id,
               q.title,
               q.kind,
               q.status,
               q.opens_at,
               q.closes_at,
               q.resolved_at,
               (select json_group_array(t.tag) from question_tags t where t.question_id = q.id)
                   as tags,
               (select m.posterior from model_posteriors m
                where m.question_id = q.id and m.position = 0) as model_first_outcome,
               (select count(distinct f.forecaster) from forecasts f where f.question_id = q.id)
                   as forecasters
        from questions q;
        """
    )


@MIGRATIONS()
def m010_scores_with_units(db: Database) -> None:
    """``forecaster_scores`` with the report's definitions and their units in the column names:
    ``brier_per_event`` (a binary question is one event, a multi-outcome question one event per
    outcome) and ``log_score_per_question`` (-ln p(realised outcome), natural log, p clipped to
    [1e-15, 1 - 1e-15]), over each forecaster's last forecast before the close on the questions
    that were due; removed questions are left out. m002's ``mean_brier`` mixed the 0..1 binary
    Brier with the 0..2 multi-category one; it is gone."""
    db.executescript(
        """
        drop view if exists forecaster_scores;
        create view forecaster_scores as
        with resolved as (
            select q.id as question_id,
                   q.kind,
                   case when q.closes_at is null then q.resolved_at
                        when q.resolved_at is null then q.closes_at
                        else min(q.closes_at, q.resolved_at) end as cutoff,
                   o.position as realised
            from questions q
            join outcomes o on o.id = q.resolved_outcome_id
            where q.status = 'resolved' and q.removed_at is null
              and (q.closes_at is null or date(q.resolved_at) >= date(q.closes_at))
        ),
        scored as (
            select r.question_id, r.kind, r.realised, f.forecaster, f.p, f.probs
            from resolved r
            join forecasts f on f.question_id = r.question_id
            where f.id = (
                select f2.id from forecasts f2
                where f2.question_id = f.question_id
                  and f2.forecaster = f.forecaster
                  and (r.cutoff is null or f2.made_at < r.cutoff)
                order by f2.made_at desc, f2.id desc
                limit 1
            )
        ),
        score as (
            select s.forecaster,
                   s.kind,
                   case when s.kind = 'binary' then 1 else json_array_length(s.probs) end
                       as events,
                   case
                       when s.kind = 'binary'
                           then (s.p - (s.realised = 0)) * (s.p - (s.realised = 0))
                       else (
                           select sum((j.value - (j.key = s.realised))
                                      * (j.value - (j.key = s.realised)))
                           from json_each(s.probs) j
                       )
                   end as squared_error,
                   -ln(min(max(
                       case when s.kind = 'binary'
                            then (case when s.realised = 0 then s.p else 1 - s.p end)
                            else json_extract(s.probs, '$[' || s.realised || ']') end,
                       1e-15), 1 - 1e-15)) as log_term
            from scored s
        )
        select forecaster,
               count(*) as questions,
               sum(events) as events,
               sum(squared_error) / sum(events) as brier_per_event,
               avg(log_term) as log_score_per_question,
               sum(kind = 'binary') as binary_questions,
               sum(kind = 'multi') as multi_questions
        from score
        group by forecaster;
        """
    )

"""The questions layer's tables, as the named migration set ``forecastle.questions``.

Tables (browse them with ``sqlite-utils`` or ``datasette``):

- ``questions``: one row per question; ``id`` is the number in ``Q12``; ``uuid`` is stable across
  workspaces; ``version`` is bumped on each edit (stale saves are refused); ``status`` is
  open/closed/resolved/annulled; ``resolved_outcome_id`` and ``resolved_at`` mirror the latest
  entry of ``resolutions``.
- ``question_tags``: (question_id, tag).
- ``outcomes``: the outcomes of each question in ``position`` order with their ``prior``.
- ``forecasts``: append-only; ``p`` is P(first outcome) = P(Yes) for binary questions, ``probs`` the
  JSON vector for multi-outcome ones; unique per (question, forecaster, made_at); `adopted_model`
  and `took_recalibration` say whether it took the model posterior or its recalibrated suggestion.
- ``resolutions``: the audit trail of every resolve / annul / unresolve.
- ``workspace_meta``: (key, value) facts about the workspace; ``made_by = forecastle demo`` marks
  a demo workspace.
- ``question_history``: every state a question has had (added / edited / removed / restored /
  duplicated), as JSON; ``questions.removed_at`` marks a soft-removed question.
- views ``question_current`` (latest forecast per forecaster and question) for datasette.
- ``question_conditions`` (m005): CHILD may be forecast conditional on each outcome of PARENT.
- ``conditional_forecasts`` (m006): a forecast of CHILD given PARENT = an outcome; when PARENT
  resolves to that outcome it is copied into ``forecasts`` at its own ``made_at`` (``forecast_id``),
  and removed from there again if PARENT is unresolved; given another outcome it is void.
- ``link_events`` (m006): the audit trail of what resolutions did through links.
- ``condition_removals`` (m040): a tombstone per removed condition (bundles carry them).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("forecastle.questions")


@MIGRATIONS()
def m001_core_tables(db: Database) -> None:
    db.executescript(
        """
        create table questions (
            id integer primary key autoincrement,
            uuid text not null unique,
            title text not null,
            description text not null default '',
            criteria text not null default '',
            kind text not null check (kind in ('binary', 'multi')),
            status text not null default 'open'
                check (status in ('open', 'closed', 'resolved', 'annulled')),
            opens_at text,
            closes_at text,
            resolved_outcome_id integer references outcomes(id),
            resolved_at text,
            created_at text not null,
            created_by text not null,
            updated_at text not null,
            updated_by text not null,
            version integer not null default 1
        );
        create table outcomes (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            position integer not null,
            name text not null,
            prior real not null,
            unique (question_id, position),
            unique (question_id, name collate nocase)
        );
        create table question_tags (
            question_id integer not null references questions(id),
            tag text not null,
            primary key (question_id, tag)
        );
        create index question_tags_tag on question_tags(tag);
        create table forecasts (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            forecaster text not null,
            made_at text not null,
            p real,
            probs text,
            rationale text not null default '',
            adopted_model integer not null default 0,
            recorded_at text not null,
            origin text not null default 'cli',
            unique (question_id, forecaster, made_at)
        );
        create index forecasts_forecaster on forecasts(forecaster, made_at);
        create table resolutions (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            action text not null check (action in ('resolved', 'annulled', 'unresolved')),
            outcome_id integer references outcomes(id),
            resolved_at text,
            recorded_at text not null,
            recorded_by text not null
        );
        create index resolutions_question on resolutions(question_id, id);
        """
    )


@MIGRATIONS()
def m002_browse_views(db: Database) -> None:
    db.executescript(
        """
        create view question_current as
        select q.id as question_id, 'Q' || q.id as short_id, q.title, f.forecaster,
               f.made_at, f.p, f.probs
        from forecasts f join questions q on q.id = f.question_id
        where f.id = (
            select f2.id from forecasts f2
            where f2.question_id = f.question_id and f2.forecaster = f.forecaster
            order by f2.made_at desc, f2.id desc limit 1
        );
        """
    )


@MIGRATIONS()
def m003_prior_history(db: Database) -> None:
    """Every prior a question has had, so the model's history can say "prior changed"."""
    db.executescript(
        """
        create table prior_history (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            priors text not null,
            changed_at text not null,
            changed_by text not null
        );
        create index prior_history_question on prior_history(question_id, id);
        insert into prior_history (question_id, priors, changed_at, changed_by)
        select q.id, json_group_array(o.prior), q.created_at, q.created_by
        from questions q join (select * from outcomes order by question_id, position) o
            on o.question_id = q.id
        group by q.id;
        """
    )


@MIGRATIONS()
def m004_workspace_meta(db: Database) -> None:
    """Facts about the workspace itself, as key/value rows (``made_by = forecastle demo`` marks a
    workspace that ``forecastle demo`` built, which is the only kind ``demo --rebuild`` deletes)."""
    db.executescript(
        """
        create table workspace_meta (
            key text primary key,
            value text not null
        );
        """
    )


@MIGRATIONS()
def m005_condition_links(db: Database) -> None:
    """Conditions between questions: CHILD may be forecast given each outcome of PARENT."""
    db.executescript(
        """
        create table question_conditions (
            child_id integer not null references questions(id),
            parent_id integer not null references questions(id),
            uuid text not null unique,
            created_at text not null,
            created_by text not null,
            primary key (child_id, parent_id),
            check (child_id != parent_id)
        );
        create index question_conditions_parent on question_conditions(parent_id);
        """
    )


@MIGRATIONS()
def m006_conditional_forecasts(db: Database) -> None:
    """Conditional forecasts (append-only, as ``forecasts``), the forecast each became when its
    parent resolved to its outcome (``forecast_id``), and the links' audit trail."""
    db.executescript(
        """
        create table conditional_forecasts (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            parent_id integer not null references questions(id),
            parent_outcome_id integer not null references outcomes(id),
            forecaster text not null,
            made_at text not null,
            p real,
            probs text,
            rationale text not null default '',
            recorded_at text not null,
            origin text not null default 'cli',
            forecast_id integer references forecasts(id),
            unique (question_id, parent_id, parent_outcome_id, forecaster, made_at)
        );
        create index conditional_forecasts_parent on conditional_forecasts(parent_id);
        create index conditional_forecasts_question on conditional_forecasts(question_id);
        create table link_events (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            at text not null,
            by text not null,
            text text not null
        );
        create index link_events_question on link_events(question_id, id);
        """
    )


@MIGRATIONS()
def m007_took_recalibration(db: Database) -> None:
    """Whether a forecast took the recalibrated value suggested from the forecaster's own track
    record (as ``adopted_model`` records taking the model's posterior)."""
    db.execute("alter table forecasts add column took_recalibration integer not null default 0")


@MIGRATIONS()
def m010_question_edits(db: Database) -> None:
    """Questions can be edited (each state kept in ``question_history``) and soft-removed
    (``removed_at``/``removed_by`` set: the question leaves lists and scores, its rows stay)."""
    db.executescript(
        """
        alter table questions add column removed_at text;
        alter table questions add column removed_by text;
        create table question_history (
            id integer primary key autoincrement,
            question_id integer not null references questions(id),
            version integer not null,
            action text not null
                check (action in ('added', 'edited', 'removed', 'restored', 'duplicated')),
            at text not null,
            by text not null,
            state text not null
        );
        create index question_history_question on question_history(question_id, id);
        """
    )


@MIGRATIONS()
def m020_numeric_questions(db: Database) -> None:
    """Numeric and date questions (``kind`` numeric/date): the range, forecasts as CDFs on the
    grid, the resolved value.

    - ``numeric_ranges``: one row per numeric/date question: ``lo``, ``hi`` (days since
      1970-01-01 for a date question), ``unit``, ``log`` (log scale), ``open_lower``/``open_upper``.
    - ``numeric_forecasts``: beside its ``forecasts`` row (whose ``p`` and ``probs`` are null):
      ``cdf`` the JSON list of the 201 CDF values on the grid (``cdf[0]`` is the lower tail mass,
      ``1 - cdf[-1]`` the upper), ``typed`` what the forecaster typed, ``method``
      (quantiles/normal/lognormal/model).
    - ``questions.resolved_value`` and ``resolutions.value``: the value a numeric question
      resolved to.

    The ``kind`` check of ``questions`` is widened in place (SQLite's documented
    ``writable_schema`` edit for loosening a CHECK constraint: the stored rows are untouched).
    """
    sql = db.execute("select sql from sqlite_master where type = 'table' and name = 'questions'")
    text = sql.fetchone()[0]
    widened = text.replace("('binary', 'multi')", "('binary', 'multi', 'numeric', 'date')")
    if widened != text:
        version = db.execute("pragma schema_version").fetchone()[0]
        db.execute("pragma writable_schema = on")
        db.execute(
            "update sqlite_master set sql = ? where type = 'table' and name = 'questions'",
            [widened],
        )
        db.execute(f"pragma schema_version = {int(version) + 1}")
        db.execute("pragma writable_schema = off")
    for statement in (
        """create table numeric_ranges (
            question_id integer primary key references questions(id),
            lo real not null,
            hi real not null,
            unit text not null default '',
            log integer not null default 0,
            open_lower integer not null default 0,
            open_upper integer not null default 0,
            check (hi > lo)
        )""",
        """create table numeric_forecasts (
            forecast_id integer primary key references forecasts(id),
            cdf text not null,
            typed text not null default '',
            method text not null default 'quantiles'
        )""",
        "alter table questions add column resolved_value real",
        "alter table resolutions add column value real",
    ):
        db.execute(statement)


@MIGRATIONS()
def m030_numeric_prior(db: Database) -> None:
    """``numeric_ranges.prior``: the model's prior for a numeric or date question, ``uniform`` in
    the question's scale (the default) or ``team``, the linear pool of the team's standing
    forecasts (``question add --prior team``, ``question edit --prior``)."""
    db.execute(
        "alter table numeric_ranges add column prior text not null default 'uniform'"
        " check (prior in ('uniform', 'team'))"
    )


@MIGRATIONS()
def m030_numeric_score_tables(db: Database) -> None:
    """``numeric_forecasts.score_table``: per grid point the CDF, the CRPS the forecast would
    get if the value were that point, and the log density and mass of the bin from there
    (``questions.numeric_crps``), so that scoring a forecast is a gather instead of an integral
    over the grid. Filled on write; back-filled here from
    each stored CDF and its question's range."""
    from questions.numeric import NumericRange  # noqa: PLC0415 - only this migration needs it
    from questions.numeric_crps import encode_table, score_tables, stored_cdf  # noqa: PLC0415

    db.execute("alter table numeric_forecasts add column score_table blob")
    rows = db.execute(
        "select n.forecast_id, n.cdf, r.lo, r.hi, r.log from numeric_forecasts n"
        " join forecasts f on f.id = n.forecast_id"
        " join numeric_ranges r on r.question_id = f.question_id"
    ).fetchall()
    for forecast_id, cdf, lo, hi, log in rows:
        table = score_tables(NumericRange(lo, hi, log=bool(log)), stored_cdf(cdf))[0]
        db.execute(
            "update numeric_forecasts set score_table = ? where forecast_id = ?",
            [encode_table(table), forecast_id],
        )


@MIGRATIONS()
def m040_condition_removals(db: Database) -> None:
    """``condition_removals``: a tombstone for each removed condition (its UUID, the pair, who
    declared it and when, who removed it and when), so that bundles and text directories carry
    the removal and an older export cannot bring the condition back. Filled from the removals
    ``link_events`` already recorded (their condition's UUID is lost with the row, so a stable
    one is derived from the pair and the declaration's time)."""
    import re  # noqa: PLC0415 - only this migration needs it
    import uuid as uuidlib  # noqa: PLC0415

    db.executescript(
        """
        create table condition_removals (
            id integer primary key autoincrement,
            uuid text not null unique,
            child_id integer not null references questions(id),
            parent_id integer not null references questions(id),
            created_at text not null,
            created_by text not null,
            removed_at text not null,
            removed_by text not null
        );
        create index condition_removals_pair on condition_removals(child_id, parent_id);
        """
    )
    pattern = re.compile(r"^condition on Q(\d+) removed \(declared by (.+) at (\S+)\)$")
    uuids = dict(db.execute("select id, uuid from questions").fetchall())
    for child, at, by, text in db.execute(
        "select question_id, at, by, text from link_events order by id"
    ).fetchall():
        found = pattern.match(text)
        if found is None or int(found[1]) not in uuids:
            continue
        parent, declared_by, declared_at = int(found[1]), found[2], found[3]
        name = f"{uuids[child]}:{uuids[parent]}:{declared_at}"
        db.execute(
            "insert or ignore into condition_removals (uuid, child_id, parent_id, created_at,"
            " created_by, removed_at, removed_by) values (?,?,?,?,?,?,?)",
            [
                str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, name)),
                child,
                parent,
                declared_at,
                declared_by,
                at,
                by,
            ],
        )

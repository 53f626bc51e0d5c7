"""The arguments layer's tables, as the named migration set ``forecastle.arguments``.

- ``evidence``: one row per item (``E12`` is id 12) bearing on one question. ``likelihoods`` is a
  JSON vector, one per outcome in outcome order (a binary likelihood ratio LR is stored as
  ``[LR, 1]``); ``range_low``/``range_high`` the ends of its 90% range (same shape) or null.
  ``credibility`` in [0, 1]; ``depends_on`` another item whose truth its likelihoods assume;
  ``group_name`` a redundancy group (its rho is in ``evidence_groups``). Removal is soft:
  ``removed_at``/``removed_by`` are set and the row stays for the timeline. ``version`` is bumped on
  every edit; a stale save is refused.
- ``evidence_history``: every add/edit/remove with the item's full state after it (JSON).
- ``evidence_groups``: (question_id, name) -> redundancy rho.
- ``indicators`` (m005): binary CHILD is an indicator for PARENT with ``likelihoods`` a_j =
  P(CHILD = Yes | PARENT's outcome j); when CHILD resolves, PARENT gets an evidence item whose
  ``indicator_id`` names the indicator and ``indicator_outcome`` CHILD's outcome (Yes / No).
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("forecastle.arguments")


@MIGRATIONS()
def m001_evidence(db: Database) -> None:
    db.executescript(
        """
        create table evidence_groups (
            question_id integer not null references questions(id),
            name text not null,
            rho real not null check (rho >= 0 and rho <= 1),
            primary key (question_id, name)
        );
        create table evidence (
            id integer primary key autoincrement,
            uuid text not null unique,
            question_id integer not null references questions(id),
            text text not null,
            quote text not null default '',
            source text not null default '',
            observed_at text,
            credibility real not null default 1 check (credibility >= 0 and credibility <= 1),
            likelihoods text not null,
            range_low text,
            range_high text,
            depends_on integer references evidence(id),
            group_name text,
            ratings text,
            created_at text not null,
            created_by text not null,
            updated_at text not null,
            updated_by text not null,
            version integer not null default 1,
            removed_at text,
            removed_by text
        );
        create index evidence_question on evidence(question_id);
        create table evidence_history (
            id integer primary key autoincrement,
            evidence_id integer not null references evidence(id),
            question_id integer not null references questions(id),
            version integer not null,
            action text not null check (action in ('added', 'edited', 'removed')),
            at text not null,
            by text not null,
            state text not null
        );
        create index evidence_history_question on evidence_history(question_id, id);
        """
    )


@MIGRATIONS()
def m002_sources(db: Database) -> None:
    """Imported articles: passages, note markers, citations, the works they cite, skipped text;
    and which citations an evidence item rests on."""
    db.executescript(
        """
        create table sources (
            id integer primary key autoincrement,
            uuid text not null unique,
            title text not null,
            url text not null default '',
            published text,
            format text not null,
            filename text not null default '',
            text text not null,
            content_hash text not null,
            imported_at text not null,
            imported_by text not null
        );
        create index sources_hash on sources(content_hash);
        create table passages (
            source_id integer not null references sources(id),
            number integer not null,
            start integer not null,
            end integer not null,
            text text not null,
            primary key (source_id, number)
        );
        create table note_markers (
            source_id integer not null references sources(id),
            position integer not null,
            label text not null,
            note integer not null,
            start integer not null,
            end integer not null,
            passage integer,
            primary key (source_id, position)
        );
        create table citations (
            source_id integer not null references sources(id),
            number integer not null,
            label text not null,
            text text not null,
            ibid integer not null default 0,
            resolves_to integer not null,
            work_key text not null,
            primary key (source_id, number)
        );
        create table works (
            source_id integer not null references sources(id),
            key text not null,
            title text not null,
            cited integer not null,
            primary key (source_id, key)
        );
        create table skipped_text (
            source_id integer not null references sources(id),
            start integer not null,
            end integer not null,
            text text not null,
            reason text not null
        );
        create table evidence_citations (
            evidence_id integer not null references evidence(id),
            source_id integer not null references sources(id),
            citation integer not null,
            work_key text not null,
            primary key (evidence_id, source_id, citation)
        );
        alter table evidence add column source_id integer references sources(id);
        alter table evidence add column passage integer;
        alter table evidence add column quote_start integer;
        alter table evidence add column quote_end integer;
        """
    )


@MIGRATIONS()
def m003_argument_trees(db: Database) -> None:
    """Pro/con argument trees: claim nodes under a question (or one of its outcomes), each
    supporting or attacking its parent, with evidence items linked as leaves; and the editable
    table that maps Heuer's ACH ratings to likelihoods."""
    db.executescript(
        """
        create table tree_nodes (
            id integer primary key autoincrement,
            uuid text not null unique,
            question_id integer not null references questions(id),
            parent_id integer references tree_nodes(id),
            outcome integer,
            stance text not null check (stance in ('supports', 'attacks')),
            text text not null,
            status text not null default 'draft'
                check (status in ('draft', 'in review', 'approved', 'challenged')),
            status_by text not null,
            status_at text not null,
            created_at text not null,
            created_by text not null,
            updated_at text not null,
            updated_by text not null,
            version integer not null default 1
        );
        create index tree_nodes_question on tree_nodes(question_id);
        create table tree_links (
            node_id integer not null references tree_nodes(id),
            evidence_id integer not null references evidence(id),
            linked_at text not null,
            linked_by text not null,
            primary key (node_id, evidence_id)
        );
        create table ach_ratings (
            rating text primary key,
            likelihood real not null check (likelihood >= 0 and likelihood <= 1),
            meaning text not null
        );
        insert into ach_ratings (rating, likelihood, meaning) values
            ('CC', 0.9, 'very consistent'),
            ('C', 0.7, 'consistent'),
            ('N', 0.5, 'neutral'),
            ('I', 0.3, 'inconsistent'),
            ('II', 0.1, 'very inconsistent'),
            ('NA', 0.5, 'not applicable');
        """
    )


@MIGRATIONS()
def m004_review(db: Database) -> None:
    """Team review: comment threads on questions, outcomes, evidence and tree nodes; likelihood
    challenges on evidence items; and who set each evidence item's review status."""
    db.executescript(
        """
        create table comments (
            id integer primary key autoincrement,
            uuid text not null unique,
            target_kind text not null check (target_kind in ('question', 'outcome', 'evidence', 'node')),
            target_id integer not null,
            question_id integer not null references questions(id),
            parent_id integer references comments(id),
            body text not null,
            author text not null,
            created_at text not null,
            resolved integer not null default 0
        );
        create index comments_question on comments(question_id, id);
        create table challenges (
            id integer primary key autoincrement,
            uuid text not null unique,
            evidence_id integer not null references evidence(id),
            question_id integer not null references questions(id),
            proposer text not null,
            likelihoods text not null,
            reason text not null,
            status text not null default 'open' check (status in ('open', 'accepted', 'withdrawn', 'rejected')),
            created_at text not null,
            decided_by text,
            decided_at text
        );
        create index challenges_evidence on challenges(evidence_id);
        alter table evidence add column review_status text not null default 'draft';
        alter table evidence add column review_by text;
        alter table evidence add column review_at text;
        """
    )


@MIGRATIONS()
def m005_indicators(db: Database) -> None:
    """Indicators: binary CHILD questions whose resolution becomes evidence on PARENT, with
    a_j = P(CHILD resolves Yes | PARENT's outcome j); and which evidence items they made."""
    db.executescript(
        """
        create table indicators (
            id integer primary key autoincrement,
            uuid text not null unique,
            parent_id integer not null references questions(id),
            child_id integer not null references questions(id),
            likelihoods text not null,
            credibility real not null default 1 check (credibility >= 0 and credibility <= 1),
            group_name text,
            created_at text not null,
            created_by text not null,
            removed_at text,
            removed_by text,
            check (parent_id != child_id)
        );
        create unique index indicators_live_pair on indicators(parent_id, child_id)
            where removed_at is null;
        create index indicators_child on indicators(child_id);
        alter table evidence add column indicator_id integer references indicators(id);
        alter table evidence add column indicator_outcome text;
        """
    )


@MIGRATIONS()
def m010_decision_reason(db: Database) -> None:
    """Why a challenge was rejected (or withdrawn, or accepted), said by whoever decided it."""
    db.executescript("alter table challenges add column decision_reason text not null default '';")

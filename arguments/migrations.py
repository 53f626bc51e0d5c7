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

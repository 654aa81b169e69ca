"""counted profiles: each counted answer with an item (a needs grid's need area, a multiple
choice option) also carries its respondent's profile (phase, role, career stage, subject,
school), so that a needs summary broken down by one of them is read from one index in its
order: no sort and no lookup of each response

As with counted_wave_id (0010), the database keeps the copies with triggers: while the
response is sent and not excluded in review, they are its own; otherwise NULL. Answers
without an item (item 0: every other kind) keep none, so that most answers are no wider. The
triggers of 0010 are replaced by ones that keep all six. A response's profile can change
after it is sent (its school matched later, or taken off the list), and the copies follow.

A later migration that rebuilds the answer or response table on SQLite (batch mode's "move
and copy") drops these triggers with the old table: it must create them again (TRIGGERS).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 06:00:00

"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# The response's column -> the answer's copy of it.
COPIES = {
    "wave_id": "counted_wave_id",
    "phase": "counted_phase",
    "role": "counted_role",
    "career_stage": "counted_career_stage",
    "subject": "counted_subject",
    "school_id": "counted_school_id",
}
FACTS = ("phase", "role", "career_stage", "subject", "school_id")
ITEMS = "counted_wave_id IS NOT NULL AND item > 0"  # a counted answer with an item


def counted(row: str, column: str) -> str:
    """A response `row`'s column while it is counted (sent, not excluded), else NULL."""
    return f"CASE WHEN {row}.status = 'submitted' AND NOT {row}.excluded THEN {row}.{column} END"


def kept(row: str, column: str, answer: str) -> str:
    """What an answer keeps of response `row`'s column: the wave while it is counted, and the
    facts only on an answer with an item (the only answers the breakdown's indexes hold)."""
    return _on_items(column, answer, counted(row, column))


def _on_items(column: str, answer: str, value: str) -> str:
    if column == "wave_id":
        return value
    return f"CASE WHEN {answer}.item > 0 THEN {value} END"


def _differs(old: str, new: str, distinct: str) -> str:
    return " OR ".join(f"({counted(old, c)}) {distinct} ({counted(new, c)})" for c in COPIES)


def _changed_on_insert() -> str:
    return " OR ".join(
        f"NEW.{copy} IS NOT ({kept('response', c, 'NEW')})" for c, copy in COPIES.items()
    )


TARGETS = ", ".join(COPIES.values())
COLUMNS = ", ".join(COPIES)
KEPT_BY_NEW = ", ".join(kept("response", c, "NEW") for c in COPIES)
SELECT_AS = ", ".join(f"{counted('response', c)} AS {c}" for c in COPIES)
ASSIGN_NEW = " ".join(
    f"NEW.{copy} := {_on_items(c, 'NEW', f'counted_response.{c}')};" for c, copy in COPIES.items()
)
SET_FROM_NEW = ", ".join(f"{copy} = {kept('NEW', c, 'answer')}" for c, copy in COPIES.items())

SQLITE_TRIGGERS = (
    # SQLite cannot change NEW before an insert: the row is corrected just after it. A draft's
    # answers (most saves) already hold the right NULLs and are not written twice. An answer
    # written before its response (as a restore with foreign keys off may write them) keeps
    # what it comes with: there is nothing yet to read it from.
    f"""
    CREATE TRIGGER answer_counted_on_insert AFTER INSERT ON answer
    WHEN EXISTS (
        SELECT 1 FROM response WHERE response.id = NEW.response_id
        AND ({_changed_on_insert()})
    )
    BEGIN
        UPDATE answer SET ({TARGETS}) =
            (SELECT {KEPT_BY_NEW} FROM response WHERE response.id = NEW.response_id)
        WHERE rowid = NEW.rowid;
    END
    """,
    f"""
    CREATE TRIGGER answer_counted_on_response
    AFTER UPDATE OF status, excluded, {COLUMNS} ON response
    WHEN {_differs("OLD", "NEW", "IS NOT")}
    BEGIN
        UPDATE answer SET {SET_FROM_NEW} WHERE response_id = NEW.id;
    END
    """,
)
POSTGRESQL_TRIGGERS = (
    f"""
    CREATE OR REPLACE FUNCTION answer_counted() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        counted_response record;
    BEGIN
        SELECT {SELECT_AS}
        INTO counted_response FROM response WHERE response.id = NEW.response_id;
        IF FOUND THEN
            {ASSIGN_NEW}
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER answer_counted_on_insert BEFORE INSERT ON answer
    FOR EACH ROW EXECUTE FUNCTION answer_counted()
    """,
    f"""
    CREATE OR REPLACE FUNCTION response_counted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE answer SET {SET_FROM_NEW} WHERE response_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER answer_counted_on_response
    AFTER UPDATE OF status, excluded, {COLUMNS} ON response FOR EACH ROW
    WHEN ({_differs("OLD", "NEW", "IS DISTINCT FROM")})
    EXECUTE FUNCTION response_counted()
    """,
)
TRIGGERS = {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}
DROPS = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS answer_counted_on_insert",
        "DROP TRIGGER IF EXISTS answer_counted_on_response",
    ),
    "postgresql": (
        "DROP TRIGGER IF EXISTS answer_counted_on_insert ON answer",
        "DROP TRIGGER IF EXISTS answer_counted_on_response ON response",
        "DROP FUNCTION IF EXISTS answer_counted()",
        "DROP FUNCTION IF EXISTS response_counted()",
    ),
}


def _counted_answers_0010():
    """Migration 0010's module, for its triggers (a module name cannot start with a digit)."""
    path = Path(__file__).with_name("0010_counted_answers.py")
    spec = importlib.util.spec_from_file_location("counted_answers_0010", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade():
    dialect = op.get_bind().dialect.name
    previous = _counted_answers_0010()
    for statement in previous.DROPS[dialect]:
        op.execute(statement)
    # Added in place (no table rebuild): nullable, no default.
    for fact in ("phase", "role", "career_stage", "subject"):
        op.add_column("answer", sa.Column(f"counted_{fact}", sa.String(30), nullable=True))
    op.add_column("answer", sa.Column("counted_school_id", sa.Integer(), nullable=True))
    facts = ", ".join(f"counted_{fact}" for fact in FACTS)
    op.execute(
        f"UPDATE answer SET ({facts}) = (SELECT {', '.join(FACTS)} FROM response "
        "WHERE response.id = answer.response_id) WHERE counted_wave_id IS NOT NULL AND item > 0"
    )
    for statement in TRIGGERS[dialect]:
        op.execute(statement)
    # Only answers with an item are in these: a needs grid's all have one (the need area).
    for fact in FACTS:
        op.create_index(
            f"ix_answer_by_{fact}",
            "answer",
            ["question_id", "counted_wave_id", "item", f"counted_{fact}", "number", "priority"],
            sqlite_where=sa.text(ITEMS),
            postgresql_where=sa.text(ITEMS),
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in DROPS[dialect]:
        op.execute(statement)
    for fact in FACTS:
        op.drop_index(f"ix_answer_by_{fact}", table_name="answer")
        op.drop_column("answer", f"counted_{fact}")
    for statement in _counted_answers_0010().TRIGGERS[dialect]:
        op.execute(statement)

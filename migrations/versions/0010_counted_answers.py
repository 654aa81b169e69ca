"""counted answers: each answer carries the wave its response is counted in, so a survey's
results are read from one index of answers, without a lookup of each answer's response; and
the responses counted are read from one index of responses

An answer's counted_wave_id is its response's wave while the response is sent and not
excluded in review, and NULL otherwise (a draft, or left out). The database keeps it, with
triggers, whatever changes the rows: a section saved, a response sent, excluded or brought
back in review, moved to another wave, or rows inserted in bulk. Deletions need nothing.

A later migration that rebuilds the answer or response table on SQLite (batch mode's "move
and copy") drops these triggers with the old table: it must create them again (TRIGGERS).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 01:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def counted(row: str) -> str:
    """The wave a response `row` is counted in, or NULL: the rule the summaries read by."""
    return f"CASE WHEN {row}.status = 'submitted' AND NOT {row}.excluded THEN {row}.wave_id END"


RESPONSE_OF_NEW = (
    f"(SELECT {counted('response')} FROM response WHERE response.id = NEW.response_id)"
)
# An answer written before its response (as a restore with foreign keys off may write them)
# keeps the counted wave it comes with: there is nothing yet to read it from.
RESPONSE_THERE = "EXISTS (SELECT 1 FROM response WHERE response.id = NEW.response_id)"

SQLITE_TRIGGERS = (
    # SQLite cannot change NEW before an insert: the row is corrected just after it. A draft's
    # answers (most saves) already hold the right NULL and are not written twice.
    f"""
    CREATE TRIGGER answer_counted_on_insert AFTER INSERT ON answer
    WHEN {RESPONSE_THERE} AND NEW.counted_wave_id IS NOT {RESPONSE_OF_NEW}
    BEGIN
        UPDATE answer SET counted_wave_id = {RESPONSE_OF_NEW} WHERE rowid = NEW.rowid;
    END
    """,
    f"""
    CREATE TRIGGER answer_counted_on_response AFTER UPDATE OF status, excluded, wave_id
    ON response
    WHEN ({counted("OLD")}) IS NOT ({counted("NEW")})
    BEGIN
        UPDATE answer SET counted_wave_id = {counted("NEW")} WHERE response_id = NEW.id;
    END
    """,
)
POSTGRESQL_TRIGGERS = (
    f"""
    CREATE OR REPLACE FUNCTION answer_counted_wave() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {RESPONSE_THERE} THEN
            NEW.counted_wave_id := {RESPONSE_OF_NEW};
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE TRIGGER answer_counted_on_insert BEFORE INSERT ON answer
    FOR EACH ROW EXECUTE FUNCTION answer_counted_wave()
    """,
    f"""
    CREATE OR REPLACE FUNCTION response_counted_wave() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE answer SET counted_wave_id = {counted("NEW")} WHERE response_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE TRIGGER answer_counted_on_response AFTER UPDATE OF status, excluded, wave_id
    ON response FOR EACH ROW
    WHEN (({counted("OLD")}) IS DISTINCT FROM ({counted("NEW")}))
    EXECUTE FUNCTION response_counted_wave()
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
        "DROP FUNCTION IF EXISTS answer_counted_wave()",
        "DROP FUNCTION IF EXISTS response_counted_wave()",
    ),
}


def upgrade():
    # Added in place (no table rebuild): nullable, no default.
    op.add_column("answer", sa.Column("counted_wave_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE answer SET counted_wave_id = "
        f"(SELECT {counted('response')} FROM response WHERE response.id = answer.response_id) "
        "WHERE response_id IN (SELECT id FROM response WHERE "
        "status = 'submitted' AND NOT excluded)"
    )
    # Drafts' answers are left out of the index: a teacher's saves do not write to it.
    op.create_index(
        "ix_answer_counted",
        "answer",
        ["question_id", "counted_wave_id", "item", "number", "priority"],
        sqlite_where=sa.text("counted_wave_id IS NOT NULL"),
        postgresql_where=sa.text("counted_wave_id IS NOT NULL"),
    )
    for statement in TRIGGERS[op.get_bind().dialect.name]:
        op.execute(statement)
    # The responses counted, per wave and participant code, read from one index alone.
    op.create_index(
        "ix_response_sent",
        "response",
        ["survey_id", "status", "excluded", "wave_id", "participant_id"],
    )


def downgrade():
    for statement in DROPS[op.get_bind().dialect.name]:
        op.execute(statement)
    op.drop_index("ix_response_sent", table_name="response")
    op.drop_index("ix_answer_counted", table_name="answer")
    op.drop_column("answer", "counted_wave_id")

"""answer tally index: the needs summary reads answers from one covering index

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 23:40:00

"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index(
            "ix_answer_tally", ["question_id", "item", "response_id", "number", "priority"]
        )
        # Its first column serves what the old single-column index did.
        batch_op.drop_index("ix_answer_question_id")


def downgrade():
    with op.batch_alter_table("answer", schema=None) as batch_op:
        batch_op.create_index("ix_answer_question_id", ["question_id"])
        batch_op.drop_index("ix_answer_tally")

"""attendance: activity registers, when a session ends, and its hours of CPD

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 22:36:09.187275

"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=30), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "role IS NULL OR role IN ('trainee', 'ect', 'teacher', 'mentor', 'middle-leader', 'senior-leader', 'headteacher', 'senco', 'careers-leader', 'teaching-assistant', 'other')",
            name=op.f("ck_attendance_role"),
        ),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_attendance_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_attendance_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub.id"], name=op.f("fk_attendance_hub_id_hub"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["school.id"],
            name=op.f("fk_attendance_school_id_school"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attendance_hub_id"), ["hub_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attendance_school_id"), ["school_id"], unique=False)

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("hours", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("feedback_sent_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_column("feedback_sent_at")
        batch_op.drop_column("hours")
        batch_op.drop_column("ends_at")

    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_school_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_hub_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_activity_id"))

    op.drop_table("attendance")

"""sharing: read-only links to a hub's report, and viewer accounts that expire

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "share_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(), nullable=True),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub.id"], name=op.f("fk_share_link_hub_id_hub"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_share_link_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_share_link_token_hash")),
    )
    op.create_index("ix_share_link_hub_id", "share_link", ["hub_id"])

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f("ck_user_role"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_user_role"), "role IN ('admin', 'staff', 'viewer')"
        )


def downgrade():
    # Viewer accounts cannot exist before this revision: they go, with what only they had.
    # (On SQLite the migration runs with foreign keys off, so nothing cascades by itself.)
    viewers = "SELECT id FROM \"user\" WHERE role = 'viewer'"
    for statement in (
        f"DELETE FROM membership WHERE user_id IN ({viewers})",
        f"DELETE FROM user_session WHERE user_id IN ({viewers})",
        f"DELETE FROM link_token WHERE user_id IN ({viewers})",
        f"UPDATE audit_entry SET user_id = NULL WHERE user_id IN ({viewers})",
        f"UPDATE export_record SET user_id = NULL WHERE user_id IN ({viewers})",
        "DELETE FROM \"user\" WHERE role = 'viewer'",
    ):
        op.execute(sa.text(statement))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_user_role"), "role IN ('admin', 'staff')")
        batch_op.drop_column("expires_at")
    op.drop_index("ix_share_link_hub_id", table_name="share_link")
    op.drop_table("share_link")

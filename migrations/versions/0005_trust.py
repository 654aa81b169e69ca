"""trust: audit trail, server-side staff sessions, job runs, response review, schools per hub

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 16:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("hub_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.ForeignKeyConstraint(
            ["hub_id"], ["hub.id"], name=op.f("fk_audit_entry_hub_id_hub"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_audit_entry_user_id_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_index("ix_audit_entry_created_at", "audit_entry", ["created_at"])
    op.create_index("ix_audit_entry_user_id", "audit_entry", ["user_id"])
    op.create_index("ix_audit_entry_action", "audit_entry", ["action"])
    op.create_index("ix_audit_entry_hub_created", "audit_entry", ["hub_id", "created_at"])

    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_user_session_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_session_token_hash")),
    )
    op.create_index("ix_user_session_user_id", "user_session", ["user_id"])

    op.create_table(
        "job_run",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_run")),
    )

    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("flags", sa.String(length=100), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("excluded", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("browser_hash", sa.String(length=64), nullable=True))
        batch_op.drop_index("ix_response_survey_status")
        batch_op.create_index(
            "ix_response_survey_status_browser", ["survey_id", "status", "browser_hash"]
        )

    _schools_per_hub()


def _schools_per_hub():
    """Each hub gets its own record of each school it works with: a school shared by several
    hubs is copied for every hub after the first, and that hub's rows are pointed at its copy."""
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hub_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint("uq_school_urn", type_="unique")

    bind = op.get_bind()
    columns = "name, urn, phase, local_authority, trust, created_at"
    pairs = bind.execute(
        sa.text("SELECT school_id, hub_id FROM partnership ORDER BY school_id, hub_id")
    ).all()
    owner: dict[int, int] = {}
    for school_id, hub_id in pairs:
        if school_id not in owner:
            owner[school_id] = hub_id
            bind.execute(
                sa.text("UPDATE school SET hub_id = :hub WHERE id = :school"),
                {"hub": hub_id, "school": school_id},
            )
            continue
        copy_id = bind.execute(
            sa.text(
                f"INSERT INTO school ({columns}, hub_id) SELECT {columns}, :hub FROM school "
                "WHERE id = :school RETURNING id"
            ),
            {"hub": hub_id, "school": school_id},
        ).scalar_one()
        values = {"hub": hub_id, "old": school_id, "new": copy_id}
        for statement in (
            "UPDATE partnership SET school_id = :new WHERE school_id = :old AND hub_id = :hub",
            "UPDATE response SET school_id = :new WHERE school_id = :old AND survey_id IN "
            "(SELECT id FROM survey WHERE hub_id = :hub)",
            "UPDATE school_link SET school_id = :new WHERE school_id = :old AND survey_id IN "
            "(SELECT id FROM survey WHERE hub_id = :hub)",
            "UPDATE activity_school SET school_id = :new WHERE school_id = :old AND "
            "activity_id IN (SELECT id FROM activity WHERE hub_id = :hub)",
        ):
            bind.execute(sa.text(statement), values)
    # A school no hub lists any more belongs to the hub whose rows still name it: answers,
    # a school's outcomes link, or an activity. Only a school nothing names is removed.
    for owner_of in (
        "SELECT survey.hub_id FROM response JOIN survey ON survey.id = response.survey_id "
        "WHERE response.school_id = school.id",
        "SELECT survey.hub_id FROM school_link JOIN survey ON survey.id = school_link.survey_id "
        "WHERE school_link.school_id = school.id",
        "SELECT activity.hub_id FROM activity_school JOIN activity "
        "ON activity.id = activity_school.activity_id WHERE activity_school.school_id = school.id",
    ):
        bind.execute(
            sa.text(f"UPDATE school SET hub_id = ({owner_of} LIMIT 1) WHERE hub_id IS NULL")
        )
    bind.execute(sa.text("DELETE FROM school WHERE hub_id IS NULL"))

    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.alter_column("hub_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_school_hub_id_urn", ["hub_id", "urn"])
        batch_op.create_foreign_key(
            "fk_school_hub_id_hub", "hub", ["hub_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index("ix_school_hub_id", ["hub_id"])


def downgrade():
    with op.batch_alter_table("school", schema=None) as batch_op:
        batch_op.drop_index("ix_school_hub_id")
        batch_op.drop_constraint("fk_school_hub_id_hub", type_="foreignkey")
        batch_op.drop_constraint("uq_school_hub_id_urn", type_="unique")
        batch_op.drop_column("hub_id")
        # Fails where two hubs now hold records of one URN: merge those by hand first.
        batch_op.create_unique_constraint("uq_school_urn", ["urn"])
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_index("ix_response_survey_status_browser")
        batch_op.create_index("ix_response_survey_status", ["survey_id", "status"])
        batch_op.drop_column("browser_hash")
        batch_op.drop_column("excluded")
        batch_op.drop_column("flags")
    op.drop_table("job_run")
    op.drop_index("ix_user_session_user_id", table_name="user_session")
    op.drop_table("user_session")
    op.drop_index("ix_audit_entry_hub_created", table_name="audit_entry")
    op.drop_index("ix_audit_entry_action", table_name="audit_entry")
    op.drop_index("ix_audit_entry_user_id", table_name="audit_entry")
    op.drop_index("ix_audit_entry_created_at", table_name="audit_entry")
    op.drop_table("audit_entry")

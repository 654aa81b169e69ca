"""Migrations keep data: upgrading an existing database never drops or re-points rows."""

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from hubsurvey.extensions import db


def _sql(statement: str, **values):
    return db.session.execute(text(statement), values)


def test_schools_shared_by_two_hubs_become_one_record_each_keeping_every_link(make_app):
    """0005 gave each hub its own school records. On SQLite a table rebuild with foreign keys
    on would also have deleted every partnership and cut every response from its school."""
    app = make_app()
    with app.app_context():
        downgrade(revision="0004")
        _sql(
            "INSERT INTO hub_type (id, slug, name, category, phases, description, active) "
            "VALUES (1, 't', 'T', 'teaching', '[]', '', true)"
        )
        for hub in (1, 2):
            _sql(
                "INSERT INTO hub (id, slug, name, hub_type_id, area, phases, contact_email, "
                "smallest_group, created_at) VALUES (:id, :slug, :slug, 1, '', '[]', '', 5, "
                "'2026-01-01')",
                id=hub,
                slug=f"hub-{hub}",
            )
            _sql(
                "INSERT INTO survey (id, hub_id, kind, title, intro, status, anonymous, "
                "privacy_notice, code, asks_profile, cycle, created_at) VALUES (:id, :id, "
                "'needs', 'S', '', 'open', true, '', :code, true, 'none', '2026-01-01')",
                id=hub,
                code=f"CODE{hub}",
            )
            _sql(
                "INSERT INTO wave (id, survey_id, number, label, opened_on) "
                "VALUES (:id, :id, 1, 'Wave 1', '2026-01-01')",
                id=hub,
            )
        _sql(
            "INSERT INTO school (id, name, urn, phase, local_authority, trust, created_at) "
            "VALUES (7, 'Hill Primary', '100000', 'primary', 'Leeds', '', '2026-01-01')"
        )
        for hub in (1, 2):
            _sql(
                "INSERT INTO partnership (hub_id, school_id, status, updated_at) "
                "VALUES (:hub, 7, 'active', '2026-01-01')",
                hub=hub,
            )
            _sql(
                "INSERT INTO response (id, survey_id, wave_id, token, resume_code, status, "
                "step, started_at, saved_at, profile_saved, school_id, school_name, "
                "respondent_name, respondent_email) VALUES (:id, :id, :id, :token, :code, "
                "'submitted', 1, '2026-01-01', '2026-01-01', true, 7, 'Hill Primary', '', '')",
                id=hub,
                token=f"token{hub}",
                code=f"RESUME{hub}",
            )
        db.session.commit()

        upgrade()

        schools = _sql("SELECT id, hub_id, urn, local_authority FROM school ORDER BY hub_id")
        (first, second) = schools.all()
        assert (first.id, first.hub_id) == (7, 1)
        assert second.hub_id == 2 and second.urn == "100000" and second.local_authority == "Leeds"
        links = dict(_sql("SELECT hub_id, school_id FROM partnership").all())
        assert links == {1: 7, 2: second.id}
        answered = dict(_sql("SELECT survey_id, school_id FROM response").all())
        assert answered == {1: 7, 2: second.id}
        db.session.rollback()

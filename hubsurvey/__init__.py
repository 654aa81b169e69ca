"""hubsurvey: training-needs surveys and feedback for English school hubs."""

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, security headers, blueprints, commands."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object("hubsurvey.settings.Defaults")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env()
    if test_config:
        app.config.update(test_config)

    from hubsurvey import (
        cli,
        errors,
        extensions,
        inputs,
        schema,
        security,
        settings,
        templating,
        worker,
    )

    settings.finalise(app)
    extensions.init_app(app)
    # First of the request hooks: nothing else should touch a database that is out of date.
    schema.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    inputs.init_app(app)  # before the blueprints: their routes use its converter

    from hubsurvey.activities import bp as activities_bp
    from hubsurvey.admin import bp as admin_bp
    from hubsurvey.audit.views import bp as audit_bp
    from hubsurvey.auth import bp as auth_bp
    from hubsurvey.contacts import bp as contacts_bp
    from hubsurvey.contacts import contact_page_bp
    from hubsurvey.heads import bp as heads_bp
    from hubsurvey.health import bp as health_bp
    from hubsurvey.hubs import bp as hubs_bp
    from hubsurvey.invitations import bp as invitations_bp
    from hubsurvey.mou import bp as mou_bp
    from hubsurvey.outbox import bp as outbox_bp
    from hubsurvey.plans import bp as plans_bp
    from hubsurvey.privacy import bp as privacy_bp
    from hubsurvey.reports import bp as reports_bp
    from hubsurvey.resources import bp as resources_bp
    from hubsurvey.resources import public_bp as public_resources_bp
    from hubsurvey.respond import bp as respond_bp
    from hubsurvey.review import bp as review_bp
    from hubsurvey.sharing import bp as sharing_bp
    from hubsurvey.sharing import shared_bp
    from hubsurvey.surveys import bp as surveys_bp

    blueprints = (
        auth_bp,
        admin_bp,
        hubs_bp,
        contacts_bp,
        mou_bp,
        privacy_bp,
        audit_bp,
        surveys_bp,
        invitations_bp,
        outbox_bp,
        activities_bp,
        plans_bp,
        resources_bp,
        reports_bp,
        review_bp,
        sharing_bp,
        shared_bp,
        contact_page_bp,
        public_resources_bp,
        heads_bp,
        respond_bp,
        health_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    cli.init_app(app)
    worker.init_app(app)
    return app

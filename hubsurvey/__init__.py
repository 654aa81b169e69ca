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

    from hubsurvey import cli, errors, extensions, security, settings, templating

    settings.finalise(app)
    extensions.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    from hubsurvey.activities import bp as activities_bp
    from hubsurvey.admin import bp as admin_bp
    from hubsurvey.auth import bp as auth_bp
    from hubsurvey.health import bp as health_bp
    from hubsurvey.hubs import bp as hubs_bp
    from hubsurvey.reports import bp as reports_bp
    from hubsurvey.respond import bp as respond_bp
    from hubsurvey.surveys import bp as surveys_bp

    blueprints = (
        auth_bp,
        admin_bp,
        hubs_bp,
        surveys_bp,
        activities_bp,
        reports_bp,
        respond_bp,
        health_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    cli.init_app(app)
    return app

"""Commands run as `flask --app app COMMAND`."""

import sys
from datetime import timedelta

import click
from flask import Flask, current_app, url_for

from hubsurvey.admin.services import load_reference_data
from hubsurvey.auth import services as accounts
from hubsurvey.extensions import db
from hubsurvey.models import Hub
from hubsurvey.vocabulary import ACCOUNT_ROLES


def init_app(app: Flask) -> None:
    from hubsurvey.demo import demo

    for command in (create_user, seed_reference, setup_link, demo):
        app.cli.add_command(command)


@click.command("create-user")
@click.option("--email", required=True, help="The person's email address; they sign in with it.")
@click.option("--role", type=click.Choice(list(ACCOUNT_ROLES)), required=True)
@click.option("--hub", "hub_slugs", multiple=True, help="A hub's slug (repeatable) for staff.")
def create_user(email: str, role: str, hub_slugs: tuple[str, ...]) -> None:
    """Create an account. The password is read from a prompt, or from standard input."""
    hubs = []
    for slug in hub_slugs:
        hub = db.session.scalar(db.select(Hub).where(Hub.slug == slug))
        if hub is None:
            raise click.ClickException(f"There is no hub with the slug '{slug}'.")
        hubs.append(hub)
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = accounts.create_user(email, role, password, hubs)
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {ACCOUNT_ROLES[user.role].lower()} {user.email}.")


@click.command("seed-reference")
def seed_reference() -> None:
    """Add the hub types and need-area frameworks that ship with hubsurvey, if missing."""
    added = load_reference_data()
    click.echo(f"Added hub types: {', '.join(added)}." if added else "Hub types are up to date.")


@click.command("setup-link")
@click.option("--base-url", help="Where the app is served, e.g. http://127.0.0.1:5000.")
def setup_link(base_url: str | None) -> None:
    """Print a one-time link to create the first administrator, if there is none yet."""
    if accounts.admin_exists():
        return
    hours = current_app.config["SETUP_LINK_HOURS"]
    token = accounts.issue_link("setup", timedelta(hours=hours))
    base = base_url or current_app.config["BASE_URL"]
    with current_app.test_request_context(base_url=base):
        link = url_for("auth.setup", token=token, _external=True)
    click.echo(
        "\nNo administrator exists yet. Open this link to create one "
        f"(it works once, for {hours} hours):\n\n    {link}\n"
    )

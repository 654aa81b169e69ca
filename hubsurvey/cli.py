"""Commands run as `flask --app app COMMAND`."""

import os
import sqlite3
import sys
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app, url_for

from hubsurvey.admin.services import load_reference_data
from hubsurvey.auth import services as accounts
from hubsurvey.extensions import db
from hubsurvey.models import Hub
from hubsurvey.retention import services as retention
from hubsurvey.vocabulary import ACCOUNT_ROLES


def init_app(app: Flask) -> None:
    from hubsurvey.demo import demo

    for command in (create_user, seed_reference, setup_link, demo, purge_expired, backup):
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


@click.command("purge-expired")
def purge_expired() -> None:
    """Delete answers past their survey's keep-until date and unsent drafts past their time
    (the worker does this every day), and print what was removed."""
    click.echo(f"Removed {retention.purge_expired()}.")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH while the app serves: SQLite's online backup, an
    integrity check of the copy, then a rename, so PATH is only ever a whole, checked copy."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump, for example "
            "pg_dump --format=custom DBNAME > hubsurvey.dump (see README, Backups)."
        )
    path = path.resolve()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    database = Path(url.database or "")
    if not database.is_file():
        raise click.ClickException(f"There is no database at {database}.")
    source = sqlite3.connect(database)
    target = sqlite3.connect(partial)
    try:
        # Copies a consistent snapshot, page by page, while other connections keep writing.
        source.backup(target, pages=1024)
        verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
        source.close()
    if verdict != "ok":
        partial.unlink(missing_ok=True)
        raise click.ClickException(
            f"The copy failed its integrity check ({verdict}); {path} was not written."
        )
    with open(partial, "rb") as f:
        os.fsync(f.fileno())
    os.replace(partial, path)
    click.echo(f"Backed up {database} to {path} (integrity check: ok).")

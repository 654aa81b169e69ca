"""The daily purge, as a job of the background worker."""

from flask import Flask
from huey import Huey, crontab

from hubsurvey.retention.services import purge_expired


def register(huey: Huey, app: Flask) -> None:
    from hubsurvey.worker import in_app_context

    hour, minute = app.config["PURGE_AT"].split(":")

    def purge() -> None:
        """Delete answers past their keep-until date and old drafts."""
        purge_expired()

    huey.periodic_task(crontab(hour=str(int(hour)), minute=str(int(minute))), name="purge")(
        in_app_context(app, purge)
    )
    # Also each time the worker starts, so a night it was down is caught up at once.
    huey.on_startup("purge")(in_app_context(app, purge))

"""Reminders that send themselves: each morning the worker sends the reminders due that day."""

from flask import Flask
from huey import Huey

from hubsurvey.invitations.services import due_reminders
from hubsurvey.school_years import today_in_england


def register(huey: Huey, app: Flask) -> None:
    from hubsurvey.worker import daily_in_england, in_app_context, record_run

    def remind() -> None:
        """Send the reminders due today (set for a date, or automatic before closing)."""
        # Links in the messages are built as the web pages build them, from BASE_URL.
        with app.test_request_context(base_url=app.config["BASE_URL"]):
            done = due_reminders(today_in_england())
        record_run("reminders", "; ".join(done) or "No reminders due")

    huey.periodic_task(daily_in_england(app.config["REMIND_AT"]), name="reminders")(
        in_app_context(app, remind)
    )
    # Also when the worker starts, so a morning it was down is caught up (keys stop repeats).
    huey.on_startup("reminders")(in_app_context(app, remind))

"""The feedback link at a session's end: every five minutes the worker emails it to the
people on the register of each activity that has just ended."""

from flask import Flask
from huey import Huey, crontab

from hubsurvey.activities.feedback_links import JOB, send_due


def register(huey: Huey, app: Flask) -> None:
    from hubsurvey.worker import in_app_context, record_run

    def send_feedback_links() -> None:
        """Email the feedback link of each activity that ended in the last week, once."""
        record_run(JOB, send_due())

    huey.periodic_task(crontab(minute="*/5"), name=JOB)(in_app_context(app, send_feedback_links))

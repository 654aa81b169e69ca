"""The outbox's worker jobs: send a batch of messages now, and every minute send whatever is
due (messages queued while the worker or the mail server was down, and retries)."""

from flask import Flask
from huey import Huey, crontab

from hubsurvey.outbox import sending


def register(huey: Huey, app: Flask) -> None:
    from hubsurvey.worker import in_app_context

    def send_messages(ids: list[int]) -> int:
        """Send these messages (by id), each at most once."""
        return sending.send_messages(ids)

    def send_due() -> str:
        """Send the queued messages that are due; fail those a stopped worker left half-sent."""
        return sending.sweep()

    # Found by outbox.services.hand_over, which queues the batches.
    app.extensions["outbox.send"] = huey.task(name="outbox.send")(
        in_app_context(app, send_messages)
    )
    huey.periodic_task(crontab(minute="*"), name="outbox.sweep")(in_app_context(app, send_due))

from datetime import timedelta

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from hubsurvey.inputs import row_id
from hubsurvey.models import utcnow
from hubsurvey.models.base import in_uk
from hubsurvey.outbox import bp, services
from hubsurvey.reports import exports
from hubsurvey.vocabulary import MESSAGE_KINDS, MESSAGE_STATES
from hubsurvey.worker import HEARTBEAT, last_run

# Further back than anyone pages; a bigger number is refused, not sent to the database.
LAST_PAGE = 10_000
# Queued messages older than this, with no sign of the worker since, earn a warning.
WORKER_QUIET = timedelta(minutes=5)


def _state(default: str | None = None, allowed=MESSAGE_STATES) -> str | None:
    """The state asked for in the query, or a 404 for one that does not exist."""
    state = request.args.get("state", default)
    if state in (None, "", "all"):
        return None
    if state not in allowed:
        abort(404)
    return state


@bp.get("/")
def index():
    page = request.args.get("page", 1, type=int)
    if not 1 <= page <= LAST_PAGE:
        abort(404)
    state = _state()
    messages, older = services.messages_page(g.hub, state, page)
    kept = {"state": state} if state else {}
    oldest = services.oldest_queued(g.hub)
    heartbeat = last_run(HEARTBEAT)
    now = utcnow()
    return render_template(
        "outbox/index.html",
        messages=messages,
        state=state,
        counts=services.state_counts(g.hub),
        newest_waiting=services.newest_waiting(g.hub),
        states=MESSAGE_STATES,
        kinds=MESSAGE_KINDS,
        configured=services.mail_configured(),
        server=current_app.config["MAIL_SERVER"],
        # Queued for a while, and the worker not seen since: it is probably not running.
        worker_quiet=oldest is not None
        and oldest < now - WORKER_QUIET
        and (heartbeat is None or heartbeat.finished_at < now - WORKER_QUIET),
        newer_url=url_for("outbox.index", **kept, page=page - 1) if page > 1 else None,
        older_url=url_for("outbox.index", **kept, page=page + 1) if older else None,
    )


@bp.get("/<int:message_id>")
def show(message_id: int):
    message = services.hub_message(g.hub, message_id) or abort(404)
    return render_template(
        "outbox/message.html",
        message=message,
        kinds=MESSAGE_KINDS,
        configured=services.mail_configured(),
    )


@bp.post("/<int:message_id>/try-again")
def try_again(message_id: int):
    message = services.hub_message(g.hub, message_id) or abort(404)
    if not services.try_again(g.hub, message):
        flash("That message has not failed, so there is nothing to try again.")
    elif message.state == "waiting":
        flash("The message is waiting again: no mail server is set up, so send it by hand.")
    else:
        flash(f"Trying again: the message to {message.to_email} is queued to send.")
    return redirect(url_for("outbox.show", message_id=message.id), 303)


@bp.post("/<int:message_id>/sent")
def mark_sent(message_id: int):
    message = services.hub_message(g.hub, message_id) or abort(404)
    if services.mark_sent_by_hand(message):
        flash(f"Marked as sent: the message to {message.to_email} is done.")
    else:
        flash("That message is not waiting to be sent by hand, so it was left as it is.")
    return redirect(url_for("outbox.show", message_id=message.id), 303)


@bp.post("/send-waiting")
def send_waiting():
    if not services.mail_configured():
        flash("No mail server is set up, so the waiting messages cannot be sent from here.")
    elif count := services.send_waiting(g.hub):
        flash(f"Sending {count} {'message' if count == 1 else 'messages'}.")
    else:
        flash("No messages were waiting.")
    return redirect(url_for("outbox.index"), 303)


@bp.post("/mark-waiting-sent")
def mark_waiting_sent():
    """After a mail merge: the waiting messages the lead could see are done."""
    up_to = request.form.get("up_to", type=row_id)
    if up_to is None:
        abort(400)
    count = services.mark_waiting_sent(g.hub, up_to)
    flash(
        f"Marked {count} {'message' if count == 1 else 'messages'} as sent."
        if count
        else "No messages were waiting."
    )
    return redirect(url_for("outbox.index"), 303)


@bp.get("/download")
def download():
    """The messages as a CSV file for a mail merge: the waiting ones unless asked otherwise."""
    state = _state(default="waiting")
    made = utcnow()
    exports.record(
        g.hub, current_user._get_current_object(), None, "outbox", "csv", f"state={state or 'all'}"
    )
    body = "".join(exports.csv_chunks(services.merge_rows(g.hub, state)))
    name = f"outbox-{g.hub.slug}-{in_uk(made):%Y-%m-%d}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={name}",
            "Cache-Control": "no-store",
        },
    )

"""Putting messages in a hub's outbox and handing them to the worker (queue, dispatch: the API
the rest of the app calls), and what the lead does there: read them, try a failed one again,
mark one sent by hand, send those that waited for a mail server, download them for a mail
merge. Sending itself is sending.py, run by the worker (tasks.py)."""

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from flask import current_app, has_request_context
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from hubsurvey.audit.services import record
from hubsurvey.contacts.links import contact_url
from hubsurvey.extensions import db
from hubsurvey.models import Contact, Hub, Message, School, Survey, User, utcnow
from hubsurvey.vocabulary import MESSAGE_KINDS, MESSAGE_STATES

FOOTER = "Why you get this email, and how to stop it: {url}"
PAGE_SIZE = 50
# Messages handed to the worker in one job: it sends them over one connection.
BATCH = 100
MERGE_HEADINGS = ["to_email", "to_name", "subject", "body", "school", "kind", "state"]
# The private links a message may carry: a one-time password link, a head's link, a person's
# own link to a named survey. Only their hashes are stored elsewhere, so once the message has
# gone they are removed from its stored copy too: the outbox, like the tables, then holds no
# link that still works.
PRIVATE_LINK = re.compile(r"\S+/(?:password|head|s/[A-Z0-9]+/p)/[A-Za-z0-9_-]{20,}\S*")
LINK_REMOVED = "(the private link was removed from the outbox once the message was sent)"


def mail_configured() -> bool:
    """A mail server is set up (MAIL_SERVER): the worker sends; otherwise messages wait."""
    return bool(current_app.config.get("MAIL_SERVER"))


def queue(
    hub: Hub | None,
    *,
    kind: str,
    key: str,
    to_email: str,
    to_name: str = "",
    subject: str,
    body: str,
    survey: Survey | None = None,
    school: School | None = None,
    contact: Contact | None = None,
    by: User | None = None,
) -> Message | None:
    """Add a message to the hub's outbox, in the caller's transaction (it is kept exactly when
    the caller's change is). Once per (hub, key): a message made earlier with this key is
    returned unchanged. None when `contact` has opted out or has no email address (the caller
    reports the contact as skipped). Call dispatch() with it after committing."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"a message's kind is one of {sorted(MESSAGE_KINDS)}, not {kind!r}")
    if len(key) > 200:
        raise ValueError("a message's key is at most 200 characters")
    earlier = find_message(hub, key)
    if earlier is not None:
        return earlier
    if contact is not None and not contact.reachable:
        return None
    if contact is not None:
        body = f"{body.rstrip()}\n\n--\n{FOOTER.format(url=with_links(contact_url, contact))}"
    message = Message(
        hub_id=hub.id if hub else None,
        kind=kind,
        key=key,
        to_email=_line(to_email)[:254],
        to_name=_line(to_name)[:120],
        subject=_line(subject)[:200],
        body=body.replace("\0", ""),
        state="queued" if mail_configured() else "waiting",
        created_by_id=by.id if by else None,
        survey_id=survey.id if survey else None,
        school_id=school.id if school else None,
        contact_id=contact.id if contact else None,
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:
        # Made at the same moment by another request or job, which committed first: one
        # message per key, so theirs stands.
        return find_message(hub, key)
    return message


def dispatch(messages: Iterable[Message | None]) -> None:
    """Hand the queued ones among `messages` to the worker. Call after committing them."""
    hand_over([m.id for m in messages if m is not None and m.state == "queued"])


def hand_over(ids: list[int]) -> None:
    """Queue a worker job per batch of message ids. If the worker's queue cannot take them
    now, nothing is lost: the messages are stored as queued, and the worker's sweep every
    minute sends them."""
    send = current_app.extensions["outbox.send"]
    for start in range(0, len(ids), BATCH):
        try:
            send(ids[start : start + BATCH])
        except Exception:  # the queue's storage (SQLite, Redis, PostgreSQL) failing, whichever
            current_app.logger.exception("Could not queue messages %s for the worker", ids)
            return


def with_links(build: Callable, *args):
    """Call `build`, which makes full URLs with url_for: inside a request as it is, in a
    worker's job as a request to BASE_URL would (the links in email must work from anywhere)."""
    if has_request_context():
        return build(*args)
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        return build(*args)


def _line(text: str) -> str:
    """One line of text: a header (subject, name, address) cannot hold a line break."""
    return " ".join(text.replace("\0", "").split())


def find_message(hub: Hub | None, key: str) -> Message | None:
    """The hub's message made for this key, if any."""
    where = Message.hub_id == hub.id if hub else Message.hub_id.is_(None)
    query = db.select(Message).where(where, Message.key == key)
    # As stored now: the worker may have sent it since this session last read it.
    return db.session.scalar(query.execution_options(populate_existing=True))


def _reload(message: Message) -> None:
    """Read the message as stored, in a transaction that ends at once: the worker's job may
    write it next (in tests, in this very process)."""
    db.session.refresh(message)
    db.session.commit()


def forget_private_links(message: Message) -> str:
    """The body to keep once a message has gone: without the private links it carried."""
    return PRIVATE_LINK.sub(LINK_REMOVED, message.body)


# Staff accounts: the one-time link emailed, when mail is set up


def email_password_link(
    user: User, url: str, token_id: int, days: int, *, why: str, hub: Hub | None = None
) -> Message | None:
    """Email a new account's (or a viewer's) one-time link to them, when a mail server is set
    up; None when it is not (the page shows the link to copy, as it always does). `why` opens
    the message. A viewer's message is in their hub's outbox; an account an administrator made
    is in none, so that no hub's staff read a colleague's link."""
    if not mail_configured():
        return None
    body = (
        f"Hello,\n\n{why}\n\n"
        f"Set your password with this link. It works once, within {days} days:\n{url}\n\n"
        f"Then sign in with your email address, {user.email}, and that password.\n\n"
        "If you did not expect this email, you can ignore it: nobody can use the account "
        "without the link.\n"
    )
    message = queue(
        hub,
        kind="account",
        key=f"account:link:{token_id}",
        to_email=user.email,
        subject="Set your password for hubsurvey",
        body=body,
    )
    db.session.commit()
    dispatch([message])
    return message


# The outbox page


def state_counts(hub: Hub) -> dict[str, int]:
    """How many of the hub's messages are in each state (every state, zero or not)."""
    rows = db.session.execute(
        db.select(Message.state, func.count())
        .where(Message.hub_id == hub.id)
        .group_by(Message.state)
    )
    return {state: 0 for state in MESSAGE_STATES} | dict(rows.tuples().all())


def messages_page(hub: Hub, state: str | None, page: int) -> tuple[list[Message], bool]:
    """One page of the hub's messages, newest first, in `state` if given; and whether there
    are older ones."""
    query = db.select(Message).where(Message.hub_id == hub.id)
    if state:
        query = query.where(Message.state == state)
    query = (
        query.options(joinedload(Message.school))
        .order_by(Message.created_at.desc(), Message.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    found = list(db.session.scalars(query))
    return found[:PAGE_SIZE], len(found) > PAGE_SIZE


def hub_message(hub: Hub, message_id: int) -> Message | None:
    """The hub's message with this id; None for another hub's, as for one that is not there."""
    message = db.session.get(Message, message_id)
    if message is None or message.hub_id != hub.id:
        return None
    return message


def try_again(hub: Hub, message: Message) -> bool:
    """Send a failed message again: queued afresh (five more attempts), or waiting if the
    mail server has been taken away since. False if it had not failed."""
    state = "queued" if mail_configured() else "waiting"
    changed = db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.state == "failed")
        .values(state=state, attempts=0, claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.commit()
        return False
    record(
        "message-retried",
        hub=hub,
        target=f"message {message.id}: {message.subject}",
        detail=f"To {message.to_email}; it had failed: {message.last_error}",
    )
    db.session.commit()
    _reload(message)
    if state == "queued":
        hand_over([message.id])
    return True


def mark_sent_by_hand(message: Message) -> bool:
    """The lead sent a waiting (or failed) message themselves: it is done. False if it was
    neither: the worker may be sending it, or has."""
    changed = db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.state.in_(("waiting", "failed")))
        .values(state="sent", sent_at=utcnow(), body=forget_private_links(message))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    _reload(message)
    return bool(changed)


def mark_waiting_sent(hub: Hub, up_to: int) -> int:
    """The lead sent the waiting messages by mail merge: those up to message `up_to` (the
    newest they could see) are done; a message made since stays waiting. How many."""
    ids = list(
        db.session.scalars(
            db.select(Message.id).where(
                Message.hub_id == hub.id, Message.state == "waiting", Message.id <= up_to
            )
        )
    )
    for message in db.session.scalars(db.select(Message).where(Message.id.in_(ids))):
        message.state, message.sent_at = "sent", utcnow()
        message.body = forget_private_links(message)
    if ids:
        record(
            "messages-marked-sent",
            hub=hub,
            target=f"{len(ids)} waiting {'message' if len(ids) == 1 else 'messages'}",
            detail="Sent by hand, by mail merge",
        )
    db.session.commit()
    return len(ids)


def newest_waiting(hub: Hub) -> int | None:
    return db.session.scalar(
        db.select(func.max(Message.id)).where(Message.hub_id == hub.id, Message.state == "waiting")
    )


def send_waiting(hub: Hub) -> int:
    """Now that a mail server is set up, hand the messages that waited for one to the worker;
    returns how many."""
    if not mail_configured():
        return 0
    ids = list(
        db.session.scalars(
            db.select(Message.id)
            .where(Message.hub_id == hub.id, Message.state == "waiting")
            .order_by(Message.id)
        )
    )
    if not ids:
        return 0
    db.session.execute(
        update(Message)
        .where(Message.id.in_(ids), Message.state == "waiting")
        .values(state="queued")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    hand_over(ids)
    return len(ids)


def oldest_queued(hub: Hub) -> datetime | None:
    """When the hub's longest-waiting queued message was made: the page warns when the
    worker seems not to be sending."""
    return db.session.scalar(
        db.select(func.min(Message.created_at)).where(
            Message.hub_id == hub.id, Message.state == "queued"
        )
    )


def merge_rows(hub: Hub, state: str | None) -> Iterator[list]:
    """The mail-merge file's rows: a heading, then one row per message, oldest first."""
    yield MERGE_HEADINGS
    query = (
        db.select(Message)
        .where(Message.hub_id == hub.id)
        .options(joinedload(Message.school))
        .order_by(Message.created_at, Message.id)
    )
    if state:
        query = query.where(Message.state == state)
    for message in db.session.scalars(query):
        yield [
            message.to_email,
            message.to_name,
            message.subject,
            message.body,
            message.school.name if message.school else "",
            MESSAGE_KINDS[message.kind],
            message.state_label,
        ]

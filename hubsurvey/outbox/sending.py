"""Sending the outbox through SMTP, on the worker: each message at most once.

A message is first claimed in a transaction of its own (queued → sending, only if it is still
queued), then sent, then marked sent. Two jobs never both claim it, and a job run again after
a crash skips it. A message the worker stopped in the middle of sending (left 'sending') is
never sent again automatically: it may have arrived, so it fails, saying so, and the lead
decides. A mail server that cannot take a message now gets it again later, with a growing
delay, five times in all."""

import smtplib
import socket
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import flask_mail
from flask import current_app
from sqlalchemy import update

from hubsurvey.extensions import db
from hubsurvey.models import Contact, Message, utcnow
from hubsurvey.outbox.services import forget_private_links, mail_configured

MAX_ATTEMPTS = 5
# After a message's nth failed attempt, the wait before the next: 1 minute, 5, 30, 2 hours.
RETRY_DELAYS = [timedelta(minutes=m) for m in (1, 5, 30, 120)]
# A message 'sending' for longer than this was being sent by a worker that stopped.
STALE = timedelta(minutes=10)
STOPPED_EMAIL = (
    "Not sent: the contact has asked the hub to stop emailing them, or has no email address now."
)
STOPPED = (
    "The worker stopped while sending this message, so it may or may not have arrived. "
    "Check with the recipient before sending it again."
)
# Most messages one sweep looks at; the next sweep, a minute later, takes the rest.
SWEEP_LIMIT = 500
# Refusals of one message, after which smtplib has reset the session for the next.
KEEPS_CONNECTION = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
)


@dataclass
class MailProblem(Exception):
    """Why an attempt failed, in a sentence for the lead. `permanent`: trying again cannot
    help (the server refused the address). `unreachable`: no message can go just now, so the
    rest of the batch is not tried."""

    reason: str
    permanent: bool = False
    unreachable: bool = False


class _Connection(flask_mail.Connection):
    """flask-mail's connection, with a time limit: a mail server that never answers must not
    hold the worker for ever."""

    def configure_host(self) -> smtplib.SMTP:
        settings, timeout = self.mail, current_app.config["MAIL_TIMEOUT"]
        smtp = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
        host = smtp(settings.server, settings.port, timeout=timeout)
        try:
            if settings.use_tls:
                host.starttls()
            if settings.username and settings.password:
                host.login(settings.username, settings.password)
        except BaseException:
            host.close()
            raise
        return host


def send_messages(ids: list[int]) -> int:
    """Send these messages, those still queued, over one connection; returns how many went."""
    sent, connection, unreachable = 0, None, None
    try:
        for message_id in ids:
            message = _claim(message_id)
            if message is None:
                continue  # sent, being sent, or no longer queued: not ours to send
            if unreachable is not None:
                _give_back(message, unreachable)
                continue
            try:
                if connection is None:
                    connection = _connect()
                connection.send(_email(message))
            except MailProblem as problem:
                _give_back(message, problem)
                if problem.unreachable:
                    unreachable = problem
                continue
            except UnicodeError:
                # smtplib sends addresses as ASCII: 'zoë@school.example' cannot go.
                reason = f"The address {message.to_email} has letters email servers cannot take."
                _give_back(message, MailProblem(reason, permanent=True))
                if connection is not None:  # the server may be mid-message: start afresh
                    _close(connection)
                    connection = None
                continue
            except (smtplib.SMTPException, OSError) as error:  # SMTPException is an OSError
                _give_back(message, _problem(error, message))
                if connection is not None and not isinstance(error, KEEPS_CONNECTION):
                    _close(connection)
                    connection = None  # connect again for the next one
                continue
            _mark_sent(message)
            sent += 1
    finally:
        if connection is not None:
            _close(connection)
    return sent


def sweep(now: datetime | None = None) -> str:
    """The worker's job every minute: fail messages a stopped worker left half-sent, then
    send the queued messages that are due (new ones, and failed attempts whose wait is over),
    so that nothing queued while the mail server or the worker was down is left behind."""
    now = now or utcnow()
    stopped = db.session.execute(
        update(Message)
        .where(Message.state == "sending", Message.claimed_at < now - STALE)
        .values(state="failed", last_error=STOPPED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    due = due_ids(now)
    sent = send_messages(due) if due else 0
    return f"{sent} of {len(due)} due messages sent; {stopped} left half-sent marked failed"


def due_ids(now: datetime) -> list[int]:
    """Queued messages to try now: never tried, or tried and waited long enough since."""
    rows = db.session.execute(
        db.select(Message.id, Message.attempts, Message.claimed_at)
        .where(Message.state == "queued")
        .order_by(Message.attempts, Message.id)
        .limit(SWEEP_LIMIT)
    ).all()
    db.session.commit()
    return [
        message_id
        for message_id, attempts, claimed_at in rows
        if attempts == 0 or claimed_at is None or claimed_at + retry_delay(attempts) <= now
    ]


def retry_delay(attempts: int) -> timedelta:
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def message_id_header(message: Message) -> str:
    """The Message-ID, made from the message's id and hub: the same on every attempt, so a
    mail program that got it once shows it once."""
    sender = current_app.config.get("MAIL_DEFAULT_SENDER") or ""
    # flask-mail also takes ("North Hub", "hub@north.example").
    sender = sender[-1] if isinstance(sender, tuple | list) else parseaddr(sender)[1]
    domain = sender.rpartition("@")[2] or urlsplit(current_app.config["BASE_URL"]).hostname
    return f"<message-{message.id}.hub-{message.hub_id or 0}@{domain or 'hubsurvey'}>"


# Each step in its own transaction


def _claim(message_id: int) -> Message | None:
    """Take the message for this job: queued → sending, counted as an attempt. None if it
    is not queued (another job has it, or it has gone), or if its contact has since asked
    the hub to stop emailing them (it then fails, saying so, and is never sent)."""
    claimed = db.session.execute(
        update(Message)
        .where(Message.id == message_id, Message.state == "queued")
        .values(state="sending", claimed_at=utcnow(), attempts=Message.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    message = db.session.get(Message, message_id, populate_existing=True)
    contact = db.session.get(Contact, message.contact_id) if message.contact_id else None
    if contact is not None and not contact.reachable:
        _give_back(message, MailProblem(STOPPED_EMAIL, permanent=True))
        return None
    return message


def _ours(message: Message):
    # Still the claim this job made: a message failed as half-sent while a slow server was
    # still taking it is ours to finish, but not once the lead has sent it again.
    return (
        Message.id == message.id,
        Message.claimed_at == message.claimed_at,
        Message.state.in_(("sending", "failed")),
    )


def _mark_sent(message: Message) -> None:
    db.session.execute(
        update(Message)
        .where(*_ours(message))
        .values(state="sent", sent_at=utcnow(), last_error="", body=forget_private_links(message))
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _give_back(message: Message, problem: MailProblem) -> None:
    """The attempt failed: queued again to be tried later, or failed for good. While the
    mail server cannot be reached at all, the attempt does not count: the message waits,
    tried each minute, for as long as the server is down, and goes when it is back."""
    failed = problem.permanent or (not problem.unreachable and message.attempts >= MAX_ATTEMPTS)
    reason = problem.reason
    if failed and not problem.permanent:
        reason += f" Tried {message.attempts} times."
    values = {"state": "failed" if failed else "queued", "last_error": reason[:500]}
    if problem.unreachable:
        values["attempts"] = Message.attempts - 1
    db.session.execute(
        update(Message)
        .where(Message.id == message.id, Message.claimed_at == message.claimed_at)
        .where(Message.state == "sending")
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


# SMTP


def _where() -> str:
    return f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}"


def _connect() -> _Connection:
    if not mail_configured():
        raise MailProblem("No mail server is set up (MAIL_SERVER).", unreachable=True)
    if not current_app.config.get("MAIL_DEFAULT_SENDER"):
        raise MailProblem(
            "No sender address is set (MAIL_DEFAULT_SENDER), so the mail server cannot be "
            "told who the message is from.",
            unreachable=True,
        )
    connection = _Connection(current_app.extensions["mail"])
    try:
        return connection.__enter__()
    except (smtplib.SMTPException, OSError) as error:
        problem = _problem(error, None)
        problem.unreachable = True
        raise problem from error


def _close(connection: _Connection) -> None:
    try:
        connection.host.quit()
    except OSError:  # SMTPException too: it was gone already
        connection.host.close()


def _email(message: Message) -> flask_mail.Message:
    email = flask_mail.Message(
        subject=message.subject,
        recipients=[(message.to_name, message.to_email) if message.to_name else message.to_email],
        body=message.body,
    )
    email.msgId = message_id_header(message)
    if email.has_bad_headers():
        raise MailProblem(
            "The subject or the address holds a line break, which email does not allow.",
            permanent=True,
        )
    return email


def _smtp_words(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {' '.join(text.split())}".strip()


def _problem(error: Exception, message: Message | None) -> MailProblem:
    """The error as a sentence a hub lead (or whoever runs the server) can act on."""
    where = _where()
    match error:
        case smtplib.SMTPRecipientsRefused():
            code, text = next(iter(error.recipients.values()))
            to = message.to_email if message else "the recipient"
            return MailProblem(
                f"The mail server refused the address {to} ({_smtp_words(code, text)}).",
                permanent=code >= 500,
            )
        case smtplib.SMTPSenderRefused():
            return MailProblem(
                f"The mail server refused the sender address {error.sender} "
                f"({_smtp_words(error.smtp_code, error.smtp_error)}): check MAIL_DEFAULT_SENDER."
            )
        case smtplib.SMTPAuthenticationError():
            return MailProblem(
                f"The mail server did not accept the user name and password "
                f"(MAIL_USERNAME, MAIL_PASSWORD) ({where})."
            )
        case smtplib.SMTPDataError():
            return MailProblem(
                f"The mail server refused the message "
                f"({_smtp_words(error.smtp_code, error.smtp_error)}).",
                permanent=error.smtp_code >= 500,
            )
        case smtplib.SMTPServerDisconnected():
            return MailProblem(f"The mail server closed the connection ({where}).")
        case smtplib.SMTPNotSupportedError():
            return MailProblem(
                f"The mail server does not offer what the settings ask for, STARTTLS or "
                f"signing in ({where}): check MAIL_USE_TLS, MAIL_USERNAME and MAIL_PASSWORD."
            )
        case smtplib.SMTPResponseException():
            return MailProblem(
                f"The mail server answered {_smtp_words(error.smtp_code, error.smtp_error)} "
                f"({where})."
            )
        case ConnectionRefusedError():
            return MailProblem(f"The mail server refused the connection ({where}).")
        case socket.gaierror():
            return MailProblem(f"The mail server's name could not be found ({where}).")
        case TimeoutError():
            return MailProblem(f"The mail server did not answer in time ({where}).")
        case ssl.SSLError():
            return MailProblem(
                f"A secure connection to the mail server failed ({where}): check that "
                "MAIL_USE_TLS or MAIL_USE_SSL suits the port."
            )
        case OSError():
            return MailProblem(
                f"The mail server could not be reached ({where}): {error.strerror or error}."
            )
    return MailProblem(f"The mail server could not take the message ({where}): {error}.")

"""Staff sessions held on the server, so that they can be ended: at sign-out, after a password
change, when an account is disabled, or by the person from their account page.

The signed cookie carries a random token; only its hash is stored, in a UserSession row. A
request is signed in only while that row exists. Respondents never have one."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.models import User, UserSession, utcnow

# How stale last_seen_at may be: noting every request would make every page view a write.
SEEN_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(
    user: User,
    user_agent: str,
    ip: str,
    idle_limit: timedelta,
    replaces: UserSession | None = None,
) -> tuple[str, UserSession]:
    """Sign `user` in: a new session, recorded in the audit log. Returns the token for the
    cookie, and the session. The session it `replaces` (the browser's last) ends, and so do
    the user's sessions left idle past `idle_limit`."""
    now = utcnow()
    if replaces is not None:
        _end(replaces)
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.last_seen_at < now - idle_limit
        )
    )
    token = secrets.token_urlsafe(32)
    staff_session = UserSession(
        user=user,
        token_hash=_hash(token),
        created_at=now,
        last_seen_at=now,
        user_agent=user_agent[:200],
        ip=ip[:45],
    )
    db.session.add(staff_session)
    user.last_sign_in_at = now
    record("sign-in", user=user)
    db.session.commit()
    return token, staff_session


def find(token: str) -> UserSession | None:
    """The session this cookie token belongs to, if it has not been ended."""
    if not token:
        return None
    return db.session.scalar(db.select(UserSession).where(UserSession.token_hash == _hash(token)))


def keep_alive(staff_session: UserSession, idle_limit: timedelta) -> bool:
    """Note that the session was used, at most once a minute. A session idle for longer than
    `idle_limit` is ended instead (False)."""
    now = utcnow()
    idle_for = now - staff_session.last_seen_at
    if idle_for < SEEN_EVERY:
        return True
    # End the read transaction first: on SQLite, turning a read into a write part-way can
    # fail at once when another request wrote meanwhile, where a fresh write waits its turn.
    db.session.commit()
    if idle_for > idle_limit:
        _end(staff_session)
    else:
        # A statement rather than a change to the object: if the session was ended from
        # another device a moment ago, this updates nothing instead of failing.
        db.session.execute(
            update(UserSession).where(UserSession.id == staff_session.id).values(last_seen_at=now)
        )
    db.session.commit()
    return idle_for <= idle_limit


def _end(staff_session: UserSession) -> None:
    # A statement, for the same reason: the row may be gone already.
    db.session.execute(delete(UserSession).where(UserSession.id == staff_session.id))


def sign_out(staff_session: UserSession) -> None:
    """End this session, at the person's request."""
    record("sign-out", user=staff_session.user)
    _end(staff_session)
    db.session.commit()


def live_sessions(user: User, idle_limit: timedelta) -> list[UserSession]:
    """The user's sessions that still work, most recently used first."""
    return list(
        db.session.scalars(
            db.select(UserSession)
            .where(
                UserSession.user_id == user.id, UserSession.last_seen_at >= utcnow() - idle_limit
            )
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def end_session(user: User, session_id: int) -> UserSession | None:
    """End one of the user's own sessions (another device, say); None if it is not theirs."""
    staff_session = db.session.get(UserSession, session_id)
    if staff_session is None or staff_session.user_id != user.id:
        return None
    record("session-ended", target=describe(staff_session), user=user)
    _end(staff_session)
    db.session.commit()
    return staff_session


def end_all(user: User, keep: UserSession | None = None) -> int:
    """End every session of the user except `keep`, in the caller's transaction. Returns how
    many ended."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    return db.session.execute(query).rowcount


def ended_words(count: int, kind: str = "") -> str:
    return f"{count} {kind}session{'' if count == 1 else 's'} ended"


def describe(staff_session: UserSession) -> str:
    """A session in words for the audit log: its device and when it began."""
    return f"{device_name(staff_session.user_agent)}, signed in {when(staff_session.created_at)}"


def when(moment: datetime) -> str:
    return f"{moment:%-d %b %Y %H:%M} UTC"


# The few browsers and systems staff use, tested in this order: Edge and Opera also say
# "Chrome", Chrome also says "Safari", and Android also says "Linux".
_BROWSERS = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
_SYSTEMS = [
    (r"Android", "Android"),
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"CrOS", "ChromeOS"),
    (r"Windows", "Windows"),
    (r"Macintosh|Mac OS X", "Mac"),
    (r"Linux", "Linux"),
]


def device_name(user_agent: str) -> str:
    """The browser and system in plain words ("Chrome on Android"), or, when either is not
    recognised, the browser's own description, shortened."""
    browser = next((name for pattern, name in _BROWSERS if re.search(pattern, user_agent)), None)
    system = next((name for pattern, name in _SYSTEMS if re.search(pattern, user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    if not user_agent.strip():
        return "Unknown device"
    return user_agent if len(user_agent) <= 60 else user_agent[:59] + "…"

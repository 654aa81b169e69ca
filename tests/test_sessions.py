"""Staff sessions live on the server: a copy of a signed-in cookie stops working when its
session ends (sign-out, password change or reset, account disabled, idle, ended by the person),
and staff see where they are signed in.

Each request here runs in its own app context, as on a real server: a test holding one app
context across requests would share flask-login's cached user between them."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from factories import PASSWORD, make_hub, make_survey, make_user, sign_in
from sqlalchemy import event

from hubsurvey.admin.services import load_reference_data
from hubsurvey.auth import services
from hubsurvey.auth.sessions import device_name
from hubsurvey.extensions import db
from hubsurvey.models import UserSession, utcnow

NEW_PASSWORD = "a different horse battery staple"
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
WINDOWS_FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"


@pytest.fixture
def site(make_app):
    """An app with a hub, an open survey, its lead and an administrator; no context held."""
    app = make_app()
    with app.app_context():
        load_reference_data()
        hub = make_hub("North Hub")
        survey = make_survey(hub)
        lead = make_user(email="lead@north.example", hubs=[hub])
        admin = make_user(email="admin@example.org", role="admin")
        return SimpleNamespace(
            app=app,
            slug=hub.slug,
            hub=hub.id,
            survey=survey.id,
            code=survey.code,
            lead=lead,
            admin=admin,
        )


def _client(site, user=None, agent=ANDROID_CHROME):
    client = site.app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = agent
    if user is not None:
        sign_in(client, user)
    return client


def _copy_of(site, client):
    """Another browser holding a copy of `client`'s cookie, as a thief would."""
    thief = site.app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _reaches_staff_pages(site, client) -> bool:
    """Whether the client can open the hub's page and download an export."""
    page = client.get(f"/hubs/{site.slug}/")
    export = client.get(f"/hubs/{site.slug}/reports/export/responses-wide.csv?survey={site.survey}")
    assert page.status_code in (200, 302) and export.status_code in (200, 302)
    assert page.status_code == export.status_code, (page.status_code, export.status_code)
    if page.status_code == 302:
        assert "/sign-in" in page.headers["Location"]
    return page.status_code == 200


def _sessions_of(site, user) -> list[UserSession]:
    with site.app.app_context():
        return list(db.session.scalars(db.select(UserSession).filter_by(user_id=user.id)))


def test_a_copied_cookie_stops_working_after_sign_out(site):
    client = _client(site, site.lead)
    thief = _copy_of(site, client)
    assert _reaches_staff_pages(site, thief)
    assert client.post("/sign-out").status_code == 303
    assert not _reaches_staff_pages(site, thief)
    assert _sessions_of(site, site.lead) == []


def test_changing_a_password_ends_every_other_session(site):
    laptop = _client(site, site.lead, agent=WINDOWS_FIREFOX)
    phone = _client(site, site.lead)
    copy_of_phone = _copy_of(site, phone)
    for round_ in range(3):
        new, old = (NEW_PASSWORD, PASSWORD) if round_ % 2 == 0 else (PASSWORD, NEW_PASSWORD)
        response = laptop.post(
            "/account/password", data={"current": old, "password": new, "confirm": new}
        )
        assert response.status_code == 303, response.text
        page = laptop.get(response.headers["Location"]).text
        assert "Your password is changed. You are signed out everywhere else." in page
        assert not _reaches_staff_pages(site, phone)
        assert not _reaches_staff_pages(site, copy_of_phone)
        assert _reaches_staff_pages(site, laptop)  # the device that changed it stays signed in
        phone = _client(site)
        sign_in(phone, site.lead, password=new)
        copy_of_phone = _copy_of(site, phone)


def test_a_password_change_needs_the_current_password(site):
    client = _client(site, site.lead)
    other = _client(site, site.lead)
    response = client.post(
        "/account/password",
        data={"current": "not my password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 422
    assert "Your current password is not right" in response.text
    assert _reaches_staff_pages(site, other)


def test_setting_a_password_by_link_ends_every_session(site):
    client = _client(site, site.lead)
    thief = _copy_of(site, client)
    with site.app.app_context():
        token = services.issue_link("password", timedelta(days=1), site.lead)
    fresh = _client(site)
    response = fresh.post(
        f"/password/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 303
    assert not _reaches_staff_pages(site, client)
    assert not _reaches_staff_pages(site, thief)
    assert _reaches_staff_pages(site, fresh)  # signed in by the link, on a new session
    assert len(_sessions_of(site, site.lead)) == 1


def test_disabling_an_account_ends_its_sessions_at_once(site):
    client = _client(site, site.lead)
    thief = _copy_of(site, client)
    admin = _client(site, site.admin)
    response = admin.post(
        f"/admin/users/{site.lead.id}", data={"role": "staff", "hubs": [site.hub], "active": ""}
    )
    assert response.status_code == 303
    assert _sessions_of(site, site.lead) == []
    assert not _reaches_staff_pages(site, thief)
    assert not _reaches_staff_pages(site, client)
    # Enabled again, the old cookies still do not work: those sessions are gone.
    admin.post(
        f"/admin/users/{site.lead.id}", data={"role": "staff", "hubs": [site.hub], "active": "y"}
    )
    assert not _reaches_staff_pages(site, thief)


def test_an_idle_session_ends_on_the_server(site):
    client = _client(site, site.lead)
    thief = _copy_of(site, client)
    idle = site.app.config["SESSION_IDLE_MINUTES"]
    with site.app.app_context():
        row = db.session.scalar(db.select(UserSession))
        row.last_seen_at = utcnow() - timedelta(minutes=idle + 1)
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert _sessions_of(site, site.lead) == []
    assert not _reaches_staff_pages(site, thief)


def test_last_seen_is_written_at_most_about_once_a_minute(site):
    client = _client(site, site.lead)
    long_ago = utcnow() - timedelta(minutes=5)
    a_moment_ago = utcnow() - timedelta(seconds=20)
    with site.app.app_context():
        row = db.session.scalar(db.select(UserSession))
        row.last_seen_at = a_moment_ago
        db.session.commit()
    client.get("/")
    [row] = _sessions_of(site, site.lead)
    assert row.last_seen_at == a_moment_ago  # no write on every request
    with site.app.app_context():
        row = db.session.scalar(db.select(UserSession))
        row.last_seen_at = long_ago
        db.session.commit()
    client.get("/")
    [row] = _sessions_of(site, site.lead)
    assert row.last_seen_at > a_moment_ago


def test_staff_see_where_they_are_signed_in_and_sign_out_another_device(site):
    laptop = _client(site, site.lead, agent=WINDOWS_FIREFOX)
    phone = _client(site, site.lead, agent=ANDROID_CHROME)
    assert 'href="/account"' in phone.get("/").text  # linked from the page header
    page = phone.get("/account").text
    assert "Chrome on Android" in page
    assert "Firefox on Windows" in page
    assert page.count("This device") == 1
    assert "127.0.0.1" in page

    laptop_session = next(s for s in _sessions_of(site, site.lead) if "Firefox" in s.user_agent)
    response = phone.post(f"/account/sessions/{laptop_session.id}/end")
    assert response.status_code == 303
    assert response.headers["Location"] == "/account"
    assert "Signed out of Firefox on Windows." in phone.get("/account").text
    assert not _reaches_staff_pages(site, laptop)
    assert _reaches_staff_pages(site, phone)
    assert "Firefox on Windows" not in phone.get("/account").text


def test_nobody_can_end_another_persons_session(site):
    lead = _client(site, site.lead)
    admin = _client(site, site.admin)
    [lead_session] = _sessions_of(site, site.lead)
    assert admin.post(f"/account/sessions/{lead_session.id}/end").status_code == 404
    assert admin.post("/account/sessions/999999/end").status_code == 404
    assert _reaches_staff_pages(site, lead)


def test_ending_a_session_needs_the_forms_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_reference_data()
        user = make_user()
    site = SimpleNamespace(app=app)
    laptop, phone = _client(site), _client(site)
    for client in (laptop, phone):
        page = client.get("/sign-in").text
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/sign-in", data=data).status_code == 303
    other = _sessions_of(site, user)[0]
    assert phone.post(f"/account/sessions/{other.id}/end").status_code == 400
    assert len(_sessions_of(site, user)) == 2


def test_the_cookie_holds_a_token_whose_hash_alone_is_stored(site):
    client = _client(site, site.lead)
    with client.session_transaction() as cookie:
        token = cookie["staff_session"]
    [row] = _sessions_of(site, site.lead)
    assert token not in row.token_hash
    assert len(row.token_hash) == 64


def test_respondents_never_touch_staff_sessions(site):
    """A teacher answering a survey has no staff session: not a query, not a write."""
    statements = []

    def note(_conn, _cursor, statement, *_args):
        statements.append(statement)

    teacher = _client(site)
    with site.app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            assert teacher.get(f"/s/{site.code}").status_code == 200
            assert teacher.post(f"/s/{site.code}").status_code in (302, 303)
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    assert statements, "the survey page was not served from the database"
    assert not [s for s in statements if "user_session" in s]


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (WINDOWS_FIREFOX, "Firefox on Windows"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like "
            "Gecko) Chrome/126.0.0.0 Safari/537.36",
            "Chrome on Mac",
        ),
        ("", "Unknown device"),
        ("curl/8.5.0", "curl/8.5.0"),
        ("x" * 300, "x" * 59 + "…"),
    ],
)
def test_devices_are_named_in_plain_words(agent, words):
    assert device_name(agent) == words


def test_guessing_the_current_password_is_limited_like_sign_in(make_app):
    app = make_app(SIGN_IN_LIMIT="2 per 5 minutes")
    with app.app_context():
        load_reference_data()
        user = make_user()
    site = SimpleNamespace(app=app)
    client = _client(site, user)
    _client(site, user)  # signed in on another device too
    guess = {"current": "a guess at it", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    for _ in range(2):
        assert client.post("/account/password", data=guess).status_code == 422
    right = guess | {"current": PASSWORD}
    assert client.post("/account/password", data=right).status_code == 429
    assert len(_sessions_of(site, user)) == 2  # nothing changed


def test_a_password_link_opened_while_signed_in_replaces_that_session(site):
    """Opened in a browser where someone is signed in: that session ends, the new one starts."""
    for holder in (site.lead, site.admin):
        client = _client(site, holder)
        with site.app.app_context():
            token = services.issue_link("password", timedelta(days=1), site.lead)
        data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert client.post(f"/password/{token}", data=data).status_code == 303
        assert _reaches_staff_pages(site, client)
        assert len(_sessions_of(site, site.lead)) == 1
        assert _sessions_of(site, site.admin) == []

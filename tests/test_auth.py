"""Accounts: the setup link, signing in and out, password links, and the create-user command."""

import re
from datetime import timedelta

import pytest
from factories import PASSWORD, make_hub, make_user, sign_in

from hubsurvey import create_app
from hubsurvey.auth import services
from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry, LinkToken, User, UserSession, utcnow


def _setup_link(runner) -> str:
    result = runner.invoke(args=["setup-link"])
    assert result.exit_code == 0, result.output
    return re.search(r"http://\S+(/setup/\S+)", result.output).group(1)


def test_setup_link_creates_the_first_administrator_once(client, runner):
    path = _setup_link(runner)
    assert client.get(path).status_code == 200
    response = client.post(
        path,
        data={"email": "Admin@Hub.example", "password": PASSWORD, "confirm": PASSWORD},
    )
    assert response.status_code == 303
    admin = db.session.scalar(db.select(User))
    assert (admin.email, admin.role) == ("admin@hub.example", "admin")
    assert client.get("/admin/").status_code == 200  # signed in straight away

    # The link worked once; and with an administrator, no new link is printed.
    assert client.get(path).status_code == 404
    assert runner.invoke(args=["setup-link"]).output == ""


def test_setup_link_expires(client, runner, app):
    path = _setup_link(runner)
    link = db.session.scalar(db.select(LinkToken))
    link.expires_at = utcnow()
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 404
    assert "This link no longer works" in response.text


def test_setup_refuses_a_short_password_with_a_message(client, runner):
    path = _setup_link(runner)
    response = client.post(
        path, data={"email": "a@hub.example", "password": "short", "confirm": "short"}
    )
    assert response.status_code == 422
    assert "Password must be at least 12 characters" in response.text
    assert db.session.scalar(db.select(User)) is None


def test_staff_sign_in_and_see_only_their_hubs(client):
    mine = make_hub("North Hub")
    make_hub("South Hub")
    user = make_user(hubs=[mine])
    sign_in(client, user)
    page = client.get("/").text
    assert "North Hub" in page
    assert "South Hub" not in page


def test_wrong_password_gets_a_message_not_a_session(client):
    user = make_user()
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 422
    assert "Email address or password is not right" in response.text
    assert client.get("/").status_code == 302


def test_stopped_account_cannot_sign_in(client):
    user = make_user()
    user.active = False
    db.session.commit()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422


def test_sign_in_renews_the_session(client):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_sign_in_only_follows_local_next_links(client):
    user = make_user()
    response = client.post(
        "/sign-in?next=//evil.example/",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_repeated_failed_sign_ins_are_refused_with_a_clear_message(make_app):
    app = make_app(SIGN_IN_LIMIT="3 per 5 minutes")
    client = app.test_client()
    with app.app_context():
        email = make_user().email
    for _ in range(3):
        client.post("/sign-in", data={"email": email, "password": "wrong password!"})
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.text
    assert "Wait 5 minutes" in response.text


def test_successful_sign_ins_do_not_count_towards_the_limit(make_app):
    app = make_app(SIGN_IN_LIMIT="2 per 5 minutes")
    client = app.test_client()
    with app.app_context():
        email = make_user().email
    for _ in range(4):
        response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
        assert response.status_code == 303
        client.post("/sign-out")


def test_session_ends_after_inactivity(client, app):
    user = make_user()
    sign_in(client, user)
    assert client.get("/").status_code == 200
    staff_session = db.session.scalar(db.select(UserSession))
    idle = app.config["SESSION_IDLE_MINUTES"]
    staff_session.last_seen_at = utcnow() - timedelta(minutes=idle, seconds=1)
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert client.get("/").status_code == 302  # still signed out
    assert db.session.scalar(db.select(UserSession)) is None  # ended on the server too


def test_sign_out(client):
    sign_in(client, make_user())
    assert client.post("/sign-out").status_code == 303
    assert client.get("/").status_code == 302


def test_password_link_sets_a_password_once(client):
    user = make_user(password=False)
    token = services.issue_link("password", timedelta(days=1), user)
    path = f"/password/{token}"
    assert user.email in client.get(path).text
    response = client.post(path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 303
    assert client.get(path).status_code == 404
    client.post("/sign-out")
    sign_in(client, user)


def test_password_link_refuses_mismatched_passwords(client):
    user = make_user(password=False)
    token = services.issue_link("password", timedelta(days=1), user)
    response = client.post(
        f"/password/{token}", data={"password": PASSWORD, "confirm": PASSWORD + "x"}
    )
    assert response.status_code == 422
    assert "The two passwords are different" in response.text


def test_create_user_command_reads_the_password_from_standard_input(runner):
    hub = make_hub("North Hub")
    result = runner.invoke(
        args=["create-user", "--email", "lead@north.example", "--role", "staff", "--hub", hub.slug],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    user = services.find_user("lead@north.example")
    assert user.hubs == [hub]
    assert services.authenticate("lead@north.example", PASSWORD) == user


def test_create_user_command_explains_bad_input(runner):
    result = runner.invoke(
        args=["create-user", "--email", "a@b.example", "--role", "staff", "--hub", "nowhere"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code != 0
    assert "There is no hub with the slug 'nowhere'" in result.output
    result = runner.invoke(
        args=["create-user", "--email", "a@b.example", "--role", "admin"], input="short\n"
    )
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output


def test_next_links_that_a_browser_would_read_as_another_host_are_ignored(client):
    user = make_user()
    for target in (
        "/%09/evil.example",
        "/%0a/evil.example",
        "/\\evil.example",
        "https://evil.example",
    ):
        response = client.post(
            f"/sign-in?next={target}", data={"email": user.email, "password": PASSWORD}
        )
        assert response.headers["Location"] == "/", target
        client.post("/sign-out")
    response = client.post("/sign-in?next=/hubs/", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/hubs/"


def _fail_sign_in(client, email, address="192.0.2.1"):
    data = {"email": email, "password": "wrong password!"}
    return client.post("/sign-in", data=data, environ_base={"REMOTE_ADDR": address})


def test_one_colleagues_failed_sign_ins_do_not_lock_out_another(make_app):
    """Staff of one school share one address: the limit is per account and address."""
    app = make_app(SIGN_IN_LIMIT="3 per 5 minutes")
    client = app.test_client()
    with app.app_context():
        careless, colleague = make_user("careless@hub.example"), make_user("colleague@hub.example")
    for _ in range(3):
        assert _fail_sign_in(client, careless.email).status_code == 422
    assert _fail_sign_in(client, careless.email).status_code == 429
    # The same account from another address is not blocked by this address's failures...
    assert _fail_sign_in(client, careless.email, address="198.51.100.7").status_code == 422
    # ...and a colleague at the same address signs in.
    response = client.post(
        "/sign-in",
        data={"email": colleague.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.1"},
    )
    assert response.status_code == 303


def test_one_address_still_has_a_ceiling_across_accounts(make_app):
    app = make_app(SIGN_IN_LIMIT="3 per 5 minutes", SIGN_IN_ADDRESS_LIMIT="5 per 5 minutes")
    client = app.test_client()
    with app.app_context():
        email = make_user().email
    for n in range(5):
        assert _fail_sign_in(client, f"guess{n}@hub.example").status_code == 422
    assert _fail_sign_in(client, "guess9@hub.example").status_code == 429
    response = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.1"},
    )
    assert response.status_code == 429
    assert _fail_sign_in(client, "guess0@hub.example", "198.51.100.7").status_code == 422


def test_the_sign_in_limits_are_settings_with_sensible_defaults(app):
    assert app.config["SIGN_IN_LIMIT"] == "10 per 5 minutes"
    assert app.config["SIGN_IN_ADDRESS_LIMIT"] == "50 per 5 minutes"


def test_production_refuses_a_short_secret_key(database_url):
    for key in ("k", "x" * 31, b"x" * 31):
        with pytest.raises(RuntimeError, match=r"at least 32 bytes\. Generate one with"):
            create_app({"DATABASE_URL": database_url, "PRODUCTION": True, "SECRET_KEY": key})
    app = create_app({"DATABASE_URL": database_url, "PRODUCTION": True, "SECRET_KEY": "x" * 32})
    assert app.config["SECRET_KEY"] == "x" * 32
    # Outside production a short key is the developer's business.
    create_app({"DATABASE_URL": database_url, "SECRET_KEY": "k"})


def _entries() -> list[AuditEntry]:
    return list(db.session.scalars(db.select(AuditEntry).order_by(AuditEntry.id)))


def _no_password_in(entries, *passwords) -> None:
    for entry in entries:
        text = " ".join((entry.actor, entry.target, entry.detail, entry.action))
        for password in passwords:
            assert password not in text, entry.action


def test_sign_ins_failures_and_sign_outs_are_audited_without_passwords(client):
    user = make_user()
    typed = "Lead@Hub.example "
    response = client.post("/sign-in", data={"email": typed, "password": "hunter2 wrong password"})
    assert response.status_code == 422
    client.post("/sign-in", data={"email": "nobody@else.example", "password": "a guess 123"})
    # A password typed into the email box by mistake is not kept.
    client.post("/sign-in", data={"email": "my secret pass", "password": "x"})
    sign_in(client, user)
    client.post("/sign-out")
    entries = _entries()
    assert [(e.action, e.actor, e.target) for e in entries] == [
        ("sign-in-failed", "", typed),
        ("sign-in-failed", "", "nobody@else.example"),
        ("sign-in-failed", "", "(not an email address)"),
        ("sign-in", user.email, ""),
        ("sign-out", user.email, ""),
    ]
    assert all(e.ip == "127.0.0.1" for e in entries)
    _no_password_in(entries, "hunter2", "a guess", "my secret pass", PASSWORD)


def test_a_failed_sign_in_records_a_long_email_shortened(client):
    typed = "a" * 300 + "@hub.example"
    client.post("/sign-in", data={"email": typed, "password": "wrong password!"})
    [entry] = _entries()
    assert entry.target == typed[:100]


def test_password_changes_and_ended_sessions_are_audited(client):
    user = make_user()
    sign_in(client, user)
    new = "a brand new passphrase"
    response = client.post(
        "/account/password", data={"current": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 303
    token = services.issue_link("password", timedelta(days=1), user)
    client.post(f"/password/{token}", data={"password": PASSWORD, "confirm": PASSWORD})
    entries = [e for e in _entries() if e.action.startswith("password")]
    assert [(e.action, e.actor) for e in entries] == [
        ("password-changed", user.email),
        ("password-changed", user.email),
    ]
    assert entries[0].detail == "0 other sessions ended"
    assert entries[1].detail == "Set through a one-time link; 1 session ended"
    _no_password_in(_entries(), new, PASSWORD)


def test_account_changes_are_audited_in_each_hubs_log(client):
    north, south, east = make_hub("North Hub"), make_hub("South Hub"), make_hub("East Hub")
    admin = make_user("admin@example.org", role="admin")
    sign_in(client, admin)
    response = client.post(
        "/admin/users/new",
        data={"email": "new@hub.example", "role": "staff", "hubs": [north.id]},
    )
    assert response.status_code == 200
    user = services.find_user("new@hub.example")
    client.post(
        f"/admin/users/{user.id}",
        data={"role": "admin", "hubs": [south.id, east.id], "active": ""},
    )
    page = client.post(f"/admin/users/{user.id}/password-link").text
    token = re.search(r"/password/([^\"<\s]+)", page).group(1)
    entries = [e for e in _entries() if e.action != "sign-in"]
    account = f"account {user.id}: new@hub.example"
    assert [(e.action, e.hub_id, e.target, e.detail) for e in entries] == [
        ("account-created", None, account, "Role: staff"),
        ("membership-added", north.id, account, "North Hub"),
        ("role-changed", None, account, "From staff to admin"),
        ("account-disabled", None, account, "0 sessions ended"),
        ("membership-added", east.id, account, "East Hub"),
        ("membership-added", south.id, account, "South Hub"),
        ("membership-removed", north.id, account, "North Hub"),
        ("password-link-issued", None, account, ""),
    ]
    assert {e.actor for e in entries} == {admin.email}
    _no_password_in(_entries(), token)


def test_ending_a_session_is_audited(make_app):
    app = make_app()
    laptop, phone = app.test_client(), app.test_client()
    with app.app_context():
        user = make_user()
    sign_in(laptop, user)
    sign_in(phone, user)
    with app.app_context():
        first = db.session.scalar(db.select(UserSession).order_by(UserSession.id))
        assert phone.post(f"/account/sessions/{first.id}/end").status_code == 303
        [entry] = [e for e in _entries() if e.action == "session-ended"]
        assert entry.actor == user.email
        assert entry.target.startswith("Werkzeug/3")
        assert ", signed in " in entry.target

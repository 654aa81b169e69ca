"""Accounts: the setup link, signing in and out, password links, and the create-user command."""

import re
import time
from datetime import timedelta

from factories import PASSWORD, make_hub, make_user, sign_in

from hubsurvey.auth import services
from hubsurvey.extensions import db
from hubsurvey.models import LinkToken, User, utcnow


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
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 1
    response = client.get("/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert client.get("/").status_code == 302  # still signed out


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

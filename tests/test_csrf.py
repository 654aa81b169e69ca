"""CSRF protection is on in the app: forms and htmx requests without the token are refused."""

import re
from datetime import timedelta

import pytest
from factories import PASSWORD, make_hub, make_user
from records import hub_records, snapshot
from sqlalchemy import select

from hubsurvey.admin.services import load_reference_data
from hubsurvey.auth.services import issue_link
from hubsurvey.extensions import db
from hubsurvey.models import School


@pytest.fixture
def protected(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_reference_data()
        hub = make_hub("North Hub")
        email, slug = make_user(hubs=[hub]).email, hub.slug
    return app.test_client(), email, slug


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_form_without_its_token_is_refused_with_a_message(protected):
    client, email, _ = protected
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form could not be sent" in response.text


def test_a_form_with_its_token_is_accepted(protected):
    client, email, _ = protected
    token = _token(client.get("/sign-in").text)
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=data).status_code == 303


def test_htmx_requests_send_the_token_in_a_header(protected):
    client, email, slug = protected
    token = _token(client.get("/sign-in").text)
    client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    page = client.get(f"/hubs/{slug}/").text
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    form = {"name": "Hillside School", "phase": "primary", "status": "invited"}

    refused = client.post(f"/hubs/{slug}/schools/new", data=form, headers={"HX-Request": "true"})
    assert refused.status_code == 400
    accepted = client.post(
        f"/hubs/{slug}/schools/new",
        data=form,
        headers={"HX-Request": "true", "X-CSRFToken": header_token},
    )
    assert accepted.status_code == 303


# Every state-changing route, found from the URL map

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
REFUSED = "This form could not be sent"


def _meta_token(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.fixture
def every_form(make_app):
    """CSRF protection on; a hub with a record of every kind a URL names, and one-time links;
    an administrator signed in. Each request runs in its own app context, as on a server."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_reference_data()
        hub = make_hub("North Hub")
        staff = make_user(hubs=[hub])
        values = hub_records(hub, staff, "North") | {"number": 1}
        tokens = {
            "auth.setup": issue_link("setup", timedelta(hours=1)),
            "auth.set_password": issue_link("password", timedelta(days=1), staff),
        }
        email = make_user("admin@hub.example", role="admin").email
    client = app.test_client()
    token = _token(client.get("/sign-in").text)
    data = {"email": email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/sign-in", data=data).status_code == 303
    return app, client, values, tokens


def _routes(app) -> list:
    """Every rule that changes state; signing out last, and deleting just before it."""

    def order(rule):
        destroys = any(word in rule.rule for word in ("remove", "erase", "/end"))
        return (rule.endpoint == "auth.sign_out", destroys, rule.rule)

    rules = [rule for rule in app.url_map.iter_rules() if rule.methods & STATE_CHANGING]
    return sorted(rules, key=order)


def _path(rule, values: dict, tokens: dict) -> str:
    values = values | ({"token": tokens[rule.endpoint]} if rule.endpoint in tokens else {})
    missing = rule.arguments - values.keys()
    assert not missing, f"{rule.rule}: teach records.hub_records to fill {missing}"
    return rule.build(values, append_unknown=False)[1]


def test_every_state_changing_route_refuses_a_request_without_its_sessions_token(every_form):
    app, client, values, tokens = every_form
    # A real token, but another browser's: it must not work in this session.
    foreign = _token(app.test_client().get("/sign-in").text)
    attempts = [
        ("no token", {}, {}),
        ("a made-up token", {"csrf_token": "not-a-token"}, {}),
        ("another session's token", {"csrf_token": foreign}, {}),
        ("htmx without a token", {}, {"HX-Request": "true"}),
        ("htmx with another session's token", {}, {"HX-Request": "true", "X-CSRFToken": foreign}),
    ]
    checked = set()
    for rule in _routes(app):
        path = _path(rule, values, tokens)
        with app.app_context():
            before = snapshot()
        for method in sorted(rule.methods & STATE_CHANGING):
            for what, data, headers in attempts:
                response = client.open(path, method=method, data=data, headers=headers)
                where = f"{method} {path} with {what}"
                assert response.status_code == 400, f"{where} gave {response.status_code}"
                assert REFUSED in response.text, where
            checked.add(rule.endpoint)
        with app.app_context():
            assert snapshot() == before, f"{path} changed something without a valid token"
    # The public forms and the staff ones alike.
    assert {"respond.begin", "respond.submit", "auth.sign_in", "hubs.new_school"} <= checked


def test_the_same_requests_with_the_sessions_token_are_let_through(every_form):
    """The refusals above are for the token alone: with it, no route refuses."""
    app, client, values, tokens = every_form
    for rule in _routes(app):
        path = _path(rule, values, tokens)
        for method in sorted(rule.methods & STATE_CHANGING):
            for field, header in (("csrf_token", None), (None, "X-CSRFToken")):
                # Taken afresh each time: signing out starts a new session, with a new token.
                token = _meta_token(client.get("/", follow_redirects=True).text)
                data = {field: token} if field else {}
                headers = {"HX-Request": "true", header: token} if header else {}
                response = client.open(path, method=method, data=data, headers=headers)
                assert REFUSED not in response.text, f"{method} {path} refused a valid token"


def test_a_staff_form_sent_with_the_token_from_the_pages_meta_tag_is_saved(every_form):
    app, client, values, _ = every_form
    url = f"/hubs/{values['hub_slug']}/schools/new"
    token = _meta_token(client.get(url).text)
    school = {"name": "Beck Primary", "phase": "primary", "status": "invited"}

    assert client.post(url, data=school).status_code == 400
    with app.app_context():
        assert not db.session.scalar(select(School).where(School.name == "Beck Primary"))
    assert client.post(url, data=school | {"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(School).where(School.name == "Beck Primary"))

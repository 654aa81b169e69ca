"""CSRF protection is on in the app: forms and htmx requests without the token are refused."""

import re

import pytest
from factories import PASSWORD, make_hub, make_user

from hubsurvey.admin.services import load_reference_data


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

"""Small factories: each test builds the few rows it needs."""

from werkzeug.security import generate_password_hash

from hubsurvey.admin.services import save_hub
from hubsurvey.extensions import db
from hubsurvey.hubs.services import SchoolDetails, add_partner
from hubsurvey.models import HubType, User

PASSWORD = "correct horse battery staple"
# Hashing is deliberately slow: hash the shared test password once.
PASSWORD_HASH = generate_password_hash(PASSWORD)


def make_user(email="lead@hub.example", role="staff", hubs=(), password=True) -> User:
    user = User(email=email, role=role, hubs=list(hubs))
    if password:
        user.password_hash = PASSWORD_HASH
    db.session.add(user)
    db.session.commit()
    return user


def make_hub(name="North Teaching School Hub", type_slug="teaching-school-hub", **fields):
    hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == type_slug))
    return save_hub(None, name=name, hub_type_id=hub_type.id, area="", phases=[], **fields)


def make_school(hub, name="Hillside Primary School", urn=None, phase="primary", status="invited"):
    return add_partner(hub, SchoolDetails(name=name, urn=urn, phase=phase), status).school


def sign_in(client, user, password=PASSWORD):
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 303, response.text
    return response

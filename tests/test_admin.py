"""Administrators: hubs, accounts and password links, hub types and their need areas."""

import re
from datetime import datetime

import pytest
from factories import PASSWORD, make_hub, make_user, sign_in

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Hub, HubType, NeedArea, Objective, Plan, Resource, Series, User
from hubsurvey.surveys.services import create_survey


@pytest.fixture
def admin(client):
    user = make_user(email="admin@example.org", role="admin")
    sign_in(client, user)
    return user


def _hub_type(slug):
    return db.session.scalar(db.select(HubType).where(HubType.slug == slug))


def test_admin_creates_a_subject_hub_that_takes_its_types_subject(client, admin):
    english = _hub_type("english-hub")
    response = client.post(
        "/admin/hubs/new",
        data={
            "name": "Leeds English Hub",
            "hub_type_id": english.id,
            "area": "Leeds",
            "phases": ["primary"],
            "subject": "",
        },
    )
    assert response.status_code == 303
    hub = db.session.scalar(db.select(Hub))
    assert (hub.slug, hub.area, hub.phases, hub.subject) == (
        "leeds-english-hub",
        "Leeds",
        ["primary"],
        "English",
    )


def test_hub_names_are_unique(client, admin):
    make_hub("North Hub")
    response = client.post(
        "/admin/hubs/new",
        data={"name": "north hub", "hub_type_id": _hub_type("maths-hub").id},
    )
    assert response.status_code == 422
    assert "There is already a hub with this name" in response.text


def test_admin_edits_a_hub(client, admin):
    hub = make_hub("North Hub")
    response = client.post(
        f"/admin/hubs/{hub.id}/edit",
        data={
            "name": "North Maths Hub",
            "hub_type_id": _hub_type("maths-hub").id,
            "area": "Tyneside",
            "phases": ["primary", "secondary"],
        },
    )
    assert response.status_code == 303
    db.session.refresh(hub)
    assert (hub.name, hub.hub_type.slug, hub.phases) == (
        "North Maths Hub",
        "maths-hub",
        ["primary", "secondary"],
    )
    assert hub.slug == "north-hub"  # links already shared keep working


def test_admin_adds_staff_who_set_their_own_password(client, admin):
    hub = make_hub("North Hub")
    response = client.post(
        "/admin/users/new",
        data={"email": "Lead@North.example", "role": "staff", "hubs": [hub.id]},
    )
    assert response.status_code == 200
    link = re.search(r'value="(http://localhost/password/[^"]+)"', response.text).group(1)
    user = db.session.scalar(db.select(User).where(User.email == "lead@north.example"))
    assert user.password_hash is None
    assert user.hubs == [hub]

    client.post("/sign-out")
    path = link.removeprefix("http://localhost")
    assert client.post(path, data={"password": PASSWORD, "confirm": PASSWORD}).status_code == 303
    assert "North Hub" in client.get("/").text


def test_a_new_password_link_replaces_the_old_one(client, admin):
    user = make_user(password=False)
    first = client.post(f"/admin/users/{user.id}/password-link").text
    second = client.post(f"/admin/users/{user.id}/password-link").text
    old, new = (re.search(r'/password/([^"]+)"', page).group(1) for page in (first, second))
    client.post("/sign-out")
    assert client.get(f"/password/{old}").status_code == 404
    assert client.get(f"/password/{new}").status_code == 200


def test_duplicate_and_malformed_emails_get_messages(client, admin):
    response = client.post("/admin/users/new", data={"email": "ADMIN@example.org", "role": "staff"})
    assert response.status_code == 422
    assert "There is already an account for admin@example.org" in response.text
    response = client.post("/admin/users/new", data={"email": "not-an-email", "role": "staff"})
    assert response.status_code == 422
    assert "Enter an email address like name@school.org.uk" in response.text


def test_admin_assigns_staff_to_hubs_and_stops_accounts(client, admin):
    north, south = make_hub("North Hub"), make_hub("South Hub")
    user = make_user(hubs=[north])
    response = client.post(
        f"/admin/users/{user.id}", data={"role": "staff", "hubs": [south.id], "active": ""}
    )
    assert response.status_code == 303
    db.session.refresh(user)
    assert user.hubs == [south]
    assert user.active is False


def test_an_accounts_page_ticks_the_hubs_they_work_for(client, admin):
    # Unticked, the next save of any change (a role, say) would take them off their hubs.
    north, south = make_hub("North Hub"), make_hub("South Hub")
    user = make_user(hubs=[north])
    page = client.get(f"/admin/users/{user.id}").text
    ticked = re.findall(r'name="hubs" type="checkbox" value="(\d+)" checked', page)
    assert ticked == [str(north.id)]
    assert f'value="{south.id}">' in page


def test_a_stopped_account_is_signed_out_at_once(app, client):
    user = make_user()
    sign_in(client, user)
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_hub_types_come_from_reference_data(client, admin):
    page = client.get("/admin/hub-types").text
    for name in ("Teaching school hub", "English hub", "Languages hub", "Careers hub"):
        assert name in page
    careers = _hub_type("careers-hub")
    assert len(careers.need_areas) == 8  # the Gatsby benchmarks
    assert _hub_type("english-hub").phases == ["primary"]
    assert _hub_type("languages-hub").phases == ["secondary"]


def test_admin_edits_a_framework_of_need_areas(client, admin):
    english = _hub_type("english-hub")
    url = f"/admin/hub-types/{english.id}"
    assert client.post(f"{url}/need-areas", data={"name": "Writing"}).status_code == 303
    response = client.post(f"{url}/need-areas", data={"name": "writing"})
    assert response.status_code == 422
    assert "already has a need area with that name" in response.text

    def names():
        query = db.select(NeedArea.name).where(NeedArea.hub_type_id == english.id)
        return db.session.scalars(query.order_by(NeedArea.position)).all()

    assert names() == [
        "Early language",
        "Systematic synthetic phonics",
        "Reading for pleasure",
        "Writing",
    ]
    writing = db.session.scalar(db.select(NeedArea).where(NeedArea.name == "Writing"))
    client.post(f"/admin/need-areas/{writing.id}/move/up")
    assert names()[2] == "Writing"
    client.post(f"/admin/need-areas/{writing.id}", data={"name": "Early writing"})
    assert names()[2] == "Early writing"
    client.post(f"/admin/need-areas/{writing.id}/remove")
    assert names() == ["Early language", "Systematic synthetic phonics", "Reading for pleasure"]


def test_a_retired_hub_type_is_not_offered_for_new_hubs(client, admin):
    computing = _hub_type("computing-hub")
    client.post(
        f"/admin/hub-types/{computing.id}",
        data={"name": computing.name, "description": "", "subject": "Computing", "active": ""},
    )
    db.session.refresh(computing)
    assert computing.active is False
    assert ">Computing hub</option>" not in client.get("/admin/hubs/new").text
    assert ">Maths hub</option>" in client.get("/admin/hubs/new").text


def test_seed_reference_command_adds_only_what_is_missing(runner):
    maths = _hub_type("maths-hub")
    maths.name = "Maths hub (renamed)"
    db.session.commit()
    result = runner.invoke(args=["seed-reference"])
    assert "up to date" in result.output
    db.session.refresh(maths)
    assert maths.name == "Maths hub (renamed)"


def test_a_need_area_used_by_a_survey_cannot_be_removed(client, admin):
    hub = make_hub("Leeds English Hub", "english-hub")
    create_survey(hub, "template")
    area = _hub_type("english-hub").need_areas[0]
    response = client.post(f"/admin/need-areas/{area.id}/remove", follow_redirects=True)
    assert response.status_code == 200
    assert "is used by questions in hubs&#39; surveys, so it cannot be removed" in response.text
    assert db.session.get(NeedArea, area.id) is not None


@pytest.mark.parametrize("tagged", ["activity", "series", "objective", "resource"])
def test_a_need_area_a_hub_tagged_something_with_cannot_be_removed(client, admin, tagged):
    hub = make_hub("Leeds English Hub", "english-hub")
    area = _hub_type("english-hub").need_areas[0]
    when = datetime(2027, 1, 12, 16, 0)
    if tagged == "activity":
        save_activity(hub, None, [area], [], title="Phonics", kind="training", starts_at=when)
    elif tagged == "series":
        db.session.add(Series(hub=hub, title="Work group", kind="work-group", need_areas=[area]))
    elif tagged == "objective":
        plan = Plan(hub=hub, year=2026)
        plan.objectives.append(Objective(title="Phonics", need_areas=[area]))
        db.session.add(plan)
    else:
        resource = Resource(hub=hub, title="Slides", url="https://example.org")
        resource.need_areas.append(area)
        db.session.add(resource)
    db.session.commit()
    response = client.post(f"/admin/need-areas/{area.id}/remove", follow_redirects=True)
    assert response.status_code == 200
    assert "so it cannot be removed. You can rename it instead." in response.text
    assert db.session.get(NeedArea, area.id) is not None


# A hub's phases keep within its type's


@pytest.mark.parametrize(
    ("type_slug", "phases", "message"),
    [
        ("english-hub", ["secondary"], "An English hub serves primary schools only"),
        ("english-hub", ["primary", "secondary"], "An English hub serves primary schools only"),
        ("languages-hub", ["primary"], "A languages hub serves secondary schools only"),
        (
            "careers-hub",
            ["primary", "secondary"],
            "A careers hub serves secondary, all-through, special, alternative provision and "
            "post-16 schools",
        ),
    ],
)
def test_a_hub_cannot_serve_phases_its_type_does_not(client, admin, type_slug, phases, message):
    data = {"name": "Leeds Hub", "hub_type_id": _hub_type(type_slug).id, "phases": phases}
    response = client.post("/admin/hubs/new", data=data)
    assert response.status_code == 422
    page = response.text.replace("&#39;", "'")
    assert message in page
    assert "Untick Primary" in page or "Untick Secondary" in page
    assert db.session.scalar(db.select(Hub)) is None


def test_a_hub_may_serve_some_of_its_types_phases(client, admin):
    data = {"name": "Leeds Careers Hub", "hub_type_id": _hub_type("careers-hub").id}
    response = client.post("/admin/hubs/new", data={**data, "phases": ["secondary", "post-16"]})
    assert response.status_code == 303
    assert db.session.scalar(db.select(Hub)).phases == ["secondary", "post-16"]


def test_changing_a_hubs_type_keeps_to_the_new_types_phases(client, admin):
    hub = make_hub("North Hub", "maths-hub")
    english = _hub_type("english-hub").id
    url = f"/admin/hubs/{hub.id}/edit"
    client.post(
        url,
        data={
            "name": "North Hub",
            "hub_type_id": hub.hub_type_id,
            "phases": ["primary", "secondary"],
        },
    )
    response = client.post(
        url, data={"name": "North Hub", "hub_type_id": english, "phases": ["primary", "secondary"]}
    )
    assert response.status_code == 422
    assert "An English hub serves primary schools only. Untick Secondary" in response.text
    db.session.refresh(hub)
    assert (hub.hub_type.slug, hub.phases) == ("maths-hub", ["primary", "secondary"])

    response = client.post(url, data={"name": "North Hub", "hub_type_id": english})
    assert response.status_code == 303
    db.session.refresh(hub)
    assert (hub.hub_type.slug, hub.phases) == ("english-hub", ["primary"])


def test_the_hub_form_says_which_types_serve_only_some_phases(client, admin):
    page = client.get("/admin/hubs/new").text
    assert "English hub: primary only" in page
    assert "Languages hub: secondary only" in page


def test_the_hub_list_shows_each_hubs_phases(client, admin):
    make_hub("Leeds English Hub", "english-hub")
    careers = make_hub("Leeds Careers Hub", "careers-hub")
    careers.phases = ["secondary", "post-16"]
    db.session.commit()
    make_hub("Leeds Teaching School Hub")
    page = client.get("/admin/hubs").text
    rows = {
        name: re.search(rf"{name}</a>.*?</tr>", page, re.S)[0]
        for name in ("Leeds English Hub", "Leeds Careers Hub", "Leeds Teaching School Hub")
    }
    assert 'data-label="Phases">Primary</td>' in rows["Leeds English Hub"]
    assert 'data-label="Phases">Secondary, Post-16</td>' in rows["Leeds Careers Hub"]
    assert 'data-label="Phases">All phases</td>' in rows["Leeds Teaching School Hub"]


def test_a_types_phases_cannot_leave_out_a_phase_one_of_its_hubs_serves(client, admin):
    hub = make_hub("Leeds Maths Hub", "maths-hub")
    client.post(
        f"/admin/hubs/{hub.id}/edit",
        data={"name": hub.name, "hub_type_id": hub.hub_type_id, "phases": ["primary", "secondary"]},
    )
    maths = _hub_type("maths-hub")
    data = {"name": maths.name, "description": "", "subject": "Mathematics", "active": "y"}
    response = client.post(f"/admin/hub-types/{maths.id}", data={**data, "phases": ["primary"]})
    assert response.status_code == 422
    assert "Leeds Maths Hub serves secondary schools" in response.text
    db.session.refresh(maths)
    assert maths.phases == []
    response = client.post(
        f"/admin/hub-types/{maths.id}", data={**data, "phases": ["primary", "secondary"]}
    )
    assert response.status_code == 303

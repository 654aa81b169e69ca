"""Hostile and malformed values sent to every form a teacher reaches without an account.

For any values a browser can send (control characters, huge strings, other scripts' digits,
numbers like 1e308 or NaN, empty fields, a list where one value is expected, unknown field
names), the app never answers with a 5xx; whatever it stores is what its own forms accept; and
with CSRF protection on, nothing changes without a valid token. Run on SQLite and PostgreSQL.
"""

import copy
import io
import re
import secrets
from datetime import datetime
from urllib.parse import quote, urlsplit

import pytest
from factories import PROFILE, SMALL_SURVEY, make_hub, make_school, make_survey
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from hubsurvey.activities.services import save_activity
from hubsurvey.admin.services import load_reference_data
from hubsurvey.contacts.links import contact_url
from hubsurvey.contacts.services import ContactDetails, save_contact
from hubsurvey.extensions import db
from hubsurvey.forms import email_address
from hubsurvey.inputs import clean_text
from hubsurvey.models import (
    Answer,
    Contact,
    Participant,
    Partnership,
    Resource,
    Response,
    SchoolLink,
    Signature,
    StatusChange,
    utcnow,
)
from hubsurvey.mou.services import current_mou, new_head_link, save_mou
from hubsurvey.resources import files
from hubsurvey.resources.links import resource_url
from hubsurvey.resources.services import Details, add_resource
from hubsurvey.surveys import questions
from hubsurvey.surveys.services import create_survey, make_school_links, set_status

RESOURCE_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)

# The fixtures below are built once per test and shared by its examples, on purpose: state
# left by one hostile request is part of what the next one meets.
HOSTILE = settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Anything a browser can put in a form field: every Unicode scalar value (a browser cannot send
# a lone surrogate), including control characters.
typed = st.text(st.characters(codec="utf-8"), max_size=40)
controls = st.text(st.characters(categories=("Cc",)), min_size=1, max_size=10)
# Text with control characters in it, as pasted from Word or sent on purpose.
pasted = st.builds(lambda a, b, c: a + b + c, typed, controls, typed)
# Digit-like signs ('²', '①') that str.isdigit() accepts and int() refuses, digits of other
# scripts, and numbers too long for int().
digit_like = st.one_of(
    st.sampled_from(["²", "³", "¹", "①", "⁴", "₂", "1" * 5000, "0" * 4301]),
    st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=4),
    st.sampled_from(["9" * 25, "\u0661", "\uff11\uff12", "+1", "1_0", " 1 "]),
)
number_like = st.one_of(
    st.floats().map(repr),
    st.integers(-(10**15), 10**15).map(str),
    st.sampled_from(["1e308", "-1e308", "1e-400", "-0", "NaN", "inf", "-inf", "12,34", "1,234"]),
)
odd = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\x0b\x0c\x1b\x7f\x85",
        "0x1F",
        "x" * 3000,
        "İ" * 300 + "@x.uk",
        "<script>alert(1)</script>",
        "=1+1",
        "' OR 1=1 --",
        "%00",
        "\u202e\ufeff",
        "\r",
        "\r\n\r\n",
    ]
)
scalar = st.one_of(odd, typed, pasted, digit_like, number_like)
# One value, or several where the form expects one.
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))
unknown_fields = st.dictionaries(typed.filter(bool), scalar, max_size=2)


# A hostile value for one field, with the kinds that broke the app before drawn often.
hostile = st.one_of(digit_like, number_like, pasted, value)


def maybe_valid(*valid):
    """A valid value (so that some examples get through and are stored) or a hostile one."""
    return st.one_of(st.sampled_from(valid), hostile)


def one_field_hostile(choices: dict[str, list[str]], target: int, bad, extra: dict) -> dict:
    """A form whose field number `target` holds `bad` and whose other fields hold their first
    valid value, so that hostile values often get as far as being stored."""
    names = sorted(choices)
    target_name = names[target % len(names)]
    form = {name: valid[0] for name, valid in choices.items()}
    return form | {target_name: bad} | extra


@pytest.fixture
def public(make_app):
    """An app with the rate limits off (so every example reaches the form), a hub, and one of
    each kind of public survey."""
    app = make_app(RATELIMIT_ENABLED=False)
    with app.app_context():
        load_reference_data()
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary", urn="100001")
        yield app, hub


# The factories' small survey (one question of each kind), with a number question that has
# no range set by the hub lead.
NEEDS = copy.deepcopy(SMALL_SURVEY)
NEEDS["sections"][1]["questions"].append(
    {"kind": "number", "prompt": "Hours of training last year?", "required": False}
)
# What the forms promise, written out here rather than read from the code under test.
NUMBER_LIMIT = 1_000_000_000
TEXT_LIMITS = {"short_text": 200, "long_text": 1000}


@pytest.fixture
def needs(public):
    _app, hub = public
    return make_survey(hub, NEEDS)


def _begin(client, survey):
    assert client.post(f"/s/{survey.code}").status_code == 303


def _grid(survey, level="3"):
    grid = survey.questions[0]
    return {questions.grid_field(grid, area.id): level for area in grid.grid_areas}


def _valid_teaching(survey):
    by_prompt = {q.prompt: questions.field_name(q) for q in survey.questions}
    return {
        by_prompt["Years in phase?"]: "1",
        by_prompt["Confidence with phonics?"]: "4",
        by_prompt["Pupils in your class?"]: "28",
    }


def _at_section_two(client, survey):
    _begin(client, survey)
    assert client.post(f"/s/{survey.code}/about-you", data=PROFILE).status_code == 303
    assert client.post(f"/s/{survey.code}/1", data=_grid(survey)).status_code == 303


def _sent(client, survey):
    _at_section_two(client, survey)
    assert client.post(f"/s/{survey.code}/2", data=_valid_teaching(survey)).status_code == 303
    assert client.post(f"/s/{survey.code}/send").status_code == 303


def _no_server_error(response):
    assert response.status_code < 500, response.text[:500]


# --- What is stored is what the forms accept ------------------------------------------------


def assert_everything_stored_is_acceptable():
    """Every stored profile and answer is one the forms would take as it is."""
    db.session.rollback()  # read what the requests committed, afresh
    for response in db.session.scalars(db.select(Response)):
        _assert_plain(response.school_name, 200, one_line=True)
        _assert_plain(response.respondent_name, 120, one_line=True)
        _assert_plain(response.respondent_email, 254, one_line=True)
        if response.respondent_email:
            assert response.respondent_email == response.respondent_email.lower()
            email_address(None, type("Field", (), {"data": response.respondent_email}))
        if response.survey.anonymous:
            assert (response.respondent_name, response.respondent_email) == ("", "")
        if response.profile_saved and response.survey.asks_profile:
            assert response.school_name and response.phase and response.role
    rows: dict[tuple[int, int], list[Answer]] = {}
    for answer in db.session.scalars(db.select(Answer)):
        rows.setdefault((answer.response_id, answer.question_id), []).append(answer)
    for answers in rows.values():
        question = answers[0].question
        stored = questions.from_answers(question, answers)
        _assert_acceptable(question, answers, stored)


def _assert_plain(text: str, limit: int, one_line: bool = False) -> None:
    assert len(text) <= limit
    assert clean_text(text) == text and "\r" not in text
    assert text == text.strip()
    if one_line:
        assert "\n" not in text and "\t" not in text


def _assert_acceptable(question, answers, stored) -> None:
    kind = question.kind
    if kind in ("short_text", "long_text"):
        _assert_plain(stored, question.settings.get("max_length") or TEXT_LIMITS[kind])
        assert stored
    elif kind == "number":
        low, high = question.settings.get("min"), question.settings.get("max")
        assert (-NUMBER_LIMIT if low is None else low) <= stored
        assert stored <= (NUMBER_LIMIT if high is None else high)
        if question.settings.get("integer"):
            assert float(stored).is_integer()
    elif kind == "single":
        assert 0 <= stored < len(question.options)
    elif kind == "multiple":
        assert all(0 <= i < len(question.options) for i in stored)
        assert all(a.number == 1 for a in answers)
    elif kind in ("scale", "rating"):
        assert stored in (range(1, 6) if kind == "scale" else range(11))
    elif kind == "needs_grid":
        areas = {area.id for area in question.grid_areas}
        for area_id, (confidence, priority) in stored.items():
            assert area_id in areas and 1 <= confidence <= 5 and priority in (True, False)
    # And the form, given the stored answer as it shows it again, reads back the same answer.
    form = MultiDict()
    for key, shown in questions.form_values(question, stored).items():
        form.setlist(key, shown if isinstance(shown, list) else [shown])
    reading = questions.read(question, form)
    assert (reading.error, reading.field_errors, reading.value) == (None, None, stored)


# --- Every public form ------------------------------------------------------------------------


@HOSTILE
@given(code=scalar, data=unknown_fields)
def test_a_survey_link_and_its_start_button(public, needs, code, data):
    app, _hub = public
    client = app.test_client()
    for path in (f"/s/{quote(code, safe='')}", f"/s/{needs.code}{quote(code, safe='')}"):
        _no_server_error(client.get(path))
        _no_server_error(client.post(path, data=data))
    _no_server_error(client.post(f"/s/{needs.code}", data=data))
    assert_everything_stored_is_acceptable()


@pytest.fixture(params=[True, False], ids=["anonymous", "named"])
def about_you(public, request):
    """A teacher on the 'about you' page of an anonymous, or a named, survey."""
    app, hub = public
    survey = make_survey(hub, anonymous=request.param)
    client = app.test_client()
    _begin(client, survey)
    return client, survey


PROFILE_CHOICES = {
    "school": ["Hill Primary (URN 100001)", "100001", "New School"],
    "phase": ["primary", "secondary"],
    "role": ["teacher", "headteacher"],
    "career_stage": ["ect-1"],
    "subject": ["all-primary"],
    "respondent_name": ["Ann Teacher", " Ann\nTeacher "],
    "respondent_email": ["ann@school.example", ""],
}


@settings(HOSTILE, max_examples=30)  # two quick requests an example
@given(target=st.integers(0, 6), bad=hostile, extra=unknown_fields)
@example(target=5, bad="New\x00 School\x1b", extra={})  # 'school'
@example(target=3, bad="Ann\x00 Teacher\x0b", extra={})  # 'respondent_name'
@example(target=2, bad="ann\x00@school.example", extra={})  # 'respondent_email'
@example(target=0, bad="\x00", extra={})  # 'career_stage'
def test_the_about_you_page(about_you, target, bad, extra):
    client, survey = about_you
    form = one_field_hostile(PROFILE_CHOICES, target, bad, extra)
    _no_server_error(client.post(f"/s/{survey.code}/about-you", data=form))
    _no_server_error(client.get(f"/s/{survey.code}/about-you"))
    assert_everything_stored_is_acceptable()


@pytest.fixture
def drafting(public, needs):
    """A teacher who has saved 'about you' and the first section."""
    app, _hub = public
    client = app.test_client()
    _at_section_two(client, needs)
    return client


@pytest.mark.parametrize(
    "kind", ["single", "multiple", "scale", "rating", "number", "short_text", "long_text"]
)
@HOSTILE
@given(bad=maybe_valid("0", "2", "12", "Fine"), extra=unknown_fields)
@example(bad="²", extra={})
@example(bad="1" * 5000, extra={})
@example(bad="1e308", extra={})
@example(bad="Kind\x00ly\x1b", extra={})
def test_a_section_with_each_kind_of_question(drafting, needs, kind, bad, extra):
    form = _valid_teaching(needs)
    # The last question of the kind: for numbers, the one without a range set by the lead.
    question = [q for q in needs.sections[1].questions if q.kind == kind][-1]
    form[questions.field_name(question)] = bad
    _no_server_error(drafting.post(f"/s/{needs.code}/2", data=form | extra))
    _no_server_error(drafting.get(f"/s/{needs.code}/check"))
    assert_everything_stored_is_acceptable()


@HOSTILE
@given(data=st.data())
def test_a_section_with_a_needs_grid(drafting, needs, data):
    grid = needs.questions[0]
    form = {}
    for area in grid.grid_areas:
        field = questions.grid_field(grid, area.id)
        form[field] = data.draw(maybe_valid("1", "5"))
        form[f"{field}-priority"] = data.draw(maybe_valid("1", ""))
    form.update(data.draw(unknown_fields))
    _no_server_error(drafting.post(f"/s/{needs.code}/1", data=form))
    _no_server_error(drafting.get(f"/s/{needs.code}/1"))
    assert_everything_stored_is_acceptable()


@settings(HOSTILE, max_examples=8)  # each example answers the whole survey first
@given(data=value, extra=unknown_fields)
def test_check_and_send(public, needs, data, extra):
    app, _hub = public
    client = app.test_client()
    _at_section_two(client, needs)
    client.post(f"/s/{needs.code}/2", data=_valid_teaching(needs))
    _no_server_error(client.get(f"/s/{needs.code}/check"))
    for _ in range(2):  # the second is a second press of the button
        _no_server_error(client.post(f"/s/{needs.code}/send", data={"x": data, **extra}))
    _no_server_error(client.get(f"/s/{needs.code}/done"))
    assert_everything_stored_is_acceptable()


@HOSTILE
@given(code=value, extra=unknown_fields)
def test_a_resume_code(public, needs, code, extra):
    app, _hub = public
    client = app.test_client()
    response = client.post(f"/s/{needs.code}/resume", data={"code": code, **extra})
    _no_server_error(response)
    assert response.status_code in (303, 400, 422)  # 400: the anti-spam field was filled
    assert_everything_stored_is_acceptable()


@settings(HOSTILE, max_examples=8)  # each example answers the whole survey first
@given(code=value, extra=unknown_fields)
def test_a_participant_code(public, needs, code, extra):
    app, _hub = public
    client = app.test_client()
    _sent(client, needs)
    before = db.session.scalar(db.select(db.func.count(Participant.id)))
    response = client.post(f"/s/{needs.code}/participant-code", data={"participant_code": code})
    _no_server_error(response)
    assert response.status_code in (200, 400, 422)
    db.session.rollback()
    # A made-up code makes no participant, and links these answers to nobody.
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == before
    assert db.session.scalar(db.select(db.func.count(Response.participant_id))) == before
    _no_server_error(client.post(f"/s/{needs.code}/participant-code/new", data=extra))
    assert_everything_stored_is_acceptable()


@pytest.fixture
def activity(public):
    _app, hub = public
    return save_activity(
        hub, None, [], [], title="Phonics", kind="training", starts_at=datetime(2027, 1, 12, 16)
    )


@settings(HOSTILE, max_examples=30)  # two quick requests an example
@given(rating=maybe_valid("1", "5"), target=st.integers(0, 2), bad=hostile, extra=unknown_fields)
@example(rating="²", target=0, bad="Try\x00 it\x0c", extra={})
@example(rating="5", target=1, bad="Try\x00 it\x0c", extra={})
@example(rating="5", target=2, bad="Try\x00 it\x0c", extra={})
def test_quick_feedback_on_an_activity(public, activity, rating, target, bad, extra):
    app, _hub = public
    survey = activity.survey
    client = app.test_client()  # a new teacher each time: the first answer makes the response
    first, second = survey.sections
    field = questions.field_name(first.questions[0])
    _no_server_error(client.post(f"/s/{activity.code}/1", data={field: rating} | extra))
    choices = {questions.field_name(q): ["2"] for q in second.questions}
    form = one_field_hostile(choices, target, bad, extra)
    _no_server_error(client.post(f"/s/{survey.code}/2", data=form))
    assert_everything_stored_is_acceptable()


@pytest.fixture
def outcomes(public):
    _app, hub = public
    survey = create_survey(hub, "outcomes")
    set_status(survey, "open")
    make_school_links(survey)
    return survey


@settings(HOSTILE, max_examples=30)  # two quick requests an example
@given(token=scalar, target=st.integers(0, 2), bad=hostile, extra=unknown_fields)
@example(token="no\x00such", target=0, bad="Fine\x00", extra={})
@example(token="no\x00such", target=1, bad="1e308", extra={})
@example(token="no\x00such", target=2, bad="Fine\x00", extra={})
def test_an_outcomes_school_link(public, outcomes, token, target, bad, extra):
    app, _hub = public
    stranger = app.test_client()
    responses = db.session.scalar(db.select(db.func.count(Response.id)))
    _no_server_error(stranger.get(f"/s/{outcomes.code}/school/{quote(token, safe='')}"))
    _no_server_error(stranger.post(f"/s/{outcomes.code}/1", data={"q1": token}))
    link = db.session.scalar(db.select(SchoolLink))
    if token != link.token:
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count(Response.id))) == responses

    contact = app.test_client()
    contact.get(f"/s/{outcomes.code}/school/{link.token}")
    figures = {questions.field_name(q): ["30"] for q in outcomes.questions}
    form = one_field_hostile(figures, target, bad, extra)
    _no_server_error(contact.post(f"/s/{outcomes.code}/1", data=form))
    assert_everything_stored_is_acceptable()


# --- A school contact's own page, from the link in the hub's messages -----------------------


def _contact_path(app, school, kind: str, stopped: bool = False) -> str:
    """A contact of the school, and the path of their own page."""
    details = ContactDetails(name=f"Ann {kind}", role="Headteacher", email=f"{kind}@beck.example")
    contact = save_contact(school, kind, details)
    if stopped:
        contact.opted_out_at = utcnow()
        db.session.commit()
    with app.test_request_context():
        return urlsplit(contact_url(contact)).path


def _contacts():
    db.session.rollback()
    rows = db.session.scalars(db.select(Contact).order_by(Contact.id))
    return [(c.name, c.role, c.email, c.phone, c.public_id, c.opted_out_at is None) for c in rows]


@pytest.fixture
def contact_page(public):
    app, hub = public
    return _contact_path(app, make_school(hub, "Beck Primary", urn="100002"), "head")


@HOSTILE
@given(public_id=scalar, signature=scalar, data=unknown_fields)
@example(public_id="a" * 32, signature="é" * 32, data={})
@example(public_id="no\x00such", signature="\x00", data={})
def test_a_contacts_own_page_and_its_buttons(public, contact_page, public_id, signature, data):
    app, _hub = public
    client = app.test_client()
    before = _contacts()
    made_up = f"/contact/{quote(public_id, safe='')}/{quote(signature, safe='')}"
    # A made-up link, and the real one with something added to its signature (control
    # characters alone are cleaned away, leaving the real link).
    paths = {made_up}
    if clean_text(signature):
        paths.add(contact_page + quote(signature, safe=""))
    for path in paths:
        response = client.get(path)
        _no_server_error(response)
        assert response.status_code != 200
        for action in ("stop-email", "email-again"):
            response = client.post(f"{path}/{action}", data=data)
            _no_server_error(response)
            assert response.status_code != 303
    assert _contacts() == before
    # The real link, with fields nobody asked for: only the choice is kept.
    for action, opted_in in (("stop-email", False), ("email-again", True)):
        assert client.post(f"{contact_page}/{action}", data=data).status_code == 303
        assert _contacts() == [(*before[0][:-1], opted_in)]
        _no_server_error(client.get(contact_page))


# With CSRF protection on (as for the teachers' forms below), no valid token changes nothing.


@pytest.fixture
def protected_contact(make_app):
    """With CSRF on: the pages of a contact who gets the hub's email, and of one who stopped it,
    each opened in the browser that will press their button."""
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    with app.app_context():
        load_reference_data()
        school = make_school(make_hub("Leeds English Hub", "english-hub"), "Hill Primary")
        paths = {
            "stop-email": _contact_path(app, school, "head"),
            "email-again": _contact_path(app, school, "main", stopped=True),
        }
    client = app.test_client()
    for path in paths.values():
        assert client.get(path).status_code == 200
    with app.app_context():
        yield client, paths


@HOSTILE
@given(action=st.sampled_from(["stop-email", "email-again"]), data=st.data())
def test_a_contacts_buttons_change_nothing_without_a_valid_csrf_token(
    protected_contact, action, data
):
    client, paths = protected_contact
    form = data.draw(unknown_fields)
    token = data.draw(st.one_of(st.none(), scalar))
    if token is not None:
        form["csrf_token"] = token
    before = _contacts()
    response = client.post(f"{paths[action]}/{action}", data=form)
    assert response.status_code == 400
    assert "This form could not be sent" in response.text
    assert _contacts() == before


# --- A headteacher's private link: the memorandum to sign, withdrawal, the school's view --------

HEAD_PAGES = ("", "/mou", "/mou/signed", "/withdraw", "/school")


def _head_link(hub, name: str, urn: str) -> str:
    """A school with its head's private link, to a hub with a memorandum to sign."""
    if current_mou(hub) is None:
        save_mou(
            hub, "The hub offers training.\n\n- Network meetings", "- Release time", None, None
        )
    _link, token = new_head_link(make_school(hub, name, urn=urn), None, utcnow())
    db.session.commit()
    return token


def _signing_state():
    db.session.rollback()
    signatures = db.session.execute(db.select(Signature.__table__)).all()
    statuses = db.session.execute(db.select(Partnership.school_id, Partnership.status)).all()
    return sorted(map(tuple, signatures)), sorted(map(tuple, statuses))


@pytest.fixture
def head_token(public):
    _app, hub = public
    return _head_link(hub, "Beck Primary", "100002")


@HOSTILE
@given(token=scalar, data=unknown_fields)
@example(token="no\x00such", data={})
@example(token="../../admin", data={})
def test_a_heads_link_with_any_token(public, head_token, token, data):
    """A made-up link opens nothing, signs nothing and withdraws nothing."""
    app, _hub = public
    stranger = app.test_client()
    before = _signing_state()
    quoted = quote(token, safe="")
    for page in HEAD_PAGES:
        response = stranger.get(f"/head/{quoted}{page}")
        _no_server_error(response)
        assert response.status_code != 200 or clean_text(token) == head_token
    for page, form in (("/mou", SIGNING), ("/withdraw", {"name": ["Jane"], "confirm": ["y"]})):
        fields = {name: valid[0] for name, valid in form.items()} | data
        _no_server_error(stranger.post(f"/head/{quoted}{page}", data=fields))
    assert _signing_state() == before


SIGNING = {
    "signed_name": ["Jane Smith", " Jane\tSmith "],
    "signed_role": ["Headteacher", "Executive headteacher"],
    "agree": ["y"],
    "version": ["1"],
}


def _assert_signatures_acceptable():
    db.session.rollback()
    for signature in db.session.scalars(db.select(Signature)):
        _assert_plain(signature.signed_name, 120, one_line=True)
        _assert_plain(signature.signed_role, 120, one_line=True)
        assert signature.signed_name and signature.signed_role
        assert signature.mou.version == 1


@settings(HOSTILE, max_examples=40)
@given(target=st.integers(0, 3), bad=hostile, extra=unknown_fields)
@example(target=2, bad="Jane\x00 Smith\x0b", extra={})  # 'signed_name'
@example(target=3, bad="Head\x00teacher", extra={})  # 'signed_role'
@example(target=0, bad="1e308", extra={})  # 'agree'
@example(target=1, bad="\u0661", extra={})  # 'version'
def test_the_signing_form(public, head_token, target, bad, extra):
    app, _hub = public
    head = app.test_client()
    form = one_field_hostile(SIGNING, target, bad, extra)
    response = head.post(f"/head/{head_token}/mou", data=form)
    _no_server_error(response)
    assert response.status_code in (303, 409, 422)
    for page in HEAD_PAGES:
        _no_server_error(head.get(f"/head/{head_token}{page}"))
    _assert_signatures_acceptable()


@settings(HOSTILE, max_examples=20)
@given(target=st.integers(0, 1), bad=hostile, extra=unknown_fields)
@example(target=1, bad="Jane\x00 Smith", extra={})  # 'name'
def test_the_withdrawal_form(public, target, bad, extra):
    app, hub = public
    token = _head_link(hub, f"School {secrets.token_hex(4)}", None)
    head = app.test_client()
    form = one_field_hostile({"confirm": ["y"], "name": ["Jane Smith"]}, target, bad, extra)
    response = head.post(f"/head/{token}/withdraw", data=form)
    _no_server_error(response)
    assert response.status_code in (303, 409, 422)
    _no_server_error(head.get(f"/head/{token}"))
    db.session.rollback()
    for change in db.session.scalars(db.select(StatusChange)):
        _assert_plain(change.note, 200, one_line=True)


@pytest.fixture
def protected_head(make_app):
    """With CSRF on: a head who opened their link's signing and withdrawal pages."""
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    with app.app_context():
        load_reference_data()
        token = _head_link(make_hub("Leeds English Hub", "english-hub"), "Hill Primary", "100001")
    client = app.test_client()
    for page in ("/mou", "/withdraw"):
        assert client.get(f"/head/{token}{page}").status_code == 200
    with app.app_context():
        yield client, token


@HOSTILE
@given(page=st.sampled_from(["/mou", "/withdraw"]), data=st.data())
def test_a_heads_forms_change_nothing_without_a_valid_csrf_token(protected_head, page, data):
    client, token = protected_head
    form = {name: valid[0] for name, valid in SIGNING.items()} | {"name": "J", "confirm": "y"}
    form |= data.draw(unknown_fields)
    csrf = data.draw(st.one_of(st.none(), scalar))
    if csrf is not None:
        form["csrf_token"] = csrf
    before = _signing_state()
    response = client.post(f"/head/{token}{page}", data=form)
    assert response.status_code == 400
    assert "This form could not be sent" in response.text
    assert _signing_state() == before


# --- A teacher's link to a resource, from the page after a needs assessment -----------------


def _downloads():
    db.session.rollback()
    return sorted(db.session.execute(db.select(Resource.id, Resource.downloads)).all())


@pytest.fixture
def resource_links(public):
    """A file and a link in the hub's library, and the paths of a teacher's links to them."""
    app, hub = public
    upload = files.check("guide.pdf", io.BytesIO(RESOURCE_PDF), len(RESOURCE_PDF))
    made = [
        add_resource(hub, Details("Phonics guide"), upload),
        add_resource(hub, Details("Phonics online", url="https://example.org/phonics")),
    ]
    with app.test_request_context():
        return [resource_url(r.id, r.hub_id, r.created_at) for r in made]


@HOSTILE
@given(resource_id=scalar, signature=scalar, data=unknown_fields)
@example(resource_id="1", signature="é" * 32, data={})
@example(resource_id="1", signature="\x00", data={})
@example(resource_id="1" * 30, signature="0" * 32, data={})
def test_a_teachers_link_to_a_resource_with_any_id_and_signature(
    public, resource_links, resource_id, signature, data
):
    """A made-up link, or a real one changed, opens nothing and counts nothing; the real ones
    open their resource, whatever is sent with them."""
    app, _hub = public
    client = app.test_client()
    before = _downloads()
    paths = {f"/r/{quote(resource_id, safe='')}/{quote(signature, safe='')}"}
    if clean_text(signature):
        paths |= {link + quote(signature, safe="") for link in resource_links}
    for path in paths:
        for response in (client.get(path, query_string=data), client.post(path, data=data)):
            _no_server_error(response)
            assert response.status_code not in (200, 303), path
            response.close()
    assert _downloads() == before
    file_link, web_link = resource_links
    response = client.get(file_link, query_string=data)
    assert (response.status_code, response.get_data()) == (200, RESOURCE_PDF)
    response.close()
    assert client.get(web_link).headers["Location"] == "https://example.org/phonics"
    assert [count for _id, count in _downloads()] == [n + 1 for _id, n in before]


# --- With CSRF protection on, no valid token means no change ---------------------------------


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def _snapshot():
    db.session.rollback()
    responses = db.session.execute(db.select(Response.__table__)).all()
    answers = db.session.execute(db.select(Answer.__table__)).all()
    participants = db.session.execute(db.select(Participant.__table__)).all()
    return sorted(map(tuple, responses)), sorted(map(tuple, answers)), sorted(participants)


@pytest.fixture
def protected(make_app):
    """With CSRF on: one teacher part way through, one who has sent their answers, and an
    activity's link. Each got there with valid tokens."""
    app = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    with app.app_context():
        load_reference_data()
        hub = make_hub("Leeds English Hub", "english-hub")
        make_school(hub, "Hill Primary", urn="100001")
        survey = make_survey(hub)
        activity = save_activity(
            hub, None, [], [], title="Phonics", kind="training", starts_at=datetime(2027, 1, 12)
        )
        rating = questions.field_name(activity.survey.sections[0].questions[0])
        forms = {"code": survey.code, "activity": activity.code, "rating": {rating: "4"}}
        forms |= {"grid": _grid(survey, "5"), "teaching": _valid_teaching(survey)}
    # Outside the app context, so that each request has its own (and its own CSRF token).
    drafting, sent = app.test_client(), app.test_client()
    for client in (drafting, sent):
        token = _token(client.get(f"/s/{forms['code']}").text)
        steps = [("", {}), ("/about-you", PROFILE), ("/1", forms["grid"])]
        if client is sent:
            steps += [("/2", forms["teaching"]), ("/send", {})]
        for path, form in steps:
            response = client.post(f"/s/{forms['code']}{path}", data=form | {"csrf_token": token})
            assert response.status_code == 303, (path, response.text[:300])
    with app.app_context():
        yield app, forms, drafting, sent


@HOSTILE
@given(data=st.data())
def test_no_change_without_a_valid_csrf_token(protected, data):
    app, forms, drafting, sent = protected
    code = forms["code"]
    posts = [
        (drafting, f"/s/{code}", {}),
        (drafting, f"/s/{code}/about-you", PROFILE),
        (drafting, f"/s/{code}/1", forms["grid"]),
        (drafting, f"/s/{code}/2", forms["teaching"]),
        (drafting, f"/s/{code}/send", {}),
        (app.test_client(), f"/s/{code}/resume", {"code": "ABCD-EFGH"}),
        (sent, f"/s/{code}/participant-code/new", {}),
        (sent, f"/s/{code}/participant-code", {"participant_code": "ABC-DEF-GHJ"}),
        (app.test_client(), f"/s/{forms['activity']}/1", forms["rating"]),
    ]
    client, path, form = data.draw(st.sampled_from(posts))
    form = dict(form) | data.draw(unknown_fields)
    token = data.draw(st.one_of(st.none(), scalar))
    if token is not None:
        form["csrf_token"] = token
    before = _snapshot()
    response = client.post(path, data=form)
    assert response.status_code == 400
    assert "This form could not be sent" in response.text
    assert _snapshot() == before


@settings(HOSTILE, max_examples=30)
@given(token=scalar)
@example(token="no\x00such")
@example(token="../../admin")
def test_a_school_link_a_personal_link_and_a_qr_code_with_any_token(public, needs, token):
    """A made-up token opens nothing and makes nothing, whatever it holds."""
    app, _hub = public
    stranger = app.test_client()
    responses = db.session.scalar(db.select(db.func.count(Response.id)))
    quoted = quote(token, safe="")
    for path in ("school", "p"):
        _no_server_error(stranger.get(f"/s/{needs.code}/{path}/{quoted}"))
    _no_server_error(stranger.get(f"/s/{needs.code}/school/{quoted}/qr.png"))
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(Response.id))) == responses

"""Odd input is read plainly or refused with a message, never a 500, and stored the same way on
SQLite and PostgreSQL (run this file on both: every assertion names the exact result)."""

import pytest
from factories import PASSWORD, PROFILE, make_hub, make_school, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer, Response, SchoolLink, UserSession
from hubsurvey.surveys.services import create_survey, make_school_links, set_status

# One screen of number questions, answered without a profile (like quick feedback).
FIGURES = {
    "title": "Figures",
    "sections": [
        {
            "title": "Figures",
            "questions": [
                {"kind": "number", "prompt": "Hours of training?", "required": False},
                {"kind": "number", "prompt": "Pupils on roll?", "integer": True, "required": False},
            ],
        }
    ],
}


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, "Hill Primary", urn="100001")
    return hub


@pytest.fixture
def survey(hub):
    return make_survey(hub)


@pytest.fixture
def figures(hub):
    survey = make_survey(hub, FIGURES)
    survey.asks_profile = False
    db.session.commit()
    return survey


def _q(survey, prompt):
    return next(q for q in survey.questions if q.prompt == prompt)


def _field(survey, prompt):
    return f"q{_q(survey, prompt).id}"


def _at_section_two(client, survey):
    assert client.post(f"/s/{survey.code}").status_code == 303
    assert client.post(f"/s/{survey.code}/about-you", data=PROFILE).status_code == 303
    grid = survey.questions[0]
    data = {f"q{grid.id}-{area.id}": "3" for area in grid.grid_areas}
    assert client.post(f"/s/{survey.code}/1", data=data).status_code == 303


def _teaching(survey, **overrides):
    data = {
        _field(survey, "Years in phase?"): "1",
        _field(survey, "Confidence with phonics?"): "4",
        _field(survey, "Pupils in your class?"): "28",
    }
    return data | {_field(survey, prompt): value for prompt, value in overrides.items()}


def _stored_answers(question):
    return db.session.scalars(db.select(Answer).where(Answer.question_id == question.id)).all()


# --- Digits that str.isdigit() accepts and int() refuses or misreads ---------------------------


@pytest.mark.parametrize(
    "value", ["²", "1" * 5000, "\u0661", "+1", "1_0"]
)  # \u0661: Arabic-Indic one
@pytest.mark.parametrize(
    ("prompt", "message"),
    [("Years in phase?", "Choose one of the answers listed"), ("Formats?", "Choose from")],
)
def test_a_choice_sent_as_anything_but_plain_digits_is_refused(
    client, survey, value, prompt, message
):
    _at_section_two(client, survey)
    response = client.post(f"/s/{survey.code}/2", data=_teaching(survey, **{prompt: value}))
    assert response.status_code == 422
    assert message in response.text
    assert _stored_answers(_q(survey, prompt)) == []


def test_a_scale_or_rating_sent_in_other_digits_is_refused(client, survey):
    _at_section_two(client, survey)
    data = _teaching(survey, **{"Confidence with phonics?": "٣", "How supported do you feel?": "²"})
    response = client.post(f"/s/{survey.code}/2", data=data)
    assert response.status_code == 422
    assert "Choose a number from 1 to 5" in response.text
    assert "Choose a number from 0 to 10" in response.text


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))
    return hub


@pytest.mark.parametrize(
    "query",
    [
        "school=%C2%B2",
        "school=" + "1" * 5000,
        "school=99999999999999999999",
        "survey=99999999999999999999",
        "wave=%C2%B2&survey=1",
        "phase=%00primary",
    ],
)
def test_the_needs_summary_ignores_filters_it_cannot_read(client, lead, query):
    response = client.get(f"/hubs/{lead.slug}/reports/needs?{query}")
    assert response.status_code == 200


def test_the_feedback_report_and_exports_ignore_ids_they_cannot_read(client, lead):
    huge = "99999999999999999999"
    assert client.get(f"/hubs/{lead.slug}/reports/feedback?activity={huge}").status_code == 200
    export = client.get(f"/hubs/{lead.slug}/reports/export/responses-long.csv?survey={huge}")
    assert export.status_code == 404


@pytest.mark.parametrize("number", ["99999999999999999999", "9223372036854775808", "2147483648"])
def test_a_huge_id_in_an_address_is_page_not_found(client, lead, number):
    for path in (f"/hubs/{lead.slug}/surveys/{number}/", f"/hubs/{lead.slug}/schools/{number}"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.text


# --- Control characters: cleaned the same way everywhere, on both databases -------------------


def test_control_characters_are_taken_out_of_text_answers(client, survey):
    _at_section_two(client, survey)
    data = _teaching(
        survey,
        **{
            "One word for your school?": "Kind\x00ly\x1b",
            # Word's manual line break (vertical tab) and a page break (form feed) are lines.
            "What would help?": "Time\x00 to plan\x0btogether\x07\r\nand\x0cthen\x7f\x85 more",
        },
    )
    response = client.post(f"/s/{survey.code}/2", data=data)
    assert response.status_code == 303, response.text
    assert [a.text for a in _stored_answers(_q(survey, "One word for your school?"))] == ["Kindly"]
    assert [a.text for a in _stored_answers(_q(survey, "What would help?"))] == [
        "Time to plan\ntogether\nand\nthen more"
    ]


def test_control_characters_are_taken_out_of_the_profile(client, hub):
    survey = make_survey(hub, anonymous=False)
    client.post(f"/s/{survey.code}")
    profile = PROFILE | {
        "school": "Faraway\x00 Academy\x0b",
        "respondent_name": "Ann\x00 Teacher\x1b",
        "respondent_email": "ann\x00@school.example",
        "role\x00": "ignored",
    }
    response = client.post(f"/s/{survey.code}/about-you", data=profile)
    assert response.status_code == 303, response.text
    stored = db.session.scalar(db.select(Response))
    assert (stored.school_name, stored.respondent_name, stored.respondent_email) == (
        "Faraway Academy",
        "Ann Teacher",
        "ann@school.example",
    )


def test_a_name_of_only_control_characters_or_spaces_is_asked_for_again(client, hub):
    survey = make_survey(hub, anonymous=False)
    client.post(f"/s/{survey.code}")
    profile = PROFILE | {"school": "\x00\x01", "respondent_name": " \x00 "}
    response = client.post(f"/s/{survey.code}/about-you", data=profile)
    assert response.status_code == 422
    assert "Enter the name of your school" in response.text
    assert "Enter your name" in response.text
    assert not db.session.scalar(db.select(Response)).profile_saved


def test_tokens_and_codes_with_control_characters_are_not_found(app, client, hub):
    outcomes = create_survey(hub, "outcomes")
    set_status(outcomes, "open")
    make_school_links(outcomes)
    for path in (
        f"/s/{outcomes.code}/school/no%00such%01link",
        "/password/abc%00def",
        "/setup/abc%00def",
        "/s/NO%00SUCH",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 0


def test_a_sign_in_email_with_control_characters_is_read_without_them(client, hub):
    user = make_user(hubs=[hub])
    wrong = client.post("/sign-in", data={"email": "lead\x00@hub.example", "password": "wrong"})
    assert wrong.status_code == 422
    assert "lead@hub.example" in wrong.text  # what was typed, as it was read
    sign_in(client, user)  # the ordinary way still works afterwards


def test_headers_with_control_characters_are_kept_without_them(client, hub):
    user = make_user(hubs=[hub])
    browser = {"User-Agent": "Mozilla/5.0\x00 (X11; Linux)\x1b Firefox/128.0"}
    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD}, headers=browser
    )
    assert response.status_code == 303
    staff_session = db.session.scalar(db.select(UserSession))
    assert staff_session.user_agent == "Mozilla/5.0 (X11; Linux) Firefox/128.0"


def test_a_resume_or_participant_code_with_control_characters_gets_a_message(client, survey):
    _at_section_two(client, survey)
    laptop = client.application.test_client()
    response = laptop.post(f"/s/{survey.code}/resume", data={"code": "AB\x00CD-EFGH"})
    assert response.status_code == 422
    assert "That code does not match" in response.text


# --- Numbers: commas, bounds and odd spellings ---------------------------------------------------


def _send_figure(app, figures, prompt, typed):
    teacher = app.test_client()
    return teacher.post(f"/s/{figures.code}/1", data={_field(figures, prompt): typed})


@pytest.mark.parametrize(
    ("prompt", "typed", "message"),
    [
        ("Hours of training?", "12,34", "Write 12.34 with a full stop, or 1234 without a comma"),
        ("Hours of training?", ",5", "Write 0.5 with a full stop"),
        ("Hours of training?", "1,5,0", "Write the number without commas, like 1234 or 12.5"),
        ("Hours of training?", "1,2345", "Write 1.2345 with a full stop, or 12345 without a comma"),
        ("Pupils on roll?", "12,34", "Write 1234 without a comma"),
        ("Hours of training?", "1e308", "Enter a number from -1,000,000,000 to 1,000,000,000"),
        ("Hours of training?", "-1e308", "Enter a number from -1,000,000,000 to 1,000,000,000"),
        ("Hours of training?", "1" * 400, "Enter a number from -1,000,000,000 to 1,000,000,000"),
        ("Pupils on roll?", "1000000001", "Enter a number from -1,000,000,000 to 1,000,000,000"),
        ("Pupils on roll?", "1e999", "Enter a number from -1,000,000,000 to 1,000,000,000"),
        ("Hours of training?", "NaN", "Enter a number, like 12.5"),
        ("Hours of training?", "inf", "Enter a number, like 12.5"),
        ("Hours of training?", "\uff11\uff12", "Enter a number, like 12.5"),  # full-width digits
        ("Pupils on roll?", "12.5", "Enter a whole number, like 12"),
    ],
)
def test_a_number_that_could_be_misread_is_refused_with_a_message(
    app, figures, prompt, typed, message
):
    response = _send_figure(app, figures, prompt, typed)
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(db.select(db.func.count(Answer.response_id))) == 0


@pytest.mark.parametrize(
    ("prompt", "typed", "stored"),
    [
        ("Hours of training?", "1,234", 1234),  # a UK thousands separator
        ("Hours of training?", "12,345.5", 12345.5),
        ("Hours of training?", "12.34", 12.34),
        ("Hours of training?", ".5", 0.5),
        ("Hours of training?", "\u22123.5", -3.5),  # the minus sign Word types
        ("Hours of training?", "1e3", 1000),
        ("Hours of training?", "1000000000", 1_000_000_000),
        ("Pupils on roll?", "-0", 0),
        ("Pupils on roll?", "1,200", 1200),
    ],
)
def test_a_plainly_written_number_is_stored(app, figures, prompt, typed, stored):
    response = _send_figure(app, figures, prompt, typed)
    assert response.status_code == 303, response.text
    answer = db.session.scalar(db.select(Answer))
    assert answer.number == stored
    assert str(answer.number) != "-0.0"


def test_a_stored_decimal_is_shown_again_in_full(app, hub):
    # Shown as 1.23457e+06 or rounded, sending the page again would change the figure.
    make_school(hub, "Moor Primary")
    outcomes = create_survey(hub, "outcomes")
    set_status(outcomes, "open")
    make_school_links(outcomes)
    link = db.session.scalar(db.select(SchoolLink))
    contact = app.test_client()
    contact.get(f"/s/{outcomes.code}/school/{link.token}")
    pupils, share = [f"q{q.id}" for q in outcomes.questions if q.kind == "number"]
    sent = contact.post(f"/s/{outcomes.code}/1", data={pupils: "1234", share: "76.123456789"})
    assert sent.status_code == 303, sent.text
    page = contact.get(f"/s/{outcomes.code}/1").text
    assert (
        f'name="{share}" type="text" inputmode="decimal" spellcheck="false" value="76.123456789"'
        in page
    )


# --- Character limits, told before they are reached ---------------------------------------------


def test_each_text_answer_shows_its_limit_before_it_is_reached(client, survey):
    _at_section_two(client, survey)
    page = client.get(f"/s/{survey.code}/2").text
    short = _field(survey, "One word for your school?")
    assert f'id="{short}-info" class="govuk-hint' in page
    assert "Up to 20 characters" in page
    assert f'aria-describedby="{short}-info"' in page
    assert "You can enter up to 50 characters" in page  # the long answer's character count


def test_an_over_long_short_answer_is_refused_and_kept(client, survey):
    _at_section_two(client, survey)
    typed = "Wonderful and welcoming"  # 23 characters, the limit is 20
    response = client.post(
        f"/s/{survey.code}/2", data=_teaching(survey, **{"One word for your school?": typed})
    )
    assert response.status_code == 422
    assert "Answer must be 20 characters or fewer (it is 3 too long)" in response.text
    assert f'value="{typed}"' in response.text


def test_the_profile_tells_its_limits_and_keeps_an_over_long_entry(client, hub):
    survey = make_survey(hub, anonymous=False)
    client.post(f"/s/{survey.code}")
    page = client.get(f"/s/{survey.code}/about-you").text
    assert "type its full name (up to 200 characters)" in page
    assert "Up to 120 characters." in page
    long_school, long_name = "S" * 201, "N" * 121
    long_email = "a" * 250 + "@x.uk"
    profile = PROFILE | {
        "school": long_school,
        "respondent_name": long_name,
        "respondent_email": long_email,
    }
    response = client.post(f"/s/{survey.code}/about-you", data=profile)
    assert response.status_code == 422
    assert "School name must be 200 characters or fewer" in response.text
    assert "Name must be 120 characters or fewer" in response.text
    assert "Email address must be 254 characters or fewer" in response.text
    for typed in (long_school, long_name, long_email):
        assert f'value="{typed}"' in response.text


def test_an_email_that_grows_when_lower_cased_is_checked_as_it_is_stored(client, hub):
    # 'İ' becomes two characters in lower case: the limit must count the stored address.
    survey = make_survey(hub, anonymous=False)
    client.post(f"/s/{survey.code}")
    email = "İ" * 240 + "@school.uk"  # 250 typed, 490 once lower-cased
    profile = PROFILE | {"respondent_name": "Ann", "respondent_email": email}
    response = client.post(f"/s/{survey.code}/about-you", data=profile)
    assert response.status_code == 422
    assert "Email address must be 254 characters or fewer" in response.text
    assert not db.session.scalar(db.select(Response)).profile_saved

"""Hub staff's surveys: creating from a template, a copy or blank; editing; opening; watching."""

import re
from html.parser import HTMLParser

import pytest
from factories import SMALL_SURVEY, make_hub, make_school, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer, HubType, Question, Response, SchoolLink, Section, Survey
from hubsurvey.respond.services import start
from hubsurvey.surveys.services import create_survey, make_school_links, question_counts
from hubsurvey.surveys.survey_templates import FOLDER, build_sections, load, template_for
from hubsurvey.vocabulary import QUESTION_KINDS


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub", contact_email="hub@leeds.example")


@pytest.fixture
def lead(client, hub):
    user = make_user(hubs=[hub])
    sign_in(client, user)
    return user


def _url(hub, survey=None, rest=""):
    base = f"/hubs/{hub.slug}/surveys/"
    return base + (f"{survey.id}/" if survey else "") + rest


def test_every_hub_type_has_a_template_that_builds(app):
    for hub_type in db.session.scalars(db.select(HubType)):
        data = template_for(hub_type)
        sections = build_sections(data, hub_type)
        questions = [q for s in sections for q in s.questions]
        assert questions, hub_type.slug
        grids = [q for q in questions if q.kind == "needs_grid"]
        assert len(grids) == 1, hub_type.slug
        assert grids[0].grid_areas, hub_type.slug


def test_lead_creates_a_needs_assessment_from_the_hub_types_template(client, hub, lead):
    response = client.post(_url(hub, rest="new"), data={"start": "template", "copy_of": "0"})
    assert response.status_code == 303
    survey = db.session.scalar(db.select(Survey))
    assert (survey.hub, survey.kind, survey.status) == (hub, "needs", "draft")
    grid = next(q for q in survey.questions if q.kind == "needs_grid")
    assert [a.name for a in grid.grid_areas] == [a.name for a in hub.hub_type.need_areas]
    assert "Leeds English Hub" in survey.privacy_notice
    assert "hub@leeds.example" in survey.privacy_notice
    assert len(survey.code) == 6 and not set(survey.code) & set("01ILO")


def test_lead_copies_an_earlier_survey_or_starts_blank(client, hub, lead):
    earlier = create_survey(hub, "template")
    client.post(_url(hub, rest="new"), data={"start": "copy", "copy_of": earlier.id})
    client.post(_url(hub, rest="new"), data={"start": "blank", "copy_of": "0"})
    copy, blank = db.session.scalars(db.select(Survey).where(Survey.id != earlier.id)).all()
    assert copy.title == f"Copy of {earlier.title}"
    assert [q.prompt for q in copy.questions] == [q.prompt for q in earlier.questions]
    assert copy.code != earlier.code
    assert [s.title for s in blank.sections] == ["Section 1"] and blank.questions == []


def test_a_survey_of_another_hub_cannot_be_copied(client, hub, lead):
    other = create_survey(make_hub("South Hub"), "template")
    response = client.post(_url(hub, rest="new"), data={"start": "copy", "copy_of": other.id})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Survey.id))) == 1


def _question_form(**fields):
    return {
        "kind": "single",
        "prompt": "How often?",
        "hint": "",
        "required": "y",
        "options": "Weekly\nMonthly",
        "need_area_id": "0",
        **fields,
    }


def test_lead_adds_questions_of_every_kind(client, hub, lead):
    survey = create_survey(hub, "blank")
    section = survey.sections[0]
    url = _url(hub, survey, f"sections/{section.id}/questions/new")
    area = hub.hub_type.need_areas[1]
    forms = [
        _question_form(kind="single", need_area_id=area.id),
        _question_form(kind="multiple", options="A\nB\nC", required=""),
        _question_form(kind="scale", labels="Never\nRarely\nSometimes\nOften\nAlways"),
        _question_form(kind="rating", low_label="Not at all", high_label="Completely"),
        _question_form(kind="number", unit="pupils", minimum="0", maximum="35", integer="y"),
        _question_form(kind="short_text"),
        _question_form(kind="long_text", max_length="500"),
        _question_form(kind="needs_grid", grid_areas=[a.id for a in hub.hub_type.need_areas[:2]]),
    ]
    for form in forms:
        response = client.post(url, data=form)
        assert response.status_code == 303, (form["kind"], response.text)
    db.session.expire_all()
    questions = db.session.get(Section, section.id).questions
    assert [q.kind for q in questions] == [f["kind"] for f in forms]
    single, multiple, scale, rating, number, short, long, grid = questions
    assert rating.settings == {"low_label": "Not at all", "high_label": "Completely"}
    assert short.settings == {}
    assert single.options == ["Weekly", "Monthly"] and single.need_area == area
    assert multiple.required is False
    assert scale.settings == {"labels": ["Never", "Rarely", "Sometimes", "Often", "Always"]}
    assert number.settings == {"unit": "pupils", "integer": True, "min": 0, "max": 35}
    assert long.settings == {"max_length": 500}
    assert [a.name for a in grid.grid_areas] == ["Early language", "Systematic synthetic phonics"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "single", "options": "Only one"}, "Give 2 to 12 answers"),
        (
            {"kind": "multiple", "options": "Same\nSame"},
            "Each answer to choose from must be different",
        ),
        ({"kind": "scale", "labels": "One\nTwo"}, "Give exactly five lines"),
        (
            {"kind": "number", "minimum": "10", "maximum": "5"},
            "The largest answer must be at least",
        ),
        ({"kind": "number", "minimum": "ten"}, "Enter a number, like 0 or 100"),
        ({"kind": "short_text", "max_length": "500"}, "Short answers can be at most 200"),
        ({"kind": "needs_grid"}, "Choose at least one need area"),
        ({"kind": "single", "prompt": ""}, "Enter the question"),
    ],
)
def test_a_question_that_makes_no_sense_gets_a_message(client, hub, lead, fields, message):
    survey = create_survey(hub, "blank")
    url = _url(hub, survey, f"sections/{survey.sections[0].id}/questions/new")
    response = client.post(url, data=_question_form(**fields))
    assert response.status_code == 422
    assert message in response.text
    assert db.session.scalar(db.select(db.func.count(Question.id))) == 0


def test_lead_edits_reorders_and_removes_with_htmx(client, hub, lead):
    survey = create_survey(hub, "template")
    first, second = survey.sections[1].questions[:2]
    htmx = {"HX-Request": "true"}

    response = client.post(_url(hub, survey, f"questions/{second.id}/move/up"), headers=htmx)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in response.text and 'id="section-' in response.text  # the editor only
    db.session.expire_all()
    assert [q.id for q in db.session.get(Section, survey.sections[1].id).questions][:2] == [
        second.id,
        first.id,
    ]

    response = client.post(_url(hub, survey, f"questions/{first.id}/remove"), headers=htmx)
    assert response.status_code == 200
    assert db.session.get(Question, first.id) is None

    response = client.post(
        _url(hub, survey, f"questions/{second.id}"),
        data=_question_form(
            kind=second.kind,
            prompt="Reworded?",
            options="Yes\nNo\nNot sure",
            labels="a\nb\nc\nd\ne",
            low_label="l",
            high_label="h",
        ),
        headers=htmx,
    )
    assert response.status_code == 204
    assert response.headers["HX-Location"]
    db.session.expire_all()
    assert db.session.get(Question, second.id).prompt == "Reworded?"


def test_a_question_moves_across_sections_at_their_edge(client, hub, lead):
    survey = create_survey(hub, "template")
    top = survey.sections[1].questions[0]
    client.post(_url(hub, survey, f"questions/{top.id}/move/up"))
    db.session.expire_all()
    assert db.session.get(Question, top.id).section_id == survey.sections[0].id


def test_sections_show_only_to_an_audience(client, hub, lead):
    survey = create_survey(hub, "blank")
    response = client.post(
        _url(hub, survey, "sections/new"),
        data={"title": "For leaders", "intro": "", "role": ["senior-leader", "headteacher"]},
    )
    assert response.status_code == 303
    db.session.expire_all()
    section = db.session.get(Survey, survey.id).sections[-1]
    assert section.audience == {"role": ["senior-leader", "headteacher"]}
    assert (
        "Only for: Senior leader or Headteacher" in client.get(_url(hub, survey, "questions")).text
    )


def test_questions_are_locked_once_anyone_has_answered(client, hub, lead):
    survey = create_survey(hub, "template")
    question = survey.questions[1]
    start(survey)
    page = client.get(_url(hub, survey, "questions")).text
    assert "People have already answered this survey, so its questions cannot change" in page
    response = client.post(_url(hub, survey, f"questions/{question.id}/remove"))
    assert response.status_code == 303
    assert db.session.get(Question, question.id) is not None
    assert "its questions cannot change" in client.get(response.headers["Location"]).text


def test_settings_and_their_checks(client, hub, lead):
    survey = create_survey(hub, "template")
    form = {
        "title": "Spring needs",
        "intro": "",
        "anonymous": "no",
        "opens_on": "2030-03-01",
        "closes_on": "2030-02-01",
        "keep_until": "2031-01-01",
        "privacy_notice": "Notice",
        "cycle": "none",
    }
    response = client.post(_url(hub, survey, "settings"), data=form)
    assert response.status_code == 422
    assert "The closing date must be on or after the opening date" in response.text

    response = client.post(_url(hub, survey, "settings"), data=form | {"closes_on": "2030-04-01"})
    assert response.status_code == 303
    db.session.refresh(survey)
    assert (survey.title, survey.anonymous, str(survey.closes_on)) == (
        "Spring needs",
        False,
        "2030-04-01",
    )


def test_an_anonymous_survey_people_have_answered_never_becomes_named(client, hub, lead):
    """Otherwise every earlier anonymous answer would be exported in full, times and all."""
    survey = create_survey(hub, "template")
    start(survey)
    form = {
        "title": survey.title,
        "anonymous": "no",
        "keep_until": "2031-01-01",
        "privacy_notice": "Notice",
        "cycle": "none",
    }
    response = client.post(_url(hub, survey, "settings"), data=form)
    assert response.status_code == 422
    assert "cannot ask for names now" in response.text
    db.session.refresh(survey)
    assert survey.anonymous is True


def test_making_an_answered_named_survey_anonymous_needs_a_confirmation_saying_what_changes(
    client, hub, lead
):
    survey = create_survey(hub, "template")
    survey.anonymous = False
    db.session.commit()
    form = {
        "title": survey.title,
        "anonymous": "yes",
        "keep_until": "2031-01-01",
        "privacy_notice": "Notice",
        "cycle": "none",
    }
    # Before anyone answers, it is just a setting.
    blank = create_survey(hub, "template")
    blank.anonymous = False
    db.session.commit()
    assert client.post(_url(hub, blank, "settings"), data=form).status_code == 303

    start(survey)
    start(survey)
    response = client.post(_url(hub, survey, "settings"), data=form)
    assert response.status_code == 422
    assert "2 people have already answered this survey with their name" in response.text
    assert "names already given stay stored with those answers" in response.text
    assert "Tick the box to confirm, or choose Named" in response.text
    db.session.refresh(survey)
    assert survey.anonymous is False
    # Choosing Named again needs nothing more.
    kept = form | {"anonymous": "no", "title": "Renamed"}
    assert client.post(_url(hub, survey, "settings"), data=kept).status_code == 303

    confirmed = form | {"confirm_anonymous": "y"}
    assert client.post(_url(hub, survey, "settings"), data=confirmed).status_code == 303
    db.session.refresh(survey)
    assert survey.anonymous is True
    log = client.get(f"/hubs/{hub.slug}/audit").text
    assert "named → anonymous" in log


def test_the_settings_page_shows_whether_the_survey_is_anonymous(client, hub, lead):
    survey = create_survey(hub, "template")
    for anonymous, checked in ((True, "yes"), (False, "no")):
        survey.anonymous = anonymous
        db.session.commit()
        page = client.get(_url(hub, survey, "settings")).text
        radios = re.findall(r'<input[^>]*name="anonymous"[^>]*>', page)
        assert [r for r in radios if " checked" in r] == [
            r for r in radios if f'value="{checked}"' in r
        ]
        assert len([r for r in radios if " checked" in r]) == 1


def test_a_new_keep_until_date_is_the_one_the_privacy_notice_names(client, hub, lead):
    survey = create_survey(hub, "template")
    old = f"{survey.keep_until:%-d %B %Y}"
    assert old in survey.privacy_notice
    form = {
        "title": survey.title,
        "anonymous": "yes",
        "keep_until": "2031-03-05",
        "privacy_notice": survey.privacy_notice,
        "cycle": "none",
    }
    assert client.post(_url(hub, survey, "settings"), data=form).status_code == 303
    db.session.refresh(survey)
    assert "kept until 5 March 2031" in survey.privacy_notice and old not in survey.privacy_notice


def test_open_share_and_close(client, hub, lead):
    survey = create_survey(hub, "template")
    client.post(_url(hub, survey, "status/open"))
    page = client.get(_url(hub, survey)).text
    assert f"/s/{survey.code}" in page
    assert "<svg" in page  # the QR code, drawn on the page
    with client.get(_url(hub, survey, "qr.png")) as png:
        assert png.data.startswith(b"\x89PNG")
    client.post(_url(hub, survey, "status/closed"))
    db.session.refresh(survey)
    assert survey.status == "closed"


def test_an_empty_survey_cannot_be_opened(client, hub, lead):
    survey = create_survey(hub, "blank")
    response = client.post(_url(hub, survey, "status/open"), follow_redirects=True)
    assert "Add at least one question before opening the survey" in response.text
    db.session.refresh(survey)
    assert survey.status == "draft"


def test_the_survey_page_shows_who_has_responded(client, hub, lead):
    survey = create_survey(hub, "template")
    hill, moor = make_school(hub, "Hill Primary"), make_school(hub, "Moor Primary")
    for school, status in ((hill, "submitted"), (hill, "submitted"), (moor, "draft")):
        response = start(survey)
        response.school, response.status = school, status
    written_in = start(survey)
    written_in.school_name, written_in.status = "Faraway School", "submitted"
    db.session.commit()
    page = client.get(_url(hub, survey)).text
    assert "1 of 2 partner schools have sent at least one response" in page
    rows = re.findall(
        r'data-label="School">([^<]*)</td>.*?data-label="Responses">(\d+)<', page, re.S
    )
    assert rows == [("Hill Primary", "2"), ("Moor Primary", "0")]
    assert "Not yet responded (1): Moor Primary." in page
    assert "1 response came from other schools" in page
    assert db.session.scalar(db.select(db.func.count(Response.id))) == 4


def test_the_preview_shows_every_question_as_respondents_see_it(client, hub, lead):
    survey = create_survey(hub, "template")
    page = client.get(_url(hub, survey, "preview")).text
    for question in survey.questions:
        assert question.prompt.replace("'", "&#39;") in page
    assert "Early language" in page  # a needs grid row


def test_each_question_is_counted_over_those_it_was_shown_to(client, hub, lead):
    survey = make_survey(hub)
    leader_q = next(q for q in survey.questions if q.prompt == "Your priority as a leader?")
    years_q = next(q for q in survey.questions if q.prompt == "Years in phase?")
    for role, answers in (
        ("headteacher", [leader_q, years_q]),
        ("teacher", [years_q]),
        ("senior-leader", [years_q]),
        ("teacher", []),
    ):
        response = start(survey)
        response.role, response.status = role, "submitted"
        for question in answers:
            db.session.add(Answer(response_id=response.id, question_id=question.id, number=1))
    start(survey)  # a draft: not counted
    db.session.commit()
    counts = {q.id: (shown, answered) for q, shown, answered in question_counts(survey)}
    assert counts[leader_q.id] == (2, 1)  # two leaders saw it; one answered
    assert counts[years_q.id] == (4, 3)
    # A survey that asks nobody's profile shows every question to everyone.
    survey.asks_profile = False
    db.session.commit()
    counts = {q.id: (shown, answered) for q, shown, answered in question_counts(survey)}
    assert counts[leader_q.id] == (4, 1)
    survey.asks_profile = True
    db.session.commit()
    page = client.get(_url(hub, survey)).text
    assert "Only for: Senior leader or Headteacher" in page


def test_questions_are_added_and_edited_in_place_with_htmx(client, hub, lead):
    survey = create_survey(hub, "blank")
    section = survey.sections[0]
    htmx = {"HX-Request": "true"}
    url = _url(hub, survey, f"sections/{section.id}/questions/new?kind=single")
    form = client.get(url, headers=htmx)
    assert form.status_code == 200
    assert "<html" not in form.text and 'hx-target="closest .app-inline-editor"' in form.text
    invalid = client.post(url, data=_question_form(options="Only one"), headers=htmx)
    assert invalid.status_code == 422 and "<html" not in invalid.text
    assert "Give 2 to 12 answers" in invalid.text
    saved = client.post(url, data=_question_form(), headers=htmx)
    assert saved.status_code == 204
    assert f"/surveys/{survey.id}/questions" in saved.headers["HX-Location"]
    editor = client.get(_url(hub, survey, "questions"), headers=htmx)
    assert "How often?" in editor.text and "<html" not in editor.text


def test_every_way_to_start_that_the_new_survey_page_offers_creates_a_survey(client, hub, lead):
    earlier = create_survey(hub, "template")
    page = client.get(_url(hub, rest="new")).text
    offered = re.findall(r'name="start" type="radio" value="([^"]+)"', page)
    assert {"template", "copy", "blank", "outcomes"} <= set(offered)
    for way in offered:
        response = client.post(_url(hub, rest="new"), data={"start": way, "copy_of": earlier.id})
        assert response.status_code == 303, (way, response.text)
    kinds = [s.kind for s in db.session.scalars(db.select(Survey).order_by(Survey.id))]
    assert kinds.count("outcomes") == 1 and len(kinds) == len(offered) + 1


def test_the_preview_shows_about_you_as_respondents_see_it(client, hub, lead):
    make_school(hub, "Hill Primary", urn="100001")
    survey = create_survey(hub, "template")
    page = client.get(_url(hub, survey, "preview")).text
    about = page.index("About you")
    assert about < page.index(survey.sections[0].title)  # before the first section
    for words in ("Your school", "Hill Primary (URN 100001)", "phase", "Your role", "teaching?"):
        assert words in page[about:], words
    assert "Your name" not in page  # anonymous
    survey.anonymous = False
    db.session.commit()
    assert "Your name" in client.get(_url(hub, survey, "preview")).text
    # Quick feedback and a school's outcome figures ask nothing about the person.
    outcomes = create_survey(hub, "outcomes")
    assert "About you" not in client.get(_url(hub, outcomes, "preview")).text


class _Labels(HTMLParser):
    """The text of every label and legend on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: list[str] = []
        self.open = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("label", "legend"):
            self.open += 1
            self.labels.append("")

    def handle_endtag(self, tag) -> None:
        if tag in ("label", "legend"):
            self.open -= 1

    def handle_data(self, data) -> None:
        if self.open:
            self.labels[-1] += data


def _labels(page: str) -> list[str]:
    parser = _Labels()
    parser.feed(page)
    return parser.labels


def test_optional_is_said_once_on_every_question_of_every_template(app, hub):
    """Each template, and a question of each kind whose prompt already says "(optional)"."""
    surveys = []
    for path in sorted(FOLDER.glob("*.json")):
        # A hub type's template names its need areas: it is tried in a hub of that type.
        slug = path.stem if db.session.scalar(db.select(HubType).filter_by(slug=path.stem)) else ""
        own_hub = make_hub(f"Hub for {path.stem}", slug) if slug else hub
        surveys.append(make_survey(own_hub, load(path)))
    own = {
        "title": "Own words",
        "sections": [
            {
                "title": "All optional",
                "questions": [
                    {**question, "prompt": f"{question['prompt']} (optional)", "required": False}
                    for question in SMALL_SURVEY["sections"][1]["questions"]
                ],
            }
        ],
    }
    surveys.append(make_survey(hub, own))
    kinds = {q.kind for s in surveys for q in s.questions if not q.required}
    assert kinds >= set(QUESTION_KINDS) - {"needs_grid"}
    client = app.test_client()
    sign_in(client, make_user("admin@hub.example", role="admin"))  # sees every hub
    for survey in surveys:
        labels = _labels(client.get(_url(survey.hub, survey, "preview")).text)
        for question in survey.questions:
            if question.kind != "needs_grid":
                said = [label for label in labels if question.prompt.split(" (")[0] in label]
                assert said, question.prompt
                assert all(label.count("(optional)") == 1 for label in said) or question.required
        assert not [label for label in labels if label.count("(optional)") > 1], survey.title


def test_a_school_sees_optional_once_on_its_outcome_figures(app, client, hub):
    school = make_school(hub, "Hill Primary", urn="100001")
    survey = create_survey(hub, "outcomes")
    survey.status = "open"
    db.session.commit()
    make_school_links(survey)
    link = db.session.scalar(db.select(SchoolLink).where(SchoolLink.school == school))
    page = client.get(f"/s/{survey.code}/school/{link.token}", follow_redirects=True).text
    labels = _labels(page)
    assert "Anything that helps explain these figures (optional)" in [
        " ".join(label.split()) for label in labels
    ]
    assert not [label for label in labels if label.count("(optional)") > 1]

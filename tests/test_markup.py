"""The markup every page writes, staff and public: no attribute says "None", no id is used twice
on a page, and every label, description and list points at an element that is there.

Every page is found from the app's URL map and parsed with the standard library's html.parser:
a new page fails test_every_page_writes_sound_markup until this file can fill its URL."""

import io
import re
import weakref
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from factories import PASSWORD, PROFILE, make_school, make_user, valid_answers
from records import hub_records
from sqlalchemy import select

from hubsurvey.admin.services import load_reference_data, save_hub
from hubsurvey.auth.services import issue_link
from hubsurvey.extensions import db
from hubsurvey.invitations.people import Person
from hubsurvey.invitations.people import invite as invite_people
from hubsurvey.models import Activity, HubType, Message, SchoolLink, Survey, User
from hubsurvey.sharing.services import LINK_DAYS, create_link
from hubsurvey.surveys.services import create_survey, make_school_links, set_status
from hubsurvey.vocabulary import QUESTION_KINDS

# Attributes that hold the ids of other elements on the page.
ID_REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns")
# Pages that are not HTML, or not a page: checked elsewhere.
NOT_PAGES = {"static", "health.healthz"}


class Markup(HTMLParser):
    """What one page says about itself: its ids, and what points at them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.pointers: list[tuple[str, str]] = []  # (what points, the id it names)
        self.problems: list[str] = []
        self.csrf_token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and "None" in value.split():
                self.problems.append(f'<{tag} {name}="{value}">')
        found = dict(attrs)
        if tag == "meta" and found.get("name") == "csrf-token":
            self.csrf_token = found.get("content")
        if found.get("id") is not None:
            self.ids.append(found["id"])
        if tag == "label" and found.get("for") is not None:
            self.pointers.append((f'<label for="{found["for"]}">', found["for"]))
        if tag == "input" and found.get("list") is not None:
            self.pointers.append((f'<input list="{found["list"]}">', found["list"]))
        for name in ID_REFERENCES:
            if name in found:
                named = (found[name] or "").split()
                if not named:
                    self.problems.append(f'<{tag} {name}="{found[name]}"> names nothing')
                self.pointers += [(f'<{tag} {name}="{found[name]}">', id_) for id_ in named]


def markup_problems(html: str) -> list[str]:
    """Everything wrong with a page's markup, in words."""
    page = Markup()
    page.feed(html)
    page.close()
    problems = list(page.problems)
    counted = {id_: page.ids.count(id_) for id_ in page.ids}
    problems += [f'id="{id_}" is used {n} times' for id_, n in counted.items() if n > 1]
    problems += [f"{what} names no element" for what, id_ in page.pointers if id_ not in counted]
    return problems


def test_the_check_finds_each_kind_of_fault():
    """So that a page passing it means something."""
    assert markup_problems('<input id="a" aria-describedby="None">') == [
        '<input aria-describedby="None">',
        '<input aria-describedby="None"> names no element',
    ]
    assert markup_problems('<input id="a" autocomplete="None" inputmode="None">') == [
        '<input autocomplete="None">',
        '<input inputmode="None">',
    ]
    assert markup_problems('<p id="x"></p><br id="x"/>') == ['id="x" is used 2 times']
    assert markup_problems('<label for="y">Name</label><input id="z">') == [
        '<label for="y"> names no element'
    ]
    assert markup_problems('<fieldset aria-describedby=" "></fieldset>') == [
        '<fieldset aria-describedby=" "> names nothing'
    ]
    assert markup_problems('<div id="h"></div><input id="i" aria-describedby="h">') == []


class Pages:
    """Every page checked so far, and what was wrong with each. Forms are sent as a browser
    sends them, with the token from the page before."""

    def __init__(self, app) -> None:
        self.app = app
        self.adapter = app.url_map.bind("localhost")
        self.visited: set[str] = set()
        self.problems: dict[str, list[str]] = {}
        self.tokens: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _read_token(self, client, response) -> None:
        page = Markup()
        page.feed(response.text)
        if page.csrf_token:
            self.tokens[client] = page.csrf_token

    def check(self, client, method: str, path: str, data=None, expect=(200,), **kwargs):
        if method == "POST":
            if self.tokens.get(client) is None:
                self._read_token(client, client.get("/", follow_redirects=True))
            kwargs["headers"] = {"X-CSRFToken": self.tokens.pop(client)}
        response = client.open(path, method=method, data=data, **kwargs)
        assert response.status_code in expect, (method, path, response.status_code)
        response.get_data()
        response.close()  # a download is streamed from a file
        if response.status_code != 404:
            self.visited.add(self.adapter.match(path.split("?")[0], method=method)[0])
        if response.mimetype == "text/html":
            self._read_token(client, response)
            problems = markup_problems(response.text)
            if problems:
                self.problems[f"{method} {path} ({response.status_code})"] = problems
        return response


def _section_data(page: str, survey: Survey) -> dict:
    """Valid answers to every question of the survey a section page may show."""
    data = {}
    for question in survey.questions:
        if f'name="q{question.id}' in page:
            data |= valid_answers(question)
    return data


def _walk(pages: Pages, client, survey: Survey, start: str, profile: dict | None) -> None:
    """A respondent's whole way through, each page checked, and each form sent empty once."""
    code = survey.code
    check = pages.check
    if profile is not None:
        check(client, "GET", f"/s/{code}")
        check(client, "POST", f"/s/{code}", expect=(303,))
        check(client, "GET", f"/s/{code}/about-you")
        check(client, "POST", f"/s/{code}/about-you", data={}, expect=(422,))
        check(client, "POST", f"/s/{code}/about-you", data=profile, expect=(303,))
    path = start
    while "/check" not in path and "/done" not in path:
        page = check(client, "GET", path).text
        # Sent empty first: the required questions' messages, each pointing at its field.
        sent = check(client, "POST", path, data={}, expect=(303, 422))
        if sent.status_code == 422:
            check(client, "GET", path)
            sent = check(client, "POST", path, data=_section_data(page, survey), expect=(303,))
        path = sent.headers["Location"]
    if profile is not None:
        check(client, "GET", f"/s/{code}/check")
        check(client, "POST", f"/s/{code}/send", expect=(303,))
    check(client, "GET", f"/s/{code}/done")


def _world(app, pages: Pages) -> dict:
    """A hub with a survey of every kind, answered; its staff; an administrator; and the
    public pages walked on the way (the first administrator's setup page before anyone)."""
    public = app.test_client()
    setup = issue_link("setup", timedelta(hours=1))
    pages.check(public, "GET", f"/setup/{setup}")
    pages.check(public, "POST", f"/setup/{setup}", data={}, expect=(422,))

    hub_type = db.session.scalar(select(HubType).where(HubType.slug == "english-hub"))
    hub = save_hub(
        None, name="Leeds English Hub", hub_type_id=hub_type.id, area="Leeds", phases=["primary"]
    )
    staff = make_user("lead@leeds.example", hubs=[hub])
    values = hub_records(hub, staff, "Leeds")
    make_school(hub, "Hill Primary", urn="100001", status="active")
    admin = make_user("admin@hub.example", role="admin")
    colleague = db.session.get(User, values["user_id"])
    values["password_token"] = issue_link("password", timedelta(hours=1), colleague)

    needs = create_survey(hub, "template")
    set_status(needs, "open")
    outcomes = create_survey(hub, "outcomes")
    set_status(outcomes, "open")
    make_school_links(outcomes)
    named = db.session.get(Survey, values["named_survey_id"])
    feedback = db.session.get(Survey, values["feedback_id"])
    set_status(feedback, "open")

    # Teachers answer, on their phones.
    _walk(pages, app.test_client(), needs, f"/s/{needs.code}/1", PROFILE)
    leader = PROFILE | {"role": "senior-leader", "career_stage": "years-11-plus"}
    _walk(pages, app.test_client(), needs, f"/s/{needs.code}/1", leader)
    pages.check(public, "GET", f"/s/{needs.code}/resume")
    pages.check(public, "POST", f"/s/{needs.code}/resume", data={}, expect=(422,))
    secondary = app.test_client()
    pages.check(secondary, "POST", f"/s/{needs.code}", expect=(303,))
    pages.check(
        secondary,
        "POST",
        f"/s/{needs.code}/about-you",
        data=PROFILE | {"phase": "secondary"},
        expect=(303,),
    )
    pages.check(secondary, "GET", f"/s/{needs.code}/your-phase")
    activity_code = db.session.get(Activity, values["activity_id"]).code
    _walk(pages, app.test_client(), feedback, f"/s/{activity_code}", None)
    school_link = db.session.scalars(
        select(SchoolLink).where(SchoolLink.survey == outcomes)
    ).first()
    head = app.test_client()
    pages.check(head, "GET", f"/s/{outcomes.code}/school/{school_link.token}", expect=(302,))
    pages.check(head, "GET", f"/s/{outcomes.code}/school/{school_link.token}/qr.png")
    _walk(pages, head, outcomes, f"/s/{outcomes.code}/1", None)
    # A named survey's questions about the person.
    pages.check(public, "GET", f"/s/{named.code}")
    pages.check(public, "POST", f"/s/{named.code}", expect=(303,))
    pages.check(public, "GET", f"/s/{named.code}/about-you")
    pages.check(public, "POST", f"/s/{named.code}/about-you", data={}, expect=(422,))
    pages.check(public, "GET", "/s/NOSUCHCODE", expect=(404,))
    # A person invited by name, through their own link.
    with app.test_request_context(base_url="http://localhost"):
        invite_people(named, [Person("Ann Invited", "ann@school.example")], None)
    body = db.session.scalar(select(Message.body).where(Message.kind == "personal"))
    personal = re.search(r"http://localhost(/s/\S+/p/\S+)", body).group(1)
    pages.check(app.test_client(), "GET", personal, expect=(302,))

    pages.check(public, "GET", "/sign-in")
    pages.check(public, "POST", "/sign-in", data={}, expect=(422,))
    password = f"/password/{values['password_token']}"
    pages.check(public, "GET", password)
    pages.check(public, "POST", password, data={}, expect=(422,))

    values["surveys"] = [
        needs,
        outcomes,
        named,
        feedback,
        db.session.get(Survey, values["survey_id"]),
    ]
    values["staff"], values["admin"] = staff, admin
    values["share_token"] = create_link(hub, "For the board", LINK_DAYS[0], staff)[1]
    return values


def _fillings(app, rule, values: dict) -> list[tuple[dict, dict]]:
    """The URL values (and query strings) to try for a rule: every survey of the hub, and
    every section and question of each."""
    arguments = set(rule.arguments)
    options: list[dict] = [{}]
    if "survey_id" in arguments:
        options = [{"survey_id": survey.id} for survey in values["surveys"]]
    if "question_id" in arguments:
        options = [
            {"survey_id": s.id, "question_id": q.id} for s in values["surveys"] for q in s.questions
        ]
    elif "section_id" in arguments:
        options = [
            {"survey_id": s.id, "section_id": section.id}
            for s in values["surveys"]
            for section in s.sections
        ]
    simple = {
        "hub_slug": [values["hub_slug"]],
        "hub_id": [values["hub_id"]],
        "hub_type_id": [values["hub_type_id"]],
        "activity_id": [values["activity_id"]],
        "attendance_id": [values["attendance_id"]],
        "series_id": [values["series_id"]],
        "follow_up_id": [values["follow_up_id"]],
        "school_id": [values["school_id"]],
        "area_id": [values["area_id"], values["mine_area_id"]],
        "user_id": [values["user_id"], values["staff"].id, values["admin"].id],
        "message_id": [values["message_id"]],
        "token": [values["share_token"], values["token"]],  # the board's; a head's
        "signature_id": [values["signature_id"]],
        "public_id": [values["public_id"]],
        # A contact's page's, and a teacher's link to a resource.
        "signature": [values["signature"], values["resource_signature"]],
        "resource_id": [values["resource_id"]],
        # The hub's plan for this school year, and its parts (records.plan_records).
        "year": [values["year"]],
        "objective_id": [values["objective_id"]],
        "swot_item_id": [values["swot_item_id"]],
        "person_id": [values["person_id"]],
        "funding_id": [values["funding_id"]],
        "cost_id": [values["cost_id"]],
        "measure_id": [values["measure_id"]],
    }
    for name in sorted(arguments - {"survey_id", "section_id", "question_id"}):
        converter = rule._converters[name]
        choices = sorted(converter.items) if hasattr(converter, "items") else simple.get(name)
        assert choices, f"{rule.rule}: teach test_markup to fill <{name}>"
        options = [option | {name: choice} for option in options for choice in choices]
    queries = [{}]
    if rule.endpoint == "surveys.question" and "question_id" not in arguments:
        queries = [{"kind": kind} for kind in QUESTION_KINDS]
    if rule.endpoint.startswith("reports."):
        # Each survey's own report (a download needs one), and the hub's.
        queries = [{"survey": survey.id} for survey in values["surveys"]]
        if rule.endpoint != "reports.export":
            queries.append({})
    return [(option, query) for option in options for query in queries]


def _staff_rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        blueprint = rule.endpoint.split(".")[0]
        if rule.endpoint in NOT_PAGES or blueprint == "respond" or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("auth.sign_in", "auth.setup", "auth.set_password"):
            continue  # the public's: walked in _world
        yield rule


def _pages_after_a_form(pages: Pages, lead, values: dict) -> None:
    """Pages shown in answer to a form: a privacy search, what erasing would delete, the
    check of an uploaded list of schools."""
    privacy = f"/hubs/{values['hub_slug']}/privacy/"
    pages.check(lead, "POST", privacy, data={"term": "Ann"})
    chosen = {"term": "Ann", "responses": [str(values["response_id"])]}
    pages.check(lead, "POST", f"{privacy}erase", data=chosen)
    schools = f"/hubs/{values['hub_slug']}/schools/import"
    example = pages.check(lead, "GET", f"{schools}/template.csv").data
    upload = {"file": (io.BytesIO(example), "schools.csv")}
    pages.check(lead, "POST", schools, data=upload, content_type="multipart/form-data")


def _destroys(rule) -> bool:
    """Forms that delete go last, so that the others still find what they name."""
    return any(word in rule.rule for word in ("delete", "remove", "erase", "/end"))


def _visit_every_page(app, with_errors: bool) -> Pages:
    pages = Pages(app)
    values = _world(app, pages)
    lead, admin = app.test_client(), app.test_client()
    for client, user in ((lead, values["staff"]), (admin, values["admin"])):
        form = {"email": user.email, "password": PASSWORD}
        pages.check(client, "POST", "/sign-in", data=form, expect=(303,))
    _pages_after_a_form(pages, lead, values)
    rules = sorted(_staff_rules(app), key=lambda rule: (_destroys(rule), rule.rule))
    for sending in (False, True) if with_errors else (False,):
        for rule in rules:
            if sending and "POST" not in rule.methods:
                continue
            client = admin if rule.rule.startswith("/admin/") else lead
            for option, query in _fillings(app, rule, values):
                path = rule.build(option, append_unknown=False)[1]
                if not sending:
                    # A page about one kind of question only is not found for the others;
                    # every page must be found for one filling (see `visited`).
                    pages.check(client, "GET", path, query_string=query, expect=(200, 404))
                else:
                    # Sent empty: each form's messages, with their links and descriptions.
                    pages.check(client, "POST", path, data={}, expect=range(200, 500))
    return pages


@pytest.fixture
def app(make_app):
    """With CSRF protection on, as in use: its hidden fields carry ids too."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        load_reference_data()
        yield app


def test_every_page_writes_sound_markup(app):
    pages = _visit_every_page(app, with_errors=False)
    every = {r.endpoint for r in app.url_map.iter_rules() if "GET" in r.methods} - NOT_PAGES
    assert every - pages.visited == set(), "teach test_markup to fill in these pages"
    assert pages.problems == {}


def test_every_form_sent_empty_writes_sound_markup(app):
    """Error messages add ids and descriptions: every form is also seen refusing."""
    pages = _visit_every_page(app, with_errors=True)
    assert pages.problems == {}


def test_no_template_puts_a_form_inside_a_paragraph():
    """A browser ends a <p> where a <form> starts, so the form (a post_link or a button)
    falls outside the paragraph's font and spacing: it showed in the browser's default serif."""
    folder = Path(__file__).parent.parent / "hubsurvey" / "templates"
    opened_form = re.compile(r"<p\b[^>]*>(?:(?!</p>).)*?(<form\b|post_link\(|\bbutton\()", re.S)
    found = [
        str(path.relative_to(folder))
        for path in folder.rglob("*.html")
        if opened_form.search(path.read_text())
    ]
    assert found == []

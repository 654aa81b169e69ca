"""A hub lead on a phone reads a survey's results: from the survey's page to every question's
figures, another wave, the written answers searched, and two waves side by side."""

from conftest import page_width
from factories import PASSWORD, make_hub, make_response, make_survey, make_user

from hubsurvey.extensions import db
from hubsurvey.models.base import utcnow
from hubsurvey.surveys.questions import to_answers
from hubsurvey.surveys.waves import open_next_wave

LONG_OPTION = "Twilight sessions after school at a partner school within twenty minutes"


def _respond(survey, wave, single, help_text, scale):
    response = make_response(
        survey, wave=wave, status="submitted", submitted_at=utcnow(), role="teacher"
    )
    questions = {q.prompt: q for q in survey.questions}
    for prompt, value in (
        ("Years in phase?", single),
        ("What would help?", help_text),
        ("Confidence with phonics?", scale),
    ):
        for answer in to_answers(questions[prompt], value):
            answer.response_id = response.id
            db.session.add(answer)
    db.session.commit()


def _fits(page) -> bool:
    return page_width(page) <= 320


def test_hub_lead_reads_the_results_of_every_question_on_a_phone(live_app, live_server, phone):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        make_user(email="lead@leeds.example", hubs=[hub])
        survey = make_survey(hub)  # anonymous: each wave has at least 5 answers to show
        single = next(q for q in survey.questions if q.prompt == "Years in phase?")
        single.options = ["0-2", "3-5", LONG_OPTION]
        db.session.commit()
        for i in range(6):
            _respond(survey, None, 0, f"More phonics coaching {i}", 2)
        later = open_next_wave(survey)
        for i in range(7):
            _respond(survey, later, 2, "Time to plan" if i % 2 else f"Phonics in Year {i}", 4)

    page = phone
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@leeds.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds English Hub").click()
    page.get_by_role("link", name="Surveys").click()
    page.get_by_role("link", name="Training needs", exact=True).click()
    page.get_by_role("link", name="See the results of every question").click()

    # The latest wave first, every question with its figures written out.
    page.get_by_role("heading", name="Results: Training needs").wait_for()
    page.get_by_text("Wave 2, the latest wave: 7 sent responses.").wait_for()
    single_result = page.locator("section", has_text="Years in phase?")
    single_result.get_by_text(LONG_OPTION).wait_for()
    single_result.get_by_text("7 (100%)").wait_for()
    page.get_by_text("Mean: 4.0 on a scale of 1 to 5").wait_for()
    assert _fits(page)

    # The first wave, chosen without JavaScript's help: a plain form.
    page.get_by_label("Wave").select_option(label="Wave 1: 6 sent")
    page.get_by_role("button", name="Show this wave").click()
    page.get_by_text("Wave 1: 6 sent responses.").wait_for()
    page.get_by_text("Mean: 2.0 on a scale of 1 to 5").wait_for()
    assert "wave=" in page.url and _fits(page)

    # Written answers, searched.
    help_result = page.locator("section", has_text="What would help?")
    help_result.get_by_label("Search these answers").fill("coaching 3")
    help_result.get_by_role("button", name="Search").click()
    page.get_by_text("1 answer contains “coaching 3”.").wait_for()
    page.get_by_text("More phonics coaching 3").wait_for()
    assert _fits(page)
    page.get_by_label("Search these answers").fill("PHONICS")  # htmx swaps in the list
    page.get_by_role("button", name="Search").click()
    page.get_by_text("6 answers contain “PHONICS”.").wait_for()
    assert "search=PHONICS" in page.url and _fits(page)

    # Two waves side by side.
    page.get_by_role("link", name="Back to the results").click()
    page.get_by_role("link", name="Compare waves side by side").click()
    page.get_by_role("heading", name="Compare waves: Training needs").wait_for()
    scale = page.locator("section", has_text="Confidence with phonics?")
    scale.get_by_role("row", name="Mean").get_by_text("+2.0").wait_for()
    choice = page.locator("section", has_text="Years in phase?")
    choice.get_by_role("row", name=LONG_OPTION).get_by_text("+100 points").wait_for()
    assert _fits(page)

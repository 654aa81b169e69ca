"""A hub lead on a phone: find a person's answers, download and delete them, read the log."""

from conftest import page_width
from factories import PASSWORD, make_hub, make_survey, make_user
from test_privacy import ANN, _respond

from hubsurvey.extensions import db
from hubsurvey.models import AuditEntry

LONG = "A long answer without spaces: " + "x" * 200


def _fits(page) -> None:
    assert page_width(page) <= 320


def test_hub_lead_erases_a_persons_answers_and_reads_the_log_on_a_phone(
    live_app, live_server, phone
):
    with live_app.app_context():
        hub = make_hub("Leeds Teaching School Hub")
        make_user(email="lead@leeds.example", hubs=[hub])
        survey = make_survey(hub, anonymous=False)
        _respond(survey, (ANN[0], "a.very.long.address.indeed@a-school-with-a-long-name.example"),
                 {"What would help?": LONG[:50]})  # fmt: skip
        db.session.add(
            AuditEntry(action="export", hub_id=hub.id, actor="lead@leeds.example",
                       target=f"survey {survey.id}: {'A long survey title ' * 8}", detail=LONG,
                       ip="2001:db8:85a3:0000:0000:8a2e:0370:7334")
        )  # fmt: skip
        db.session.commit()

    phone.goto(f"{live_server}/")
    phone.get_by_label("Email address").fill("lead@leeds.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds Teaching School Hub").click()
    phone.get_by_role("link", name="A person's answers").click()
    _fits(phone)

    phone.get_by_label("Name or email address").fill("ann teach")
    phone.get_by_role("button", name="Find their responses").click()
    phone.get_by_text("1 response found").wait_for()
    phone.get_by_text("Their answers (").click()
    phone.get_by_text(LONG[:50]).wait_for()
    _fits(phone)

    with phone.expect_download() as download:
        phone.get_by_role("button", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("personal-data-")

    phone.get_by_role("button", name="Delete these responses").click()
    phone.get_by_text("This cannot be undone").wait_for()
    _fits(phone)
    phone.get_by_role("button", name="Yes, delete 1 response").click()
    phone.get_by_text("Deleted 1 response and their answers").wait_for()
    _fits(phone)

    phone.get_by_role("link", name="Back to Leeds Teaching School Hub").click()
    phone.get_by_role("link", name="Audit log").click()
    phone.get_by_role("cell", name="Erased a person's responses").wait_for()
    phone.get_by_role("cell", name="Downloaded a person's responses").wait_for()
    _fits(phone)
    phone.get_by_text("Filter the log").click()
    phone.get_by_label("What").select_option("responses-erased")
    phone.get_by_role("button", name="Filter").click()
    phone.get_by_role("cell", name="Erased a person's responses").wait_for()
    assert "action=responses-erased" in phone.url
    _fits(phone)

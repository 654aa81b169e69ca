"""A hub lead on a phone imports a download from Get Information about Schools, then an updated
one, from the hub page's import link; every page fits a 320 px screen."""

from pathlib import Path

from conftest import page_width
from factories import PASSWORD, make_hub, make_user

GIAS_FILE = Path(__file__).parents[1] / "data" / "gias_schools.csv"


def _fits(page) -> None:
    assert page_width(page) <= 320


def test_hub_lead_imports_a_register_download_on_a_phone(live_app, live_server, phone, tmp_path):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", type_slug="english-hub")
        make_user(email="lead@leeds.example", hubs=[hub])

    phone.goto(f"{live_server}/")
    phone.get_by_label("Email address").fill("lead@leeds.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    phone.get_by_role("link", name="Leeds English Hub").click()

    phone.get_by_role("link", name="Import from a CSV file").click()
    _fits(phone)
    phone.get_by_label("CSV file").set_input_files(GIAS_FILE)
    phone.get_by_role("button", name="Upload and check").click()

    phone.get_by_role("heading", name="What importing this file will do").wait_for()
    phone.get_by_text("Add 10 new schools").wait_for()
    phone.get_by_text("This hub serves primary schools only.").wait_for()
    problems = phone.get_by_role("table", name="Rows that cannot be imported")
    problems.get_by_text("Wetherby Secure Unit").wait_for()
    phone.get_by_role("table", name="New schools").get_by_text("St Mary\u2019s Catholic").wait_for()
    phone.get_by_label("Add Old Farm Junior School anyway (line 11)").wait_for()
    _fits(phone)

    phone.get_by_role("button", name="Import schools").click()
    phone.get_by_text("Added 10 schools.").wait_for()
    phone.get_by_role("row").filter(has_text="Broomfield South SILC").get_by_text(
        "Special"
    ).wait_for()
    _fits(phone)

    # A term later: the same download, with one school's trust changed, saved with the line
    # breaks of a Mac (the browser sends the checked file back with Windows ones).
    updated = tmp_path / "edubasealldata-spring.csv"
    content = GIAS_FILE.read_bytes().replace(b"Moor Learning Trust", b"White Rose Learning Trust")
    updated.write_bytes(content.replace(b"\r\n", b"\n"))
    phone.get_by_role("link", name="Import from a CSV file").click()
    phone.get_by_label("CSV file").set_input_files(updated)
    phone.get_by_role("button", name="Upload and check").click()
    phone.get_by_text("Trust: Moor Learning Trust → White Rose Learning Trust").wait_for()
    assert phone.get_by_label("Update Moorland Academy (line 4)").is_checked()
    phone.get_by_text("Skip 9 schools already on your list with the same details").wait_for()
    _fits(phone)

    phone.get_by_role("button", name="Import schools").click()
    phone.get_by_text("Updated 1 school. 9 already up to date.", exact=False).wait_for()
    phone.get_by_role("row").filter(has_text="Moorland Academy").get_by_text(
        "White Rose Learning Trust"
    ).wait_for()
    _fits(phone)

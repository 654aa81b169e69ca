"""A hub lead reads the needs summary, filters it, and downloads it as CSV and XLSX."""

import csv
import io

import openpyxl
from conftest import settled
from factories import PASSWORD, make_user

from hubsurvey.extensions import db
from hubsurvey.models import Hub


def test_hub_lead_filters_the_needs_summary_and_downloads_it(live_app, live_server, laptop):
    with live_app.app_context():
        runner = live_app.test_cli_runner()
        assert runner.invoke(args=["demo"]).exit_code == 0
        hub = db.session.scalar(db.select(Hub).where(Hub.name == "Pennine English Hub"))
        make_user(email="reader@hub.example", hubs=[hub])
        slug = hub.slug
    page = laptop
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("reader@hub.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Pennine English Hub").click()
    page.get_by_role("link", name="Training needs summary").click()
    page.locator("#summary table").first.wait_for()

    settled(page)  # htmx listening, before the change it applies
    page.get_by_label("Role").select_option("teacher")  # htmx applies it at once
    page.wait_for_url("**role=teacher**")
    settled(page)
    page.get_by_label("Break down by").select_option("phase")
    page.wait_for_url("**by=phase**")
    page.locator("#summary h2", has_text="Primary").wait_for()
    assert page.locator("#summary svg").count() >= 1

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Download this summary (CSV)").click()
    with open(csv_download.value.path(), encoding="utf-8-sig") as file:
        text = file.read()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["group", "need_area"]
    assert {r[0] for r in rows[1:]} == {"Primary"}

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="XLSX").click()
    with open(xlsx_download.value.path(), "rb") as file:
        book = openpyxl.load_workbook(io.BytesIO(file.read()), read_only=True)
    sheet = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    assert sheet[0][:2] == ["Phase", "Need area"] and len(sheet) == len(rows)
    assert f"/hubs/{slug}/reports/needs" in page.url

    # A response export streams from the real server, after the view has returned.
    page.goto(f"{live_server}/hubs/{slug}/reports/exports")
    with page.expect_download() as long_download:
        needs_row = page.locator("tbody tr", has_text="Needs assessment").first
        needs_row.get_by_role("link", name="CSV").nth(1).click()
    with open(long_download.value.path(), encoding="utf-8-sig") as file:
        answers = list(csv.reader(file))
    assert answers[0][-5:] == ["question_id", "question", "item", "answer", "priority"]
    assert len(answers) > 1000

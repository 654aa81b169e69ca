"""A hub lead builds a needs assessment in the browser, with htmx, and opens it."""

import re

from conftest import settled
from factories import PASSWORD, make_hub, make_user


def test_hub_lead_edits_a_needs_assessment_in_place_and_opens_it(live_app, live_server, laptop):
    with live_app.app_context():
        hub = make_hub("Leeds Maths Hub", "maths-hub")
        make_user(email="lead@maths.example", hubs=[hub])
    page = laptop
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill("lead@maths.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Leeds Maths Hub").click()
    page.get_by_role("link", name="Surveys", exact=True).click()
    page.get_by_role("link", name="New survey").click()
    page.get_by_label("From the maths hub template").check()
    page.get_by_role("button", name="Create survey").click()
    editor_url = page.url

    # Edit the second question where it stands: a mistake first, then a good change.
    second = page.locator(".app-question").nth(1)
    second.get_by_role("link", name="Edit").click()
    form = page.locator(".app-inline-editor")
    form.get_by_label("Question", exact=True).fill("")
    form.get_by_role("button", name="Save question").click()
    page.locator(".app-inline-editor").get_by_text("Enter the question").first.wait_for()
    page.locator(".app-inline-editor").get_by_label("Question", exact=True).fill(
        "Which year groups do you teach?"
    )
    page.locator(".app-inline-editor").get_by_role("button", name="Save question").click()
    page.get_by_role("strong").filter(has_text="Which year groups do you teach?").wait_for()
    assert page.url.startswith(editor_url)  # never left the page

    # Move it up: it is first in section 2, so it goes to the end of section 1. htmx swaps
    # the editor in place, showing the order as stored.
    question = page.locator(".app-question", has_text="Which year groups do you teach?")
    question.get_by_role("button", name=re.compile(r"^Up ")).click()
    last_in_first = page.locator(".app-section").nth(0).locator(".app-question").last
    last_in_first.get_by_role("strong").filter(has_text="Which year groups").wait_for()
    # Within a section too: the moved question is shown above the one it passed. (Once htmx
    # has settled: a button it has not yet taken over would be sent as a plain form.)
    settled(page)
    second = page.locator(".app-section").nth(1)
    topic = second.locator(".app-question", has_text="Which topic do your pupils")
    topic.get_by_role("button", name=re.compile(r"^Up ")).click()
    page.wait_for_function(
        "() => { const s = document.querySelectorAll('.app-section')[1].textContent;"
        " return s.indexOf('Which topic do your pupils') < s.indexOf('helping pupils learn'); }"
    )

    settled(page)  # the editor swapped in by htmx, before leaving it
    page.get_by_role("link", name="Back to the survey").click()
    page.get_by_role("button", name="Open the survey").click()
    page.get_by_text("The survey is open").wait_for()
    page.locator(".app-qr svg").wait_for()

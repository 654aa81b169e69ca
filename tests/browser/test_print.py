"""Report pages printed for a board pack: a title block says what is shown; navigation,
filters, buttons and link addresses stay off the paper."""

import pytest
from factories import PASSWORD, make_hub, make_user
from test_board import board_year

from hubsurvey.extensions import db

REPORTS = [
    # (page, what its title block names)
    (
        "reports/needs?role=teacher&by=phase",
        ["training needs summary", "Role: Teacher", "by phase"],
    ),
    ("reports/feedback", ["feedback"]),
    ("reports/planning", ["needs and the activities that meet them"]),
    ("reports/board", ["report for the board", "compared with"]),
    ("results", ["results of every question", "Survey: Training needs", "Wave: Wave 2"]),
    ("compare", ["waves compared", "Waves: Wave 1 against Wave 2"]),
]


@pytest.fixture
def signed_in(live_app, live_server, laptop):
    with live_app.app_context():
        hub = make_hub("Leeds English Hub", "english-hub")
        hub.smallest_group = 2
        db.session.commit()
        survey, _autumn, _spring = board_year(hub)
        make_user(email="lead@english.example", hubs=[hub])
        slug, survey_id = hub.slug, survey.id
    laptop.goto(f"{live_server}/sign-in")
    laptop.get_by_label("Email address").fill("lead@english.example")
    laptop.get_by_label("Password").fill(PASSWORD)
    laptop.get_by_role("button", name="Sign in").click()
    laptop.get_by_role("link", name="Leeds English Hub").wait_for()
    base = f"{live_server}/hubs/{slug}/"
    return laptop, base, f"reports/surveys/{survey_id}/"


@pytest.mark.parametrize(("path", "names"), REPORTS, ids=[p.split("?")[0] for p, _ in REPORTS])
def test_a_printed_report_says_what_it_shows_and_leaves_the_screen_parts_out(
    signed_in, path, names
):
    page, base, survey_reports = signed_in
    if path in ("results", "compare"):
        path = survey_reports + ("results" if path == "results" else "results/compare")
    page.goto(base + path)
    title = page.locator(".app-print-title")
    assert not title.is_visible()  # on screen the page's own heading says it
    page.emulate_media(media="print")
    assert title.is_visible()
    words = title.inner_text()
    assert "Leeds English Hub" in words and "Printed from hubsurvey on" in words
    for name in names:
        assert name in words, name
    for screen_only in (".app-nav", ".app-header__nav", ".govuk-back-link", "main form"):
        hidden = page.locator(screen_only)
        assert all(not hidden.nth(i).is_visible() for i in range(hidden.count())), screen_only
    # GOV.UK Frontend prints each link's address after it; ours do not.
    printed_after = page.evaluate(
        "[...document.querySelectorAll('main a[href]')].map("
        "a => getComputedStyle(a, '::after').content).filter(c => c && c !== 'none')"
    )
    assert printed_after == []

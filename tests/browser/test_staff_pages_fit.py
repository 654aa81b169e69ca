"""Every staff page fits a 320 px phone and a 1280 px laptop: nothing scrolls sideways, nothing
is cut off, and no chart label is clipped, even with names as long as real ones get.

The pages are found from the app's own URL map, so a new page is checked as soon as it exists:
a GET route this test cannot fill in fails it until the test learns how. Set HUBSURVEY_SHOTS to a
folder to keep a screenshot of every page, to look at."""

import csv
import os
import re
from pathlib import Path

import pytest
from conftest import settled
from factories import PASSWORD, make_user
from flask import url_for
from long_names import (
    HUB_NAME,
    LEAD_EMAIL,
    LONG_NEED_AREA,
    RESPONDENT_EMAIL,
    SCHOOLS,
    UNBROKEN,
    Network,
    build_network,
)
from playwright.sync_api import Error as PlaywrightError
from test_teacher_on_phone import AXE

from hubsurvey.school_years import this_year

# Report pages are what a hub lead shows to others: each is also checked with axe-core.
REPORT_PAGE = re.compile(r"/reports/|/surveys/\d+/$|/sharing/|/measures/\d+$")

# Blueprints and endpoints that are not staff pages, and why they are left out.
NOT_STAFF_PAGES = {
    "respond": "the public respondent's pages: tests/browser/test_teacher_on_phone.py",
    "health": "a JSON status for load balancers, not a page",
    "shared": "the public read-only report: tests/browser/test_sharing_on_phone.py",
    "contact_page": "a school contact's own page: tests/browser/test_contacts_on_phone.py",
    "heads": "a headteacher's pages through their private link: tests/browser/test_mou_on_phone.py",
    "public_resources": "a teacher's download: tests/browser/test_resources_on_phone.py",
}
DOWNLOADS = {
    "static": "stylesheets, scripts and images, not pages",
    "reports.export": "a CSV or XLSX download",
    "surveys.qr_png": "a PNG image download",
    "activities.qr_png": "a PNG image download",
    "hubs.import_template": "a CSV download",
    "surveys.school_links_csv": "a CSV download",
    "outbox.download": "a CSV download (the mail merge)",
    "activities.register_csv": "a CSV download (an activity's register)",
    "resources.download": "a resource's file, or the way through to its link",
    "plans.download": "an XLSX download (the plan's workbook)",
    "activities.hours_by_teacher": "a CSV download (CPD hours per teacher)",
    "activities.hours_by_school": "a CSV download (CPD hours per school)",
}
ADMIN_EMAIL = "administrator@hubsurvey.example"
# Pages for someone not signed in yet: a new account's first steps.
SIGNED_OUT = {"auth.sign_in", "auth.setup", "auth.set_password"}

# Finds the problems on the page in view; each is a sentence naming what does not fit.
CHECK = """(viewport) => {
  const width = Math.min(document.documentElement.clientWidth, viewport);
  const problems = [];
  const describe = (el) => {
    const classes = typeof el.className === "string" && el.className ? "." +
      el.className.trim().split(/\\s+/).join(".") : "";
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    const name = el.getAttribute("name") ? `[name=${el.getAttribute("name")}]` : "";
    return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${classes}${name}> "${text}"`;
  };
  const visible = (el) => {
    const rect = el.getBoundingClientRect();
    return rect.width > 1 && rect.height > 1 && getComputedStyle(el).visibility !== "hidden";
  };
  // Inside a box that clips (visually hidden text, a scrolling table), which the box check
  // below looks after.
  const clipped = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== "visible") return true;
    }
    return false;
  };
  const page = document.documentElement.scrollWidth;
  if (page > width) {
    // Name the outermost elements that stick out, which is where a fix goes.
    const out = [...document.body.querySelectorAll("*")].filter((el) => {
      const rect = el.getBoundingClientRect();
      return visible(el) && !clipped(el) && (rect.right > width + 0.5 || rect.left < -0.5);
    });
    // Text that runs out of its box (a long word, a URL) sticks out on its own.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
      range.selectNodeContents(walker.currentNode);
      const rect = range.getBoundingClientRect();
      const parent = walker.currentNode.parentElement;
      const outside = rect.right > width + 0.5 || rect.left < -0.5;
      if (outside && !out.includes(parent) && !clipped(walker.currentNode)) {
        out.push(parent);
      }
    }
    const outermost = out.filter((el) => !out.includes(el.parentElement)).slice(0, 4);
    problems.push(`the page is ${page}px wide in a ${width}px window: ` +
      outermost.map(describe).join("; "));
  }
  // Content cut off inside a box (overflow hidden) is as lost as content off screen. Only a
  // wide data table may scroll, inside its own marked container.
  for (const el of document.body.querySelectorAll("*")) {
    if (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName) || !visible(el)) continue;
    if (el.closest(".app-table-scroll")) continue;
    const style = getComputedStyle(el);
    if (style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${describe(el)} cuts off or scrolls its content sideways ` +
        `(${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }
  // Chart labels: whole, and inside their chart.
  for (const chart of document.querySelectorAll(".app-chart")) {
    const box = chart.getBoundingClientRect();
    for (const label of chart.querySelectorAll(".app-chart__label")) {
      const rect = label.getBoundingClientRect();
      const style = getComputedStyle(label);
      const text = label.textContent.trim();
      if (rect.left < box.left - 0.5 || rect.right > box.right + 0.5 || rect.right > width + 0.5
          || rect.top < box.top - 0.5 || rect.bottom > box.bottom + 0.5) {
        problems.push(`chart label ${describe(label)} lies outside its chart`);
      }
      if (label instanceof HTMLElement && (label.scrollWidth > label.clientWidth + 1 ||
          label.scrollHeight > label.clientHeight + 1 || style.textOverflow === "ellipsis")) {
        problems.push(`chart label ${describe(label)} is cut short`);
      }
      if (text.endsWith("…") || text.endsWith("...")) {
        problems.push(`chart label ${describe(label)} is shortened`);
      }
    }
  }
  // Any text drawn in SVG: all of it shown, inside its drawing and the window.
  for (const text of document.querySelectorAll("svg text")) {
    const svg = text.ownerSVGElement.getBoundingClientRect();
    const rect = text.getBoundingClientRect();
    const drawn = text.getComputedTextLength() * (rect.width / (text.getBBox().width || 1));
    if (rect.left < svg.left - 0.5 || rect.right > svg.right + 0.5 || rect.right > width + 0.5
        || drawn > svg.width + 0.5) {
      problems.push(`SVG text ${describe(text)} is clipped by its drawing`);
    }
    if (text.textContent.trim().endsWith("…")) {
      problems.push(`SVG text ${describe(text)} is shortened`);
    }
  }
  return problems;
}"""

CHART_LABELS = (
    "() => [...document.querySelectorAll('.app-chart .app-chart__label')]"
    ".map(el => el.textContent.trim())"
)


def pages(app, network: Network) -> list[tuple[str, str]]:
    """(who, path) for every staff page: each GET route of the staff blueprints filled in with
    the network's ids, once for each kind of survey and each activity, and a few pages again in
    other states worth seeing."""
    n = network
    hub = {"hub_slug": n.hub_slug}
    with app.test_request_context():
        chosen = [
            ("lead", url_for("reports.needs", **hub, by="school")),
            ("lead", url_for("reports.needs", **hub, survey=n.needs_id, wave=n.needs_wave_ids[0])),
            ("lead", url_for("reports.needs", **hub, by="role", role="careers-leader")),
            ("lead", url_for("reports.feedback", **hub, activity=n.activity_ids[0])),
            # A session added to the long-named series: its need areas and schools ticked.
            ("lead", url_for("activities.edit", **hub, series=n.series_id)),
            # The draft's single-choice question, with its long options.
            (
                "lead",
                url_for(
                    "surveys.question", **hub, survey_id=n.draft_id, question_id=n.draft_question_id
                ),
            ),
            # The plan's other words: the outlook, labelled with three school years.
            ("lead", url_for("plans.words", **hub, year=n.plan_ids["year"], part="continuity")),
            ("lead", url_for("plans.words", **hub, year=n.plan_ids["year"], part="outlook")),
            ("admin", url_for("hubs.index")),
            ("admin", url_for("auth.account")),
        ]
        # Each kind of the plan's measures: its page, with the evidence behind it, and its form.
        year = this_year()
        for measure_id in n.measure_ids:
            for endpoint in ("plans.measure", "plans.edit_measure"):
                url = url_for(endpoint, **hub, year=year, measure_id=measure_id)
                chosen.append(("lead", url))
    common = {
        "hub_slug": n.hub_slug,
        "school_id": n.school_id,
        "hub_id": n.hub_id,
        "hub_type_id": n.hub_type_id,
        "area_id": n.need_area_id,
        "user_id": n.lead_id,
        "message_id": n.message_id,
        "signature_id": n.signature_id,
        "resource_id": n.resource_id,
        "measure_id": n.measure_ids[0],
        "series_id": n.series_id,
        "follow_up_id": n.follow_up_id,
        # The plan's pages, with its parts as long as they get (long_names._plan_parts).
        **n.plan_ids,
        "part": "aims",
        "kind": "head",  # the school's headteacher, with long details (long_names.py)
        "token": None,  # by purpose, below
    }
    tokens = {"auth.setup": n.setup_token, "auth.set_password": n.password_token}
    # Each activity with someone on its register, whose own page is seen too.
    fills = [
        {
            **common,
            **ids,
            "activity_id": n.activity_ids[i % len(n.activity_ids)],
            "attendance_id": n.attendance_ids[i % len(n.activity_ids)],
        }
        for i, ids in enumerate(n.surveys)
    ]
    unfilled = []
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rpartition(".")[0]
        if "GET" not in rule.methods or blueprint in NOT_STAFF_PAGES or rule.endpoint in DOWNLOADS:
            continue
        if not rule.arguments <= fills[0].keys():
            unfilled.append(rule.rule)
            continue
        if rule.endpoint in SIGNED_OUT:
            who = "signed-out"
        elif blueprint == "admin" or rule.endpoint == "audit.admin_log":
            who = "admin"
        else:
            who = "lead"
        for fill in fills:
            values = {**fill, "token": tokens.get(rule.endpoint)}
            path = re.sub(r"<(?:[^<>]*:)?(\w+)>", lambda m, v=values: str(v[m[1]]), rule.rule)
            if (who, path) not in chosen:
                chosen.append((who, path))
    assert unfilled == [], f"teach this test to fill in these pages' URLs: {unfilled}"
    return chosen


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Sign in").wait_for()


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_every_staff_page_fits_the_window_with_long_names(device, live_app, live_server, request):
    with live_app.app_context():
        network = build_network()
    visits = pages(live_app, network)
    page = request.getfixturevalue(device)
    width = page.viewport_size["width"]
    shots = os.environ.get("HUBSURVEY_SHOTS")
    problems, charts = [], []

    def check(path: str) -> None:
        try:
            response = page.goto(f"{live_server}{path}")
        except PlaywrightError as error:
            if "Download is starting" not in str(error):
                raise
            problems.append(f"{path} is a download: list its endpoint in DOWNLOADS")
            return
        if response.status != 200:
            problems.append(f"{path} answered {response.status}, so it was not seen")
            return
        if not response.headers["content-type"].startswith("text/html"):
            problems.append(f"{path} is not a page: list its endpoint in DOWNLOADS")
            return
        if page.url != f"{live_server}{path}":
            problems.append(f"{path} went to {page.url}, so it was not seen")
            return
        settled(page)
        problems.extend(f"{path}: {problem}" for problem in page.evaluate(CHECK, width))
        if REPORT_PAGE.search(path):
            violations = AXE.run(page).response["violations"]
            problems.extend(
                f"{path}: axe {v['id']} ({v['impact']}): {v['help']}"
                for v in violations
                if v["impact"] in ("serious", "critical")
            )
        charts.extend(page.evaluate(CHART_LABELS))
        if shots:
            name = re.sub(r"^/(setup|password)/.*", r"/\1", path)  # not the one-time token
            name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "home"
            Path(shots, str(width)).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(shots, str(width), f"{name}.png"), full_page=True)

    for who in ("signed-out", "lead", "admin"):
        if who == "lead":  # the first administrator's setup page has been seen
            with live_app.app_context():
                make_user(email=ADMIN_EMAIL, role="admin")
        if who != "signed-out":
            sign_in(page, live_server, LEAD_EMAIL if who == "lead" else ADMIN_EMAIL)
        for _who, path in (visit for visit in visits if visit[0] == who):
            check(path)
        if who != "signed-out":
            sign_out(page)

    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    # The charts were seen, and drew every need area by its whole name.
    assert LONG_NEED_AREA in charts
    assert set(network.need_area_names) <= set(charts)


def test_pages_a_form_leads_to_fit_a_phone(live_app, live_server, phone, tmp_path):
    """The pages no GET reaches: a search's results, a check before deleting or importing, and
    a new password link, each reached the way staff reach it."""
    with live_app.app_context():
        build_network()
        make_user(email=ADMIN_EMAIL, role="admin")
    page, problems = phone, []

    def check(what: str) -> None:
        settled(page)
        problems.extend(f"{what}: {problem}" for problem in page.evaluate(CHECK, 320))
        if shots := os.environ.get("HUBSURVEY_SHOTS"):
            name = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
            Path(shots, "320").mkdir(parents=True, exist_ok=True)
            page.screenshot(path=Path(shots, "320", f"form-{name}.png"), full_page=True)

    sign_in(page, live_server, LEAD_EMAIL)
    page.get_by_role("link", name=HUB_NAME).click()
    page.get_by_role("link", name="A person's answers").click()
    page.get_by_label("Name or email address").fill(RESPONDENT_EMAIL)
    page.get_by_role("button", name="Find their responses").click()
    page.get_by_role("button", name="Delete these responses").wait_for()
    check("a person's responses, found by their email")
    page.get_by_role("button", name="Delete these responses").click()
    page.get_by_role("link", name="Back to a person's answers").wait_for()
    check("a person's responses, before deleting them")

    page.get_by_role("link", name="Your hubs").click()
    page.get_by_role("link", name=HUB_NAME).click()
    page.get_by_role("link", name="Import from a CSV file").click()
    upload = tmp_path / "schools.csv"
    with upload.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(
            [
                ["name", "urn", "phase", "local_authority", "trust", "status"],
                [SCHOOLS[0][0], "110001", "Secondary", "Westmorland and Furness", "", "Active"],
                [f"{UNBROKEN} Church of England Primary School", "120001", "Primary", "", "", ""],
                [f"{UNBROKEN} Nursery", "12", "Nursery", "", "", ""],
            ]
        )
    page.locator("input[type=file]").set_input_files(upload)
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Import schools").wait_for()
    check("a file of schools, checked before importing")
    sign_out(page)

    sign_in(page, live_server, ADMIN_EMAIL)
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name=LEAD_EMAIL).click()
    page.get_by_role("button", name="Make a new password link").click()
    page.get_by_label("One-time link").wait_for()
    check("a new password link")

    if problems:
        pytest.fail("\n".join(problems), pytrace=False)

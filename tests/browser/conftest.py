"""A real server on a free port, and Chromium through Playwright at a phone's size."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from hubsurvey.admin.services import load_reference_data

CHROMIUM = Path(os.environ.get("HUBSURVEY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 320, "height": 568}
SCREENSHOTS = Path(__file__).parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser tests"
        if os.environ.get("HUBSURVEY_REQUIRE_BROWSER"):
            pytest.fail(reason + " (HUBSURVEY_REQUIRE_BROWSER is set, so this is a failure)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_app(make_app):
    app = make_app()
    with app.app_context():
        load_reference_data()
    return app


@pytest.fixture
def live_server(live_app):
    """The app served over real HTTP on 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def phone(browser, request):
    """A fresh page the size of a small phone; a screenshot of its last state is kept."""
    yield from _page(browser, request, viewport=PHONE, device_scale_factor=2, is_mobile=True)


@pytest.fixture
def laptop(browser, request):
    """A fresh page the size of a hub lead's laptop."""
    yield from _page(browser, request, viewport=LAPTOP)


def _page(browser, request, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    errors = []

    def on_console(message) -> None:
        # A form sent back with errors is a 422 by design; anything else logged as an error is not.
        if message.type == "error" and "status of 422" not in message.text:
            errors.append(f"{message.text} at {message.location.get('url')}")

    page.on("console", on_console)
    # A Content-Security-Policy violation is reported to the console as an error, with where.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation', e.violatedDirective, e.sourceFile, e.lineNumber))"
    )
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    context.close()
    # A CSP violation or a script error shows up in the console: fail on it.
    assert errors == [], errors


def settled(page) -> None:
    """Wait until the page has loaded its stylesheets and htmx has finished any request, swap
    and settle. A script can measure a page before either: it then measures the unstyled page,
    or the new content without its final classes."""
    page.wait_for_load_state("load")
    # A locator, not wait_for_function: that evaluates a string, which the CSP refuses.
    busy = page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    busy.first.wait_for(state="detached")


def page_width(page) -> int:
    """How wide the page is drawn, once it is whole: more than the window is a sideways scroll."""
    settled(page)
    return page.evaluate("document.documentElement.scrollWidth")

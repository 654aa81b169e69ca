"""A hub lead on a phone sees where they are signed in and signs a laptop out."""

from conftest import page_width, settled
from factories import PASSWORD, make_hub, make_user

# Headless Chromium calls itself Linux on both pages: give each the browser it stands for.
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
LAPTOP_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"


def _sign_in(page, base_url: str, agent: str) -> None:
    page.set_extra_http_headers({"User-Agent": agent})
    page.goto(f"{base_url}/sign-in")
    page.get_by_label("Email address").fill("lead@leeds.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your account").wait_for()


def test_hub_lead_signs_out_a_laptop_from_a_phone(live_app, live_server, phone, laptop):
    with live_app.app_context():
        make_user(email="lead@leeds.example", hubs=[make_hub("Leeds Teaching School Hub")])
    _sign_in(laptop, live_server, LAPTOP_AGENT)
    _sign_in(phone, live_server, PHONE_AGENT)

    phone.get_by_role("link", name="Your account").click()
    phone.get_by_role("heading", name="Where you are signed in").wait_for()
    rows = phone.get_by_role("row")
    this_device = rows.filter(has_text="This device")
    assert this_device.count() == 1
    assert "Chrome on Android" in this_device.inner_text()
    assert page_width(phone) <= 320

    other = rows.filter(has_text="Firefox on Windows")
    other.get_by_role("button", name="Sign out").click()
    phone.get_by_text("Signed out of Firefox on Windows.").wait_for()
    assert rows.filter(has_text="Firefox on Windows").count() == 0
    settled(phone)
    assert page_width(phone) <= 320

    laptop.reload()
    assert "/sign-in" in laptop.url

"""Sharing a hub's reports read-only: links that open the report for the board without signing
in, and viewer accounts for senior leaders and board members. Both expire, can be withdrawn,
are recorded, and show nothing the small-group rules hide."""

import re
from datetime import datetime, timedelta

import pytest
from factories import PASSWORD, make_hub, make_user, sign_in, without_token
from flask_migrate import downgrade, upgrade
from records import hub_records, snapshot
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from test_board import board_year

from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.hubs import VIEWER_PAGES
from hubsurvey.models import AuditEntry, LinkToken, ShareLink, User, UserSession, utcnow
from hubsurvey.models.base import in_uk
from hubsurvey.retention.services import purge_expired
from hubsurvey.sharing import services as sharing

GONE = "This link has expired or been withdrawn. Ask the hub that sent it to you for a new one."
# The four report pages a viewer reads, and the hub page that leads to them.
REPORTS = {"reports.board", "reports.needs", "reports.feedback", "reports.planning"}
# The hub's sustainability and impact plan, each year's, and its printed version.
PLAN_PAGES = {"plans.index", "plans.show", "plans.printable", "plans.measure"}


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 2
    db.session.commit()
    return hub


@pytest.fixture
def lead(hub):
    return make_user("lead@english.example", hubs=[hub])


@pytest.fixture
def lead_client(app, lead):
    client = app.test_client()
    sign_in(client, lead)
    return client


def _user(user_id: int) -> User:
    """The account, read in a transaction that then ends: no lock is held while requests run."""
    user = db.session.get(User, user_id)
    db.session.commit()
    return user


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _make_link(client, hub, label="Board meeting, 3 December", days="30") -> str:
    """The lead makes a link from the sharing page; returns its path, shown once."""
    page = client.post(f"/hubs/{hub.slug}/sharing/links", data={"label": label, "link_days": days})
    assert page.status_code == 200, page.text
    url = re.search(r'id="share-link" type="text" readonly value="([^"]+)"', page.text).group(1)
    path = re.sub(r"^https?://[^/]+", "", url)
    assert path.startswith("/shared/")
    return path


def _sections(page: str) -> list[str]:
    """The report's own sections, as the page draws them."""
    return re.findall(r"<section.*?</section>", page, re.S)


# Read-only links


def test_a_lead_makes_a_link_that_opens_the_board_report_without_signing_in(app, hub, lead_client):
    _survey, _autumn, spring = board_year(hub)
    path = _make_link(lead_client, hub, days="7")

    visitor = app.test_client()  # nobody signed in
    page = visitor.get(path)
    assert page.status_code == 200
    link = db.session.scalar(select(ShareLink))
    assert timedelta(days=7, minutes=-5) < link.expires_at - utcnow() <= timedelta(days=7)
    expires = f"{in_uk(link.expires_at):%-d %B %Y}"
    assert (
        f"Shared read-only by Leeds English Hub. This link stops working on {expires}." in page.text
    )
    # The same figures as the lead's own page, small-group rules and all.
    staff = lead_client.get(f"/hubs/{hub.slug}/reports/board")
    assert _sections(page.text) == _sections(staff.text)
    assert len(_sections(page.text)) == 5
    assert "1. Systematic synthetic phonics" in page.text and spring.label in page.text
    # Read-only: no way into the staff pages from it.
    assert "Back to Leeds English Hub" not in page.text
    assert "Share the report" not in page.text
    assert "Sign out" not in page.text and "Your hubs" not in page.text
    assert f"/hubs/{hub.slug}" not in page.text


def test_a_shared_page_is_kept_out_of_caches_search_engines_and_referrers(app, hub, lead_client):
    path = _make_link(lead_client, hub)
    for opened in (app.test_client().get(path), app.test_client().get("/shared/not-a-link")):
        assert opened.headers["Cache-Control"] == "no-store"
        assert "noindex" in opened.headers["X-Robots-Tag"]
        assert opened.headers["Referrer-Policy"] == "no-referrer"


def test_small_groups_stay_hidden_on_a_shared_report_of_an_anonymous_survey(app, hub, lead_client):
    hub.smallest_group = 5  # the default: the two or three people per wave are too few
    db.session.commit()
    board_year(hub)
    page = app.test_client().get(_make_link(lead_client, hub)).text
    assert "Too few people have answered to show need areas without picking someone out." in page
    assert "Systematic synthetic phonics</td>" not in page
    assert "Need score" not in page
    assert "Groups of fewer than 5 people are not shown for anonymous surveys." in page


def test_only_a_hash_of_the_token_is_kept_and_the_link_is_shown_once(hub, lead_client):
    path = _make_link(lead_client, hub)
    token = path.removeprefix("/shared/")
    link = db.session.scalar(select(ShareLink))
    assert link.token_hash != token and len(link.token_hash) == 64
    assert token not in repr(snapshot())
    listing = lead_client.get(f"/hubs/{hub.slug}/sharing/")
    assert token not in listing.text
    assert "Board meeting, 3 December" in listing.text
    assert "lead@english.example" in listing.text


def test_opening_a_link_counts_the_opens_without_filling_the_audit_log(app, hub, lead_client):
    path = _make_link(lead_client, hub)
    entries = len(_actions())
    for _ in range(3):
        assert app.test_client().get(path).status_code == 200
    db.session.expire_all()
    link = db.session.scalar(select(ShareLink))
    assert link.opens == 3
    assert utcnow() - link.last_opened_at < timedelta(minutes=5)
    assert len(_actions()) == entries
    listing = lead_client.get(f"/hubs/{hub.slug}/sharing/").text
    assert "3 times" in listing


def test_a_withdrawn_expired_or_unknown_link_gets_the_same_page(app, hub, lead_client):
    withdrawn = _make_link(lead_client, hub, "Governors")
    expired = _make_link(lead_client, hub, "Trust board")
    link = db.session.scalar(select(ShareLink).where(ShareLink.label == "Trust board"))
    link.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    other = db.session.scalar(select(ShareLink).where(ShareLink.label == "Governors"))
    revoked = lead_client.post(f"/hubs/{hub.slug}/sharing/links/{other.id}/revoke")
    assert revoked.status_code == 303

    visitor = app.test_client()
    pages = [visitor.get(path) for path in (withdrawn, expired, "/shared/" + "x" * 43)]
    assert [page.status_code for page in pages] == [404, 404, 404]
    texts = [without_token(page.text) for page in pages]
    assert texts[0] == texts[1] == texts[2]
    assert GONE in pages[0].text
    assert "Leeds English Hub" not in pages[0].text


def test_a_withdrawn_link_stops_at_once_and_both_are_recorded(app, hub, lead_client):
    path = _make_link(lead_client, hub)
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200
    link = db.session.scalar(select(ShareLink))
    response = lead_client.post(f"/hubs/{hub.slug}/sharing/links/{link.id}/revoke")
    assert response.status_code == 303
    assert visitor.get(path).status_code == 404
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.like("share-link-%")).order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor, e.hub_id) for e in entries] == [
        ("share-link-created", "lead@english.example", hub.id),
        ("share-link-revoked", "lead@english.example", hub.id),
    ]
    assert entries[0].target == f"share link {link.id}: Board meeting, 3 December"
    assert link.token_hash not in entries[0].target + entries[0].detail
    page = lead_client.get(f"/hubs/{hub.slug}/sharing/").text
    assert "Withdrawn" in page


def test_a_link_needs_who_it_is_for_and_one_of_the_offered_lifetimes(hub, lead_client):
    url = f"/hubs/{hub.slug}/sharing/links"
    for data, message in (
        ({"label": "  ", "link_days": "30"}, "Say who the link is for"),
        ({"label": "x" * 121, "link_days": "30"}, "120 characters or fewer"),
        ({"label": "Governors", "link_days": "365"}, "Not a valid choice"),
    ):
        response = lead_client.post(url, data=data)
        assert response.status_code == 422
        assert message in response.text
    assert db.session.scalar(select(func.count(ShareLink.id))) == 0
    # Thirty days unless the lead chooses otherwise.
    assert 'value="30" checked' in lead_client.get(f"/hubs/{hub.slug}/sharing/").text


def test_wrong_links_from_one_address_are_limited(make_app):
    app = make_app(SHARE_LINK_LIMIT="2 per 10 minutes")
    client = app.test_client()
    with app.app_context():
        assert client.get("/shared/guess-1").status_code == 404
        assert client.get("/shared/guess-2").status_code == 404
        refused = client.get("/shared/guess-3")
    assert refused.status_code == 429
    assert "Too many attempts" in refused.text


def test_a_good_link_opened_often_is_never_limited(make_app):
    app = make_app(SHARE_LINK_LIMIT="2 per 10 minutes")
    with app.app_context():
        load_reference_data()
        _link, token = sharing.create_link(make_hub("North Hub"), "Board", 30, by=None)
        client = app.test_client()
        assert [client.get(f"/shared/{token}").status_code for _ in range(5)] == [200] * 5


def test_the_lead_reaches_sharing_from_the_hub_page_and_the_board_report(hub, lead_client):
    sharing_url = f"/hubs/{hub.slug}/sharing/"
    for page in (f"/hubs/{hub.slug}/", f"/hubs/{hub.slug}/reports/board"):
        assert f'href="{sharing_url}"' in lead_client.get(page).text
    page = lead_client.get(sharing_url)
    assert page.status_code == 200
    assert "No links yet." in page.text and "No viewers yet." in page.text


def test_links_that_ended_long_ago_are_purged_and_the_rest_kept(hub):
    now = datetime(2027, 6, 1, 12, 0)
    made = {}
    for label, ago in (("old", 200), ("recent", 60), ("live", 1), ("withdrawn-old", 95)):
        made[label], _ = sharing.create_link(hub, label, 90, None, now=now - timedelta(days=ago))
    # "old" expired 110 days ago; "recent" has 30 days to run; "withdrawn-old" withdrawn 91 ago.
    made["recent"].expires_at = now - timedelta(days=89)  # ended, but not long enough ago
    made["withdrawn-old"].revoked_at = now - timedelta(days=91)
    db.session.commit()

    purged = purge_expired(now)
    assert purged.share_links == 2
    left = set(db.session.scalars(select(ShareLink.label)))
    assert left == {"recent", "live"}
    assert "2 read-only links" in str(purged)


# Viewer accounts


def _invite(client, hub, email="Chair@Trust.example", days="365"):
    return client.post(
        f"/hubs/{hub.slug}/sharing/viewers", data={"email": email, "viewer_days": days}
    )


def test_a_lead_invites_a_viewer_who_sets_a_password_and_reads_the_reports(app, hub, lead_client):
    board_year(hub)
    page = _invite(lead_client, hub)
    assert page.status_code == 200
    url = re.search(r'id="password-link" type="text" readonly value="([^"]+)"', page.text)[1]
    viewer = db.session.scalar(select(User).where(User.email == "chair@trust.example"))
    assert viewer.role == "viewer" and viewer.hubs == [hub]
    assert timedelta(days=364) < viewer.expires_at - utcnow() <= timedelta(days=365)
    assert {"account-created", "membership-added", "viewer-invited"} <= set(_actions())

    board = app.test_client()
    path = re.sub(r"^https?://[^/]+", "", url)
    new_password = {"password": "a long board passphrase", "confirm": "a long board passphrase"}
    assert board.post(path, data=new_password).status_code == 303
    hubs = board.get("/", follow_redirects=True).text
    assert f'href="/hubs/{hub.slug}/"' in hubs
    home = board.get(f"/hubs/{hub.slug}/").text
    for report in ("board", "needs", "feedback", "planning"):
        assert f'href="/hubs/{hub.slug}/reports/{report}"' in home
    assert "Surveys" not in home and "Partner schools" not in home
    report = board.get(f"/hubs/{hub.slug}/reports/board")
    assert report.status_code == 200
    assert "1. Systematic synthetic phonics" in report.text
    assert "Share the report" not in report.text


@pytest.fixture
def north(app):
    """A hub with a record of every kind a URL names, a lead, and a viewer (`viewer_id`)."""
    hub = make_hub("North Hub")
    lead = make_user("lead@north.example", hubs=[hub])
    return hub_records(hub, lead, "North") | {"lead_id": lead.id}


def test_a_viewer_reads_the_four_reports_and_every_other_hub_url_is_a_404(app, north):
    """Walks the URL map, so a new hub page is closed to viewers until it is let in."""
    viewer = _user(north["viewer_id"])
    client = app.test_client()
    sign_in(client, viewer)
    values = north | {"what": "summary", "fmt": "csv"}
    before = snapshot()
    opened, refused = set(), []
    for rule in app.url_map.iter_rules():
        if "hub_slug" not in rule.arguments and rule.endpoint not in VIEWER_PAGES:
            continue
        missing = rule.arguments - values.keys()
        assert not missing, f"{rule.rule}: teach this test to fill {missing}"
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method)
            if rule.endpoint in VIEWER_PAGES and method == "GET":
                assert response.status_code == 200, f"{method} {path}"
                opened.add(rule.endpoint)
            else:
                assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
                refused.append(f"{method} {rule.rule}")
    assert opened == REPORTS | PLAN_PAGES | {"hubs.hub", "hubs.index"}
    assert len(refused) >= 60, refused
    assert any(r.startswith("POST") for r in refused)
    assert snapshot() == before, "a viewer changed something"
    for page in ("/admin/", "/admin/audit", "/admin/users"):
        assert client.get(page).status_code == 404


def test_every_link_on_a_viewers_pages_opens_for_them(app, hub):
    """No link to a page that would only say 404: downloads, activities, staff pages. One hub
    with a year of answers and activities, one with nothing yet."""
    board_year(hub)
    empty = make_hub("York Hub")
    viewer = make_user("chair@trust.example", role="viewer", hubs=[hub, empty])
    client = app.test_client()
    sign_in(client, viewer)
    seen = set()
    for slug in (hub.slug, empty.slug):
        reports = [f"/hubs/{slug}/reports/{r}" for r in ("board", "needs", "feedback", "planning")]
        for page in ["/", f"/hubs/{slug}/", *reports]:
            body = client.get(page).text
            for href in re.findall(r'href="(/[^"#]*)"', body):
                if href.startswith("/static/") or href in seen:
                    continue
                seen.add(href)
                opened = client.get(href.replace("&amp;", "&"))
                assert opened.status_code == 200, f"{href} on {page}"
    assert {f"/hubs/{hub.slug}/reports/planning", f"/hubs/{empty.slug}/reports/board"} <= seen


def test_a_viewers_access_ends_when_it_expires_even_in_a_session_already_open(app, north):
    viewer = _user(north["viewer_id"])
    client = app.test_client()
    sign_in(client, viewer)
    board = f"/hubs/{north['hub_slug']}/reports/board"
    assert client.get(board).status_code == 200

    viewer.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(board)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    again = client.post("/sign-in", data={"email": viewer.email, "password": PASSWORD})
    assert again.status_code == 422
    assert "Your access to these reports ended on" in again.text
    assert "Ask North Hub to invite you again" in again.text
    # A wrong password still says nothing about the account.
    wrong = client.post("/sign-in", data={"email": viewer.email, "password": "not it at all"})
    assert "Email address or password is not right" in wrong.text


def test_a_lead_withdraws_a_viewer_and_their_open_session_ends_at_once(app, north):
    viewer = _user(north["viewer_id"])
    board_client = app.test_client()
    sign_in(board_client, viewer)
    board = f"/hubs/{north['hub_slug']}/reports/board"
    assert board_client.get(board).status_code == 200
    link_token = LinkToken(
        token_hash="f" * 64, purpose="password", user=viewer, expires_at=utcnow() + timedelta(1)
    )
    db.session.add(link_token)
    db.session.commit()

    lead_client = app.test_client()
    sign_in(lead_client, _user(north["lead_id"]))
    url = f"/hubs/{north['hub_slug']}/sharing/viewers/{viewer.id}/revoke"
    assert lead_client.post(url).status_code == 303

    response = board_client.get(board)
    assert response.status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, viewer.id).active
    assert db.session.scalar(select(func.count()).where(UserSession.user_id == viewer.id)) == 0
    assert db.session.get(LinkToken, link_token.id).used_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "viewer-revoked"))
    assert entry.actor == "lead@north.example" and entry.target.endswith(viewer.email)
    assert entry.detail == "1 session ended"
    assert "Withdrawn" in lead_client.get(f"/hubs/{north['hub_slug']}/sharing/").text
    # Staff are not withdrawn through this page.
    staff = f"/hubs/{north['hub_slug']}/sharing/viewers/{north['user_id']}/revoke"
    assert lead_client.post(staff).status_code == 404


def test_a_withdrawn_viewer_can_be_invited_again_but_staff_cannot_be_made_viewers(
    app, hub, lead_client
):
    assert _invite(lead_client, hub, "chair@trust.example", "30").status_code == 200
    viewer = db.session.scalar(select(User).where(User.email == "chair@trust.example"))
    sharing.revoke_viewer(hub, viewer.id)
    again = _invite(lead_client, hub, "CHAIR@trust.example", "90")
    assert again.status_code == 200
    db.session.expire_all()
    viewer = db.session.get(User, viewer.id)
    assert viewer.active and timedelta(days=89) < viewer.expires_at - utcnow()

    refused = _invite(lead_client, hub, "lead@english.example")
    assert refused.status_code == 422
    assert "already has a staff account" in refused.text
    assert db.session.scalar(select(User.role).where(User.email == "lead@english.example")) == (
        "staff"
    )
    other = make_hub("York Hub")
    make_user("governor@york.example", role="viewer", hubs=[other])
    refused = _invite(lead_client, hub, "governor@york.example")
    assert refused.status_code == 422
    assert "already reads another hub" in refused.text
    for days in ("7", "1000", ""):
        assert _invite(lead_client, hub, "new@trust.example", days).status_code == 422
    assert not db.session.scalar(select(User).where(User.email == "new@trust.example"))


def test_administrators_see_viewers_with_their_role(app, hub, client):
    make_user("chair@trust.example", role="viewer", hubs=[hub])
    sign_in(client, make_user("admin@hub.example", role="admin"))
    page = client.get("/admin/users").text
    row = page.split("chair@trust.example")[1].split("</tr>")[0]
    assert "Viewer (reports only)" in row
    assert "Leeds English Hub" in row


# The migration


def _sql(statement: str, **values):
    return db.session.execute(text(statement), values)


def test_the_sharing_migration_adds_viewers_and_links_and_goes_back_without_them(make_app):
    app = make_app()
    with app.app_context():
        downgrade(revision="0005")
        _sql(
            'INSERT INTO "user" (id, email, role, active, created_at) '
            "VALUES (1, 'lead@x.example', 'staff', true, '2026-01-01')"
        )
        db.session.commit()
        upgrade()

        _sql(
            'INSERT INTO "user" (id, email, role, active, created_at, expires_at) '
            "VALUES (2, 'chair@x.example', 'viewer', true, '2026-01-01', '2027-01-01')"
        )
        _sql(
            "INSERT INTO user_session (user_id, token_hash, created_at, last_seen_at, "
            "user_agent, ip) VALUES (2, 'abc', '2026-01-01', '2026-01-01', '', '')"
        )
        db.session.commit()
        with pytest.raises(IntegrityError, match=r"(?i)check"):
            _sql(
                'INSERT INTO "user" (id, email, role, active, created_at) '
                "VALUES (3, 'x@x.example', 'owner', true, '2026-01-01')"
            )
        db.session.rollback()

        downgrade(revision="0005")
        users = _sql('SELECT id, role FROM "user"').all()
        assert [tuple(u) for u in users] == [(1, "staff")]
        assert _sql("SELECT count(*) FROM user_session").scalar() == 0
        db.session.commit()
        upgrade()
        roles = _sql('SELECT role, expires_at FROM "user"').all()
        assert [tuple(r) for r in roles] == [("staff", None)]
        db.session.commit()

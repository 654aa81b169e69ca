"""The memorandum of understanding: its versions, sending it to heads with private links,
signing it on the school's behalf, withdrawing, renewal each school year, and the walls around
the heads' links."""

import re
from datetime import date, datetime, timedelta

import pytest
from factories import make_hub, make_school, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hubsurvey import school_years
from hubsurvey.contacts.links import new_public_id
from hubsurvey.extensions import db
from hubsurvey.heads import services as heads
from hubsurvey.models import (
    AuditEntry,
    Contact,
    HeadLink,
    Message,
    Mou,
    Partnership,
    Signature,
    StatusChange,
    utcnow,
)
from hubsurvey.mou import services
from hubsurvey.mou.texts import blocks, starting_text

LINK = re.compile(r"http://localhost(/head/[\w-]+)/(mou|school)(?=\s)")
GONE = "This link no longer works"
# Dates in two school years: 2026 to 2027, and the next.
AUTUMN_2026 = datetime(2026, 10, 1, 9, 0)
AUTUMN_2027 = datetime(2027, 9, 6, 9, 0)


@pytest.fixture
def hub(app):
    return make_hub()


@pytest.fixture
def school(hub):
    return make_school(hub, "Hill Primary School")


def _head(school, email="jane.smith@hill.example", name="Jane Smith", opted_out=False):
    contact = Contact(
        hub_id=school.hub_id,
        school_id=school.id,
        kind="head",
        name=name,
        role="Headteacher",
        email=email,
        public_id=new_public_id(),
        opted_out_at=utcnow() if opted_out else None,
    )
    db.session.add(contact)
    db.session.commit()
    return contact


@pytest.fixture
def lead_user(hub):
    return make_user(hubs=[hub])


@pytest.fixture
def lead(client, lead_user):
    sign_in(client, lead_user)
    return client


def _mou(hub, by=None, offers="The hub offers training.", commits="- Release time"):
    latest = services.current_mou(hub)
    return services.save_mou(hub, offers, commits, by, latest.version if latest else None)


def _link(school, now=None):
    link, token = services.new_head_link(school, None, now or utcnow())
    db.session.commit()
    return link, token


def _audit(action):
    return db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)).all()


# School years


def test_a_school_year_runs_from_september_to_august_and_links_end_with_it():
    assert school_years.school_year(date(2026, 8, 31)) == 2025
    assert school_years.school_year(date(2026, 9, 1)) == 2026
    assert school_years.year_words(2026) == "2026 to 2027"
    # 23:59:59 on 31 August in England is 22:59:59 UTC (British Summer Time).
    assert school_years.year_ends(2026) == datetime(2027, 8, 31, 22, 59, 59)
    # Just after midnight on 1 September in England is still 31 August in UTC.
    assert school_years.this_year(datetime(2026, 8, 31, 23, 30)) == 2026


def test_from_august_the_memorandum_is_signed_for_the_coming_year(client, hub, lead):
    # 23:30 UTC on 31 July is 00:30 on 1 August in England.
    assert school_years.signing_year(datetime(2027, 7, 31, 22, 59)) == 2026
    assert school_years.signing_year(datetime(2027, 7, 31, 23, 30)) == 2027
    assert school_years.signing_year(datetime(2027, 8, 31, 12, 0)) == 2027
    assert school_years.signing_year(datetime(2027, 9, 15, 12, 0)) == 2027
    assert school_years.signing_year(datetime(2027, 6, 1, 12, 0)) == 2026
    # A head's link made in late August works until the end of the coming year, and the
    # signature through it is for that year.
    school = make_school(hub, name="Beck Primary")
    services.save_mou(hub, "We offer training.", "- Release time", None, None)
    late_august = datetime(2027, 8, 20, 9, 0)
    link, _token = services.new_head_link(school, None, late_august)
    assert link.expires_at == school_years.year_ends(2027)
    signature = heads.sign(link, 1, "Ann Head", "Headteacher", "", late_august)
    assert signature.school_year == 2027


# Versions


def test_the_first_version_starts_from_the_wording_for_the_hubs_kind(app, lead, hub):
    page = lead.get(f"/hubs/{hub.slug}/mou/edit")
    assert page.status_code == 200
    assert "early career teachers" in page.text  # a teaching school hub's focus
    assert "A senior leader attends the hub&#39;s network meetings" in page.text
    careers = make_hub("Coast Careers Hub", "careers-hub")
    assert "Gatsby benchmarks" in starting_text(careers).hub_offers
    maths = make_hub("Fen Maths Hub", "maths-hub")
    assert "Professional development in Mathematics" in starting_text(maths).hub_offers


def test_saving_makes_version_one_then_new_versions_and_never_changes_a_signed_one(
    lead, hub, school, lead_user
):
    data = {"hub_offers": "CPD\r\n\r\n- Network meetings  ", "school_commits": "- Release time"}
    saved = lead.post(f"/hubs/{hub.slug}/mou/edit", data=data | {"based_on": ""})
    assert saved.status_code == 303
    first = services.current_mou(hub)
    assert (first.version, first.hub_offers, first.created_by_id) == (
        1,
        "CPD\n\n- Network meetings",
        lead_user.id,
    )
    link, _token = _link(school)
    heads.sign(link, 1, "Jane Smith", "Headteacher", "192.0.2.7")
    # Saved again unchanged: no new version.
    again = lead.post(f"/hubs/{hub.slug}/mou/edit", data=data | {"based_on": "1"})
    assert again.status_code == 303
    assert db.session.scalar(db.select(db.func.count(Mou.id))) == 1
    changed = data | {"school_commits": "- Release time\n- A senior leader at meetings"}
    assert lead.post(f"/hubs/{hub.slug}/mou/edit", data=changed | {"based_on": "1"}).status_code
    db.session.expire_all()
    versions = services.versions(hub)
    assert [m.version for m in versions] == [2, 1]
    assert versions[1].school_commits == "- Release time"  # as the head signed it
    assert db.session.get(Signature, 1).mou.version == 1
    assert [e.detail for e in _audit("mou-saved")] == ["The first version", "Replaces version 1"]
    page = lead.get(f"/hubs/{hub.slug}/mou")
    assert "version 2" in page.text and "Version 1, saved on" in page.text
    assert "signed 1 time" in page.text


def test_a_version_saved_meanwhile_is_not_overwritten(lead, hub):
    _mou(hub)
    _mou(hub, commits="- Release time, by a colleague")
    data = {"hub_offers": "Mine", "school_commits": "- Mine", "based_on": "1"}
    response = lead.post(f"/hubs/{hub.slug}/mou/edit", data=data)
    assert response.status_code == 409
    assert "Someone saved version 2 while you were editing" in response.text
    assert services.current_mou(hub).school_commits == "- Release time, by a colleague"
    assert 'name="based_on" type="hidden" value="2"' in response.text


def test_the_text_is_shown_as_paragraphs_and_bullet_points_and_never_as_html(lead, hub):
    text = "We offer <b>training</b>.\nOn two lines.\n\n- <script>alert(1)</script>\n- Visits"
    _mou(hub, offers=text)
    page = lead.get(f"/hubs/{hub.slug}/mou").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "We offer &lt;b&gt;training&lt;/b&gt;.<br>On two lines.</p>" in page
    assert "<li>Visits</li>" in page
    assert [(b.kind, b.lines) for b in blocks(text)] == [
        ("p", ["We offer <b>training</b>.", "On two lines."]),
        ("ul", ["<script>alert(1)</script>", "Visits"]),
    ]


def test_a_blank_or_huge_memorandum_is_refused(lead, hub):
    for offers in ("  \n ", "x" * 10_001):
        data = {"hub_offers": offers, "school_commits": "- Release", "based_on": ""}
        assert lead.post(f"/hubs/{hub.slug}/mou/edit", data=data).status_code == 422
    assert services.current_mou(hub) is None


# Sending


def test_sending_puts_a_message_with_a_working_private_link_in_the_outbox(app, lead, hub, school):
    _head(school)
    _mou(hub, offers="Network meetings each term.")
    sent = lead.post(f"/hubs/{hub.slug}/schools/{school.id}/mou/send")
    assert sent.status_code == 303 and sent.headers["Location"].endswith("#mou")
    message = db.session.scalar(db.select(Message))
    assert (message.kind, message.to_email, message.state) == (
        "mou",
        "jane.smith@hill.example",
        "waiting",
    )
    assert "Dear Jane Smith," in message.body and "Hill Primary School" in message.body
    path, page = LINK.search(message.body).groups()
    assert page == "mou"
    link = db.session.scalar(db.select(HeadLink))
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 43 and token not in link.token_hash
    assert link.token_hash == services.token_hash(token)
    assert link.expires_at == school_years.year_ends(school_years.this_year())
    assert message.key == f"mou:{school.id}:{school_years.this_year()}:link{link.id}"
    head = app.test_client()
    opened = head.get(f"{path}/mou")
    assert opened.status_code == 200
    assert "Network meetings each term." in opened.text
    assert "I agree on behalf of Hill Primary School to this memorandum for" in opened.text
    assert 'value="Jane Smith"' in opened.text  # filled in from the school's head
    assert opened.headers["Cache-Control"] == "no-store"
    db.session.refresh(link)
    assert link.opens == 1 and link.last_opened_at is not None
    [entry] = _audit("mou-sent")
    assert entry.target == f"school {school.id}: Hill Primary School"
    assert entry.detail.startswith("Version 1, for ")
    page = lead.get(f"/hubs/{hub.slug}/schools/{school.id}")
    assert "Not signed for" in page.text and "Opened" in page.text


def test_without_a_head_email_nothing_is_sent_and_the_page_says_how_to_add_one(lead, hub, school):
    _mou(hub)
    page = lead.get(f"/hubs/{hub.slug}/schools/{school.id}").text
    assert "no email address for its headteacher" in page
    assert f"/schools/{school.id}/contacts/head" in page and "Add the headteacher" in page
    sent = lead.post(f"/hubs/{hub.slug}/schools/{school.id}/mou/send", follow_redirects=True)
    assert "Not sent to: Hill Primary School (no email address for its headteacher)" in sent.text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0
    assert db.session.scalar(db.select(db.func.count(HeadLink.id))) == 0
    _head(school, opted_out=True)
    sent = lead.post(f"/hubs/{hub.slug}/schools/{school.id}/mou/send", follow_redirects=True)
    assert "asked the hub to stop emailing them" in sent.text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_nothing_is_sent_before_the_memorandum_is_written(lead, hub, school):
    _head(school)
    sent = lead.post(f"/hubs/{hub.slug}/schools/{school.id}/mou/send", follow_redirects=True)
    assert "Write the hub&#39;s memorandum first" in sent.text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 0


def test_sending_to_every_school_that_has_not_signed(lead, hub, school):
    signed, _unreachable, left = (
        make_school(hub, name) for name in ("Signed School", "Quiet School", "Gone School")
    )
    db.session.get(Partnership, (hub.id, left.id)).status = "left"
    for each in (school, signed, left):
        _head(each, email=f"head{each.id}@school.example")
    _mou(hub)
    link, _token = _link(signed)
    heads.sign(link, 1, "Sam Signed", "Headteacher", "")
    page = lead.get(f"/hubs/{hub.slug}/mou").text
    assert "1 of 4 schools has signed for" in page
    assert "2 have not signed yet" in page  # Hill and Quiet: Gone has left
    response = lead.post(f"/hubs/{hub.slug}/mou/send", follow_redirects=True)
    assert "Sent the memorandum to the head of Hill Primary School; 1 skipped." in response.text
    assert "Quiet School (no email address for its headteacher)" in response.text
    messages = db.session.scalars(db.select(Message)).all()
    assert [m.school_id for m in messages] == [school.id]
    # Pressed again: nobody is written to twice within a week.
    again = lead.post(f"/hubs/{hub.slug}/mou/send", follow_redirects=True)
    assert "Hill Primary School (sent on" in again.text
    assert db.session.scalar(db.select(db.func.count(Message.id))) == 1


def test_a_week_later_the_heads_who_have_not_signed_are_sent_it_again(hub, school):
    _head(school)
    _mou(hub)
    services.send_to_unsigned(hub, None, AUTUMN_2026)
    assert not services.send_to_unsigned(hub, None, AUTUMN_2026 + timedelta(days=6)).schools
    later = services.send_to_unsigned(hub, None, AUTUMN_2026 + timedelta(days=8))
    assert later.schools == [school]


def test_sending_the_head_their_schools_view(app, lead, hub, school):
    _head(school)
    sent = lead.post(f"/hubs/{hub.slug}/schools/{school.id}/head-view/send")
    assert sent.status_code == 303
    message = db.session.scalar(db.select(Message))
    assert message.kind == "head-view"
    assert message.subject == f"Hill Primary School's view of its work with {hub.name}"
    path, page = LINK.search(message.body).groups()
    assert page == "school"
    assert app.test_client().get(f"{path}/school").status_code == 200
    assert [e.action for e in _audit("head-view-sent")] == ["head-view-sent"]


# Signing


def test_a_head_signs_and_the_school_is_mou_signed_with_a_printable_copy(app, lead, hub, school):
    _head(school)
    _mou(hub)
    link, token = _link(school)
    head = app.test_client()
    year = school_years.year_words(school_years.this_year())
    data = {
        "signed_name": " Jane   Smith ",
        "signed_role": "Executive headteacher",
        "agree": "y",
        "version": "1",
    }
    signed = head.post(f"/head/{token}/mou", data=data)
    assert signed.status_code == 303 and signed.headers["Location"].endswith("/mou/signed")
    signature = db.session.scalar(db.select(Signature))
    assert (signature.signed_name, signature.signed_role) == ("Jane Smith", "Executive headteacher")
    assert (signature.mou.version, signature.head_link_id, signature.school_id) == (
        1,
        link.id,
        school.id,
    )
    assert signature.school_year == school_years.this_year()
    assert signature.signed_from == "127.0.0.1" and signature.withdrawn_at is None
    partnership = db.session.get(Partnership, (hub.id, school.id))
    assert partnership.status == "mou-signed"
    change = db.session.scalar(db.select(StatusChange).order_by(StatusChange.id.desc()))
    assert (change.status, change.changed_by_id) == ("mou-signed", None)
    assert change.note == f"Signed by Jane Smith, Executive headteacher, for {year}"
    [entry] = _audit("mou-signed")
    assert entry.detail == f"Signed version 1 for {year}" and entry.user_id is None
    # The head's name is in the signature, not the audit log.
    assert not [e for e in db.session.scalars(db.select(AuditEntry)) if "Jane" in e.detail]
    copy = head.get(f"/head/{token}/mou/signed")
    assert copy.status_code == 200
    assert "Thank you." in copy.text and "Jane Smith, Executive headteacher" in copy.text
    assert "app-print-only" in copy.text and "css/print.css" in copy.text
    page = lead.get(f"/hubs/{hub.slug}/schools/{school.id}").text
    assert "MoU signed" in page and f"for {year}: version 1" in page
    staff_copy = lead.get(f"/hubs/{hub.slug}/schools/{school.id}/mou/{signature.id}")
    assert staff_copy.status_code == 200 and "192.0.2" not in staff_copy.text
    assert "127.0.0.1" in staff_copy.text and "Jane Smith" in staff_copy.text
    # The form is gone, and sending it again is refused.
    assert 'name="signed_name"' not in head.get(f"/head/{token}/mou").text
    assert head.post(f"/head/{token}/mou", data=data).status_code == 409
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 1


def test_an_active_school_stays_active_when_its_head_signs(hub, school):
    db.session.get(Partnership, (hub.id, school.id)).status = "active"
    _mou(hub)
    link, _token = _link(school)
    heads.sign(link, 1, "Jane Smith", "Headteacher", "")
    assert db.session.get(Partnership, (hub.id, school.id)).status == "active"


def test_a_head_who_read_an_older_version_is_asked_to_read_the_new_one(app, hub, school):
    _mou(hub)
    _link_row, token = _link(school)
    _mou(hub, offers="Changed while the head was reading.")
    data = {"signed_name": "Jane Smith", "signed_role": "Headteacher", "agree": "y"}
    response = app.test_client().post(f"/head/{token}/mou", data=data | {"version": "1"})
    assert response.status_code == 409
    assert "changed the memorandum while you were reading it" in response.text
    assert "Changed while the head was reading." in response.text
    assert 'name="version" type="hidden" value="2"' in response.text
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


@pytest.mark.parametrize(
    "missing",
    [
        ({"signed_name": ""}, "Enter your full name"),
        ({"signed_role": " "}, "Enter your role"),
        ({"agree": ""}, "Tick the box to agree"),
        ({"version": "two"}, "Reload the page"),
    ],
)
def test_a_signature_without_a_name_role_or_agreement_is_refused(app, hub, school, missing):
    _mou(hub)
    _link_row, token = _link(school)
    data = {"signed_name": "Jane Smith", "signed_role": "Headteacher", "agree": "y"}
    changes, message = missing
    response = app.test_client().post(f"/head/{token}/mou", data=data | {"version": "1"} | changes)
    assert response.status_code == 422 and message in response.text
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0


# Links that do not work


def test_unknown_withdrawn_and_expired_links_are_refused_alike(app, lead, hub, school):
    _mou(hub)
    revoked, revoked_token = _link(school)
    _expired, expired_token = _link(school, now=datetime(2025, 10, 1))
    working, _working_token = _link(school)
    withdrawn = lead.post(f"/hubs/{hub.slug}/schools/{school.id}/head-links/{revoked.id}/revoke")
    assert withdrawn.status_code == 303
    db.session.refresh(revoked)
    assert revoked.revoked_at is not None
    [entry] = _audit("head-link-revoked")
    assert entry.target == f"school {school.id}: Hill Primary School"
    head = app.test_client()
    pages = ["", "/mou", "/mou/signed", "/withdraw", "/school"]
    refusals = set()
    for token in (revoked_token, expired_token, "x" * 43, "no-such-link"):
        for page in pages:
            response = head.get(f"/head/{token}{page}")
            assert response.status_code == 404, (token, page)
            assert GONE in response.text and "Hill Primary" not in response.text
            # The same page but for the CSRF token, which is signed with the time.
            refusals.add(re.sub(r"[-\w.]{40,}", "TOKEN", response.text))
        data = {"signed_name": "Jane", "signed_role": "Head", "agree": "y", "version": "1"}
        assert head.post(f"/head/{token}/mou", data=data).status_code == 404
        assert head.post(f"/head/{token}/withdraw", data={"name": "J", "confirm": "y"}).status_code
    assert len(refusals) == 1  # the same page, whatever the reason
    assert db.session.scalar(db.select(db.func.count(Signature.id))) == 0
    assert db.session.get(Partnership, (hub.id, school.id)).status == "invited"
    assert services.find_head_link(expired_token, datetime(2026, 8, 31, 22, 0)) is not None
    assert working.works(utcnow())


def test_guessing_links_is_slowed(make_app):
    app = make_app(HEAD_LINK_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.get(f"/head/guess{n}").status_code for n in range(5)]
    assert codes == [404, 404, 404, 429, 429]


# Withdrawal and renewal


def test_a_head_withdraws_and_the_school_has_left(app, hub, school):
    _mou(hub)
    link, token = _link(school)
    heads.sign(link, 1, "Jane Smith", "Headteacher", "")
    head = app.test_client()
    page = head.get(f"/head/{token}/withdraw")
    assert "We are leaving the hub&#39;s programme" in page.text
    assert head.post(f"/head/{token}/withdraw", data={"name": "Jane Smith"}).status_code == 422
    left = head.post(
        f"/head/{token}/withdraw",
        data={"name": "Jane Smith", "confirm": "y"},
        follow_redirects=True,
    )
    assert "is leaving its programme" in left.text
    signature = db.session.scalar(db.select(Signature))
    assert signature.withdrawn_at is not None
    assert db.session.get(Partnership, (hub.id, school.id)).status == "left"
    change = db.session.scalar(db.select(StatusChange).order_by(StatusChange.id.desc()))
    assert (change.status, change.note) == (
        "left",
        "Withdrawn by Jane Smith, through the head's link",
    )
    [entry] = _audit("mou-withdrawn")
    assert entry.detail.startswith("Withdrew version 1 for ") and "Jane" not in entry.detail
    # Once left, the button is gone and a second press changes nothing.
    again = head.post(f"/head/{token}/withdraw", data={"name": "Jane Smith", "confirm": "y"})
    assert again.status_code == 409 and "has left" in again.text
    assert len(_audit("mou-withdrawn")) == 1


def test_a_signature_covers_one_school_year_and_heads_sign_again_the_next(hub, school):
    _mou(hub)
    link, token = _link(school, now=AUTUMN_2026)
    heads.sign(link, 1, "Jane Smith", "Headteacher", "", now=AUTUMN_2026)
    assert services.unsigned(hub, AUTUMN_2026) == []
    with pytest.raises(heads.SigningError, match="already signed for 2026 to 2027"):
        heads.sign(link, 1, "Jane Smith", "Headteacher", "", now=AUTUMN_2026)
    # September 2027: last year's signature does not count, and last year's link has ended.
    assert services.unsigned(hub, AUTUMN_2027) == [school]
    assert services.find_head_link(token, AUTUMN_2026) is not None
    assert services.find_head_link(token, AUTUMN_2027) is None
    partnership = db.session.get(Partnership, (hub.id, school.id))
    state = services.school_mou(partnership, AUTUMN_2027)
    assert state.signature is None and state.last_year.school_year == 2026
    new_link, _new_token = _link(school, now=AUTUMN_2027)
    heads.sign(new_link, 1, "Jane Smith", "Headteacher", "", now=AUTUMN_2027)
    years = db.session.scalars(db.select(Signature.school_year).order_by(Signature.id)).all()
    assert years == [2026, 2027]
    assert services.school_mou(partnership, AUTUMN_2027).signature.school_year == 2027
    assert new_link.expires_at == datetime(2028, 8, 31, 22, 59, 59)


def test_the_school_page_says_who_has_not_signed_for_this_year(lead, hub, school):
    _head(school)
    _mou(hub)
    year = school_years.year_words(school_years.this_year())
    page = lead.get(f"/hubs/{hub.slug}/schools/{school.id}").text
    assert f"Not signed for {year}" in page
    assert "Send the memorandum to the head" in page
    assert "Send the head their school&#39;s view" in page
    mou_page = lead.get(f"/hubs/{hub.slug}/mou").text
    assert f"Schools in {year}" in mou_page and "<strong>Not signed</strong>" in mou_page
    assert "Send to the heads of schools that have not signed for this school year" in mou_page


# Hub against hub


def test_one_hubs_staff_cannot_send_revoke_or_see_another_hubs_memorandum(app, lead, hub):
    theirs = make_hub("South Hub", "maths-hub")
    their_school = make_school(theirs, "South School")
    _head(their_school)
    _mou(theirs)
    link, _token = _link(their_school)
    signature = heads.sign(link, 1, "Sam South", "Headteacher", "")
    mine = make_school(hub, "Hill Primary School")
    before = db.session.scalar(db.select(db.func.count(Message.id)))
    for method, path in [
        ("GET", f"/hubs/{theirs.slug}/mou"),
        ("GET", f"/hubs/{theirs.slug}/mou/edit"),
        ("POST", f"/hubs/{theirs.slug}/mou/send"),
        ("POST", f"/hubs/{theirs.slug}/schools/{their_school.id}/mou/send"),
        ("POST", f"/hubs/{hub.slug}/schools/{their_school.id}/mou/send"),
        ("POST", f"/hubs/{hub.slug}/schools/{their_school.id}/head-view/send"),
        ("POST", f"/hubs/{hub.slug}/schools/{their_school.id}/head-links/{link.id}/revoke"),
        ("POST", f"/hubs/{hub.slug}/schools/{mine.id}/head-links/{link.id}/revoke"),
        ("GET", f"/hubs/{hub.slug}/schools/{their_school.id}/mou/{signature.id}"),
        ("GET", f"/hubs/{hub.slug}/schools/{mine.id}/mou/{signature.id}"),
    ]:
        assert lead.open(path, method=method).status_code == 404, path
    db.session.refresh(link)
    assert link.revoked_at is None
    assert db.session.scalar(db.select(db.func.count(Message.id))) == before
    assert "South" not in lead.get(f"/hubs/{hub.slug}/mou").text


def test_a_viewer_cannot_open_the_memorandum_pages(app, client, hub, school):
    viewer = make_user("board@hub.example", role="viewer", hubs=[hub])
    viewer.expires_at = utcnow() + timedelta(days=30)
    db.session.commit()
    sign_in(client, viewer)
    assert client.get(f"/hubs/{hub.slug}/mou").status_code == 404
    assert client.post(f"/hubs/{hub.slug}/schools/{school.id}/mou/send").status_code == 404


# Hostile values on the signing form

HOSTILE = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
typed = st.text(st.characters(codec="utf-8"), max_size=300)
field = st.one_of(
    typed,
    st.sampled_from(
        ["", " ", "\x00", "Jane\x00Smith", "x" * 5000, "<b>Jane</b>", "\u0661", "1e308"]
    ),
    st.lists(typed, min_size=2, max_size=3),
)


@HOSTILE
@given(
    name=field,
    role=field,
    agree=st.one_of(st.just("y"), field),
    version=st.one_of(st.just("1"), field),
)
def test_hostile_values_on_the_signing_form_are_refused_or_stored_clean(
    app, hub, school, name, role, agree, version
):
    if services.current_mou(hub) is None:
        _mou(hub)
    _link_row, token = _link(school)
    data = {"signed_name": name, "signed_role": role, "agree": agree, "version": version}
    response = app.test_client().post(f"/head/{token}/mou", data=data)
    assert response.status_code in (303, 409, 422), response.status_code
    assert "<b>Jane</b>" not in response.text
    db.session.rollback()
    for signature in db.session.scalars(db.select(Signature)):
        for text in (signature.signed_name, signature.signed_role):
            assert text and text == " ".join(text.split()) and len(text) <= 120
            assert not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)
        # Signed once for the year: the school's later links find it signed.
        db.session.delete(signature)
        db.session.get(Partnership, (hub.id, school.id)).status = "invited"
    db.session.commit()

from flask import abort, flash, g, redirect, render_template, url_for
from flask_login import current_user

from hubsurvey.hubs.services import find_partnership
from hubsurvey.models import Partnership, utcnow
from hubsurvey.mou import bp, services, texts
from hubsurvey.mou.forms import MouForm
from hubsurvey.outbox.services import mail_configured
from hubsurvey.school_years import signing_year, year_words


@bp.app_template_filter("mou_blocks")
def mou_blocks(text: str) -> list[texts.Block]:
    """A memorandum's text as paragraphs and lists (mou/_text.html shows them)."""
    return texts.blocks(text)


def _me():
    """The signed-in user, as a row to store (not flask-login's proxy)."""
    return current_user._get_current_object()


def _partnership(school_id: int) -> Partnership:
    """One of this hub's schools; another hub's, or none, is a 404."""
    return find_partnership(g.hub, school_id) or abort(404)


def _to_school(partnership: Partnership):
    return redirect(url_for("hubs.school", school_id=partnership.school_id, _anchor="mou"), 303)


def _report(sent: services.Sent, what: str) -> None:
    if sent.schools:
        words = sent.summary(what)
        if not mail_configured():
            words += " The messages are waiting in the outbox: no mail server is set up."
        flash(words)
    if sent.skipped:
        flash(
            "Not sent to: " + "; ".join(f"{school.name} ({why})" for school, why in sent.skipped),
            "error",
        )


@bp.get("/mou")
def index():
    """The current version, the schools that have signed it this school year and those
    that have not, and every earlier version."""
    now = utcnow()
    rows = services.schools_this_year(g.hub, now)
    waiting = [r for r in rows if r.signature is None and r.partnership.status != "left"]
    versions = services.versions(g.hub)
    return render_template(
        "mou/index.html",
        versions=versions,
        authors=services.authors(versions),
        signed_counts=services.signature_counts(g.hub),
        rows=rows,
        waiting=waiting,
        reachable=[r for r in waiting if r.problem is None],
        year=year_words(signing_year(now)),
    )


@bp.route("/mou/edit", methods=["GET", "POST"])
def edit():
    """Edit the text: saving makes a new version, so what heads signed stays as they read it."""
    current = services.current_mou(g.hub)
    form = MouForm()
    if not form.is_submitted():
        source = current or texts.starting_text(g.hub)
        form.hub_offers.data, form.school_commits.data = source.hub_offers, source.school_commits
        form.based_on.data = str(current.version) if current else ""
    conflict = None
    if form.validate_on_submit():
        try:
            mou = services.save_mou(
                g.hub, form.hub_offers.data, form.school_commits.data, _me(), form.base_version
            )
        except services.MouConflict:
            # Someone saved another version meanwhile: show it, and keep what this lead typed.
            conflict = services.current_mou(g.hub)
            form.based_on.data = str(conflict.version) if conflict else ""
        else:
            if mou is None:
                flash("Nothing changed, so no new version was made.")
            else:
                flash(f"Saved version {mou.version}. Heads who open their link now read this one.")
            return redirect(url_for("mou.index"), 303)
    page = render_template("mou/edit.html", form=form, current=current, conflict=conflict)
    return page, 409 if conflict else (422 if form.errors else 200)


@bp.post("/mou/send")
def send_to_unsigned():
    """Send the current version to the heads of every school not signed for this year."""
    try:
        sent = services.send_to_unsigned(g.hub, _me())
    except services.NoMou:
        flash("Save the memorandum first: there is nothing for heads to sign yet.", "error")
        return redirect(url_for("mou.index"), 303)
    if not sent.schools and not sent.skipped:
        flash("Every school has signed for this school year: nothing to send.")
    _report(sent, "the memorandum")
    return redirect(url_for("mou.index", _anchor="schools"), 303)


@bp.post("/schools/<int:school_id>/mou/send")
def send_to_school(school_id: int):
    partnership = _partnership(school_id)
    school = partnership.school
    year = signing_year()
    if services.year_signature(school, year) is not None:
        flash(f"{school.name} has already signed for {year_words(year)}.")
        return _to_school(partnership)
    try:
        sent = services.send_mou(g.hub, [school], _me())
    except services.NoMou:
        flash("Write the hub's memorandum first: there is nothing for heads to sign yet.", "error")
        return _to_school(partnership)
    _report(sent, "the memorandum")
    return _to_school(partnership)


@bp.post("/schools/<int:school_id>/head-view/send")
def send_view(school_id: int):
    partnership = _partnership(school_id)
    _report(services.send_view(g.hub, partnership.school, _me()), "their school's view")
    return _to_school(partnership)


@bp.post("/schools/<int:school_id>/head-links/<int:head_link_id>/revoke")
def revoke_link(school_id: int, head_link_id: int):
    partnership = _partnership(school_id)
    link = services.revoke_head_link(partnership.school, head_link_id, _me()) or abort(404)
    flash(f"The head's link made on {services.day_words(link.created_at)} no longer works.")
    return _to_school(partnership)


@bp.get("/schools/<int:school_id>/mou/<int:signature_id>")
def signed_copy(school_id: int, signature_id: int):
    """A signed copy, to print: the version the head signed, and who, when and from where."""
    partnership = _partnership(school_id)
    signature = services.hub_signature(g.hub, school_id, signature_id) or abort(404)
    return render_template(
        "mou/signed.html",
        signature=signature,
        school=partnership.school,
        hub=g.hub,
        year=year_words(signature.school_year),
    )

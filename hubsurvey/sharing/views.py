from datetime import timedelta

from flask import abort, current_app, flash, g, redirect, render_template, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user

from hubsurvey.auth.services import AccountError, find_link
from hubsurvey.extensions import limiter
from hubsurvey.models import utcnow
from hubsurvey.models.base import in_uk
from hubsurvey.outbox import services as outbox
from hubsurvey.reports.board import board_report
from hubsurvey.reports.summary import SCORE_RULE
from hubsurvey.sharing import bp, services, shared_bp
from hubsurvey.sharing.forms import ShareLinkForm, ViewerForm

# What a shared page says to search engines, caches and the sites it links to.
SHARED_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


# Hub staff: the "Share the report" page


def _page(link_form: ShareLinkForm | None = None, viewer_form: ViewerForm | None = None):
    link_form = link_form or ShareLinkForm(formdata=None)
    viewer_form = viewer_form or ViewerForm(formdata=None)
    status = 422 if link_form.errors or viewer_form.errors else 200
    return render_template(
        "sharing/index.html",
        link_form=link_form,
        viewer_form=viewer_form,
        links=services.hub_links(g.hub),
        viewers=services.hub_viewers(g.hub),
        now=utcnow(),
    ), status


@bp.get("/")
def index():
    return _page()


@bp.post("/links")
def create_link():
    form = ShareLinkForm()
    if not form.validate_on_submit():
        return _page(link_form=form)
    link, token = services.create_link(
        g.hub, form.label.data, int(form.link_days.data), by=current_user._get_current_object()
    )
    # Shown this once: only the token's hash is kept.
    url = url_for("shared.report", token=token, _external=True)
    return render_template("sharing/link_made.html", link=link, url=url)


@bp.post("/links/<int:link_id>/revoke")
def revoke_link(link_id: int):
    link = services.revoke_link(g.hub, link_id) or abort(404)
    flash(f"The link for “{link.label}” no longer works.")
    return redirect(url_for("sharing.index"), 303)


@bp.post("/viewers")
def invite_viewer():
    form = ViewerForm()
    if not form.validate_on_submit():
        return _page(viewer_form=form)
    days = current_app.config["PASSWORD_LINK_DAYS"]
    try:
        viewer, token = services.invite_viewer(
            g.hub, form.email.data, int(form.viewer_days.data), timedelta(days=days)
        )
    except AccountError as error:
        form.email.errors.append(str(error))
        return _page(viewer_form=form)
    url = url_for("auth.set_password", token=token, _external=True)
    # Emailed too when a mail server is set up; shown either way, for another way to send it.
    why = (
        f"{g.hub.name} has invited you to read its reports on hubsurvey until "
        f"{in_uk(viewer.expires_at):%-d %B %Y}: the report for the board, training needs, "
        "feedback and planning. You can read them, not change them."
    )
    emailed = outbox.email_password_link(
        viewer, url, find_link(token, "password").id, days, why=why, hub=g.hub
    )
    return render_template(
        "sharing/viewer_invited.html", viewer=viewer, url=url, days=days, emailed=emailed
    )


@bp.post("/viewers/<int:viewer_id>/revoke")
def revoke_viewer(viewer_id: int):
    viewer = services.revoke_viewer(g.hub, viewer_id) or abort(404)
    flash(f"{viewer.email} can no longer read this hub's reports.")
    return redirect(url_for("sharing.index"), 303)


# Anyone holding a link: the report for the board, read-only


def _wrong_token(response) -> bool:
    return response.status_code == 404


@shared_bp.get("/shared/<token>")
@limiter.limit(
    # Only links that do not work count, so a board opening a good link never runs out.
    lambda: current_app.config["SHARE_LINK_LIMIT"],
    key_func=get_remote_address,
    deduct_when=_wrong_token,
    override_defaults=False,
)
def report(token: str):
    link = services.find_link(token)
    if link is None:
        return render_template("sharing/gone.html"), 404, SHARED_HEADERS
    services.note_opened(link)
    # The report's template reads the hub from g, as on the staff page.
    g.hub = link.hub
    page = render_template(
        "sharing/report.html",
        link=link,
        report=board_report(link.hub),
        score_rule=SCORE_RULE,
    )
    return page, 200, SHARED_HEADERS

from flask import flash, redirect, render_template, request, url_for

from hubsurvey import private_links
from hubsurvey.activities.forms import hours_text
from hubsurvey.contacts.services import HEAD_ROLE, find_contact
from hubsurvey.extensions import db
from hubsurvey.heads import bp, services, view
from hubsurvey.heads.forms import SignForm, WithdrawForm
from hubsurvey.inputs import whole_number
from hubsurvey.models import HeadLink, utcnow
from hubsurvey.mou.services import (
    current_mou,
    find_head_link,
    school_mou,
    school_signatures,
    year_signature,
)
from hubsurvey.school_years import signing_year, year_words

head_links = private_links.limit("HEAD_LINK_LIMIT", "head-link")


def _page(template: str, link: HeadLink, status: int = 200, **context):
    school = link.school
    page = render_template(
        template, token=request.view_args["token"], school=school, hub=school.hub, **context
    )
    return page, status, private_links.PUBLIC_HEADERS


@bp.get("")
@head_links
def home(token: str):
    """What the head can do: read and sign the memorandum, and see their school's view."""
    link = find_head_link(token)
    if link is None:
        return private_links.gone()
    services.note_visit(link)
    partnership = services.partnership_of(link)
    return _page(
        "heads/home.html",
        link,
        mou=school_mou(partnership) if partnership else None,
        status_label=partnership.status_label if partnership else "",
        left=partnership is None or partnership.status == "left",
    )


@bp.route("/mou", methods=["GET", "POST"])
@head_links
def mou(token: str):
    """The memorandum to read, and, unless the school has signed for this year, the form to
    sign it."""
    link = find_head_link(token)
    if link is None:
        return private_links.gone()
    school = link.school
    year = signing_year()
    form = SignForm()
    form.agree.label.text = (
        f"I agree on behalf of {school.name} to this memorandum for {year_words(year)}"
    )
    signed = year_signature(school, year)
    current = current_mou(school.hub)
    refusal, status = None, 200
    if request.method == "GET":
        services.note_visit(link)
        head = find_contact(school, "head")
        if head is not None:
            form.signed_name.data = head.name
            form.signed_role.data = head.role or HEAD_ROLE
    elif signed is not None or current is None:
        status = 409  # the page says why: signed already, or nothing to sign yet
    elif form.validate_on_submit():
        try:
            services.sign(
                link,
                whole_number(form.version.data),
                form.signed_name.data,
                form.signed_role.data,
                request.remote_addr or "",
            )
        except services.SigningError as error:
            db.session.rollback()
            refusal, status = str(error), 409
            current, signed = current_mou(school.hub), year_signature(school, year)
        else:
            return redirect(url_for(".signed", token=token), 303)
    else:
        status = 422
    if current is not None:
        form.version.data = str(current.version)
    return _page(
        "heads/mou.html",
        link,
        status,
        form=form,
        current=current,
        signed=signed,
        refusal=refusal,
        year=year_words(year),
    )


@bp.get("/mou/signed")
@head_links
def signed(token: str):
    """The school's latest signature: a confirmation, and a copy to print or save."""
    link = find_head_link(token)
    if link is None:
        return private_links.gone()
    signatures = school_signatures(link.school)
    if not signatures:
        return redirect(url_for(".mou", token=token), 303)
    services.note_visit(link)
    signature = signatures[0]
    return _page(
        "heads/signed.html",
        link,
        signature=signature,
        year=year_words(signature.school_year),
        just_signed=signature.head_link_id == link.id
        and signature.withdrawn_at is None
        and signature.school_year == signing_year(),
    )


@bp.route("/withdraw", methods=["GET", "POST"])
@head_links
def withdraw(token: str):
    """Leaving the hub's programme, with a confirmation."""
    link = find_head_link(token)
    if link is None:
        return private_links.gone()
    partnership = services.partnership_of(link)
    left = partnership is None or partnership.status == "left"
    form = WithdrawForm()
    status = 200
    if request.method == "GET":
        services.note_visit(link)
        head = find_contact(link.school, "head")
        if head is not None:
            form.name.data = head.name
    elif left:
        status = 409
    elif form.validate_on_submit():
        hub = link.school.hub
        if services.withdraw(link, form.name.data):
            flash(f"{hub.name} has been told that {link.school.name} is leaving its programme.")
        return redirect(url_for(".home", token=token), 303)
    else:
        status = 422
    return _page(
        "heads/withdraw.html",
        link,
        status,
        form=form,
        left=left,
        signature=year_signature(link.school, signing_year()),
        year=year_words(signing_year()),
    )


@bp.get("/school")
@head_links
def school(token: str):
    """The school's view: read-only, this school's figures and the network's only."""
    link = find_head_link(token)
    if link is None:
        return private_links.gone()
    now = utcnow()
    services.note_visit(link, school_view=True, now=now)
    hub, school = link.school.hub, link.school
    partnership = services.partnership_of(link)
    return _page(
        "heads/school.html",
        link,
        view=view.school_view(hub, school, now),
        mou=school_mou(partnership, now) if partnership else None,
        smallest=hub.smallest_group,
        hours_text=hours_text,
    )

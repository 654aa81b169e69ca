from flask import abort, flash, g, redirect, render_template, url_for

from hubsurvey import private_links
from hubsurvey.contacts import bp, contact_page_bp, services
from hubsurvey.contacts.forms import ContactForm
from hubsurvey.contacts.links import find_contact
from hubsurvey.models import School
from hubsurvey.vocabulary import CONTACT_KINDS

KIND = "<any(head, main):kind>"


# Hub staff: a school's headteacher and main contact


def _school(school_id: int) -> School:
    """One of this hub's schools; another hub's, or none, is a 404."""
    return services.hub_school(g.hub, school_id) or abort(404)


def _back(school: School):
    return redirect(url_for("hubs.school", school_id=school.id, _anchor="contacts"), 303)


@bp.route(f"/{KIND}", methods=["GET", "POST"])
def edit(school_id: int, kind: str):
    school = _school(school_id)
    contact = services.find_contact(school, kind)
    form = ContactForm(obj=contact)
    if contact is None and kind == "head" and not form.is_submitted():
        form.role.data = services.HEAD_ROLE
    if form.validate_on_submit():
        services.save_contact(school, kind, form.details())
        flash(f"Saved the {CONTACT_KINDS[kind].lower()} of {school.name}.")
        return _back(school)
    page = render_template(
        "contacts/edit.html",
        form=form,
        school=school,
        contact=contact,
        kind=kind,
        label=CONTACT_KINDS[kind],
    )
    return page, 422 if form.errors else 200


@bp.post(f"/{KIND}/remove")
def remove(school_id: int, kind: str):
    school = _school(school_id)
    contact = services.find_contact(school, kind) or abort(404)
    services.remove_contact(contact)
    flash(f"Removed the {CONTACT_KINDS[kind].lower()} of {school.name}.")
    return _back(school)


# The contact: their own page, from the link in every message

contact_links = private_links.limit("CONTACT_LINK_LIMIT", "contact-link")


@contact_page_bp.get("/contact/<public_id>/<signature>")
@contact_links
def show(public_id: str, signature: str):
    contact = find_contact(public_id, signature)
    if contact is None:
        return private_links.gone()
    page = render_template(
        "contacts/page.html",
        contact=contact,
        school=contact.school,
        hub=contact.school.hub,
        public_id=public_id,
        signature=signature,
    )
    return page, 200, private_links.PUBLIC_HEADERS


@contact_page_bp.post("/contact/<public_id>/<signature>/stop-email")
@contact_links
def stop_email(public_id: str, signature: str):
    return _choose(public_id, signature, stop=True)


@contact_page_bp.post("/contact/<public_id>/<signature>/email-again")
@contact_links
def email_again(public_id: str, signature: str):
    return _choose(public_id, signature, stop=False)


def _choose(public_id: str, signature: str, stop: bool):
    contact = find_contact(public_id, signature)
    if contact is None:
        return private_links.gone()
    hub = contact.school.hub
    services.choose_email(contact, stop=stop)
    flash(
        f"You will get no more email from {hub.name}."
        if stop
        else f"{hub.name} can email you again."
    )
    return redirect(url_for(".show", public_id=public_id, signature=signature), 303)

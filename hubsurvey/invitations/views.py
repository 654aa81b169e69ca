from datetime import date

from flask import abort, flash, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from hubsurvey.audit.services import record
from hubsurvey.extensions import db
from hubsurvey.forms import choices
from hubsurvey.invitations import bp, people, services, texts
from hubsurvey.invitations.forms import (
    AutomaticRemindersForm,
    InviteForm,
    PeopleForm,
    ReminderForm,
)
from hubsurvey.models import Reminder
from hubsurvey.outbox.services import mail_configured
from hubsurvey.surveys.services import find_survey

SCHOOLS = "#schools"


def _survey(survey_id: int):
    survey = find_survey(g.hub, survey_id) or abort(404)
    if survey.status == "draft":
        # Nobody can answer yet: say so, and send nothing.
        page = render_template("invitations/draft.html", survey=survey)
        abort(make_response(page, 200 if request.method == "GET" else 409))
    return survey


def _back(survey):
    return redirect(url_for("surveys.show", survey_id=survey.id, _anchor="schools"), 303)


@bp.route("/invite", methods=["GET", "POST"])
def invite(survey_id: int):
    """Pick schools (current partners not yet invited, by default), edit the message,
    preview it as one school will receive it, and send."""
    survey = _survey(survey_id)
    statuses = services.school_statuses(survey)
    form = InviteForm()
    form.schools.choices = choices((str(s.school.id), s.school.name) for s in statuses)
    if not form.is_submitted():
        template = texts.template_for(survey.kind)
        form.subject.data, form.body.data = template.subject, template.body
        form.schools.data = [
            str(s.school.id) for s in statuses if s.reachable and not (s.link and s.link.invited_at)
        ]
    chosen = [s for s in statuses if str(s.school.id) in (form.schools.data or [])]
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "send":
            sent = services.send(
                survey, chosen, form.template(), form.to.data, "invite", current_user, date.today()
            )
            _report(sent, "Invited")
            return _back(survey)
        preview = services.preview(survey, chosen, form.template(), form.to.data)
    return render_template(
        "invitations/invite.html",
        survey=survey,
        form=form,
        statuses=statuses,
        preview=preview,
        previewed=request.form.get("action") == "preview" and not form.errors,
        mail_on=mail_configured(),
        placeholders=texts.PLACEHOLDERS,
    ), 422 if form.errors else 200


@bp.route("/remind", methods=["GET", "POST"])
def remind(survey_id: int):
    """Remind the schools with fewer than N responses, now or on a date; and set the
    automatic reminders before the survey closes."""
    survey = _survey(survey_id)
    statuses = services.school_statuses(survey)
    form = ReminderForm()
    if not form.is_submitted():
        form.below.data = survey.remind_below
        form.subject.data, form.body.data = texts.REMINDER.subject, texts.REMINDER.body
    preview = None
    if form.validate_on_submit():
        short = services.short_of(statuses, form.below.data)
        if form.when.data == "later":
            db.session.add(
                Reminder(
                    survey_id=survey.id,
                    send_on=form.send_on.data,
                    below=form.below.data,
                    created_by_id=current_user.id,
                )
            )
            record(
                "reminders-set",
                hub=g.hub,
                target=f"survey {survey.id}: {survey.title}",
                detail=f"A reminder on {form.send_on.data:%-d %B %Y} to schools with fewer "
                f"than {form.below.data} responses",
            )
            db.session.commit()
            flash(
                f"On {form.send_on.data:%-d %B %Y}, schools with fewer than {form.below.data} "
                "responses will be reminded with the standard reminder."
            )
            return _back(survey)
        if request.form.get("action") == "send":
            sent = services.send(
                survey, short, form.template(), form.to.data, "remind", current_user, date.today()
            )
            _report(sent, "Reminded")
            return _back(survey)
        preview = services.preview(survey, short, form.template(), form.to.data)
    automatic = AutomaticRemindersForm(
        formdata=None,
        remind_days=", ".join(str(d) for d in survey.remind_days or []),
        remind_below=survey.remind_below,
        remind_gap_days=survey.remind_gap_days,
    )
    return _remind_page(survey, statuses, form, automatic, preview)


@bp.post("/reminders/automatic")
def automatic_reminders(survey_id: int):
    survey = _survey(survey_id)
    automatic = AutomaticRemindersForm()
    if not automatic.validate_on_submit():
        form = ReminderForm(formdata=None, below=survey.remind_below)
        form.subject.data, form.body.data = texts.REMINDER.subject, texts.REMINDER.body
        return _remind_page(survey, services.school_statuses(survey), form, automatic, None)
    survey.remind_days = automatic.days
    survey.remind_below = automatic.remind_below.data
    survey.remind_gap_days = automatic.remind_gap_days.data
    days = ", ".join(str(d) for d in automatic.days) or "none"
    record(
        "reminders-set",
        hub=g.hub,
        target=f"survey {survey.id}: {survey.title}",
        detail=f"Automatic reminders: {days} days before closing, below "
        f"{survey.remind_below} responses, at most every {survey.remind_gap_days} days",
    )
    db.session.commit()
    if automatic.days and not survey.closes_on:
        flash(
            "Saved. Automatic reminders count back from the closing date: set one in the "
            "survey's settings, or none will be sent.",
            "error",
        )
    else:
        flash("Automatic reminders saved." if automatic.days else "No automatic reminders.")
    return redirect(url_for("invitations.remind", survey_id=survey.id), 303)


@bp.post("/reminders/<int:reminder_id>/cancel")
def cancel_reminder(survey_id: int, reminder_id: int):
    survey = _survey(survey_id)
    reminder = db.session.get(Reminder, reminder_id)
    if reminder is None or reminder.survey_id != survey.id:
        abort(404)
    if reminder.done_at is None:
        db.session.delete(reminder)
        record(
            "reminders-set",
            hub=g.hub,
            target=f"survey {survey.id}: {survey.title}",
            detail=f"Cancelled the reminder for {reminder.send_on:%-d %B %Y}",
        )
        db.session.commit()
        flash(f"The reminder for {reminder.send_on:%-d %B %Y} is cancelled.")
    return redirect(url_for("invitations.remind", survey_id=survey.id), 303)


@bp.route("/people", methods=["GET", "POST"])
def invite_people(survey_id: int):
    """A named survey's personal invitations: who was invited, who has answered, and more
    people to invite."""
    survey = _survey(survey_id)
    form = PeopleForm()
    if not survey.anonymous and form.validate_on_submit():
        done = people.invite(survey, form.parsed, current_user)
        words = f"Invited {len(done.invitees)} {'person' if len(done.invitees) == 1 else 'people'}."
        if done.again:
            again = ", ".join(done.again)
            words += f" Sent a new link to {again}: the withdrawn one still opens nothing."
        if done.already:
            words += f" Already invited, so not written to again: {', '.join(done.already)}."
        flash(words)
        return redirect(url_for("invitations.invite_people", survey_id=survey.id), 303)
    return render_template(
        "invitations/people.html",
        survey=survey,
        form=form,
        invitees=people.invitees(survey) if not survey.anonymous else [],
        mail_on=mail_configured(),
    ), 422 if form.errors else (409 if survey.anonymous and form.is_submitted() else 200)


@bp.post("/people/remind")
def remind_people(survey_id: int):
    survey = _survey(survey_id)
    if survey.anonymous:
        abort(404)
    count = people.remind(survey, current_user, date.today())
    flash(
        f"Reminded {count} {'person' if count == 1 else 'people'} who had not answered."
        if count
        else "Nobody to remind: everyone invited has answered, or was reminded lately."
    )
    return redirect(url_for("invitations.invite_people", survey_id=survey.id), 303)


@bp.post("/people/<int:invitee_id>/withdraw")
def withdraw_person(survey_id: int, invitee_id: int):
    """Withdraw one person's link (given to the wrong address, or forwarded): it opens
    nothing from now on. What they sent is kept."""
    survey = _survey(survey_id)
    invitee = people.find_survey_invitee(survey, invitee_id)
    if invitee is None or survey.anonymous:
        abort(404)
    if invitee.withdrawn_at is None:
        done = people.withdraw(invitee, current_user)
        words = f"{invitee.name}'s link is withdrawn: it opens nothing from now on."
        if done.stopped:
            messages = "message" if done.stopped == 1 else "messages"
            words += f" {done.stopped} unsent {messages} to them stopped."
        if done.draft_deleted:
            words += " The answers begun through it and not sent are deleted."
        flash(words)
    return redirect(url_for("invitations.invite_people", survey_id=survey.id), 303)


def _remind_page(survey, statuses, form, automatic, preview):
    reminders = db.session.scalars(
        db.select(Reminder).where(Reminder.survey_id == survey.id).order_by(Reminder.send_on)
    ).all()
    below = form.below.data if isinstance(form.below.data, int) else survey.remind_below
    errors = form.errors or automatic.errors
    return render_template(
        "invitations/remind.html",
        survey=survey,
        form=form,
        automatic=automatic,
        statuses=statuses,
        short=services.short_of(statuses, below),
        below=below,
        reminders=reminders,
        preview=preview,
        previewed=request.form.get("action") == "preview" and not form.errors,
        mail_on=mail_configured(),
        placeholders=texts.PLACEHOLDERS,
    ), 422 if errors else 200


def _report(sent: services.Sent, verb: str) -> None:
    words = sent.summary(verb) + "."
    if sent.messages and not mail_configured():
        words += " The messages are waiting in the outbox: no mail server is set up."
    flash(words)
    if sent.skipped:
        flash(
            "Skipped: " + "; ".join(f"{school.name} ({why})" for school, why in sent.skipped),
            "error",
        )

import os
from datetime import date
from itertools import groupby

from flask import Response, abort, g, render_template, request, send_file, stream_with_context
from flask_login import current_user

from hubsurvey.extensions import db
from hubsurvey.htmx import render
from hubsurvey.inputs import row_id, whole_number
from hubsurvey.models import Activity, ExportRecord, Partnership, School, Survey
from hubsurvey.reports import bp
from hubsurvey.reports import exports as exports_module
from hubsurvey.reports import feedback as feedback_module
from hubsurvey.reports import planning as planning_module
from hubsurvey.reports.summary import FACETS, SCORE_RULE, Filters, needs_summary

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_filters() -> Filters:
    """The summary's filters from the URL, so a view can be bookmarked and shared. Values
    that name nothing of this hub's are ignored, never trusted."""
    surveys = {s.id: s for s in _needs_surveys()}
    survey = surveys.get(request.args.get("survey", type=row_id))
    waves = {w.id for w in survey.waves} if survey else set()
    wave_id = request.args.get("wave", type=row_id)
    values = {}
    for name, (_label, _column, allowed) in FACETS.items():
        value = request.args.get(name, "")
        if name == "school":
            if whole_number(value) in {s.id for s in _schools()}:
                values[name] = value
        elif value in (allowed or {}):
            values[name] = value
    by = request.args.get("by")
    return Filters(
        survey=survey,
        wave_id=wave_id if wave_id in waves else None,
        values=values,
        by=by if by in FACETS else None,
    )


def _needs_surveys() -> list[Survey]:
    return list(
        db.session.scalars(
            db.select(Survey)
            .where(Survey.hub_id == g.hub.id, Survey.kind == "needs")
            .order_by(Survey.created_at.desc())
        )
    )


def _schools() -> list[School]:
    return list(
        db.session.scalars(
            db.select(School)
            .join(Partnership, Partnership.school_id == School.id)
            .where(Partnership.hub_id == g.hub.id)
            .order_by(School.name)
        )
    )


@bp.get("/needs")
def needs():
    filters = read_filters()
    rows = needs_summary(g.hub, filters)
    return render(
        "reports/needs.html",
        "reports/_needs.html",
        filters=filters,
        rows=rows,
        # Groups in the summary's own order (Jinja's groupby would sort them A-Z).
        groups=[(group, list(members)) for group, members in groupby(rows, lambda r: r.group)],
        surveys=_needs_surveys(),
        schools=_schools(),
        facets=FACETS,
        score_rule=SCORE_RULE,
        query=request.query_string.decode(),
    )


@bp.get("/exports")
def exports():
    surveys = db.session.scalars(
        db.select(Survey).where(Survey.hub_id == g.hub.id).order_by(Survey.created_at.desc())
    ).all()
    log = db.session.scalars(
        db.select(ExportRecord)
        .where(ExportRecord.hub_id == g.hub.id)
        .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc())
        .limit(50)
    ).all()
    return render_template(
        "reports/exports.html",
        surveys=surveys,
        log=log,
        sent=exports_module.sent_counts(g.hub),
    )


@bp.get("/export/<any('responses-wide', 'responses-long', summary):what>.<any(csv, xlsx):fmt>")
def export(what: str, fmt: str):
    """A download, streamed; recorded in the hub's list of exports and in the audit log."""
    if what == "summary":
        filters = read_filters()
        # A few dozen rows at most: made now, while the request's session is open.
        survey, rows = filters.survey, list(exports_module.summary_rows(g.hub, filters))
        name = f"{g.hub.slug}-needs-summary"
    else:
        survey = db.session.scalar(
            db.select(Survey).where(
                Survey.id == request.args.get("survey", type=row_id), Survey.hub_id == g.hub.id
            )
        ) or abort(404)
        name = f"{g.hub.slug}-{survey.code.lower()}-{what}"
    exports_module.record(g.hub, current_user, survey, what, fmt, request.query_string.decode())
    filename = f"{name}-{date.today():%Y-%m-%d}.{fmt}"
    disposition = {"Content-Disposition": f"attachment; filename={filename}"}
    builder = exports_module.wide_rows if what == "responses-wide" else exports_module.long_rows
    if fmt == "csv":
        if what == "summary":
            chunks = exports_module.csv_chunks(rows)
        elif what == "responses-long":
            chunks = exports_module.long_csv(survey.id)  # long_rows, encoded faster
        else:
            chunks = exports_module.csv_chunks(builder(survey.id))
        return Response(stream_with_context(chunks), mimetype="text/csv", headers=disposition)
    if what == "summary":
        notes = exports_module.summary_notes(g.hub)
    else:
        plan = exports_module.release(survey.id)
        rows, notes = builder(survey.id, plan), exports_module.response_notes(survey, plan)
    path = exports_module.xlsx_file(rows, what, notes)
    response = send_file(path, mimetype=XLSX, as_attachment=True, download_name=filename)
    response.call_on_close(lambda: os.remove(path))
    return response


@bp.get("/feedback")
def feedback():
    activities = feedback_module.activity_ratings(g.hub)
    chosen = request.args.get("activity", type=row_id)
    ids = {a.id for a in db.session.scalars(db.select(Activity).where(Activity.hub_id == g.hub.id))}
    chosen = chosen if chosen in ids else None
    return render(
        "reports/feedback.html",
        "reports/_comments.html",
        activities=activities,
        need_areas=feedback_module.need_area_ratings(g.hub),
        waves=feedback_module.wave_ratings(g.hub),
        comments=feedback_module.comments(g.hub, chosen),
        activity_choices=db.session.scalars(
            db.select(Activity)
            .where(Activity.hub_id == g.hub.id)
            .order_by(Activity.starts_at.desc())
        ).all(),
        chosen=chosen,
    )


@bp.get("/planning")
def planning():
    return render_template(
        "reports/planning.html", needs=planning_module.needs_and_activities(g.hub)
    )

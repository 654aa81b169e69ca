import os
from itertools import groupby

from flask import Response, abort, g, render_template, request, send_file, stream_with_context
from flask_login import current_user

from hubsurvey.extensions import db
from hubsurvey.htmx import render
from hubsurvey.inputs import row_id, whole_number
from hubsurvey.models import ExportRecord, Partnership, School, Survey, Wave
from hubsurvey.reports import about, bp, comparison, downloads, wave_notes
from hubsurvey.reports import board as board_module
from hubsurvey.reports import exports as exports_module
from hubsurvey.reports import feedback as feedback_module
from hubsurvey.reports import planning as planning_module
from hubsurvey.reports import results as results_module
from hubsurvey.reports import schools as schools_module
from hubsurvey.reports.summary import FACETS, SCORE_RULE, Filters, GridCounts, needs_summary
from hubsurvey.reports.xlsx import uk_now

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
    counts = GridCounts()  # the answers read once, for the summary and the school picture
    rows = needs_summary(g.hub, filters, counts=counts)
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
        waves_note=wave_notes.needs_waves_note(g.hub, filters),
        print_lines=about.summary_lines(filters),
        picture=(
            schools_module.school_picture(g.hub, filters, counts)
            if filters.by == "school"
            else None
        ),
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


@bp.get(
    "/export/<any('responses-wide', 'responses-long', summary, 'partner-schools', activities, "
    "'feedback-summary', 'outcome-figures'):what>.<any(csv, xlsx):fmt>"
)
def export(what: str, fmt: str):
    """A download, streamed; recorded in the hub's list of exports and in the audit log."""
    survey, filters = None, None
    if what == "summary":
        filters = read_filters()
        survey = filters.survey
    elif what in downloads.RESPONSE_FILES:
        survey = db.session.scalar(
            db.select(Survey).where(
                Survey.id == request.args.get("survey", type=row_id), Survey.hub_id == g.hub.id
            )
        ) or abort(404)
    made = uk_now()
    name = downloads.file_name(g.hub, what, fmt, survey, filters, made)
    exports_module.record(g.hub, current_user, survey, what, fmt, request.query_string.decode())
    disposition = {"Content-Disposition": about.disposition(name)}
    if fmt == "csv":
        chunks = downloads.csv_chunks(g.hub, what, survey and survey.id, filters)
        return Response(stream_with_context(chunks), mimetype="text/csv", headers=disposition)
    waves = wave_notes.needs_waves_note(g.hub, filters) if what == "summary" else ""
    path = downloads.xlsx_path(g.hub, what, survey, filters, made, waves)
    response = send_file(path, mimetype=XLSX)
    response.headers.update(disposition)
    response.call_on_close(lambda: os.remove(path))
    return response


COMMENTS_SHOWN = 200  # the Feedback page lists the latest comments, newest first


@bp.get("/feedback")
def feedback():
    """Ratings by activity, need area and wave, as the feedback files give them; comments per
    need area; what people wrote, grouped by activity and wave, for one activity if chosen."""
    figures = feedback_module.feedback_figures(g.hub)
    wanted = request.args.get("activity", type=row_id)
    chosen = next((a for a in figures.activities if a.id == wanted), None)
    return render(
        "reports/feedback.html",
        "reports/_comment_groups.html",
        figures=figures,
        comment_counts=feedback_module.comment_counts(g.hub),
        comment_groups=feedback_module.grouped_comments(
            g.hub, chosen.id if chosen else None, COMMENTS_SHOWN
        ),
        comments_limit=COMMENTS_SHOWN,
        chosen=chosen,
    )


@bp.get("/planning")
def planning():
    return render_template(
        "reports/planning.html",
        needs=planning_module.needs_and_activities(g.hub),
        coverage=planning_module.resource_coverage(g.hub),
    )


@bp.get("/board")
def board():
    """The hub's year for its board, on a few A4 pages when printed; its needs from the
    needs assessment chosen, or the latest answered."""
    surveys = board_module.answered(g.hub, "needs")
    chosen = request.args.get("survey", type=row_id)
    survey = next((s for s in surveys if s.id == chosen), None)
    return render_template(
        "reports/board.html",
        report=board_module.board_report(g.hub, needs_survey=survey),
        score_rule=SCORE_RULE,
        needs_surveys=surveys,
    )


def _hub_survey(survey_id: int) -> Survey:
    return db.one_or_404(db.select(Survey).where(Survey.id == survey_id, Survey.hub_id == g.hub.id))


def _chosen_wave(survey: Survey, name: str = "wave") -> Wave | None:
    """The wave named in the URL; None for 'all' (every wave pooled); else the latest."""
    if request.args.get(name) == "all":
        return None
    wave = results_module.find_wave(survey, request.args.get(name, type=row_id))
    return wave or survey.current_wave


@bp.get("/surveys/<int:survey_id>/results")
def results(survey_id: int):
    """Every question's result, for the latest wave unless another (or all) is chosen."""
    survey = _hub_survey(survey_id)
    wave = _chosen_wave(survey)
    waves = wave_notes.sent_per_wave(survey)
    return render_template(
        "reports/results.html",
        survey=survey,
        wave=wave,
        waves=waves,
        results=results_module.survey_results(survey, wave),
        pooled=wave_notes.pooled_note(survey, waves) if wave is None else "",
    )


@bp.get("/surveys/<int:survey_id>/results/compare")
def compare(survey_id: int):
    """Two waves side by side: the latest and the one before, unless others are chosen."""
    survey = _hub_survey(survey_id)
    after = results_module.find_wave(survey, request.args.get("to", type=row_id))
    after = after or survey.current_wave
    before = results_module.find_wave(survey, request.args.get("from", type=row_id))
    if before is None and after is not None:
        earlier = [w for w in survey.waves if w.number < after.number]
        before = earlier[-1] if earlier else None
    ready = before is not None and after is not None and before.id != after.id
    return render_template(
        "reports/compare.html",
        survey=survey,
        before=before,
        after=after,
        waves=wave_notes.sent_per_wave(survey),
        comparisons=comparison.compare(survey, before, after) if ready else [],
        ready=ready,
    )


@bp.get("/surveys/<int:survey_id>/results/questions/<int:question_id>")
def text_answers(survey_id: int, question_id: int):
    """A free-text question's answers, searched, a page at a time."""
    survey = _hub_survey(survey_id)
    texts = {q.id: q for q in survey.questions if q.kind in results_module.TEXTS}
    question = texts.get(question_id) or abort(404)
    wave = _chosen_wave(survey)
    search = " ".join(request.args.get("search", "").split())[:200]
    return render(
        "reports/text_answers.html",
        "reports/_text_answers.html",
        survey=survey,
        question=question,
        wave=wave,
        waves=wave_notes.sent_per_wave(survey),
        answers=results_module.text_answers(
            survey, question, wave, search, request.args.get("page", 1, type=row_id)
        ),
    )

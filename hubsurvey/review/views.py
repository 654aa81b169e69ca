from flask import abort, flash, g, redirect, render_template, url_for

from hubsurvey.review import bp, services
from hubsurvey.review.forms import ReasonForm
from hubsurvey.surveys.services import find_survey


def _survey(survey_id: int):
    return find_survey(g.hub, survey_id) or abort(404)


def _page(survey, form: ReasonForm | None = None, failed: int | None = None, status: int = 200):
    """The review page; `failed` is the response whose reason `form` refused."""
    return render_template(
        "review/show.html",
        survey=survey,
        lists=services.review_lists(survey),
        form=form,
        failed=failed,
        reasons=services.REASONS,
    ), status


@bp.get("/")
def show(survey_id: int):
    return _page(_survey(survey_id))


@bp.post("/<int:response_id>/<any(exclude, restore):action>")
def change(survey_id: int, response_id: int, action: str):
    """Leave a response out of summaries and exports, or bring it back, with a reason."""
    survey = _survey(survey_id)
    response = services.find_response(survey, response_id) or abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(survey, form, failed=response.id, status=422)
    excluding = action == "exclude"
    if services.set_excluded(survey, response, excluding, form.reason.data.strip()):
        flash(
            f"Response {response.id} is left out of summaries and exports. It is kept: you "
            "can bring it back below."
            if excluding
            else f"Response {response.id} is counted in summaries and exports again."
        )
    else:
        flash(
            f"Response {response.id} was already "
            f"{'left out' if excluding else 'counted'}: nothing changed."
        )
    return redirect(url_for("review.show", survey_id=survey.id), 303)

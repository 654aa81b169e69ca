"""Feedback summaries, the planning aid and the hub's dashboard, on hand-worked figures."""

import secrets
from datetime import datetime, timedelta

import pytest
from factories import make_hub, make_survey, make_user, sign_in

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Answer, Response
from hubsurvey.reports.feedback import activity_ratings, comments, need_area_ratings, wave_ratings
from hubsurvey.reports.planning import needs_and_activities
from hubsurvey.surveys.waves import current_wave, open_next_wave


@pytest.fixture
def hub(app):
    return make_hub("Leeds English Hub", "english-hub")


def _activity(hub, title, areas, days=-10, survey=None):
    return save_activity(
        hub,
        None,
        areas,
        [],
        shared_survey=survey,
        title=title,
        kind="training",
        starts_at=datetime.now() + timedelta(days=days),
    )


def _feedback(activity, rating, text=None, wave=None, when=None):
    survey = activity.survey
    response = Response(
        survey=survey,
        wave=wave or current_wave(survey),
        activity=activity,
        token=secrets.token_hex(8),
        resume_code=secrets.token_hex(4).upper(),
        status="submitted",
        profile_saved=True,
        submitted_at=when or datetime.now(),
    )
    db.session.add(response)
    db.session.flush()
    db.session.add(
        Answer(response_id=response.id, question_id=survey.questions[0].id, number=rating)
    )
    if text:
        later = next(q for q in survey.questions if q.kind == "long_text")
        db.session.add(Answer(response_id=response.id, question_id=later.id, text=text))
    db.session.commit()


def test_ratings_per_activity_need_area_and_wave(hub):
    early, phonics, _reading = hub.hub_type.need_areas
    first = _activity(hub, "Session one", [early, phonics])
    second = _activity(hub, "Session two", [phonics], survey=first.survey)
    for rating in (5, 4, 4):
        _feedback(first, rating)
    later = open_next_wave(first.survey)
    for rating in (2, 3):
        _feedback(second, rating, wave=later)

    by_activity = {r.label: r for r in activity_ratings(hub)}
    assert by_activity["Session one"].responses == 3
    assert by_activity["Session one"].mean == pytest.approx(13 / 3)
    assert by_activity["Session one"].spread == {5: 1, 4: 2}
    by_area = {r.label: r for r in need_area_ratings(hub)}
    assert by_area["Early language"].mean == pytest.approx(13 / 3)
    assert by_area["Systematic synthetic phonics"].responses == 5
    assert by_area["Systematic synthetic phonics"].mean == pytest.approx(18 / 5)
    assert by_area["Reading for pleasure"].responses == 0
    assert [(w.responses, w.mean) for w in wave_ratings(hub)] == [(3, 13 / 3), (2, 2.5)]


def test_comments_newest_first_filtered_and_escaped(client, hub):
    first = _activity(hub, "Session one", [])
    second = _activity(hub, "Session two", [])
    _feedback(first, 4, "Older <b>note</b>", when=datetime(2027, 1, 1))
    _feedback(second, 4, "Newer note", when=datetime(2027, 2, 1))
    assert [c.text for c in comments(hub)] == ["Newer note", "Older <b>note</b>"]
    assert [c.text for c in comments(hub, first.id)] == ["Older <b>note</b>"]
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/feedback?activity={first.id}").text
    assert "Older &lt;b&gt;note&lt;/b&gt;" in page and "Newer note" not in page
    assert "By need area targeted" in page


def test_planning_shows_needs_with_nothing_planned(client, hub):
    early, phonics, reading = hub.hub_type.need_areas
    hub.smallest_group = 2
    survey = make_survey(hub)
    grid = survey.questions[0]
    for levels in ((1, 2, 5), (2, 3, 5)):
        response = Response(
            survey=survey,
            wave=current_wave(survey),
            token=secrets.token_hex(8),
            resume_code=secrets.token_hex(4).upper(),
            status="submitted",
            profile_saved=True,
        )
        db.session.add(response)
        db.session.flush()
        for area, level in zip(grid.grid_areas, levels, strict=True):
            db.session.add(
                Answer(
                    response_id=response.id,
                    question_id=grid.id,
                    item=area.id,
                    number=level,
                    priority=False,
                )
            )
    db.session.commit()
    _activity(hub, "Coming up", [phonics], days=14)
    _activity(hub, "Done already", [early], days=-14)
    needs = needs_and_activities(hub)
    assert [n.row.need_area for n in needs] == [early, phonics, reading]  # by need score
    by_name = {n.row.need_area.name: n for n in needs}
    assert [a.title for a in by_name["Early language"].past] == ["Done already"]
    assert by_name["Early language"].upcoming == []
    assert [a.title for a in by_name["Systematic synthetic phonics"].upcoming] == ["Coming up"]
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/planning").text
    assert page.count("Nothing planned") == 2  # early language and reading
    dashboard = client.get(f"/hubs/{hub.slug}/").text
    top = dashboard.split("Top needs")[1].split("</ol>")[0]
    assert "Early language" in top and "need score 50" in top and "nothing planned" in top


def test_the_dashboard_ties_it_together(client, hub):
    first = _activity(hub, "Session one", [])
    _feedback(first, 5, "Loved the modelling")
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/").text
    assert "Open surveys" in page and "Top needs" in page
    assert "Loved the modelling" in page

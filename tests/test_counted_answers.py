"""Each answer carries the wave its response is counted in (answer.counted_wave_id, kept by the
database), and a survey's results are read from it. Every path that changes answers or
responses keeps it right, and what is read from it gives the figures that counting through
the responses gives: drafts, responses left out in review, waves, questions shown to some
only, and the needs summary with or without a filter on respondents."""

import html
import re
import statistics
from datetime import date, timedelta

import pytest
from factories import (
    PROFILE,
    make_hub,
    make_response,
    make_school,
    make_survey,
    make_user,
    sign_in,
)
from flask_migrate import downgrade, upgrade
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import and_, case, insert, or_, text, update

from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.models import Answer, Response, School, SchoolLink
from hubsurvey.models.base import utcnow
from hubsurvey.models.responses import COUNTED_FACTS
from hubsurvey.reports.results import survey_results, value_labels
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.retention.services import purge_expired
from hubsurvey.surveys import audience
from hubsurvey.surveys.questions import to_answers
from hubsurvey.surveys.removal import delete_survey
from hubsurvey.surveys.services import create_survey, make_school_links, set_status
from hubsurvey.surveys.waves import current_wave, open_next_wave

SINGLE = "Years in phase?"
MULTIPLE = "Formats?"
SCALE = "Confidence with phonics?"
NUMBER = "Pupils in your class?"
LONG = "What would help?"
LEADERS = "Your priority as a leader?"
GRID = "How confident are you?"


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    make_school(hub, "Hill Primary", urn="100001")
    return hub


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(email="lead@leeds.example", hubs=[hub]))


# What a teacher answering a named survey says about themselves.
NAMED = PROFILE | {"respondent_name": "Ann Teacher", "respondent_email": "ann@school.example"}


def _q(survey, prompt):
    return next(q for q in survey.questions if q.prompt == prompt)


COPIES = {"wave_id": "counted_wave_id", **{f: f"counted_{f}" for f in COUNTED_FACTS}}


def _misplaced() -> list:
    """Answers whose counted wave or profile is not what their response says now: its wave
    while it is sent and not left out, and its profile then too on an answer with an item
    (a needs grid's, a multiple choice's); else none."""
    counted = and_(Response.status == "submitted", Response.excluded.is_(False))
    differs = [
        getattr(Answer, copy).is_distinct_from(
            case(
                (
                    counted if column == "wave_id" else and_(counted, Answer.item > 0),
                    getattr(Response, column),
                )
            )
        )
        for column, copy in COPIES.items()
    ]
    return db.session.execute(
        db.select(
            Answer.response_id, Answer.question_id, *(getattr(Answer, c) for c in COPIES.values())
        )
        .join(Response, Response.id == Answer.response_id)
        .where(or_(*differs))
    ).all()


def _respond(survey, values, wave=None, status="submitted", role="teacher", **fields):
    """A response with these answers by prompt, stored as the app stores them. A needs grid's
    value is a list of (confidence, priority), in the grid's order."""
    response = make_response(
        survey,
        wave=wave,
        status=status,
        submitted_at=utcnow() if status == "submitted" else None,
        role=role,
        phase="primary",
        profile_saved=True,
        **fields,
    )
    for prompt, value in values.items():
        question = _q(survey, prompt)
        if question.kind == "needs_grid":
            value = dict(zip([a.id for a in question.grid_areas], value, strict=True))
        for answer in to_answers(question, value):
            answer.response_id = response.id
            db.session.add(answer)
    db.session.commit()
    return response


def _words(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _question(page: str, survey, prompt: str) -> str:
    question = _q(survey, prompt)
    found = re.search(rf'<section [^>]*id="question-{question.id}">(.*?)</section>', page, re.S)
    assert found, f"no result for {prompt!r}"
    return _words(found.group(1))


def _results(client, hub, survey, **args) -> str:
    url = f"/hubs/{hub.slug}/reports/surveys/{survey.id}/results"
    response = client.get(url, query_string=args)
    assert response.status_code == 200, response.text
    return response.text


# -- Every path that changes answers or responses ----------------------------------------


def test_a_teachers_answers_count_once_sent_and_not_while_a_draft(app, client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    teacher = app.test_client()
    assert teacher.post(f"/s/{survey.code}").status_code == 303
    assert teacher.post(f"/s/{survey.code}/about-you", data=NAMED).status_code == 303
    grid = _q(survey, GRID)
    confidences = {f"q{grid.id}-{area.id}": "2" for area in grid.grid_areas}
    assert teacher.post(f"/s/{survey.code}/1", data=confidences).status_code == 303
    teaching = {
        f"q{_q(survey, SINGLE).id}": "2",
        f"q{_q(survey, SCALE).id}": "4",
        f"q{_q(survey, NUMBER).id}": "28",
        f"q{_q(survey, MULTIPLE).id}": ["0", "2"],
    }
    assert teacher.post(f"/s/{survey.code}/2", data=teaching).status_code == 303
    # Saved, not sent: nothing counts yet.
    page = _results(client, hub, survey)
    assert "0 of 0 shown answered" in _question(page, survey, SINGLE)
    assert _misplaced() == []

    assert teacher.post(f"/s/{survey.code}/send").status_code == 303
    page = _results(client, hub, survey)
    assert "6+ 1 (100%)" in _question(page, survey, SINGLE)
    assert "Online 1 (100%)" in _question(page, survey, MULTIPLE)
    assert "Median 28 pupils" in _question(page, survey, NUMBER)
    assert "Early language 1 2.0 100% 0% 50" in _question(page, survey, GRID)
    assert _misplaced() == []


def test_leaving_a_response_out_in_review_and_bringing_it_back_moves_every_figure(
    client, hub, lead
):
    survey = make_survey(hub, anonymous=False)
    for pupils in (20, 30):
        _respond(survey, {SINGLE: 0, NUMBER: pupils, GRID: [(4, False)] * 3})
    stuffed = _respond(survey, {SINGLE: 2, NUMBER: 40, GRID: [(1, True)] * 3})
    review = f"/hubs/{hub.slug}/surveys/{survey.id}/review/{stuffed.id}"

    assert client.post(f"{review}/exclude", data={"reason": "Sent 40 times"}).status_code == 303
    page = _results(client, hub, survey)
    assert "0-2 2 (100%)" in _question(page, survey, SINGLE)
    assert "Median 25 pupils" in _question(page, survey, NUMBER)
    assert "Early language 2 4.0 0% 0% 0" in _question(page, survey, GRID)
    assert _misplaced() == []

    assert client.post(f"{review}/restore", data={"reason": "A shared laptop"}).status_code == 303
    page = _results(client, hub, survey)
    assert "6+ 1 (33%)" in _question(page, survey, SINGLE)
    assert "Median 30 pupils" in _question(page, survey, NUMBER)
    assert "Early language 3 3.0 33% 33% 33" in _question(page, survey, GRID)
    assert _misplaced() == []


def test_a_new_wave_counts_what_is_sent_in_it_and_leaves_the_last_one_as_it_was(
    app, client, hub, lead
):
    survey = make_survey(hub, anonymous=False)
    _respond(survey, {SINGLE: 0})
    started = app.test_client()  # began in the first wave, never sent
    started.post(f"/s/{survey.code}")
    started.post(f"/s/{survey.code}/about-you", data=NAMED)
    later = open_next_wave(survey)
    teacher = app.test_client()
    teacher.post(f"/s/{survey.code}")
    teacher.post(f"/s/{survey.code}/about-you", data=NAMED)
    grid = _q(survey, GRID)
    teacher.post(f"/s/{survey.code}/1", data={f"q{grid.id}-{a.id}": "3" for a in grid.grid_areas})
    teacher.post(
        f"/s/{survey.code}/2",
        data={
            f"q{_q(survey, SINGLE).id}": "1",
            f"q{_q(survey, SCALE).id}": "3",
            f"q{_q(survey, NUMBER).id}": "12",
        },
    )
    assert teacher.post(f"/s/{survey.code}/send").status_code == 303
    # The draft begun before the new wave opened can no longer be sent.
    started.post(f"/s/{survey.code}/send")
    drafts = db.select(db.func.count()).where(Response.status == "draft")
    assert db.session.scalar(drafts) == 1

    latest = _question(_results(client, hub, survey), survey, SINGLE)
    assert "1 of 1 shown answered" in latest and "3-5 1 (100%)" in latest
    first = _results(client, hub, survey, wave=survey.waves[0].id)
    assert "0-2 1 (100%)" in _question(first, survey, SINGLE)
    pooled = _results(client, hub, survey, wave="all")
    assert "2 of 2 shown answered" in _question(pooled, survey, SINGLE)
    answered = db.session.scalars(
        db.select(Answer.counted_wave_id).where(Answer.question_id == _q(survey, SINGLE).id)
    ).all()
    assert sorted(answered) == sorted([survey.waves[0].id, later.id])
    assert _misplaced() == []


def test_a_schools_corrected_figures_count_at_once(app, client, hub, lead):
    """An outcomes survey's sent response takes new answers while its wave is open."""
    make_school(hub, "Moor Primary")
    survey = create_survey(hub, "outcomes")
    survey.anonymous = False  # so that one school's figure is shown
    set_status(survey, "open")
    make_school_links(survey)
    pupils, share = [q for q in survey.questions if q.kind == "number"]
    for school, figures in (("Hill Primary", ("30", "70")), ("Hill Primary", ("30", "72"))):
        contact = app.test_client()
        link = db.session.scalar(
            db.select(SchoolLink)
            .join(School, School.id == SchoolLink.school_id)
            .where(SchoolLink.survey_id == survey.id, School.name == school)
        )
        contact.get(f"/s/{survey.code}/school/{link.token}")
        sent = contact.post(
            f"/s/{survey.code}/1", data={f"q{pupils.id}": figures[0], f"q{share.id}": figures[1]}
        )
        assert sent.status_code == 303, sent.text
    page = _results(client, hub, survey)
    figures = _question(page, survey, share.prompt)
    assert "1 of 1 shown answered" in figures and "Median 72%" in figures
    assert _misplaced() == []


def test_erasing_purging_and_deleting_leave_no_answer_counted(client, hub, lead):
    named = make_survey(hub, anonymous=False)
    ann = _respond(named, {SINGLE: 0}, respondent_name="Ann", respondent_email="ann@x.example")
    _respond(named, {SINGLE: 2}, respondent_name="Bob", respondent_email="bob@x.example")
    erased = client.post(
        f"/hubs/{hub.slug}/privacy/erase/confirmed",
        data={"term": "ann@x.example", "responses": [ann.id]},
    )
    assert erased.status_code == 303
    assert "6+ 1 (100%)" in _question(_results(client, hub, named), named, SINGLE)

    expired = make_survey(hub, anonymous=False)
    _respond(expired, {SINGLE: 1})
    expired.keep_until = date.today() - timedelta(days=1)
    db.session.commit()
    purge_expired()
    assert "0 of 0 shown answered" in _question(_results(client, hub, expired), expired, SINGLE)

    gone = make_survey(hub, anonymous=False)
    _respond(gone, {SINGLE: 1, NUMBER: 3})
    set_status(gone, "closed")
    delete_survey(gone)
    question_ids = [q.id for s in (named, expired) for q in s.questions]
    left = db.session.scalars(db.select(Answer.question_id)).all()
    assert set(left) <= set(question_ids)  # nothing of the deleted survey is left
    assert _misplaced() == []


def test_rows_written_in_bulk_count_as_their_responses_say(client, hub, lead):
    """As the demo and the benchmarks write them: answers inserted without the ORM, and
    responses moved to another wave or sent in one statement."""
    survey = make_survey(hub, anonymous=False)
    sent = _respond(survey, {})
    draft = _respond(survey, {}, status="draft")
    left_out = _respond(survey, {}, excluded=True)
    single = _q(survey, SINGLE)
    db.session.execute(
        insert(Answer),
        [
            {"response_id": r.id, "question_id": single.id, "item": 0, "number": n}
            for r, n in ((sent, 0), (draft, 1), (left_out, 2))
        ],
    )
    db.session.commit()
    page = _results(client, hub, survey)
    assert "1 of 1 shown answered" in _question(page, survey, SINGLE)
    assert "0-2 1 (100%)" in _question(page, survey, SINGLE)
    assert _misplaced() == []

    later = open_next_wave(survey)
    db.session.execute(
        update(Response).where(Response.survey_id == survey.id).values(wave_id=later.id)
    )
    db.session.execute(update(Response).where(Response.id == draft.id).values(status="submitted"))
    db.session.commit()
    page = _results(client, hub, survey)
    assert "2 of 2 shown answered" in _question(page, survey, SINGLE)
    assert "3-5 1 (50%)" in _question(page, survey, SINGLE)
    assert _misplaced() == []


def test_a_question_whose_audience_changed_counts_only_those_it_is_shown_to_now(client, hub, lead):
    """Answers given before the editor narrowed who a question is for stay stored, but count
    only for those it is shown to now: in its counts, median and range alike."""
    survey = make_survey(hub, anonymous=False)
    _respond(survey, {SINGLE: 0, MULTIPLE: [0], NUMBER: 10, LONG: "Teacher words"})
    _respond(survey, {SINGLE: 0, MULTIPLE: [0], NUMBER: 11}, role="teacher")
    for pupils in (30, 31, 35):
        _respond(
            survey,
            {SINGLE: 2, MULTIPLE: [2], NUMBER: pupils, LONG: "Leader words"},
            role="headteacher",
        )
    for prompt in (SINGLE, MULTIPLE, NUMBER, LONG):
        _q(survey, prompt).audience = {"role": ["headteacher"]}
    db.session.commit()

    page = _results(client, hub, survey)
    single = _question(page, survey, SINGLE)
    assert "3 of 3 shown answered" in single and "6+ 3 (100%)" in single
    assert "In school 3 (100%)" in _question(page, survey, MULTIPLE)
    number = _question(page, survey, NUMBER)
    assert "Median 31 pupils" in number and "Range 30 pupils to 35 pupils" in number
    assert "Leader words" in page and "Teacher words" not in page


def test_an_answer_written_before_its_response_keeps_the_counted_wave_it_comes_with(hub):
    """As a restore with foreign keys off may write them: there is no response yet to read
    the counted wave from. Once the response is there, the answer follows it again."""
    survey = make_survey(hub, anonymous=False)
    wave_id, question_id = current_wave(survey).id, _q(survey, SINGLE).id
    orphan = _respond(survey, {}).id + 1000  # no response has this id yet
    sqlite = db.engine.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    connection = db.engine.raw_connection()
    cursor = connection.driver_connection.cursor()

    def counted_wave():
        cursor.execute(f"SELECT counted_wave_id FROM answer WHERE response_id = {orphan}")
        return cursor.fetchone()[0]

    try:
        if sqlite:  # each statement commits itself (see extensions._tune_sqlite)
            cursor.execute("PRAGMA foreign_keys=OFF")
        else:  # undone with the rest of this transaction
            cursor.execute("ALTER TABLE answer DROP CONSTRAINT fk_answer_response_id_response")
        cursor.execute(
            "INSERT INTO answer (response_id, question_id, item, number, counted_wave_id) "
            f"VALUES ({mark}, {mark}, 0, 1, {mark})",
            (orphan, question_id, wave_id),
        )
        assert counted_wave() == wave_id
        cursor.execute(
            "INSERT INTO response (id, survey_id, wave_id, token, resume_code, status, step, "
            "started_at, saved_at, profile_saved, school_name, respondent_name, "
            f"respondent_email, flags, excluded) VALUES ({orphan}, {survey.id}, {wave_id}, "
            "'restored', 'RESTORED', 'submitted', 1, '2026-01-01', '2026-01-01', true, '', "
            "'', '', '', false)"
        )
        cursor.execute(f"UPDATE response SET excluded = true WHERE id = {orphan}")
        assert counted_wave() is None  # left out in review: no longer counted
    finally:
        if sqlite:
            cursor.execute(f"DELETE FROM answer WHERE response_id = {orphan}")
            cursor.execute(f"DELETE FROM response WHERE id = {orphan}")
            cursor.execute("PRAGMA foreign_keys=ON")
        connection.rollback()
        connection.close()
    assert _misplaced() == []


# -- What is read from the counted answers against counting through the responses --------

SEEN = ("teacher", "headteacher")
answers = st.fixed_dictionaries(
    {
        "wave": st.integers(0, 1),
        "status": st.sampled_from(["submitted", "submitted", "draft"]),
        "excluded": st.booleans(),
        "role": st.sampled_from(SEEN),
        "at_hill": st.booleans(),
        SINGLE: st.none() | st.integers(0, 2),
        MULTIPLE: st.none() | st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True),
        NUMBER: st.none() | st.integers(0, 40),
        LONG: st.none() | st.sampled_from(["Time", "Coaching"]),
        GRID: st.none()
        | st.lists(st.tuples(st.integers(1, 5), st.booleans()), min_size=3, max_size=3),
    }
)
changes = st.lists(
    st.tuples(
        st.sampled_from(["exclude", "restore", "send", "move", "school", "role"]),
        st.integers(0, 20),
    ),
    max_size=6,
)


def _reference(survey, wave_id) -> dict:
    """Each question's figures counted the plain way: every answer loaded with its response,
    kept if the response is sent, not left out, in the wave and shown the question."""
    figures = {}
    rows = db.session.execute(
        db.select(Answer, Response).join(Response, Response.id == Answer.response_id)
    ).all()
    for question in survey.questions:
        if question.kind == "needs_grid":
            continue
        kept = [
            (answer, response)
            for answer, response in rows
            if answer.question_id == question.id
            and response.status == "submitted"
            and not response.excluded
            and wave_id in (None, response.wave_id)
            and audience.applies(question.section.audience, response.profile)
            and audience.applies(question.audience, response.profile)
        ]
        numbers = sorted(a.number for a, _r in kept if a.number is not None)
        by_value: dict[int, int] = {}
        for answer, _response in kept:
            value = answer.item - 1 if question.kind == "multiple" else answer.number
            if value is not None:
                by_value[int(value)] = by_value.get(int(value), 0) + 1
        figures[question.id] = {
            "answered": len({r.id for _a, r in kept}),
            "values": by_value if question.kind in ("single", "multiple", "scale") else {},
            "median": statistics.median(numbers) if question.kind == "number" and numbers else None,
            "range": (numbers[0], numbers[-1]) if question.kind == "number" and numbers else None,
        }
    return figures


@given(people=st.lists(answers, max_size=12), later_changes=changes)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_figures_read_from_counted_answers_are_those_counted_through_the_responses(
    hub, people, later_changes
):
    survey = make_survey(hub, anonymous=False)
    _q(survey, NUMBER).audience = {"role": ["teacher"]}  # a question for some only
    waves = [current_wave(survey), open_next_wave(survey)]
    hill = db.session.scalar(db.select(School).where(School.name == "Hill Primary"))
    responses = []
    for person in people:
        prompts = (SINGLE, MULTIPLE, NUMBER, LONG, GRID)
        values = {p: person[p] for p in prompts if person[p] is not None}
        responses.append(
            _respond(
                survey,
                values,
                wave=waves[person["wave"]],
                status=person["status"],
                role=person["role"],
                excluded=person["excluded"],
                school=hill if person["at_hill"] else None,
            )
        )
    for change, which in later_changes:
        if not responses:
            break
        response = responses[which % len(responses)]
        if change in ("exclude", "restore"):
            response.excluded = change == "exclude"
        elif change == "send":
            response.status = "submitted"
        elif change == "school":  # matched to the list, or its school taken off it
            response.school = None if response.school else hill
        elif change == "role":
            response.role = SEEN[1] if response.role == SEEN[0] else SEEN[0]
        else:
            response.wave = waves[1] if response.wave_id == waves[0].id else waves[0]
        db.session.commit()
    db.session.expire_all()
    assert _misplaced() == []

    for wave in (*waves, None):
        expected = _reference(survey, wave.id if wave else None)
        results = {r.question.id: r for r in survey_results(survey, wave)}
        for question_id, figures in expected.items():
            result = results[question_id]
            assert result.answered == figures["answered"], (wave, result.question.prompt)
            labels = value_labels(result.question) if result.bars else []
            bars = {value: bar.count for (value, _), bar in zip(labels, result.bars, strict=True)}
            assert {value: n for value, n in bars.items() if n} == figures["values"]
            assert result.median == figures["median"]
            assert (result.low, result.high) == (figures["range"] or (None, None))
        # The needs grid: read from the counted answers, and through the responses (a filter
        # every respondent meets takes the other path); the same figures either way.
        wave_id = wave.id if wave else None
        plain = needs_summary(hub, Filters(survey=survey, wave_id=wave_id))
        through = needs_summary(
            hub, Filters(survey=survey, wave_id=wave_id, values={"phase": "primary"})
        )
        assert [_figures(row) for row in plain] == [_figures(row) for row in through]
        # Broken down: read from the answers' copies of the profile, and through the responses.
        for by in ("role", "school"):
            copies = needs_summary(hub, Filters(survey=survey, wave_id=wave_id, by=by))
            through = needs_summary(
                hub, Filters(survey=survey, wave_id=wave_id, by=by, values={"phase": "primary"})
            )
            assert [(row.group, *_figures(row)) for row in copies] == [
                (row.group, *_figures(row)) for row in through
            ]


def _figures(row) -> tuple:
    return (
        row.need_area.id,
        row.respondents,
        row.mean_confidence,
        row.low_share,
        row.priority_share,
        row.rank,
    )


def test_the_migrations_fill_in_the_counted_copies_of_answers_already_there(make_app):
    """Answers stored before the columns existed get their response's counted wave (0010)
    and, with an item (a needs grid's), its profile (0011); going back to 0010 keeps its own
    triggers."""
    app = make_app()
    with app.app_context():
        load_reference_data()
        hub = make_hub("Leeds English Hub", "english-hub")
        survey = make_survey(hub, anonymous=False)
        kinds = (("submitted", False), ("draft", False), ("submitted", True))
        answers = {SINGLE: 1, GRID: [(2, True)] * 3}
        ids = [_respond(survey, answers, status=s, excluded=e).id for s, e in kinds]
        wave_id = survey.waves[0].id

        def stored(column: str, where: str) -> set:
            query = f"SELECT DISTINCT response_id, {column} FROM answer WHERE {where}"
            return set(db.session.execute(text(query)).tuples())

        db.session.remove()
        downgrade(revision="0009")
        columns = db.session.execute(text("SELECT * FROM answer")).keys()
        assert "counted_wave_id" not in columns
        db.session.remove()
        upgrade()
        assert stored("counted_wave_id", "true") == {
            (ids[0], wave_id),
            (ids[1], None),
            (ids[2], None),
        }
        grid_roles = stored("counted_role", "item > 0")
        assert grid_roles == {(ids[0], "teacher"), (ids[1], None), (ids[2], None)}
        assert stored("counted_role", "item = 0") == {(i, None) for i in ids}
        assert _misplaced() == []

        # Back to 0010: its own trigger keeps the counted wave.
        db.session.remove()
        downgrade(revision="0010")
        db.session.execute(text(f"UPDATE response SET excluded = false WHERE id = {ids[2]}"))
        db.session.commit()
        assert (ids[2], wave_id) in stored("counted_wave_id", "true")
        db.session.remove()
        upgrade()
        # And 0011's triggers are back: sending the draft counts it, profile and all.
        db.session.execute(update(Response).where(Response.id == ids[1]).values(status="submitted"))
        db.session.commit()
        assert _misplaced() == []
        assert (ids[1], "teacher") in stored("counted_role", "item > 0")

"""The needs summary and the exports, against figures worked out by hand."""

import csv
import io
from datetime import datetime

import openpyxl
import pytest
from factories import make_hub, make_needs_response, make_school, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import ExportRecord
from hubsurvey.reports.exports import csv_chunks, long_rows, safe
from hubsurvey.reports.summary import Filters, needs_summary
from hubsurvey.surveys.waves import current_wave, open_next_wave


@pytest.fixture
def hub(app):
    hub = make_hub("Leeds English Hub", "english-hub")
    hub.smallest_group = 2
    db.session.commit()
    return hub


@pytest.fixture
def lead(client, hub):
    sign_in(client, make_user(hubs=[hub]))


def _by_area(rows):
    return {r.need_area.name: r for r in rows}


def test_the_needs_summary_figures_worked_out_by_hand(hub):
    survey = make_survey(hub)
    make_needs_response(survey, grid=(1, 4, 5), priorities=(0,))
    make_needs_response(survey, grid=(2, 4, 3), priorities=(0, 1))
    make_needs_response(survey, grid=(4, 5, 1), priorities=())
    make_needs_response(survey, grid=(5, 5, 5), status="draft")  # not sent: not counted
    rows = _by_area(needs_summary(hub, Filters(survey=survey)))
    early = rows["Early language"]
    assert early.respondents == 3
    assert early.mean_confidence == pytest.approx(7 / 3)
    assert early.low_share == pytest.approx(2 / 3)  # the 1 and the 2
    assert early.priority_share == pytest.approx(2 / 3)
    assert early.need_score == pytest.approx(50 * 2 / 3 + 50 * 2 / 3)
    phonics, reading = rows["Systematic synthetic phonics"], rows["Reading for pleasure"]
    assert phonics.need_score == pytest.approx(50 * 0 + 50 * 1 / 3)
    assert reading.need_score == pytest.approx(50 * 1 / 3 + 0)
    assert early.rank == 1
    assert phonics.rank == reading.rank == 2  # a tie shares its rank


def test_tied_need_scores_share_a_rank_and_the_next_rank_is_skipped(hub):
    survey = make_survey(hub)
    make_needs_response(survey, grid=(1, 1, 5), priorities=(2,))
    make_needs_response(survey, grid=(5, 5, 5))
    rows = _by_area(needs_summary(hub, Filters(survey=survey)))
    # Early language and phonics: half low, none first; reading: none low, half first.
    assert [r.need_score for r in rows.values()] == [25, 25, 25]
    assert [r.rank for r in rows.values()] == [1, 1, 1]
    other = make_survey(hub)
    make_needs_response(other, grid=(1, 1, 5), priorities=(0, 1))
    make_needs_response(other, grid=(5, 5, 5), priorities=(2,))
    rows = _by_area(needs_summary(hub, Filters(survey=other)))
    assert [r.need_score for r in rows.values()] == [50, 50, 25]
    assert [r.rank for r in rows.values()] == [1, 1, 3]


def test_filters_breakdowns_and_waves(hub):
    survey = make_survey(hub, anonymous=False)  # named: no figure is held back
    hill = make_school(hub, "Hill Primary")
    make_needs_response(survey, role="teacher", school=hill, grid=(1, 1, 1))
    make_needs_response(survey, role="teacher", grid=(3, 3, 3))
    make_needs_response(survey, role="headteacher", school=hill, grid=(5, 5, 5))
    later = open_next_wave(survey)
    make_needs_response(survey, wave=later, role="teacher", grid=(2, 2, 2))

    teachers = _by_area(needs_summary(hub, Filters(survey=survey, values={"role": "teacher"})))
    assert teachers["Early language"].respondents == 3
    assert teachers["Early language"].mean_confidence == pytest.approx(2)
    first_wave = Filters(survey=survey, wave_id=survey.waves[0].id)
    assert _by_area(needs_summary(hub, first_wave))["Early language"].respondents == 3
    at_hill = Filters(survey=survey, values={"school": str(hill.id)})
    assert _by_area(needs_summary(hub, at_hill))["Early language"].mean_confidence == 3

    by_role = needs_summary(hub, Filters(survey=survey, by="role"))
    groups = {(r.group, r.need_area.name): r for r in by_role}
    assert groups[("Teacher", "Early language")].respondents == 3
    assert groups[("Headteacher", "Early language")].respondents == 1


def test_small_groups_are_suppressed_in_anonymous_surveys_only(hub):
    hub.smallest_group = 5
    anonymous, named = make_survey(hub), make_survey(hub, anonymous=False)
    for survey in (anonymous, named):
        for _ in range(4):
            make_needs_response(survey)
    assert all(r.suppressed for r in needs_summary(hub, Filters(survey=anonymous)))
    assert not any(r.suppressed for r in needs_summary(hub, Filters(survey=named)))
    make_needs_response(anonymous)
    assert not any(r.suppressed for r in needs_summary(hub, Filters(survey=anonymous)))


def test_the_summary_page_filters_with_htmx_and_keeps_them_in_the_url(client, hub, lead):
    survey = make_survey(hub)
    make_needs_response(survey, grid=(1, 2, 3), priorities=(0,))
    make_needs_response(survey, grid=(1, 2, 3))
    page = client.get(f"/hubs/{hub.slug}/reports/needs?survey={survey.id}&role=teacher")
    assert page.status_code == 200
    assert "Need score: half the share" in page.text
    assert "<svg" in page.text and "Early language" in page.text
    assert 'hx-push-url="true"' in page.text
    assert f'<option value="{survey.id}" selected>' in page.text
    fragment = client.get(
        f"/hubs/{hub.slug}/reports/needs?role=senco", headers={"HX-Request": "true"}
    )
    assert "<html" not in fragment.text and "No answers yet" in fragment.text
    # Nonsense in the URL is ignored, not trusted.
    assert (
        client.get(f"/hubs/{hub.slug}/reports/needs?survey=999&school=x&by=drop").status_code == 200
    )


def _csv(response):
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_wide_export_has_a_column_per_option_and_reads_back(client, hub, lead):
    survey = make_survey(hub, anonymous=False)  # named: every profile value is kept
    formats = next(q for q in survey.questions if q.prompt == "Formats?")
    years = next(q for q in survey.questions if q.prompt == "Years in phase?")
    pupils = next(q for q in survey.questions if q.prompt == "Pupils in your class?")
    word = next(q for q in survey.questions if q.prompt == "One word for your school?")
    make_needs_response(
        survey,
        grid=(1, 2, 3),
        priorities=(1,),
        school=make_school(hub, "Église Primary"),
        extra={
            "Formats?": [(1, 1, None), (3, 1, None)],
            "Years in phase?": [(0, 2, None)],
            "Pupils in your class?": [(0, 28, None)],
            "One word for your school?": [(0, None, '=HYPERLINK("x")')],
        },
    )
    make_needs_response(survey, grid=(4, 4, 4), extra={"Pupils in your class?": [(0, -3, None)]})
    rows = _csv(
        client.get(f"/hubs/{hub.slug}/reports/export/responses-wide.csv?survey={survey.id}")
    )
    heading, first, second = rows
    n = survey.questions.index(formats) + 1
    option_columns = [h for h in heading if h.startswith(f"q{n}_formats__")]
    assert option_columns == [
        f"q{n}_formats__online",
        f"q{n}_formats__twilight",
        f"q{n}_formats__in_school",
    ]
    record = dict(zip(heading, first, strict=True))
    assert [record[c] for c in option_columns] == ["1", "0", "1"]
    assert record["school"] == "Église Primary" and record["role"] == "Teacher"
    assert record[f"q{survey.questions.index(years) + 1}_years_in_phase"] == "6+"
    assert record[f"q{survey.questions.index(pupils) + 1}_pupils_in_your_class"] == "28"
    assert (
        record[f"q{survey.questions.index(word) + 1}_one_word_for_your_school"]
        == '\'=HYPERLINK("x")'
    )
    assert record["q1_how_confident_are_you__early_language__confidence"] == "1"
    assert record["q1_how_confident_are_you__systematic_synthetic_phonics__priority"] == "1"
    other = dict(zip(heading, second, strict=True))
    assert [other[c] for c in option_columns] == ["", "", ""]  # not answered: blank, not 0
    assert other[f"q{survey.questions.index(pupils) + 1}_pupils_in_your_class"] == "-3"


def test_long_export_has_a_row_per_answer_in_csv_and_xlsx(client, hub, lead):
    survey = make_survey(hub, anonymous=False)
    make_needs_response(
        survey,
        grid=(1, 2, 3),
        priorities=(0,),
        extra={"Formats?": [(2, 1, None)], "What would help?": [(0, None, "@cmd|' /C calc'!A0")]},
    )
    url = f"/hubs/{hub.slug}/reports/export/responses-long"
    rows = _csv(client.get(f"{url}.csv?survey={survey.id}"))
    assert rows[0][-5:] == ["question_id", "question", "item", "answer", "priority"]
    assert len(rows) == 1 + 3 + 1 + 1
    grid_rows = [r for r in rows[1:] if r[-3] == "Early language"]
    assert grid_rows[0][-2:] == ["1", "1"]
    assert any(r[-3] == "Twilight" and r[-2] == "1" for r in rows)
    assert any(r[-2] == "'@cmd|' /C calc'!A0" for r in rows)
    rows = [[c[1:] if c.startswith("'@") else c for c in r] for r in rows]

    with client.get(f"{url}.xlsx?survey={survey.id}") as response:
        book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    sheet_rows = list(book.active.iter_rows(values_only=True))
    # The same cells, but text as typed: a string cell needs no apostrophe to stay text.
    assert [list(r) for r in sheet_rows[1:]] == [
        [None if c == "" else (int(c) if c.lstrip("-").isdigit() else c) for c in r]
        for r in rows[1:]
    ]
    assert "@cmd|' /C calc'!A0" in sheet_rows[-1]
    assert isinstance(sheet_rows[1][0], int)  # numbers stay numbers
    book.close()


def test_the_long_csv_holds_exactly_the_cells_of_the_long_rows(client, hub, lead):
    """long_csv encodes repeated cells once; its file must be the generic writer's, byte for
    byte, whatever the text holds (tests/test_exports.py holds more hostile text)."""
    survey = make_survey(hub, anonymous=False)
    awkward = 'He said "yes, please",\nthen left; -1 =2 £5 café'
    make_needs_response(
        survey,
        school=make_school(hub, "St Mary's, Leeds"),
        extra={
            "Years in phase?": [(0, 0, None)],
            "Formats?": [(1, 1, None), (2, 1, None), (3, 1, None)],
            "Confidence with phonics?": [(0, 4, None)],
            "How supported do you feel?": [(0, 0, None)],
            "Pupils in your class?": [(0, 28, None)],
            "One word for your school?": [(0, None, "")],
            "What would help?": [(0, None, awkward)],
        },
    )
    make_needs_response(
        survey, role="headteacher", extra={"What would help?": [(0, None, "+44 113")]}
    )
    url = f"/hubs/{hub.slug}/reports/export/responses-long.csv?survey={survey.id}"
    text = client.get(url).data.decode("utf-8")
    assert text == "".join(csv_chunks(long_rows(survey.id)))
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) == 1 + 2 * 3 + 1 + 3 + 5 + 1  # heading, grids, then one of each kind
    assert [r[-2] for r in rows if r[-4] == "What would help?"] == [awkward, "'+44 113"]
    assert {r[3] for r in rows[1:]} == {"St Mary's, Leeds", "Elsewhere School"}


def test_summary_export_matches_the_page_and_suppresses_small_groups(client, hub, lead):
    hub.smallest_group = 3
    db.session.commit()
    survey = make_survey(hub)
    make_needs_response(survey, role="teacher", grid=(1, 2, 3), priorities=(0,))
    make_needs_response(survey, role="teacher", grid=(1, 2, 3))
    make_needs_response(survey, role="teacher", grid=(2, 2, 3))
    make_needs_response(survey, role="headteacher", grid=(5, 5, 5))
    for _ in range(2):  # a second small group: one hidden group alone could be worked out
        make_needs_response(survey, role="mentor", grid=(3, 3, 3))
    url = f"/hubs/{hub.slug}/reports/export/summary.csv?survey={survey.id}&by=role"
    rows = _csv(client.get(url))
    table = {(r[0], r[1]): r for r in rows[1:]}
    teacher = table[("Teacher", "Early language")]
    assert teacher[2:] == ["1", "3", "1.33", "1.0", "0.333", "66.7", "no"]
    assert table[("Headteacher", "Early language")][2:] == ["", "", "", "", "", "", "yes"]
    with client.get(url.replace(".csv", ".xlsx")) as response:
        book = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    values = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    # The XLSX need score is rounded as the page shows it (shares have a % format).
    assert ["Teacher", "Early language", 1, 3, 1.33, 1, 0.333, 67, "no"] in values


def test_every_export_is_recorded_and_listed(client, hub, lead):
    survey = make_survey(hub)
    client.get(f"/hubs/{hub.slug}/reports/export/responses-long.csv?survey={survey.id}").close()
    with client.get(f"/hubs/{hub.slug}/reports/export/summary.xlsx"):
        pass
    records = db.session.scalars(db.select(ExportRecord).order_by(ExportRecord.id)).all()
    assert [(r.what, r.fmt) for r in records] == [("responses-long", "csv"), ("summary", "xlsx")]
    assert records[0].user.email == "lead@hub.example"
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    assert "Responses long (CSV)" in page and "lead@hub.example" in page


def test_another_hubs_survey_cannot_be_exported(client, hub, lead):
    theirs = make_survey(make_hub("South Hub"))
    url = f"/hubs/{hub.slug}/reports/export/responses-wide.csv?survey={theirs.id}"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("text", ["=1+1", "+44 113", "-5 pupils", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_looks_like_a_formula_is_defused(text):
    assert safe(text) == "'" + text
    assert safe(-5) == -5 and safe(3.5) == 3.5 and safe("plain") == "plain"


def test_a_hidden_group_cannot_be_worked_out_from_the_others(hub):
    hub.smallest_group = 3
    survey = make_survey(hub)
    for role, count in (("teacher", 6), ("mentor", 4), ("headteacher", 1)):
        for _ in range(count):
            make_needs_response(survey, role=role)
    rows = needs_summary(hub, Filters(survey=survey, by="role"))
    early = {r.group: r for r in rows if r.need_area.name == "Early language"}
    assert early["Headteacher"].suppressed
    assert early["Mentor"].suppressed  # the next smallest, so total minus teachers hides it
    assert not early["Teacher"].suppressed


def test_a_filtered_view_is_hidden_when_the_view_without_the_filter_would_give_away_a_few(
    client, hub, lead
):
    hub.smallest_group = 3
    survey = make_survey(hub)
    for role, count in (("teacher", 5), ("mentor", 2)):
        for _ in range(count):
            make_needs_response(survey, role=role, phase="primary")

    def shown(filters):
        return not any(r.suppressed for r in needs_summary(hub, filters))

    # All 7 less the 5 teachers would be the 2 mentors' answers.
    assert not shown(Filters(survey=survey, values={"role": "teacher"}))
    page = client.get(f"/hubs/{hub.slug}/reports/needs?survey={survey.id}&role=teacher").text
    assert "it would give away a group of fewer than 3" in page
    assert shown(Filters(survey=survey, values={"phase": "primary"}))  # leaves no one out
    assert shown(Filters(survey=survey))

    # A second wave of 1: the first wave alone would give it away.
    make_needs_response(survey, wave=open_next_wave(survey), role="teacher")
    assert not shown(Filters(survey=survey, wave_id=survey.waves[0].id))
    # Another anonymous survey of 2: this survey alone, against the whole hub, would too.
    for _ in range(2):
        make_needs_response(make_survey(hub))
    assert not shown(Filters(survey=survey))
    assert shown(Filters())  # the whole hub: nothing wider to subtract from


@pytest.mark.parametrize("by", [None, "role"])
def test_pooled_waves_do_not_give_away_a_small_wave_by_subtraction(hub, by):
    """Three waves of 6, 6 and 2: the third is hidden on its own, and the first two are
    shown, so all waves less the first two would be the two in the third."""
    hub.smallest_group = 5
    survey = make_survey(hub)
    waves = [current_wave(survey), open_next_wave(survey), open_next_wave(survey)]
    for wave, count in zip(waves, (6, 6, 2), strict=True):
        for _ in range(count):
            make_needs_response(survey, wave=wave, grid=(1, 3, 5))

    def shown(wave):
        rows = needs_summary(hub, Filters(survey=survey, wave_id=wave and wave.id, by=by))
        return not any(r.suppressed for r in rows)

    assert [shown(wave) for wave in waves] == [True, True, False]
    assert not shown(None)
    # A third wave of 5 may be shown, and then so may the waves together.
    for _ in range(3):
        make_needs_response(survey, wave=waves[2], grid=(1, 3, 5))
    assert [shown(wave) for wave in waves] == [True, True, True]
    assert shown(None)


def test_named_surveys_are_not_protected_from_subtraction(hub):
    hub.smallest_group = 3
    survey = make_survey(hub)
    for _ in range(4):
        make_needs_response(survey)
    for _ in range(2):
        make_needs_response(
            make_survey(hub, anonymous=False)
        )  # shown in full on its own page anyway
    assert not any(r.suppressed for r in needs_summary(hub, Filters(survey=survey)))


def test_breakdown_groups_follow_the_apps_own_order(client, hub, lead):
    survey = make_survey(hub)
    for role in ("teacher", "headteacher", "ect", "teacher", "headteacher", "ect"):
        make_needs_response(survey, role=role)
    rows = needs_summary(hub, Filters(survey=survey, by="role"))
    assert list(dict.fromkeys(r.group for r in rows)) == [
        "Early career teacher",
        "Teacher",
        "Headteacher",
    ]
    page = client.get(f"/hubs/{hub.slug}/reports/needs?survey={survey.id}&by=role").text
    assert page.index("Early career teacher") < page.index(">Teacher<") < page.index("Headteacher")


def test_the_list_of_exports_gives_uk_times(client, hub, lead):
    """Stored in UTC; a hub lead reads the time on their own clock, summer time included."""
    for moment in (datetime(2026, 7, 1, 12, 0), datetime(2026, 12, 1, 12, 0)):
        db.session.add(
            ExportRecord(hub=hub, what="summary", fmt="csv", filters="", created_at=moment)
        )
    db.session.commit()
    page = client.get(f"/hubs/{hub.slug}/reports/exports").text
    assert "1 Jul 2026 13:00" in page and "1 Dec 2026 12:00" in page
    assert "UTC" not in page.split("Recent exports")[-1]

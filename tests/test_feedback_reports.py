"""Feedback summaries (the Feedback page, with the feedback files' figures), the planning aid
and the hub's dashboard, on hand-worked figures."""

import csv
import html
import io
import re
import secrets
from datetime import datetime, timedelta

import pytest
from factories import make_hub, make_survey, make_user, sign_in

from hubsurvey.activities.services import save_activity
from hubsurvey.extensions import db
from hubsurvey.models import Answer, Response
from hubsurvey.reports.feedback import (
    comment_counts,
    comments,
    feedback_figures,
    grouped_comments,
)
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
    hub.smallest_group = 2  # anonymous: every figure below rests on two ratings or more
    early, phonics, _reading = hub.hub_type.need_areas
    first = _activity(hub, "Session one", [early, phonics])
    second = _activity(hub, "Session two", [phonics], survey=first.survey)
    for rating in (5, 4, 4):
        _feedback(first, rating)
    later = open_next_wave(first.survey)
    for rating in (2, 3):
        _feedback(second, rating, wave=later)

    figures = feedback_figures(hub)
    assert [a.title for a in figures.activities] == ["Session two", "Session one"]
    one = figures.by_activity[first.id]
    assert one.responses == 3 and one.mean == pytest.approx(13 / 3)
    assert one.counts() == [(1, 0), (2, 0), (3, 0), (4, 2), (5, 1)]
    assert not one.suppressed and one.protected
    by_area = dict(figures.by_area)
    assert list(by_area) == ["Early language", "Systematic synthetic phonics"]  # rated only
    assert by_area["Early language"].mean == pytest.approx(13 / 3)
    assert by_area["Systematic synthetic phonics"].responses == 5
    assert by_area["Systematic synthetic phonics"].mean == pytest.approx(18 / 5)
    assert [(w.number, f.responses, f.mean) for w, f in figures.by_wave] == [
        (1, 3, pytest.approx(13 / 3)),
        (2, 2, pytest.approx(2.5)),
    ]
    assert (figures.overall.responses, figures.overall.mean) == (5, pytest.approx(18 / 5))
    assert not any(f.suppressed for _name, f in figures.by_area + figures.by_wave)


def _cells(row: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)


def _words(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


TABLES = {"By activity": "activity", "By need area targeted": "need area",
          "Over time, by wave": "wave"}  # fmt: skip


def page_figures(page: str) -> dict[str, list[tuple]]:
    """The Feedback page's ratings tables as figures: per breakdown, each row's name and either
    "Not shown" or (ratings, average to one decimal, [count of each rating 1 to 5])."""
    found: dict[str, list[tuple]] = {}
    for table in page.split("<table")[1:]:
        caption = _words(re.search(r"<caption[^>]*>(.*?)</caption>", table, re.S)[1])
        rows = []
        for row in table.split("<tbody")[1].split("<tr")[1:]:
            cells = _cells(row)
            name = _words(cells[0].split('<span class="govuk-hint')[0])
            if len(cells) == 2:
                assert _words(cells[1]).startswith("Not shown: "), cells[1]
                rows.append((name, "Not shown"))
                continue
            counts = [
                int(n.replace(",", "")) for n in re.findall(r"Rated \d: ([\d,]+)", _words(cells[3]))
            ]
            rows.append((name, (int(_words(cells[1])), _words(cells[2]), counts)))
        found[TABLES[caption]] = rows
    return found


def file_figures(rows: list[list]) -> dict[str, list[tuple]]:
    """The feedback summary file's rows as page_figures reads the page."""
    found: dict[str, list[tuple]] = {}
    heading = rows[0]
    for row in rows[1:]:
        r = dict(zip(heading, row, strict=True))
        if r["suppressed"] == "yes":
            figure = "Not shown"
        else:
            counts = [int(float(r[f"rated_{n}"])) for n in range(1, 6)]
            figure = (int(float(r["responses"])), f"{float(r['mean_rating']):.1f}", counts)
        found.setdefault(r["breakdown"], []).append((r["name"], figure))
    return found


def test_the_page_draws_each_spread_as_bars_with_its_counts_in_words(client, hub):
    hub.smallest_group = 2
    session = _activity(hub, "Session one", [])
    for rating in (5, 4, 4, 2):
        _feedback(session, rating)
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/feedback").text
    row = page.split("By activity")[1].split("</tr>")[1]
    assert "Session one" in row
    assert re.findall(r"Rated (\d): (\d+)", _words(row)) == [
        ("1", "0"), ("2", "1"), ("3", "0"), ("4", "2"), ("5", "1")
    ]  # fmt: skip
    # Each bar's height is an attribute, scaled to the most given rating (4: twice).
    heights = re.findall(r'<rect class="app-spread__bar" x="0" y="([\d.]+)" width="10" '
                         r'height="([\d.]+)"', row)  # fmt: skip
    assert [float(h) for _y, h in heights] == [0, 10, 0, 20, 10]
    assert all(float(y) + float(h) == 20 for y, h in heights)
    assert "3.8" in _words(row) and 'style="' not in row  # 15 / 4 = 3.75; no inline style


def test_the_page_hides_what_the_feedback_file_hides(client, hub):
    """Smallest group 5 (the default). The pair's 2 ratings are not shown; nor the phonics
    total, whose 7 ratings less the big day's 5 would give the pair's away; nor the reading
    total (the pair's alone); nor the pair's wave. The page and the file agree on every row."""
    early, phonics, reading = hub.hub_type.need_areas
    big = _activity(hub, "Big phonics day", [phonics], days=-20)
    pair = _activity(hub, "Coaching pair", [phonics, reading], days=-10)
    named = _activity(hub, "Named twilight", [early], days=-5)
    named.survey.anonymous = False  # asked by name: the small-group rule does not apply
    for rating in (5, 5, 4, 4, 3):
        _feedback(big, rating)
    for rating in (1, 2):
        _feedback(pair, rating)
    _feedback(named, 4)
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/feedback").text
    figures = page_figures(page)
    assert figures == {
        "activity": [
            ("Named twilight", (1, "4.0", [0, 0, 0, 1, 0])),
            ("Coaching pair", "Not shown"),
            ("Big phonics day", (5, "4.2", [0, 0, 1, 2, 2])),
        ],
        "need area": [
            ("Early language", (1, "4.0", [0, 0, 0, 1, 0])),
            ("Systematic synthetic phonics", "Not shown"),
            ("Reading for pleasure", "Not shown"),
        ],
        "wave": [
            (big.survey.waves[0].label, (5, "4.2", [0, 0, 1, 2, 2])),
            (pair.survey.waves[0].label, "Not shown"),
            (named.survey.waves[0].label, (1, "4.0", [0, 0, 0, 1, 0])),
        ],
    }
    words = _words(page)
    assert "Coaching pair Not shown: fewer than 5 ratings" in words
    assert "Systematic synthetic phonics Not shown: it would give away" in words
    assert "Reading for pleasure Not shown: fewer than 5 ratings" in words
    assert words.count("are not shown for fewer than 5 ratings") == 1  # the rule, said once
    assert "1.5" not in words  # the pair's average
    with client.get(f"/hubs/{hub.slug}/reports/export/feedback-summary.csv") as download:
        rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"), newline="")))
    assert file_figures(rows) == figures


def test_comments_grouped_by_activity_and_wave_newest_group_first(client, hub):
    first = _activity(hub, "Session one", [])
    second = _activity(hub, "Session two", [])
    _feedback(first, 4, "Older <b>note</b>", when=datetime(2027, 1, 1))
    _feedback(second, 4, "From session two", when=datetime(2027, 1, 2))
    _feedback(first, 4, "Later that week", when=datetime(2027, 1, 3))
    _feedback(first, 4, "", when=datetime(2027, 1, 4))  # an empty box is not a comment
    spring = open_next_wave(first.survey)
    _feedback(first, 5, "Next term", wave=spring, when=datetime(2027, 2, 1))
    autumn = first.survey.waves[0].label

    def groups(*args, **kwargs):
        return [
            (g.activity, g.wave, [text for _when, _question, text in g.comments])
            for g in grouped_comments(hub, *args, **kwargs)
        ]

    assert groups() == [
        ("Session one", spring.label, ["Next term"]),
        ("Session one", autumn, ["Later that week", "Older <b>note</b>"]),
        ("Session two", second.survey.waves[0].label, ["From session two"]),
    ]
    assert groups(second.id) == [("Session two", second.survey.waves[0].label,
                                  ["From session two"])]  # fmt: skip
    assert groups(limit=2) == [
        ("Session one", spring.label, ["Next term"]),
        ("Session one", autumn, ["Later that week"]),
    ]
    # The hub's page shows the latest few, from the same rule.
    assert [c.text for c in comments(hub, limit=2)] == ["Next term", "Later that week"]

    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/feedback").text
    written = page.split('id="comments"')[1]
    headings = [_words(h) for h in re.findall(r"<h3[^>]*>(.*?)</h3>", written, re.S)]
    assert headings == [
        f"Session one , {spring.label}",
        f"Session one , {autumn}",
        f"Session two , {second.survey.waves[0].label}",
    ]
    assert "Older &lt;b&gt;note&lt;/b&gt;" in written and "<b>note" not in written
    assert written.index("Later that week") < written.index("Older &lt;b&gt;")
    # Choosing an activity: the whole page without JavaScript, the list alone with htmx.
    url = f"/hubs/{hub.slug}/reports/feedback?activity={second.id}"
    whole = client.get(url).text
    chosen = whole.split('id="comments"')[1]
    assert "From session two" in chosen and "Next term" not in chosen
    assert f'<option value="{second.id}" selected>' in whole
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and "From session two" in fragment.text
    assert "Next term" not in fragment.text
    # The printed title follows the choice (an out-of-band swap).
    assert 'id="feedback-print-title" hx-swap-oob="true"' in fragment.text
    assert "What people wrote: only about “Session two”" in fragment.text
    assert (
        "Nothing written about this activity yet."
        in client.get(
            f"/hubs/{hub.slug}/reports/feedback?activity={_activity(hub, 'Quiet', []).id}"
        ).text
    )
    # An activity of another hub, or nonsense, shows every activity's comments.
    for odd in ("999999", "abc", "-1"):
        everything = client.get(f"/hubs/{hub.slug}/reports/feedback?activity={odd}")
        assert everything.status_code == 200 and "Next term" in everything.text


def test_comments_counted_per_need_area_in_framework_order_with_zeros(client, hub):
    early, phonics, _reading = hub.hub_type.need_areas
    both = _activity(hub, "Talk and sounds", [early, phonics])
    sounds = _activity(hub, "Sounds only", [phonics])
    untagged = _activity(hub, "Network meeting", [])
    _feedback(both, 4, "Useful")
    _feedback(both, 5, "Very useful")
    _feedback(both, 3, "")  # not a comment
    _feedback(sounds, 4, "Good pace")
    _feedback(sounds, 4)  # a rating alone
    _feedback(untagged, 5, "Counted nowhere: no need area")
    # Early language: the 2 about "Talk and sounds"; phonics: those 2 and "Good pace".
    assert comment_counts(hub) == [
        ("Early language", 2),
        ("Systematic synthetic phonics", 3),
        ("Reading for pleasure", 0),
    ]
    sign_in(client, make_user(hubs=[hub]))
    words = _words(client.get(f"/hubs/{hub.slug}/reports/feedback").text)
    assert (
        "Early language: 2 comments Systematic synthetic phonics: 3 comments "
        "Reading for pleasure: 0 comments" in words
    )


def test_the_printed_page_says_whose_feedback_and_which_activity(client, hub):
    session = _activity(hub, "Session <one>", [])
    sign_in(client, make_user(hubs=[hub]))
    page = client.get(f"/hubs/{hub.slug}/reports/feedback").text
    title = page.split('class="app-print-only app-print-title"')[1].split("</div>")[0]
    assert "Leeds English Hub</strong>: feedback" in title
    assert "What people wrote: about every activity" in title
    page = client.get(f"/hubs/{hub.slug}/reports/feedback?activity={session.id}").text
    title = page.split('class="app-print-only app-print-title"')[1].split("</div>")[0]
    assert "What people wrote: only about “Session &lt;one&gt;”" in title


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

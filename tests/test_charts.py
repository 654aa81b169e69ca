"""The needs summary's bar chart names every need area in full and writes each figure as text.
(tests/browser/test_staff_pages_fit.py checks in a browser that no label is clipped.)"""

import re
from html.parser import HTMLParser

from factories import make_hub, make_response, make_survey, make_user, sign_in

from hubsurvey.extensions import db
from hubsurvey.models import Answer

GRID_ONLY = {
    "title": "Careers needs",
    "sections": [
        {"title": "Needs", "questions": [{"kind": "needs_grid", "prompt": "How confident?"}]}
    ],
}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Chart(HTMLParser):
    """Reads each bar's label and figure, as the page's text says them."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: list[dict[str, str]] = []
        self.open: list[str] = []  # the chart class of each open element, or ""

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        part = next((c for c in classes if c.startswith("app-chart__")), "")
        if part == "app-chart__item":
            self.bars.append({})
        self.open.append(part)

    def handle_endtag(self, tag):
        self.open.pop()

    def handle_data(self, data):
        for part in ("app-chart__label", "app-chart__value", "app-chart__note"):
            if part in self.open:
                bar = self.bars[-1]
                bar[part] = " ".join(f"{bar.get(part, '')} {data}".split())


def _chart(html: str) -> list[dict[str, str]]:
    parser = _Chart()
    parser.feed(html)
    return parser.bars


def test_the_chart_names_every_gatsby_benchmark_in_full_with_its_figure(app, client):
    hub = make_hub("Dales Careers Hub", "careers-hub")
    survey = make_survey(hub, GRID_ONLY)
    question = survey.questions[0]
    for n in range(5):  # the smallest group that is shown
        response = make_response(survey, status="submitted", profile_saved=True, role="teacher")
        for area in question.grid_areas:
            db.session.add(
                Answer(
                    response_id=response.id,
                    question_id=question.id,
                    item=area.id,
                    number=1 + (n + area.position) % 5,
                    priority=n == 0,
                )
            )
    db.session.commit()
    sign_in(client, make_user(hubs=[hub]))

    page = client.get(f"/hubs/{hub.slug}/reports/needs").text

    bars = _chart(page)
    names = [area.name for area in question.grid_areas]
    assert "Learning from career and labour market information" in names
    # Whole names, none shortened, and each figure written out.
    assert sorted(bar["app-chart__label"] for bar in bars) == sorted(names)
    assert all(re.fullmatch(r"Need score: \d+", bar["app-chart__value"]) for bar in bars)
    assert "<text" not in page  # no label drawn as SVG text, which cannot wrap

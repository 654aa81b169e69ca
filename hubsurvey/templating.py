"""Template helpers: vendored file names (they carry the version), domain labels, extensions."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, url_for

from hubsurvey.htmx import is_htmx
from hubsurvey.models.base import in_uk
from hubsurvey.surveys import audience, outcomes
from hubsurvey.surveys.questions import text_limit
from hubsurvey.vocabulary import (
    ACTIVITY_KINDS,
    CAREER_STAGES,
    PARTNER_STATUSES,
    PHASES,
    QUESTION_KINDS,
    RESPONDENT_ROLES,
    SUBJECTS,
    SURVEY_KINDS,
)


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    manifest_path = Path(app.static_folder) / "vendor" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())

    def vendor_url(name: str) -> str:
        return url_for("static", filename=f"vendor/{manifest[name]}")

    app.jinja_env.globals.update(
        vendor_url=vendor_url,
        is_htmx=is_htmx,
        status_labels=PARTNER_STATUSES,
        phase_names=list(PHASES.values()),
        question_kinds=QUESTION_KINDS,
        activity_kinds=ACTIVITY_KINDS,
        survey_kinds=SURVEY_KINDS,
        labels={"roles": RESPONDENT_ROLES, "stages": CAREER_STAGES, "subjects": SUBJECTS},
        scale_items=lambda labels: [
            (i, f"{i}: {label}" if label else str(i)) for i, label in enumerate(labels, start=1)
        ],
        rating_items=lambda: [(i, str(i)) for i in range(11)],
        now_uk=lambda: datetime.now(ZoneInfo("Europe/London")),
        outcome_figure=outcomes.figure,
        outcome_change=outcomes.change,
        first_and_last=outcomes.first_and_last,
    )
    app.jinja_env.filters.update(
        phase_label=lambda value: PHASES.get(value, value),
        enumerate_options=lambda options: list(enumerate(options)),
        text_limit=text_limit,
        audience=audience.describe,
        attr_pair=lambda item, key, label: (getattr(item, key), getattr(item, label)),
        facet_pair=lambda item: (item[0], item[1][0]),
        chart_pair=lambda row: (row.need_area.name, row.need_score),
        uk_date=lambda moment: f"{in_uk(moment):%-d %B %Y}",
        uk_time=lambda moment: f"{in_uk(moment):%-d %b %Y %H:%M}",
    )

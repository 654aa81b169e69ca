"""Every staff form, sent hostile and malformed values: never a 5xx, nothing stored that the
form would refuse, and no way through one hub's forms to another hub's records.

The forms are found from the app's URL map: a new staff form fails
test_every_staff_form_is_covered until it is listed in STAFF_FORMS with the data it needs."""

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from factories import PASSWORD, make_hub, make_user, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from records import hub_records, snapshot
from sqlalchemy import inspect, select
from sqlalchemy.orm import selectinload

from hubsurvey.extensions import db
from hubsurvey.models import (
    Activity,
    Answer,
    Attendance,
    AuditEntry,
    Contact,
    Cost,
    FollowUp,
    Funding,
    Hub,
    HubType,
    KeyPerson,
    Measure,
    Message,
    NeedArea,
    Partnership,
    Plan,
    PlanChange,
    Question,
    Resource,
    Response,
    School,
    SchoolLink,
    Section,
    Series,
    ShareLink,
    StatusChange,
    Survey,
    SwotItem,
    User,
)
from hubsurvey.plans.money import MOST_PENCE
from hubsurvey.school_years import this_year
from hubsurvey.surveys.questions import DEFAULT_NUMBER_LIMIT
from hubsurvey.vocabulary import (
    ACCOUNT_ROLES,
    ACTIVITY_KINDS,
    AUDIENCE_FACTS,
    COST_KINDS,
    CYCLES,
    MEASURE_KINDS,
    PARTNER_STATUSES,
    PHASES,
    QUESTION_KINDS,
    RESPONDENT_ROLES,
    SERIES_KINDS,
    SWOT_QUADRANTS,
    TERMS,
)

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Public forms (answering a survey, signing in and out, one-time links) have their own tests.
PUBLIC_BLUEPRINTS = {"respond", "health", "static", "contact_page", "heads"}
PUBLIC_AUTH = {"auth.sign_in", "auth.sign_out", "auth.setup", "auth.set_password"}

# Form fields that name a record by id, and the record each names (see records.hub_records).
ID_FIELDS = {
    "hub_type_id": "hub_type_id",
    "hubs": "hub_id",
    "schools": "school_id",
    "need_areas": "area_id",
    "need_area_id": "area_id",
    "grid_areas": "area_id",
    "feedback": "feedback_id",
    "copy_of": "survey_id",
    "responses": "response_id",
    "school": "school_id",
    "attendance": "attendance_id",
    "follow_ups": "follow_up_id",
    "survey": "survey_id",
    "need_area": "area_id",
    "question": "question_id",
    "series_id": "series_id",
    "activity": "activity_id",
    "activities": "activity_id",
    "objective": "objective_id",
}

SCRIPT = "<script>alert(1)</script>"
NASTY = [
    "",
    " ",
    "  \t  ",
    "²",
    "١٢٣٤٥٦",
    "٣",
    "1e308",
    "-1e308",
    "-1",
    "NaN",
    "inf",
    "-0",
    "0",
    "1.5",
    "12,34",
    "9" * 5000,
    "99999999999999999999",
    "x" * 10_000,
    "\x00",
    "nul\x00inside",
    "\x1b[2J",
    "bell\x07",
    "\u202eevil",
    "\ufeffbom",
    "line\nbreak",
    "\r\n",
    SCRIPT,
    "=1+1",
    "İ" * 130,
    "e\u0301" * 70,
    "😀" * 61,
    "null",
    "[]",
    "' OR 1=1 --",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "24:00",
    "y",
    "on",
    "up",
    "single",
    "needs_grid",
    "admin",
    "Maths hub",
    "North Hub",
]
NOT_SENT = object()


class OneOf(tuple):
    """Valid values for a field, each tried; the first where one valid form is needed."""

    def __new__(cls, *values):
        return super().__new__(cls, values)


@dataclass(frozen=True)
class Form:
    """What a staff form needs: who may use it, and a valid submission for hub A's records
    (`v`: the values of records.hub_records)."""

    fields: Callable[[dict], dict]
    admin: bool = False
    examples: int = 15
    query: Callable[[dict], dict] = lambda v: {}
    # URL values that differ from hub_records' (a survey with responses, say).
    values: Callable[[dict], dict] = lambda v: {}
    upload: str | None = None


HUB = Form(
    admin=True,
    fields=lambda v: {
        "name": OneOf("Hostile Hub", "North Hub", "Ünïcode Hub"),
        "hub_type_id": str(v["hub_type_id"]),
        "area": "Leeds",
        "phases": ["primary", "secondary"],
        "contact_email": "hub@example.org",
        "smallest_group": OneOf("5", "2", "50"),
        "subject": "",
    },
)
NEED_AREA = Form(admin=True, fields=lambda v: {"name": "Oracy", "description": "Talk"})
SCHOOL = Form(
    fields=lambda v: {
        "name": OneOf("Hillside Primary", "Beck Academy"),
        "urn": OneOf("", "100001", "123 456"),
        "phase": OneOf(*PHASES),
        "local_authority": "Leeds",
        "trust": "",
        "status": OneOf(*PARTNER_STATUSES),
    }
)
SECTION = Form(
    fields=lambda v: {
        "title": "Your teaching",
        "intro": "A few questions.",
        "role": ["teacher", "ect"],
        "phase": [],
        "career_stage": ["years-3-5"],
        "subject": [],
    }
)
QUESTION = Form(
    examples=30,
    query=lambda v: {"kind": OneOf(*QUESTION_KINDS)},
    fields=lambda v: {
        "kind": OneOf(*QUESTION_KINDS),
        "prompt": "How confident are you?",
        "hint": "",
        "required": "y",
        "options": "Yes\nNo\nNot sure",
        "labels": "Very low\nLow\nMiddling\nHigh\nVery high",
        "low_label": "Not at all",
        "high_label": "Fully",
        "unit": "pupils",
        "minimum": OneOf("", "0", "-5", "1.5"),
        "maximum": OneOf("", "40", "1000000"),
        "integer": "y",
        "max_length": OneOf("", "20", "200", "4000"),
        "need_area_id": OneOf("0", str(v["mine_area_id"])),
        "grid_areas": [str(v["mine_area_id"])],
        "role": [],
        "phase": ["primary"],
        "career_stage": [],
        "subject": [],
    },
)
ACTIVITY = Form(
    fields=lambda v: {
        "title": "Phonics training",
        "kind": OneOf(*ACTIVITY_KINDS),
        "starts_on": "2027-01-12",
        "starts_at": "16:00",
        "ends_at": OneOf("", "17:30"),
        "hours": OneOf("", "1.5", "2"),
        "place": "Hillside Primary",
        "online": "",
        "facilitator": "A. Trainer",
        "need_areas": [str(v["mine_area_id"])],
        "schools": [str(v["school_id"])],
        "feedback": OneOf("0", str(v["feedback_id"])),
        "series_id": OneOf("0", str(v["series_id"])),
    }
)
SERIES = Form(
    fields=lambda v: {
        "title": OneOf("Reading work group", "Ünïcode lesson study"),
        "kind": OneOf(*SERIES_KINDS),
        "description": OneOf("", "Six sessions for Year 1 teachers.\nVisits between them."),
        "need_areas": [str(v["mine_area_id"])],
        "schools": [str(v["school_id"])],
        "feedback": OneOf("0", str(v["feedback_id"])),
    }
)
FOLLOW_UP = Form(
    fields=lambda v: {
        "school": str(v["school_id"]),
        "held_on": OneOf(date.today().isoformat(), (date.today() - timedelta(30)).isoformat()),
        "hours": OneOf("", "1.5"),
        "notes": OneOf("", "Visited two classrooms; agreed a gap task."),
    }
)
ATTENDANCE = Form(
    fields=lambda v: {
        "name": OneOf("Ann Smith", "Ünïcode Name"),
        "email": OneOf("ann@school.example", ""),
        "school": OneOf(str(v["school_id"]), "0"),
        "role": OneOf("", "teacher", "senco"),
    }
)
CONTACT = Form(
    fields=lambda v: {
        "name": OneOf("Ann Head", "Ünïcode Name"),
        "role": OneOf("Headteacher", ""),
        "email": OneOf("head@school.example", ""),
        "phone": OneOf("", "0113 496 0000", "+44 (0)113 496-0000"),
    }
)
RESOURCE = Form(
    fields=lambda v: {
        "title": OneOf("Phonics guide", "Ünïcode slides"),
        "description": OneOf("", "For teachers new to phonics."),
        "url": OneOf("https://example.org/phonics", "www.example.org/guide.pdf"),
        "need_areas": [str(v["mine_area_id"])],
        "phases": OneOf([], ["primary", "special"]),
        "activity": OneOf("0", str(v["activity_id"])),
    }
)
# The plan's forms (plans/forms.py).
OBJECTIVE = Form(
    fields=lambda v: {
        "title": OneOf("Reading fluency", "Ünïcode objective"),
        "owner": OneOf("", "Priya Shah"),
        "terms": OneOf(["autumn", "summer"], []),
        "need_areas": [str(v["mine_area_id"])],
        "activities": OneOf([str(v["activity_id"])], []),
    }
)
PERSON = Form(
    fields=lambda v: {
        "role": OneOf("Hub lead", "Ünïcode role"),
        "name": OneOf("", "Sam Lee"),
        "backup": OneOf("", "Ann Jones"),
        "notes": OneOf("", "Two days a week.\nCovers for the maths lead."),
    }
)
FUNDING = Form(
    fields=lambda v: {
        "source": OneOf("DfE grant", "Trust contribution"),
        "amount": OneOf("£1,250.50", "1250", "80"),
        "ends_on": OneOf("", f"{this_year() + 1}-03-31"),
        "notes": OneOf("", "Three years"),
    }
)
COST = Form(
    fields=lambda v: {
        "objective": OneOf("0", str(v["objective_id"])),
        "kind": OneOf(*COST_KINDS),
        "description": OneOf("", "Hall hire"),
        "amount": OneOf("£1,250.50", "400", "0.5"),
    }
)
NOTHING = Form(fields=lambda v: {}, examples=4)
# A plan's measure: what it reads (the kind), then only what that kind needs.
MEASURE = Form(
    examples=30,
    fields=lambda v: {
        "kind": OneOf(*MEASURE_KINDS),
        "title": OneOf("", "Teachers trained", "Ünïcode measure"),
        "survey": str(v["survey_id"]),
        "wave": "0",
        "need_area": OneOf(str(v["mine_area_id"]), "0"),
        "question": "0",
        "standard": OneOf("", "70"),
        "unit": OneOf("", "%", "teachers"),
        "current": OneOf("", "40", "62.5"),
        "baseline": OneOf("", "30", "1,250"),
        "use_current": OneOf("", "y"),
        "target": OneOf("", "50", "10"),
        "due_on": OneOf("", "2027-07-16"),
        "direction": OneOf("higher", "lower"),
    },
)
ADMIN_NOTHING = Form(admin=True, fields=lambda v: {}, examples=4)
# The privacy pages' forms: a search, then responses chosen from what it found.
CHOSEN = Form(
    examples=10,
    fields=lambda v: {
        "term": OneOf("Ann", "ann@school.example"),
        "responses": [v["response_id"]],
        "attendance": [v["attendance_id"]],
        "follow_ups": [v["follow_up_id"]],
    },
)


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


SCHOOL_CELLS = [
    ("Hill Academy", "Beck Primary"),
    ("", "100002", "100 003"),
    ("Primary", "secondary", "Special"),
    ("Leeds", ""),
    ("", "Beck Trust"),
    ("Active", "Invited", "mou", ""),
]


@st.composite
def _school_row(draw) -> list[str]:
    """A row of the import file, with one or two of its cells nasty."""
    cells = [draw(st.sampled_from(valid)) for valid in SCHOOL_CELLS]
    cells[0] += f" {draw(st.integers(1, 10**6))}"
    for i in draw(st.sets(st.integers(0, len(cells) - 1), max_size=2)):
        cells[i] = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=20)))
    return cells


SCHOOL_FILE = st.lists(_school_row(), min_size=1, max_size=2).map(
    lambda rows: _csv([["name", "urn", "phase", "la", "trust", "status"], *rows])
)
# Mostly a file of schools, so that some get as far as being saved.
SCHOOLS_CSV = st.one_of(
    SCHOOL_FILE,
    SCHOOL_FILE,
    SCHOOL_FILE,
    st.sampled_from(["", "name\n", "\x00", "name,urn\n" + "x" * 10_000 + ",1\n"]),
    st.text(max_size=200),
)

# Every staff form, by its URL rule, with what it needs.
STAFF_FORMS: dict[str, Form] = {
    "/admin/hubs/new": HUB,
    "/admin/hubs/<int:hub_id>/edit": HUB,
    "/admin/users/new": Form(
        admin=True,
        fields=lambda v: {
            "email": OneOf("new@school.example", "Lead@North.Example"),
            "role": OneOf(*ACCOUNT_ROLES),
            "hubs": [str(v["hub_id"])],
        },
    ),
    "/admin/users/<int:user_id>": Form(
        admin=True,
        fields=lambda v: {
            "role": OneOf(*ACCOUNT_ROLES),
            "active": OneOf("y", ""),
            "hubs": [str(v["hub_id"])],
        },
    ),
    "/admin/users/<int:user_id>/password-link": ADMIN_NOTHING,
    "/admin/hub-types/<int:hub_type_id>": Form(
        admin=True,
        fields=lambda v: {
            "name": OneOf("Teaching school hub", "Maths hub", "Oracy hub"),
            "description": "What it does",
            "subject": "",
            "phases": ["primary"],
            "active": "y",
        },
    ),
    "/admin/hub-types/<int:hub_type_id>/need-areas": NEED_AREA,
    "/admin/need-areas/<int:area_id>": NEED_AREA,
    "/admin/need-areas/<int:area_id>/move/<any(up, down):direction>": ADMIN_NOTHING,
    "/admin/need-areas/<int:area_id>/remove": ADMIN_NOTHING,
    "/account/password": Form(
        examples=8,
        fields=lambda v: {
            "current": PASSWORD,
            "password": "a long and brand new passphrase",
            "confirm": "a long and brand new passphrase",
        },
    ),
    "/account/sessions/<int:session_id>/end": NOTHING,
    "/hubs/<hub_slug>/schools/new": SCHOOL,
    "/hubs/<hub_slug>/schools/<int:school_id>": SCHOOL,
    "/hubs/<hub_slug>/schools/<int:school_id>/remove": NOTHING,
    "/hubs/<hub_slug>/schools/<int:school_id>/contacts/<any(head, main):kind>": CONTACT,
    "/hubs/<hub_slug>/schools/<int:school_id>/contacts/<any(head, main):kind>/remove": NOTHING,
    "/hubs/<hub_slug>/mou/edit": Form(
        fields=lambda v: {
            "hub_offers": "Network meetings each term.\n\n- Training for teachers",
            "school_commits": "- Release time for staff",
            "based_on": OneOf("1", ""),
        }
    ),
    "/hubs/<hub_slug>/mou/send": NOTHING,
    "/hubs/<hub_slug>/schools/<int:school_id>/mou/send": NOTHING,
    "/hubs/<hub_slug>/schools/<int:school_id>/head-view/send": NOTHING,
    "/hubs/<hub_slug>/schools/<int:school_id>/head-links/<int:head_link_id>/revoke": NOTHING,
    "/hubs/<hub_slug>/schools/import": Form(fields=lambda v: {"file": SCHOOLS_CSV}, upload="file"),
    "/hubs/<hub_slug>/schools/import/confirm": Form(fields=lambda v: {"text": SCHOOLS_CSV}),
    "/hubs/<hub_slug>/privacy/": Form(examples=10, fields=lambda v: {"term": "Ann"}),
    "/hubs/<hub_slug>/privacy/download": CHOSEN,
    "/hubs/<hub_slug>/privacy/erase": CHOSEN,
    "/hubs/<hub_slug>/privacy/erase/confirmed": CHOSEN,
    "/hubs/<hub_slug>/surveys/new": Form(
        fields=lambda v: {
            "start": OneOf("template", "copy", "blank", "outcomes"),
            "copy_of": str(v["survey_id"]),
        }
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/settings": Form(
        examples=25,
        fields=lambda v: {
            "title": "Training needs 2027",
            "intro": "Tell us what would help.",
            "anonymous": OneOf("yes", "no"),
            "opens_on": OneOf("", date.today().isoformat()),
            "closes_on": OneOf("", (date.today() + timedelta(days=30)).isoformat()),
            "cycle": OneOf(*CYCLES),
            "cycle_weeks": OneOf("", "6"),
            "keep_until": (date.today() + timedelta(days=365)).isoformat(),
            "privacy_notice": "North Hub runs this survey.",
        },
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/status/<any(open, closed):status>": NOTHING,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/delete": Form(
        fields=lambda v: {"confirm": OneOf("y", "")},
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/waves/next": NOTHING,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/invite": Form(
        fields=lambda v: {
            "schools": str(v["school_id"]),
            "to": OneOf("main", "head", "both"),
            "subject": "{survey}: please answer",
            "body": "Dear {name}, {link}",
            "action": OneOf("send", "preview"),
        },
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/remind": Form(
        fields=lambda v: {
            "below": OneOf("5", "1"),
            "when": OneOf("now", "later"),
            "send_on": (date.today() + timedelta(days=2)).isoformat(),
            "to": OneOf("main", "both"),
            "subject": "Reminder: {survey}",
            "body": "Dear {name}, {link}",
            "action": OneOf("send", "preview"),
        },
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/people": Form(
        fields=lambda v: {"people": OneOf("Jo Bloggs, jo@school.example", "ann@school.example")},
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/people/remind": Form(
        fields=lambda v: {},
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/people/<int:invitee_id>/withdraw": Form(
        fields=lambda v: {},
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/reminders/automatic": Form(
        fields=lambda v: {
            "remind_days": OneOf("7, 2", ""),
            "remind_below": "5",
            "remind_gap_days": "3",
        },
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/reminders/<int:reminder_id>/cancel": Form(
        fields=lambda v: {},
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/school-links": NOTHING,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/review/<int:response_id>/"
    "<any(exclude, restore):action>": Form(
        examples=10,
        fields=lambda v: {"reason": "Sent twice from one browser"},
        values=lambda v: {"survey_id": v["named_survey_id"]},
    ),
    "/hubs/<hub_slug>/surveys/<int:survey_id>/sections/new": SECTION,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/sections/<int:section_id>": SECTION,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/sections/<int:section_id>/move/"
    "<any(up, down):direction>": NOTHING,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/sections/<int:section_id>/remove": NOTHING,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/sections/<int:section_id>/questions/new": QUESTION,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/questions/<int:question_id>": QUESTION,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/questions/<int:question_id>/move/"
    "<any(up, down):direction>": NOTHING,
    "/hubs/<hub_slug>/surveys/<int:survey_id>/questions/<int:question_id>/remove": NOTHING,
    "/hubs/<hub_slug>/activities/new": ACTIVITY,
    "/hubs/<hub_slug>/activities/<int:activity_id>/edit": ACTIVITY,
    "/hubs/<hub_slug>/activities/<int:activity_id>/register": ATTENDANCE,
    "/hubs/<hub_slug>/activities/<int:activity_id>/register/<int:attendance_id>": ATTENDANCE,
    "/hubs/<hub_slug>/activities/<int:activity_id>/register/<int:attendance_id>/remove": NOTHING,
    "/hubs/<hub_slug>/activities/<int:activity_id>/feedback/send": NOTHING,
    "/hubs/<hub_slug>/activities/series/new": SERIES,
    "/hubs/<hub_slug>/activities/series/<int:series_id>/edit": SERIES,
    "/hubs/<hub_slug>/activities/series/<int:series_id>/remove": NOTHING,
    "/hubs/<hub_slug>/activities/series/<int:series_id>/follow-ups/new": FOLLOW_UP,
    "/hubs/<hub_slug>/activities/series/<int:series_id>/follow-ups/<int:follow_up_id>": FOLLOW_UP,
    "/hubs/<hub_slug>/activities/series/<int:series_id>/follow-ups/<int:follow_up_id>/remove": (
        NOTHING
    ),
    "/hubs/<hub_slug>/resources/new": RESOURCE,
    "/hubs/<hub_slug>/resources/<int:resource_id>/edit": RESOURCE,
    "/hubs/<hub_slug>/resources/<int:resource_id>/remove": NOTHING,
    "/hubs/<hub_slug>/sharing/links": Form(
        fields=lambda v: {
            "label": OneOf("Board meeting, 3 December", "Governors"),
            "link_days": OneOf("7", "30", "90"),
        }
    ),
    "/hubs/<hub_slug>/sharing/links/<int:link_id>/revoke": NOTHING,
    "/hubs/<hub_slug>/sharing/viewers": Form(
        fields=lambda v: {
            "email": OneOf("chair@trust.example", "Board@North.Example"),
            "viewer_days": OneOf("30", "90", "365"),
        }
    ),
    "/hubs/<hub_slug>/sharing/viewers/<int:viewer_id>/revoke": NOTHING,
    "/hubs/<hub_slug>/outbox/<int:message_id>/try-again": NOTHING,
    "/hubs/<hub_slug>/outbox/<int:message_id>/sent": NOTHING,
    "/hubs/<hub_slug>/outbox/send-waiting": NOTHING,
    "/hubs/<hub_slug>/outbox/mark-waiting-sent": Form(
        fields=lambda v: {"up_to": OneOf(str(v["message_id"]), "0")}
    ),
    "/hubs/<hub_slug>/plan/start": Form(
        fields=lambda v: {
            "year": OneOf(str(this_year() + 1), str(this_year())),
            "start": OneOf("template", "copy"),
        }
    ),
    "/hubs/<hub_slug>/plan/objectives/from-need": Form(
        fields=lambda v: {"need_area_id": OneOf(str(v["mine_area_id"]), str(v["area_id"]))}
    ),
    "/hubs/<hub_slug>/plan/<int:year>/<any(aims, continuity, outlook):part>": Form(
        fields=lambda v: {
            "aims": OneOf("Every teacher gets the training they need.", ""),
            "continuity": "Each school names a second teacher.",
            "outlook_1": "Two work groups",
            "outlook_2": "",
            "outlook_3": "Three work groups\nand a conference",
        }
    ),
    "/hubs/<hub_slug>/plan/<int:year>/review": NOTHING,
    "/hubs/<hub_slug>/plan/<int:year>/objectives/new": Form(
        fields=lambda v: {"title": OneOf("Reading fluency", "Ünïcode objective")}
    ),
    "/hubs/<hub_slug>/plan/<int:year>/objectives/<int:objective_id>": OBJECTIVE,
    "/hubs/<hub_slug>/plan/<int:year>/objectives/<int:objective_id>/remove": NOTHING,
    "/hubs/<hub_slug>/plan/<int:year>/swot/"
    "<any(strength, weakness, opportunity, threat):quadrant>": Form(
        fields=lambda v: {"text": OneOf("Lead teachers in four schools", "=1+1")}
    ),
    "/hubs/<hub_slug>/plan/<int:year>/swot/<int:swot_item_id>/remove": NOTHING,
    "/hubs/<hub_slug>/plan/<int:year>/people/new": PERSON,
    "/hubs/<hub_slug>/plan/<int:year>/people/<int:person_id>": PERSON,
    "/hubs/<hub_slug>/plan/<int:year>/people/<int:person_id>/remove": NOTHING,
    "/hubs/<hub_slug>/plan/<int:year>/funding/new": FUNDING,
    "/hubs/<hub_slug>/plan/<int:year>/funding/<int:funding_id>": FUNDING,
    "/hubs/<hub_slug>/plan/<int:year>/funding/<int:funding_id>/remove": NOTHING,
    "/hubs/<hub_slug>/plan/<int:year>/costs/new": COST,
    "/hubs/<hub_slug>/plan/<int:year>/costs/<int:cost_id>": COST,
    "/hubs/<hub_slug>/plan/<int:year>/costs/<int:cost_id>/remove": NOTHING,
    "/hubs/<hub_slug>/plan/<int:year>/objectives/<int:objective_id>/measures/new": MEASURE,
    "/hubs/<hub_slug>/plan/<int:year>/measures/<int:measure_id>/edit": MEASURE,
    "/hubs/<hub_slug>/plan/<int:year>/measures/<int:measure_id>/remove": NOTHING,
}


def staff_form_rules(app) -> dict[str, set[str]]:
    """Every state-changing URL rule that only signed-in staff may use, with its methods."""
    rules: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        methods = rule.methods & STATE_CHANGING
        if not methods or rule.endpoint in PUBLIC_AUTH:
            continue
        if rule.endpoint.split(".")[0] in PUBLIC_BLUEPRINTS:
            continue
        rules.setdefault(rule.rule, set()).update(methods)
    return rules


def test_every_staff_form_is_covered(app):
    """A new staff form must be added to STAFF_FORMS, so hostile values are sent to it too."""
    assert set(staff_form_rules(app)) == set(STAFF_FORMS)


# The records each hub has, for URLs and for form fields that name records


@dataclass
class World:
    mine: dict
    theirs: dict
    admin: User
    staff: User


def _world() -> World:
    mine = make_hub("North Hub")
    # Another type of hub, so that its need areas are not hub A's either.
    theirs = make_hub("South Hub", "maths-hub")
    staff = make_user("lead@north.example", hubs=[mine])
    return World(
        mine=hub_records(mine, staff, "North"),
        theirs=hub_records(theirs, make_user("lead@south.example", hubs=[theirs]), "South"),
        admin=make_user("admin@hub.example", role="admin"),
        staff=staff,
    )


def _path(app, rule_text: str, values: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.rule == rule_text)
    missing = rule.arguments - values.keys()
    assert not missing, f"{rule_text}: teach records.hub_records to fill {missing}"
    return rule.build(values, append_unknown=False)[1]


def _method(app, rule_text: str) -> str:
    return sorted(staff_form_rules(app)[rule_text])[0]


# Hostile values


def _hostile(world: World) -> st.SearchStrategy:
    """One value, or several where one is expected: the nasty list, ids of hub B's records,
    any text, huge and odd numbers."""
    theirs = sorted({str(value) for key, value in world.theirs.items() if key.endswith("_id")})
    one = st.one_of(
        st.sampled_from(NASTY),
        st.sampled_from(theirs),
        st.text(max_size=30),
        st.integers(min_value=-(2**70), max_value=2**70).map(str),
        st.floats().map(repr),
    )
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))


def _strategy(value) -> st.SearchStrategy:
    if isinstance(value, OneOf):
        return st.sampled_from(value)
    return value if isinstance(value, st.SearchStrategy) else st.just(value)


def _first(value):
    return value[0] if isinstance(value, OneOf) else value


@st.composite
def _submission(draw, fields: dict, hostile: st.SearchStrategy) -> dict:
    """A form with one or two fields hostile or missing (the rest valid, so that the values
    reach the code that stores them), and sometimes a field nobody asked for."""
    names = sorted(fields)
    spoilt = draw(st.sets(st.sampled_from(names), max_size=2)) if names else set()
    data = {}
    for name in names:
        value = draw(
            st.one_of(hostile, st.just(NOT_SENT)) if name in spoilt else _strategy(fields[name])
        )
        if value is not NOT_SENT:
            data[name] = value
    if draw(st.booleans()):
        data["surprise"] = draw(hostile)
    return data


def _body(form: Form, data: dict) -> dict:
    if form.upload and form.upload in data:
        value = data[form.upload]
        content = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else b""
        data = {**data, form.upload: (io.BytesIO(content), "schools.csv")}
    return data


# What the forms allow, checked against every stored row


def _text(value, limit: int, what: str, required: bool = False) -> None:
    assert isinstance(value, str), what
    assert len(value) <= limit, f"{what} is {len(value)} characters: {value[:40]!r}"
    if required:
        assert value.strip(), f"{what} is blank: {value!r}"
    controls = [ch for ch in value if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"]
    assert not controls, f"{what} holds control characters {controls!r}"


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _audience(audience: dict, what: str) -> None:
    for fact, values in audience.items():
        assert fact in AUDIENCE_FACTS and set(values) <= set(AUDIENCE_FACTS[fact][1]), what


def assert_rows_obey_the_forms() -> None:
    """Every stored record is one its staff form would accept."""
    db.session.expire_all()
    for hub in db.session.scalars(select(Hub)):
        what = f"hub {hub.id}"
        _text(hub.name, 120, f"{what} name", required=True)
        _text(hub.area, 120, f"{what} area")
        _text(hub.subject or "", 60, f"{what} subject")
        assert hub.contact_email == "" or EMAIL.match(hub.contact_email), what
        _text(hub.contact_email, 254, f"{what} contact email")
        assert 2 <= hub.smallest_group <= 50, what
        assert set(hub.phases) <= set(PHASES), what
    for user in db.session.scalars(select(User)):
        _text(user.email, 254, f"user {user.id} email", required=True)
        assert EMAIL.match(user.email) and user.email == user.email.lower(), user.email
        assert user.role in ACCOUNT_ROLES
    for hub_type in db.session.scalars(select(HubType)):
        what = f"hub type {hub_type.id}"
        _text(hub_type.name, 120, f"{what} name", required=True)
        _text(hub_type.description, 1000, f"{what} description")
        _text(hub_type.subject or "", 60, f"{what} subject")
        assert set(hub_type.phases) <= set(PHASES), what
    for area in db.session.scalars(select(NeedArea)):
        _text(area.name, 120, f"need area {area.id} name", required=True)
        _text(area.description, 500, f"need area {area.id} description")
    for school in db.session.scalars(select(School)):
        what = f"school {school.id}"
        _text(school.name, 200, f"{what} name", required=True)
        assert school.urn is None or re.fullmatch(r"[0-9]{6}", school.urn), school.urn
        assert school.phase in PHASES, what
        _text(school.local_authority, 120, f"{what} local authority")
        _text(school.trust, 200, f"{what} trust")
    for partnership in db.session.scalars(select(Partnership)):
        assert partnership.status in PARTNER_STATUSES
        assert partnership.school.hub_id == partnership.hub_id
    surveys = select(Survey).options(
        selectinload(Survey.sections)
        .selectinload(Section.questions)
        .selectinload(Question.grid_rows),
        selectinload(Survey.hub).selectinload(Hub.hub_type).selectinload(HubType.need_areas),
    )
    for survey in db.session.scalars(surveys):
        _check_survey(survey)
    for activity in db.session.scalars(select(Activity)):
        what = f"activity {activity.id}"
        _text(activity.title, 160, f"{what} title", required=True)
        assert activity.kind in ACTIVITY_KINDS, what
        _text(activity.place, 200, f"{what} place")
        _text(activity.facilitator, 120, f"{what} facilitator")
        assert activity.survey.hub_id == activity.hub_id, f"{what} uses another hub's survey"
        assert all(s.hub_id == activity.hub_id for s in activity.schools), what
        assert set(activity.need_areas) <= set(activity.hub.hub_type.need_areas), what
        if activity.ends_at is not None:
            assert activity.ends_at.date() == activity.starts_at.date(), what
            assert activity.ends_at > activity.starts_at, what
        if activity.hours is not None:
            assert 0.25 <= activity.hours <= 40 and (activity.hours * 4).is_integer(), what
        assert activity.series is None or activity.series.hub_id == activity.hub_id, what
    for series in db.session.scalars(select(Series)):
        what = f"series {series.id}"
        _text(series.title, 160, f"{what} title", required=True)
        assert series.title == " ".join(series.title.split()), f"{what} title is not on one line"
        assert series.kind in SERIES_KINDS, what
        _text(series.description, 1000, f"{what} description")
        assert series.survey is None or series.survey.hub_id == series.hub_id, what
        assert series.survey is None or series.survey.kind == "feedback", what
        assert all(s.hub_id == series.hub_id for s in series.schools), what
        assert set(series.need_areas) <= set(series.hub.hub_type.need_areas), what
    for follow_up in db.session.scalars(select(FollowUp)):
        what = f"follow-up {follow_up.id}"
        assert follow_up.series.hub_id == follow_up.hub_id == follow_up.school.hub_id, what
        assert follow_up.held_on <= date.today() + timedelta(days=1), what
        _text(follow_up.notes, 2000, f"{what} notes")
        if follow_up.hours is not None:
            assert 0.25 <= follow_up.hours <= 40 and (follow_up.hours * 4).is_integer(), what
    for person in db.session.scalars(select(Attendance)):
        what = f"register entry {person.id}"
        _text(person.name, 120, f"{what} name", required=True)
        assert person.name == " ".join(person.name.split()), f"{what} name is not on one line"
        _text(person.email, 254, f"{what} email")
        assert person.email == "" or EMAIL.match(person.email), what
        assert person.role is None or person.role in RESPONDENT_ROLES, what
        assert person.activity.hub_id == person.hub_id, what
        assert person.school is None or person.school.hub_id == person.hub_id, what
    for contact in db.session.scalars(select(Contact).options(selectinload(Contact.school))):
        what = f"contact {contact.id}"
        for value, limit, name in (
            (contact.name, 120, "name"),
            (contact.role, 120, "role"),
            (contact.email, 254, "email"),
            (contact.phone, 40, "phone"),
        ):
            _text(value, limit, f"{what} {name}")
            assert value == " ".join(value.split()), f"{what} {name} is not on one line"
        assert contact.email == "" or EMAIL.match(contact.email), what
        assert contact.phone == "" or re.fullmatch(r"[0-9 +()-]*[0-9][0-9 +()-]*", contact.phone)
        assert contact.school.hub_id == contact.hub_id, what
    for resource in db.session.scalars(select(Resource)):
        what = f"resource {resource.id}"
        _text(resource.title, 200, f"{what} title", required=True)
        _text(resource.description, 1000, f"{what} description")
        assert resource.title == " ".join(resource.title.split()), f"{what} title is not one line"
        # A link (http or https, to a host) or a file, never both.
        assert bool(resource.url) != bool(resource.stored_name), what
        if resource.url:
            parts = urlsplit(resource.url)
            assert parts.scheme in ("http", "https") and parts.hostname, resource.url
        assert set(resource.phases) <= set(PHASES), what
        assert set(resource.need_areas) <= set(resource.hub.hub_type.need_areas), what
        assert resource.activity is None or resource.activity.hub_id == resource.hub_id, what
    _plans_obey_the_forms()
    for change in db.session.scalars(select(StatusChange)):
        assert change.status in PARTNER_STATUSES
    for link in db.session.scalars(select(ShareLink)):
        _text(link.label, 120, f"share link {link.id} label", required=True)
        assert link.label == link.label.strip() and link.expires_at > link.created_at
    for measure in db.session.scalars(select(Measure)):
        _check_measure(measure)
    for entry in db.session.scalars(select(AuditEntry)):
        _text(entry.target, 200, f"audit entry {entry.id} target")
        _text(entry.detail, 500, f"audit entry {entry.id} detail")
    db.session.commit()


def _check_measure(measure: Measure) -> None:
    """A measure reads only its own hub's evidence, of the kind it names."""
    what = f"measure {measure.id}"
    _text(measure.title, 300, f"{what} title", required=True)
    _text(measure.unit, 40, f"{what} unit")
    _text(measure.standard, 200, f"{what} standard")
    assert measure.kind in MEASURE_KINDS, what
    plan = measure.objective.plan
    for figure in (measure.baseline, measure.target, measure.current):
        assert figure is None or (math.isfinite(figure) and abs(figure) < 10**9), what
    if measure.due_on is not None:
        assert date(plan.year, 9, 1) <= measure.due_on <= date(plan.year + 3, 8, 31), what
    if measure.baseline is not None and measure.target is not None:
        better = 1 if measure.higher_is_better else -1
        assert better * (measure.target - measure.baseline) > 0, f"{what} aims backwards"
    survey = measure.survey
    if survey is not None:
        assert survey.hub_id == plan.hub_id, f"{what} reads another hub's survey"
        assert survey.kind == ("outcomes" if measure.kind == "outcome" else "needs"), what
    if measure.wave is not None:
        assert measure.wave.survey_id == measure.survey_id, f"{what} reads another survey's wave"
    if measure.need_area is not None:
        assert measure.need_area.hub_type_id == plan.hub.hub_type_id, what
    if measure.question is not None:
        assert measure.question in survey.questions, f"{what} reads another survey's question"
    if measure.kind in ("need-score", "confidence-change", "outcome"):
        assert survey is not None, f"{what} reads no survey"


def _check_survey(survey: Survey) -> None:
    what = f"survey {survey.id}"
    _text(survey.title, 120, f"{what} title", required=True)
    _text(survey.intro, 1000, f"{what} intro")
    _text(survey.privacy_notice, 4000, f"{what} privacy notice", required=True)
    assert survey.cycle in CYCLES, what
    if survey.cycle == "weeks":
        assert survey.cycle_weeks is not None and 1 <= survey.cycle_weeks <= 52, what
    assert survey.keep_until is not None, what
    if survey.opens_on and survey.closes_on:
        assert survey.opens_on <= survey.closes_on, what
    if survey.closes_on:
        assert survey.closes_on <= survey.keep_until, what
    type_areas = {area.id for area in survey.hub.hub_type.need_areas}
    for section in survey.sections:
        _text(section.title, 120, f"section {section.id} title", required=True)
        _text(section.intro, 500, f"section {section.id} intro")
        _audience(section.audience, f"section {section.id}")
        for question in section.questions:
            _check_question(question, type_areas)


def _check_question(question: Question, type_areas: set[int]) -> None:
    what = f"question {question.id}"
    _text(question.prompt, 300, f"{what} prompt", required=True)
    _text(question.hint, 300, f"{what} hint")
    assert question.kind in QUESTION_KINDS, what
    _audience(question.audience, what)
    options, settings_ = question.options, question.settings
    if question.kind in ("single", "multiple"):
        # A feedback survey's "which of these did it help with" lists the activity's need
        # areas: one of them, or more than the editor's 12, are fine there.
        least = 2 if question.kind == "single" else 1
        assert len(set(options)) == len(options) >= least, what
        for option in options:
            _text(option, 120, f"{what} option", required=True)
    if question.kind == "scale" and "labels" in settings_:
        assert len(settings_["labels"]) == 5, what
        for label in settings_["labels"]:
            _text(label, 60, f"{what} label", required=True)
    for key in ("low_label", "high_label"):
        _text(settings_.get(key, ""), 60, f"{what} {key}")
    _text(settings_.get("unit", ""), 20, f"{what} unit")
    for key in ("min", "max"):
        if (value := settings_.get(key)) is not None:
            assert isinstance(value, int | float) and not isinstance(value, bool), what
            assert math.isfinite(value) and abs(value) <= DEFAULT_NUMBER_LIMIT, (
                f"{what} {key}: {value}"
            )
    if settings_.get("min") is not None and settings_.get("max") is not None:
        assert settings_["min"] <= settings_["max"], what
    if "max_length" in settings_:
        limit = 200 if question.kind == "short_text" else 4000
        assert 1 <= settings_["max_length"] <= limit, what
    assert question.need_area_id is None or question.need_area_id in type_areas, what
    assert {row.need_area_id for row in question.grid_rows} <= type_areas, what
    if question.kind == "needs_grid":
        assert question.grid_rows, what


# Hostile values, form by form


@pytest.mark.parametrize("rule", sorted(STAFF_FORMS))
def test_hostile_values_never_break_a_staff_form_or_store_what_it_refuses(app, rule):
    world = _world()
    form = STAFF_FORMS[rule]
    client = app.test_client()
    sign_in(client, world.admin if form.admin else world.staff)
    method = _method(app, rule)
    values = world.mine | form.values(world.mine)
    assert_rows_obey_the_forms()
    fields = form.fields(world.mine)
    hostile = _hostile(world)
    query = {
        name: st.one_of(_strategy(value), hostile) for name, value in form.query(world.mine).items()
    }

    @settings(
        max_examples=form.examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=_submission(fields, hostile),
        args=st.fixed_dictionaries(query),
        htmx=st.booleans(),
    )
    def attempt(data, args, htmx):
        before = snapshot()
        response = client.open(
            _path(app, rule, values),
            method=method,
            query_string=args,
            data=_body(form, data),
            headers={"HX-Request": "true"} if htmx else {},
        )
        assert response.status_code < 500, response.status_code
        assert SCRIPT not in response.text, "text sent was put in the page as HTML"
        after = snapshot()
        if after == before:
            return
        assert response.status_code < 400, f"refused with {response.status_code}, but stored"
        assert_rows_obey_the_forms()

    attempt()


# The wall between hubs


def _row(record) -> tuple:
    keys = [c.key for c in inspect(record).mapper.column_attrs if c.key != "updated_at"]
    return (type(record).__name__, *(getattr(record, key) for key in keys))


def _plans_obey_the_forms() -> None:
    """The plan's records: each one its form would accept (plans/forms.py)."""
    for plan in db.session.scalars(select(Plan)):
        what = f"plan {plan.id}"
        _text(plan.aims, 4000, f"{what} aims")
        _text(plan.continuity, 4000, f"{what} continuity")
        for n in (1, 2, 3):
            _text(getattr(plan, f"outlook_{n}"), 2000, f"{what} outlook {n}")
        for objective in plan.objectives:
            what = f"objective {objective.id}"
            _text(objective.title, 300, f"{what} title", required=True)
            assert objective.title == " ".join(objective.title.split()), what
            _text(objective.owner, 120, f"{what} owner")
            assert set(objective.terms) <= set(TERMS), what
            assert set(objective.need_areas) <= set(plan.hub.hub_type.need_areas), what
            assert all(a.hub_id == plan.hub_id for a in objective.activities), what
    for item in db.session.scalars(select(SwotItem)):
        assert item.quadrant in SWOT_QUADRANTS
        _text(item.text, 500, f"SWOT item {item.id}", required=True)
    for person in db.session.scalars(select(KeyPerson)):
        what = f"key person {person.id}"
        _text(person.role, 120, f"{what} role", required=True)
        for field, limit in (("name", 120), ("backup", 120), ("notes", 500)):
            _text(getattr(person, field), limit, f"{what} {field}")
    for source in db.session.scalars(select(Funding)):
        what = f"funding {source.id}"
        _text(source.source, 200, f"{what} source", required=True)
        _text(source.notes, 500, f"{what} notes")
        assert 1 <= source.amount_pence <= MOST_PENCE, what
        assert source.ends_on is None or 2000 <= source.ends_on.year <= 2100, what
    for cost in db.session.scalars(select(Cost)):
        what = f"cost {cost.id}"
        assert cost.kind in COST_KINDS, what
        _text(cost.description, 300, f"{what} description")
        assert 1 <= cost.amount_pence <= MOST_PENCE, what
        assert cost.objective is None or cost.objective.plan_id == cost.plan_id, what
    for change in db.session.scalars(select(PlanChange)):
        _text(change.what, 500, f"plan change {change.id}", required=True)


def _plan_rows(hub_id: int) -> list[tuple]:
    """Hub B's plans and everything in them."""
    rows = []
    for plan in db.session.scalars(select(Plan).where(Plan.hub_id == hub_id)):
        rows.append(_row(plan))
        for objective in plan.objectives:
            rows += [_row(objective), *map(_row, objective.measures)]
            areas, activities = objective.need_areas, objective.activities
            rows.append(("objective links", [a.id for a in areas], [a.id for a in activities]))
        for model in (SwotItem, KeyPerson, Funding, Cost, PlanChange):
            rows += map(_row, db.session.scalars(select(model).where(model.plan_id == plan.id)))
    return rows


def _hub_rows(hub_id: int) -> list[tuple]:
    """Hub B's records, as rows: what staff of hub A must never change."""
    db.session.expire_all()
    rows = [_row(db.session.get(Hub, hub_id))]
    for model in (
        School,
        Partnership,
        Activity,
        Attendance,
        Contact,
        StatusChange,
        Message,
        Resource,
        Series,
        FollowUp,
    ):
        for record in db.session.scalars(select(model).where(model.hub_id == hub_id)):
            rows.append(_row(record))
            if isinstance(record, Activity):
                areas, schools = record.need_areas, record.schools
                rows.append(("links", [a.id for a in areas], [s.id for s in schools]))
            if isinstance(record, Resource):
                rows.append(("tags", [a.id for a in record.need_areas]))
            if isinstance(record, Series):
                areas, schools = record.need_areas, record.schools
                rows.append(("series links", [a.id for a in areas], [s.id for s in schools]))
    for survey in db.session.scalars(select(Survey).where(Survey.hub_id == hub_id)):
        rows += [_row(survey), *map(_row, survey.waves)]
        for section in survey.sections:
            rows.append(_row(section))
            for question in section.questions:
                rows += [_row(question), *map(_row, question.grid_rows)]
    for model in (SchoolLink, Response):
        linked = select(model).join(Survey).where(Survey.hub_id == hub_id)
        rows += [_row(record) for record in db.session.scalars(linked)]
    answers = select(Answer).join(Response).join(Survey).where(Survey.hub_id == hub_id)
    rows += [_row(answer) for answer in db.session.scalars(answers)]
    rows += _plan_rows(hub_id)
    db.session.commit()
    return rows


def _last(rule: str) -> bool:
    """Forms that delete or sign out go last, so that the others still find what they need."""
    return any(word in rule for word in ("remove", "erase", "/end", "/delete"))


def test_staff_of_one_hub_cannot_change_another_hubs_records(app):
    """Through their URLs (404), or by naming them in the fields of their own hub's forms."""
    world = _world()
    client = app.test_client()
    sign_in(client, world.staff)
    their_rows = _hub_rows(world.theirs["hub_id"])
    for rule in sorted(STAFF_FORMS, key=lambda rule: (_last(rule), rule)):
        form, method = STAFF_FORMS[rule], _method(app, rule)
        fields = {name: _first(value) for name, value in form.fields(world.mine).items()}
        fields.pop(form.upload, None)
        mine = world.mine | form.values(world.mine)
        theirs = world.theirs | form.values(world.theirs)
        # Their hub in the URL; my hub with their record's id; any administrator's form.
        for values in (theirs, theirs | {"hub_slug": mine["hub_slug"]}):
            path = _path(app, rule, values)
            if path == _path(app, rule, mine) and not form.admin:
                continue  # the URL names nothing of theirs
            before = snapshot()
            response = client.open(path, method=method, data=fields)
            assert response.status_code in (403, 404), f"{path} gave {response.status_code}"
            assert snapshot() == before, path
        if form.admin:
            continue
        # My records in the URL; theirs named in the form.
        for name, key in ID_FIELDS.items():
            if name not in fields:
                continue
            value = str(world.theirs[key])
            data = fields | {name: [value] if isinstance(fields[name], list) else value}
            response = client.open(_path(app, rule, mine), method=method, data=data)
            assert response.status_code < 500, f"{rule} with their {name}"
            assert _hub_rows(world.theirs["hub_id"]) == their_rows, f"{rule} with their {name}"
            assert_rows_obey_the_forms()
    titles = db.session.scalars(select(Survey.title).where(Survey.hub_id == world.mine["hub_id"]))
    assert not [title for title in titles if "South" in title], "copied their survey"
    assert _hub_rows(world.theirs["hub_id"]) == their_rows


# Defects the hostile values found, each pinned by its own test


@pytest.fixture
def admin_client(app, client):
    sign_in(client, make_user("admin@hub.example", role="admin"))
    return client


@pytest.fixture
def north_lead(app):
    return make_user("lead@north.example", hubs=[make_hub("North Hub")])


@pytest.fixture
def north(north_lead):
    """Hub A's records."""
    return hub_records(north_lead.hubs[0], north_lead, "North")


@pytest.fixture
def lead(client, north_lead, north):
    """Hub A's records, its lead signed in."""
    sign_in(client, north_lead)
    return north


def _hub_type(slug: str) -> HubType:
    return db.session.scalar(select(HubType).where(HubType.slug == slug))


def test_renaming_a_hub_type_to_another_types_name_is_refused(admin_client):
    maths = _hub_type("maths-hub")
    data = {"name": "English hub", "description": "", "phases": [], "active": "y"}
    response = admin_client.post(f"/admin/hub-types/{maths.id}", data=data)
    assert response.status_code == 422
    assert "There is already a kind of hub with this name" in response.text
    assert _hub_type("maths-hub").name == "Maths hub"


def test_a_hub_named_exactly_like_another_with_accents_is_refused(admin_client):
    """SQLite's lower() folds only A to Z, so the case-blind check missed 'ÉCOLE' = 'ÉCOLE'."""
    make_hub("ÉCOLE Hub")
    for name in ("ÉCOLE Hub", "école hub"):
        data = {"name": name, "hub_type_id": _hub_type("maths-hub").id}
        response = admin_client.post("/admin/hubs/new", data=data)
        assert response.status_code == 422, name
        assert "There is already a hub with this name" in response.text
    assert db.session.scalar(select(db.func.count(Hub.id))) == 1


@pytest.mark.parametrize(
    ("url", "field", "data"),
    [
        ("/admin/hubs/new", "name", {"hub_type_id": "1"}),
        ("/admin/users/new", "email", {"role": "staff"}),
        ("/admin/hub-types/1", "name", {}),
        ("/admin/hub-types/1/need-areas", "name", {}),
        ("{hub}/schools/new", "name", {"phase": "primary", "status": "invited"}),
        ("{hub}/surveys/{survey}/sections/new", "title", {}),
        (
            "{hub}/surveys/{survey}/sections/{section}/questions/new",
            "prompt",
            {"kind": "rating", "need_area_id": "0"},
        ),
        (
            "{hub}/activities/new",
            "title",
            {"kind": "training", "starts_on": "2027-01-12", "starts_at": "16:00", "feedback": "0"},
        ),
    ],
)
def test_a_required_field_of_only_spaces_is_refused(admin_client, north, url, field, data):
    """'   ' passed InputRequired, and was stored as an empty name or title."""
    client = admin_client
    url = url.format(
        hub=f"/hubs/{north['hub_slug']}",
        survey=north["survey_id"],
        section=north["section_id"],
    )
    before = snapshot()
    response = client.post(url, data=data | {field: " \t "})
    assert response.status_code == 422
    assert snapshot() == before


def test_a_survey_with_a_blank_privacy_notice_is_refused(client, lead):
    data = {
        "title": "Needs",
        "anonymous": "yes",
        "cycle": "none",
        "keep_until": (date.today() + timedelta(days=30)).isoformat(),
        "privacy_notice": "   ",
    }
    response = client.post(
        f"/hubs/{lead['hub_slug']}/surveys/{lead['survey_id']}/settings", data=data
    )
    assert response.status_code == 422
    assert db.session.get(Survey, lead["survey_id"]).privacy_notice.strip()


def test_a_survey_every_few_weeks_needs_the_number_of_weeks(client, lead):
    """The Optional() validator stopped the check that weeks are given when they are needed."""
    data = {
        "title": "Needs",
        "anonymous": "yes",
        "cycle": "weeks",
        "cycle_weeks": "",
        "keep_until": (date.today() + timedelta(days=30)).isoformat(),
        "privacy_notice": "North Hub runs this survey.",
    }
    url = f"/hubs/{lead['hub_slug']}/surveys/{lead['survey_id']}/settings"
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert "Enter the number of weeks between waves" in response.text
    assert db.session.get(Survey, lead["survey_id"]).cycle == "none"


def test_an_email_address_too_long_once_in_lower_case_is_refused(admin_client):
    """'İ'.lower() is two characters: 135 typed became 265 stored (a 500 on PostgreSQL)."""
    email = "İ" * 130 + "@x.uk"
    response = admin_client.post("/admin/users/new", data={"email": email, "role": "staff"})
    assert response.status_code == 422
    assert "254 characters or fewer" in response.text
    assert db.session.scalar(select(db.func.count(User.id))) == 1


def test_a_urn_in_another_scripts_digits_is_refused(client, lead):
    """Python's \\d matches Arabic-Indic digits: '١٢٣٤٥٦' was stored as a URN."""
    data = {"name": "Beck Primary", "urn": "١٢٣٤٥٦", "phase": "primary", "status": "invited"}
    response = client.post(f"/hubs/{lead['hub_slug']}/schools/new", data=data)
    assert response.status_code == 422
    assert "URN must be 6 digits" in response.text
    assert not db.session.scalar(select(School).where(School.name == "Beck Primary"))


def test_copying_a_survey_by_an_id_no_survey_can_have_is_refused(client, lead):
    """A 20-digit id reached the database driver: an overflow (a 500) on SQLite."""
    data = {"start": "copy", "copy_of": "99999999999999999999"}
    before = snapshot()
    response = client.post(f"/hubs/{lead['hub_slug']}/surveys/new", data=data)
    assert response.status_code == 422
    assert "Choose the survey to copy" in response.text
    assert snapshot() == before


def test_a_question_saved_without_its_options_field_keeps_its_options(client, lead):
    """The stored list of options filled the text box, and .splitlines() of a list was a 500."""
    question = lead["question_id"]
    url = f"/hubs/{lead['hub_slug']}/surveys/{lead['survey_id']}/questions/{question}"
    single = {"kind": "single", "prompt": "Years?", "options": "0-2\n3-5\n6+", "need_area_id": "0"}
    assert client.post(url, data=single).status_code == 303
    del single["options"]
    response = client.post(url, data=single)
    assert response.status_code == 303
    assert db.session.get(Question, question).options == ["0-2", "3-5", "6+"]


def test_scale_labels_longer_than_the_other_labels_are_refused(client, lead):
    url = f"/hubs/{lead['hub_slug']}/surveys/{lead['survey_id']}/sections/{lead['section_id']}"
    labels = "\n".join(["x" * 10_000, "Low", "Middling", "High", "Very high"])
    data = {"kind": "scale", "prompt": "Confidence?", "labels": labels, "need_area_id": "0"}
    before = snapshot()
    response = client.post(f"{url}/questions/new", data=data)
    assert response.status_code == 422
    assert "60 characters or fewer" in response.text
    assert snapshot() == before


@pytest.mark.parametrize("limit", ["1e308", "-1e308", "10000000000"])
def test_number_limits_beyond_what_a_teacher_can_type_are_refused(client, lead, limit):
    """A limit of 1e308 was kept as a 309-digit whole number."""
    url = f"/hubs/{lead['hub_slug']}/surveys/{lead['survey_id']}/sections/{lead['section_id']}"
    data = {"kind": "number", "prompt": "Pupils?", "minimum": limit, "need_area_id": "0"}
    before = snapshot()
    response = client.post(f"{url}/questions/new", data=data)
    assert response.status_code == 422
    assert snapshot() == before


def test_a_hub_whose_surveys_use_its_need_areas_keeps_its_type(admin_client, north):
    """Its questions would ask about need areas outside the hub's new framework."""
    data = {"name": "North Hub", "hub_type_id": _hub_type("english-hub").id}
    response = admin_client.post(f"/admin/hubs/{north['hub_id']}/edit", data=data)
    assert response.status_code == 422
    assert "so its type cannot change" in response.text
    assert db.session.get(Hub, north["hub_id"]).hub_type.slug == "teaching-school-hub"


def test_a_hub_with_no_surveys_or_activities_can_change_its_type(admin_client):
    hub = make_hub("North Hub")
    data = {"name": "North Hub", "hub_type_id": _hub_type("english-hub").id}
    assert admin_client.post(f"/admin/hubs/{hub.id}/edit", data=data).status_code == 303
    assert db.session.get(Hub, hub.id).hub_type.slug == "english-hub"

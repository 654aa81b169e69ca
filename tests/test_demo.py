"""`flask demo`: a newcomer's first look, with meaningful figures at once."""

import re

from hubsurvey.auth.services import authenticate
from hubsurvey.extensions import db
from hubsurvey.models import Hub, Response
from hubsurvey.reports.summary import Filters, needs_summary


def test_demo_fills_an_empty_database_and_says_how_to_sign_in(app, runner):
    result = runner.invoke(args=["demo", "--base-url", "http://127.0.0.1:5000"])
    assert result.exit_code == 0, result.output
    email = re.search(r"^email: (\S+)$", result.output, re.M).group(1)
    password = re.search(r"^password: (\S+)$", result.output, re.M).group(1)
    links = re.findall(r"^survey: (http://127\.0\.0\.1:5000/s/[A-Z0-9]+)$", result.output, re.M)
    assert authenticate(email, password) is not None
    assert len(links) >= 4
    assert db.session.scalar(db.select(db.func.count(Response.id))) > 300
    hub = db.session.scalar(db.select(Hub).order_by(Hub.id))
    rows = needs_summary(hub, Filters())
    assert rows and not all(r.suppressed for r in rows)

    again = runner.invoke(args=["demo"])
    assert again.exit_code != 0 and "needs an empty one" in again.output

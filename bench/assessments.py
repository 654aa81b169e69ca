"""Complete needs assessments through a crash: many phones answer a hub's needs assessment
from start to finish while the server is killed with SIGKILL and started again.

Each phone does what a teacher's phone does with htmx: it opens the survey's link (the whole
page, which gives the session cookie and the CSRF token), starts, fills in "about you",
answers every question shown in every section, opens "check your answers" and sends. Field
names and choices are read from each page; only the fields a teacher fills are posted (so a
honeypot stays empty). Every assessment is a new session with its own cookie jar, and is
tagged by its school name, so the database can be checked against what each phone sent.

Part way, the server (gunicorn master and workers: its process group) is killed with
SIGKILL and started again on the same SQLite file. A phone whose request is cut resends it
once the server answers again, as a phone would; a send that was cut and then refused as
"already sent" counts as acknowledged only if the done page then says "Answers sent".
BENCH_ASSESSMENTS sets how many assessments are sent (default 5,000). Run through
bench/run.py."""

import gzip
import html
import http.client
import json
import os
import random
import re
import secrets
import sqlite3
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.data import make_app, migrate_quietly
from bench.load import WORKERS, Server, free_port
from hubsurvey.admin.services import load_reference_data, save_hub
from hubsurvey.extensions import db
from hubsurvey.models import HubType, Survey
from hubsurvey.respond.services import steps_for
from hubsurvey.surveys.services import create_survey, set_status

CLIENTS = 50
ASSESSMENTS = int(os.environ.get("BENCH_ASSESSMENTS", "5000"))
HUB_TYPE = "maths-hub"  # its template asks every kind of question, some to some roles only
KILL_AFTER = 1 / 3  # of the assessments, acknowledged
RESEND_FOR = 120  # seconds a phone keeps resending a cut request before it gives up
# A production-like server: Secure cookies and HSTS as behind the README's proxy (the phones
# here ignore the Secure flag), and a key long enough for production.
SERVER_ENV = {"FLASK_PRODUCTION": "1", "FLASK_SECRET_KEY": secrets.token_hex(32)}
PROFILE = ("phase", "role", "career_stage", "subject")
QUESTION_FIELD = re.compile(r"q(\d+)(?:-(\d+))?(-priority)?")
TAG = re.compile(r"<(form|input|select|textarea|option)\b([^>]*)>", re.IGNORECASE)
ATTRIBUTE = re.compile(r'([\w:-]+)(?:="([^"]*)")?')


@dataclass
class Question:
    id: int
    kind: str
    settings: dict


@dataclass
class Form:
    """A form as a browser sees it: where it posts, and each field's type and offered values."""

    action: str
    kinds: dict[str, str] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Assessment:
    """One teacher's needs assessment, and what the phone sent for it."""

    number: int
    school: str
    profile: dict[str, str] = field(default_factory=dict)
    rows: dict[int, set] = field(default_factory=dict)  # question id -> answer rows sent
    acknowledged: bool = False
    cut_send: bool = False
    confirmed_by_done_page: bool = False


class Refused(Exception):
    """An answer a phone did not expect: the step, and the status (0: no server for too long)."""

    def __init__(self, step: str, status: int, body: str = "") -> None:
        super().__init__(step, status)
        self.step, self.status, self.body = step, status, body


class Run:
    """What the phones share: the next assessment number and the counts so far."""

    def __init__(self, port: int, code: str, questions: dict[int, Question], total: int):
        self.port, self.code, self.questions, self.total = port, code, questions, total
        self.lock = threading.Lock()
        self.next_number = 0
        self.assessments: list[Assessment] = []
        self.acknowledged = 0
        self.requests = 0
        self.resent = Counter()  # step -> requests resent after a cut connection
        self.refused = Counter()  # (step, status) -> assessments given up
        self.samples: dict[tuple, str] = {}
        self.ignored: set[str] = set()  # fields on the pages that no teacher fills

    def take(self) -> Assessment | None:
        with self.lock:
            if self.next_number >= self.total:
                return None
            self.next_number += 1
            assessment = Assessment(self.next_number, f"Bench school {self.next_number:05d}")
            self.assessments.append(assessment)
            return assessment


def bench_assessments(folder: Path) -> None:
    path = folder / "assessments.sqlite"
    code, questions = _needs_survey(path)
    run = Run(free_port(), code, questions, ASSESSMENTS)
    clients = [
        threading.Thread(target=_client, args=(run, i * 0.04), daemon=True) for i in range(CLIENTS)
    ]
    with tempfile.TemporaryFile("w+") as log:
        servers = [Server(path, run.port, SERVER_ENV, log).__enter__()]
        try:
            started = time.perf_counter()
            for client in clients:
                client.start()
            crash = _crash(run, servers, path, log)
            for client in clients:
                client.join()
            seconds = time.perf_counter() - started
        finally:
            for server in servers:
                server.__exit__()
        log.seek(0)
        server_log = log.read()
    _report(run, path, seconds, crash, server_log)


def _needs_survey(path: Path) -> tuple[str, dict[int, Question]]:
    """A migrated database with a hub whose needs assessment, made from its hub type's
    template as a hub lead makes it, is open; the survey's code and its questions."""
    app = make_app(path)
    with app.app_context():
        migrate_quietly()
        load_reference_data()
        hub_type = db.session.scalar(db.select(HubType).where(HubType.slug == HUB_TYPE))
        hub = save_hub(None, name="Bench maths hub", hub_type_id=hub_type.id, area="", phases=[])
        survey = create_survey(hub, "template")
        set_status(survey, "open")
        questions = {q.id: Question(q.id, q.kind, dict(q.settings)) for q in survey.questions}
        code = survey.code
        db.session.remove()
        db.engine.dispose()
    return code, questions


def _crash(run: Run, servers: list[Server], path: Path, log) -> dict:
    """Once a third of the assessments are acknowledged, SIGKILL the server (master and
    workers) and start it again on the same database; how many were acknowledged by then,
    and how long the server was down."""
    threshold = max(1, int(run.total * KILL_AFTER))
    while run.acknowledged < threshold:
        if run.next_number >= run.total and run.acknowledged + sum(run.refused.values()) >= len(
            run.assessments
        ):
            return {}  # every assessment is over without reaching the threshold
        time.sleep(0.02)
    crash = {"acknowledged": run.acknowledged}
    killed = time.perf_counter()
    servers[-1].kill()
    servers[-1].process.wait()
    servers.append(Server(path, run.port, SERVER_ENV, log).__enter__())
    crash["down"] = time.perf_counter() - killed
    return crash


def _client(run: Run, delay: float) -> None:
    """One client: phones answering assessments one after another, each a new session.
    Clients start a little apart, as teachers do, rather than in step."""
    time.sleep(delay)
    while (assessment := run.take()) is not None:
        phone = Phone(run, assessment)
        try:
            phone.answer(random.Random(assessment.number))
        except Refused as refusal:
            with run.lock:
                run.refused[refusal.step, refusal.status] += 1
                run.samples.setdefault((refusal.step, refusal.status), refusal.body[:300])


class Phone:
    """A teacher's phone with htmx: its own cookie jar, one assessment."""

    def __init__(self, run: Run, assessment: Assessment) -> None:
        self.run, self.assessment = run, assessment
        self.jar: dict[str, str] = {}

    def answer(self, rng: random.Random) -> None:
        """One complete needs assessment, from opening the link to the done page."""
        code = self.run.code
        status, _location, page = self.call("start", "GET", f"/s/{code}", htmx=False)
        _expect("start", status, 200, page)
        start = _form(page, f"/s/{code}")
        status, location, page = self.call("begin", "POST", start.action, _hidden(start))
        _expect("begin", status, 204, page)
        while not location.endswith("/done"):
            step = _step_name(location, code)
            status, _ignored, page = self.call(f"{step} page", "GET", location)
            _expect(f"{step} page", status, 200, page)
            if step == "check":
                status, location, page = self.send(_form(page, f"/s/{code}/send"))
                continue
            form = _form(page, location.split("?")[0])
            fill = self.profile if step == "about you" else self.section
            status, location, page = self.call(step, "POST", form.action, fill(form, rng))
            _expect(step, status, 204, page)
        with self.run.lock:
            self.assessment.acknowledged = True
            self.run.acknowledged += 1

    def send(self, form: Form) -> tuple[int, str, str]:
        status, location, page = self.call("send", "POST", form.action, _hidden(form))
        if status == 204:
            return status, location, page
        if status == 409 and self.assessment.cut_send:
            # The cut send had arrived: the phone follows the refusal page's link.
            done = f"/s/{self.run.code}/done"
            status, _ignored, page = self.call("done page", "GET", done)
            if status == 200 and "Answers sent" in page:
                self.assessment.confirmed_by_done_page = True
                return status, done, page
        raise Refused("send", status, page)

    def profile(self, form: Form, rng: random.Random) -> dict:
        """About you: the tag as the school, and a choice for each profile question."""
        data = _hidden(form)
        data["school"] = [self.assessment.school]
        for name in PROFILE:
            choice = rng.choice([value for value in form.values[name] if value])
            data[name] = [choice]
            self.assessment.profile[name] = choice
        if "respondent_name" in form.kinds:
            data["respondent_name"] = [f"Teacher {self.assessment.number}"]
        with self.run.lock:
            self.run.ignored.update(set(form.kinds) - set(data) - {"respondent_email"})
        return data

    def section(self, form: Form, rng: random.Random) -> dict:
        """A valid answer to every question shown, of whatever kind; each answer is noted as
        the rows the database should hold for it."""
        data = _hidden(form)
        for name, kind in form.kinds.items():
            match = QUESTION_FIELD.fullmatch(name)
            question = match and self.run.questions.get(int(match[1]))
            if not question:
                if kind != "hidden":
                    with self.run.lock:
                        self.run.ignored.add(name)
                continue
            if match[3]:
                continue  # a priority is chosen with its area's confidence
            rows = self.assessment.rows.setdefault(question.id, set())
            data[name] = _choose(question, form.values.get(name, []), self.assessment, rng)
            if question.kind == "needs_grid" and rng.random() < 0.3:
                data[f"{name}-priority"] = ["1"]
            rows.update(_rows(question, match, data))
        return data

    def call(self, step: str, method: str, path: str, data=None, htmx=True):
        """(status, where to go next, page) of one request, resent while the connection is
        cut, as a phone resends, for up to RESEND_FOR seconds."""
        body = urlencode(data or {}, doseq=True).encode() if method == "POST" else None
        headers = {"Accept-Encoding": "gzip", "User-Agent": "hubsurvey-bench phone"}
        if htmx:
            headers["HX-Request"] = "true"
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        deadline = time.monotonic() + RESEND_FOR
        cut = False
        while True:
            connection = http.client.HTTPConnection("127.0.0.1", self.run.port, timeout=60)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                break
            except (OSError, http.client.HTTPException):
                if not cut:
                    with self.run.lock:
                        self.run.resent[step] += 1
                cut = True
                self.assessment.cut_send |= step == "send"
                if time.monotonic() > deadline:
                    raise Refused(step, 0) from None
                time.sleep(0.2)
            finally:
                connection.close()
        with self.run.lock:
            self.run.requests += 1
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _eq, value = cookie.split(";", 1)[0].partition("=")
            if value and "Max-Age=0" not in cookie:
                self.jar[name.strip()] = value
            else:
                self.jar.pop(name.strip(), None)
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        return response.status, _next(response), raw.decode()


def _choose(question: Question, offered: list[str], assessment: Assessment, rng) -> list[str]:
    """A valid answer, as form values: one of the choices offered, or a number or text."""
    match question.kind:
        case "needs_grid" | "single" | "scale" | "rating":
            return [rng.choice(offered)]
        case "multiple":
            return sorted(rng.sample(offered, rng.randint(1, min(3, len(offered)))))
        case "number":
            low = int(question.settings.get("min", 0))
            return [str(rng.randint(low, int(question.settings.get("max", low + 30))))]
        case "short_text":
            return [f"Fractions, and reasoning in Year {rng.randint(1, 11)} ({assessment.school})"]
        case _:
            # As a browser sends a textarea: CRLF line breaks; a formula-like start too.
            text = f'=Time to plan, "live" in class, with colleagues\r\n({assessment.school}) '
            return [text[: question.settings.get("max_length") or 1000]]


def _rows(question: Question, match: re.Match, data: dict) -> set[tuple]:
    """The answer rows (question, item, number, text, priority) a posted answer is stored as."""
    name = match[0]
    values = data[name]
    match question.kind:
        case "needs_grid":
            priority = data.get(f"{name}-priority") == ["1"]
            return {(question.id, int(match[2]), float(values[0]), None, priority)}
        case "multiple":
            return {(question.id, int(v) + 1, 1.0, None, False) for v in values}
        case "short_text" | "long_text":
            return {(question.id, 0, None, values[0].strip().replace("\r\n", "\n"), False)}
        case _:
            return {(question.id, 0, float(values[0]), None, False)}


def _step_name(location: str, code: str) -> str:
    tail = location.split("?")[0].removeprefix(f"/s/{code}/")
    if tail in ("about-you", "check"):
        return tail.replace("-", " ")
    if tail.isdigit():
        return "section"
    raise Refused(f"unexpected page {location!r}", 0)


def _hidden(form: Form) -> dict:
    return {n: v[:1] for n, v in form.values.items() if form.kinds[n] == "hidden"}


def _expect(step: str, status: int, expected: int, page: str) -> None:
    if status != expected:
        raise Refused(step, status, page)


def _form(page: str, action: str) -> Form:
    """The page's form that posts to `action` (by its hx-post, as htmx sends it)."""
    forms: list[Form] = []
    select = None
    for tag, text in TAG.findall(page):
        attributes = {k.lower(): html.unescape(v) for k, v in ATTRIBUTE.findall(text)}
        tag = tag.lower()
        if tag == "form":
            forms.append(Form(attributes.get("hx-post") or attributes.get("action") or ""))
            select = None
        elif forms and tag == "option":
            if select:
                forms[-1].values[select].append(attributes.get("value", ""))
        elif forms and (name := attributes.get("name")):
            form = forms[-1]
            kind = tag if tag in ("select", "textarea") else attributes.get("type", "text")
            select = name if tag == "select" else None
            form.kinds[name] = kind
            offered = form.values.setdefault(name, [])
            if kind in ("radio", "checkbox", "hidden") and "value" in attributes:
                offered.append(attributes["value"])
    for form in forms:
        if form.action.split("?")[0] == action:
            return form
    raise Refused(f"no form posting to {action}", 200, page)


def _next(response: http.client.HTTPResponse) -> str:
    """Where the app sends the phone next: HX-Location's path, or a redirect's Location."""
    hx_location = response.getheader("HX-Location")
    if hx_location:
        return json.loads(hx_location)["path"]
    return response.getheader("Location") or ""


def _report(run: Run, path: Path, seconds: float, crash: dict, server_log: str) -> None:
    stored = _stored(path, run)
    sent = {a.school: a for a in run.assessments}
    complete = {school for school, found in stored.items() if any(c for _s, c in found)}
    submitted = Counter({school: len(found) for school, found in stored.items()})
    acknowledged = [a for a in run.assessments if a.acknowledged]
    lost = [a for a in acknowledged if a.school not in complete]
    duplicated = [school for school, n in submitted.items() if n > 1]
    unacknowledged_stored = [s for s in complete if not sent[s].acknowledged]
    with sqlite3.connect(path) as connection:
        integrity = ", ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
        flags = connection.execute(
            "SELECT flags, count(*) FROM response WHERE status = 'submitted' AND flags != '' "
            "GROUP BY flags ORDER BY 2 DESC"
        ).fetchall()
    killed = (
        f"kill -9 after {crash['acknowledged']:,} acknowledged, back in {crash['down']:.1f} s"
        if crash
        else "no kill (too few assessments)"
    )
    print(
        f"complete needs assessments under gunicorn ({WORKERS} workers, SQLite file, "
        f"CSRF on), {CLIENTS} clients, {killed}: {len(run.assessments):,} attempted, "
        f"{len(acknowledged):,} acknowledged, {len(complete):,} stored complete, "
        f"{len(lost):,} lost, {len(duplicated):,} duplicated; {seconds:.0f} s, "
        f"{len(acknowledged) / seconds:.1f} assessments/s ({run.requests / seconds:.0f} "
        f"requests/s); integrity_check {integrity}"
    )
    resent = ", ".join(f"{n} {step}" for step, n in run.resent.most_common()) or "none"
    by_page = sum(a.confirmed_by_done_page for a in acknowledged)
    print(
        f"  after the kill: requests resent on a cut connection: {resent}; "
        f"{by_page} sends acknowledged by the done page after a cut; "
        f"{len(unacknowledged_stored)} stored complete but never acknowledged; "
        f"{len(run.assessments) - len(acknowledged)} unanswered"
    )
    left_empty = ", ".join(sorted(run.ignored)) or "none"
    flagged = ", ".join(f"{n:,} {flag}" for flag, n in flags) or "none"
    print(
        f"  fields on the pages left empty (not a teacher's): {left_empty}; "
        f"responses flagged for review (kept): {flagged}"
    )
    if run.refused:
        refused = ", ".join(f"{step} {status}: {n}" for (step, status), n in run.refused.items())
        print(f"  assessments given up on an unexpected answer: {refused}")
        for (step, status), body in run.samples.items():
            print(f"    {step} {status}: {' '.join(body.split())[:200]}")
    if server_log.strip():
        lines = server_log.strip().splitlines()
        print(f"  server stderr ({len(lines)} lines), the last ones:")
        for line in lines[-30:]:
            print(f"    {line}")


def _stored(path: Path, run: Run) -> dict[str, list[tuple[int, bool]]]:
    """For each tag (school name), its submitted responses: (id, whether it holds the profile
    and exactly the answers the phone sent, with every required question it was shown)."""
    sent = {a.school: a for a in run.assessments}
    with sqlite3.connect(path) as connection:
        responses = connection.execute(
            f"SELECT id, school_name, {', '.join(PROFILE)} FROM response WHERE status = 'submitted'"
        ).fetchall()
        answers: dict[int, set] = {}
        for response_id, *row in connection.execute(
            "SELECT a.response_id, a.question_id, a.item, a.number, a.text, a.priority "
            "FROM answer a JOIN response r ON r.id = a.response_id "
            "WHERE r.status = 'submitted'"
        ):
            question, item, number, text, priority = row
            number = None if number is None else float(number)
            answers.setdefault(response_id, set()).add(
                (question, item, number, text, bool(priority))
            )
    required = _required_shown(path, run.code, {tuple(r[2:]) for r in responses})
    stored: dict[str, list[tuple[int, bool]]] = {}
    for response_id, school, *profile in responses:
        assessment = sent.get(school)
        rows = answers.get(response_id, set())
        complete = (
            assessment is not None
            and dict(zip(PROFILE, profile, strict=True)) == assessment.profile
            and rows == set().union(*assessment.rows.values())
            and required[tuple(profile)] <= {row[0] for row in rows}
        )
        stored.setdefault(school, []).append((response_id, complete))
    return stored


def _required_shown(path: Path, code: str, profiles: set[tuple]) -> dict[tuple, set[int]]:
    """For each profile, the required questions a respondent with it is shown."""
    app = make_app(path)
    with app.app_context():
        survey = db.session.scalar(db.select(Survey).where(Survey.code == code))
        required = {}
        for profile in profiles:
            shown = steps_for(survey, dict(zip(PROFILE, profile, strict=True)))
            required[profile] = {q.id for _s, qs in shown for q in qs if q.required}
        db.session.remove()
        db.engine.dispose()
    return required

"""Teachers sending feedback to a real server: gunicorn with the README's settings, on a
SQLite file, driven over HTTP from this process (which shares the machine's cores).

- Open loop: sends at a fixed rate whatever the answers' speed; each latency is counted from
  the moment its request was due, so a slow server cannot hide its queue.
- Saturated: as many sends as a few clients at once can make, against the same number of
  requests to /bench/constant on the same server.
- Crash: sends at the fixed rate, kills the server with SIGKILL part way, then checks that
  every send acknowledged with a 2xx is in the database.

Each send is a new phone: its own session, fetched first (the survey page gives the cookie
and the form's CSRF token), then one POST of the survey's only section, which saves and sends
the response. Run through bench/run.py."""

import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bench.data import HUB_TYPE, create_survey, make_app, migrate_quietly
from hubsurvey.admin.services import load_reference_data
from hubsurvey.extensions import db
from hubsurvey.surveys.questions import field_name

WORKERS = 4  # as README.md's production command
SECRET = "bench"
RATE = 100  # sends per second (DESIGN.md section 7)
OPEN_SECONDS = 20
SATURATED_SENDS = 1500
CLIENTS = 8
CRASH_SENDS = 600
CRASH_AFTER = 2.0  # seconds into the crash run
FEEDBACK = {
    "title": "Session feedback",
    "sections": [
        {
            "title": "Your feedback",
            "questions": [
                {"kind": "rating", "prompt": "How useful was the session?"},
                {"kind": "scale", "prompt": "How confident do you feel now?"},
                {"kind": "long_text", "prompt": "What will you try next?", "max_length": 500},
            ],
        }
    ],
}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Phone:
    cookie: str
    token: str


@dataclass
class Sent:
    due: float
    done: float
    status: int  # 0: no answer (connection refused or cut)
    cookie: str = ""


def bench_load(folder: Path) -> None:
    path = folder / "load.sqlite"
    code, form = _feedback_survey(path)
    port = free_port()
    with Server(path, port) as server:
        phones = _phones(port, code, RATE * OPEN_SECONDS + SATURATED_SENDS)
        sent = _open_loop(port, code, form, phones[: RATE * OPEN_SECONDS], RATE)
        ok = [s for s in sent if 200 <= s.status < 300]
        waits = sorted((s.done - s.due) * 1000 for s in ok)
        print(
            f"feedback send under gunicorn ({WORKERS} workers), open loop at {RATE}/s for "
            f"{OPEN_SECONDS} s: {len(ok)}/{len(sent)} acknowledged; median "
            f"{statistics.median(waits):.1f} ms, p95 {_percentile(waits, 95):.1f} ms, "
            f"p99 {_percentile(waits, 99):.1f} ms; budget p95 50 ms"
        )
        saves = _saturated(port, lambda i: _send(port, code, form, phones[-i - 1]))
        bare = _saturated(port, lambda i: _request(port, "GET", "/bench/constant"))
        print(
            f"saturated, {CLIENTS} clients: feedback send {saves:.0f}/s, bare constant "
            f"endpoint {bare:.0f}/s; ratio {saves / bare:.0%}, budget at least 40%"
        )
        phones = _phones(port, code, CRASH_SENDS)
        killer = threading.Timer(CRASH_AFTER, server.kill)
        killer.start()
        sent = _open_loop(port, code, form, phones, RATE)
        killer.join()
    acknowledged = [s for s in sent if 200 <= s.status < 300]
    tokens = _response_tokens(path, [s.cookie for s in acknowledged])
    stored = _stored(path, tokens)
    print(
        f"kill -9 after {CRASH_AFTER:.0f} s of sends at {RATE}/s: {len(acknowledged)} "
        f"acknowledged, {stored} of them in the database after the crash, "
        f"{len(acknowledged) - stored} lost; {len(sent) - len(acknowledged)} unanswered"
    )


def _feedback_survey(path: Path) -> tuple[str, dict]:
    """A migrated database with one open quick-feedback survey; its code and a filled form."""
    app = make_app(path)
    with app.app_context():
        migrate_quietly()
        load_reference_data()
        survey = create_survey(FEEDBACK, HUB_TYPE, kind="feedback", asks_profile=False)
        rating, scale, text = survey.questions
        form = {
            field_name(rating): "8",
            field_name(scale): "4",
            field_name(text): "Try the questioning routine with Year 4, and share it.",
        }
        code = survey.code
        db.session.remove()
        db.engine.dispose()
    return code, form


class Server:
    """gunicorn in its own process group, so a SIGKILL takes the workers too. Every request
    comes from 127.0.0.1, so the per-address rate limits are off; `env` adds settings, and
    `log` (an open file) takes the server's stderr."""

    def __init__(self, path: Path, port: int, env: dict | None = None, log=None):
        self.port = port
        env = {
            **os.environ,
            "FLASK_SECRET_KEY": SECRET,
            "FLASK_DATABASE_URL": f"sqlite:///{path}",
            "FLASK_RATELIMIT_ENABLED": "false",
            **(env or {}),
        }
        # If the benchmark itself is killed, its server goes too (where setpriv exists): the
        # server must then be started from the main thread, whose end the signal follows.
        command = ["setpriv", "--pdeathsig", "KILL"] if shutil.which("setpriv") else []
        command += [str(Path(sys.executable).with_name("gunicorn")), "--workers", str(WORKERS)]
        command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "bench.server:app"]
        self.process = subprocess.Popen(command, env=env, start_new_session=True, stderr=log)

    def __enter__(self):
        deadline = time.monotonic() + 30
        while _request(self.port, "GET", "/bench/constant")[0] != 200:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)

    def __exit__(self, *_exc) -> None:
        if self.process.poll() is None:
            self.kill()
        self.process.wait()


def _request(port: int, method: str, path: str, body: str = "", headers=None):
    """(status, session cookie, body) of one request on a new connection, like a new phone;
    status 0 when the server did not answer."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body.encode(), headers=headers or {})
        response = connection.getresponse()
        text = response.read().decode()
        cookie = re.search(r"session=([^;]+)", response.getheader("Set-Cookie") or "")
        return response.status, cookie.group(1) if cookie else "", text
    except OSError:
        return 0, "", ""
    finally:
        connection.close()


def _phones(port: int, code: str, count: int) -> list[Phone]:
    """Sessions that have opened the survey: a cookie and a CSRF token each."""

    def one(_i) -> Phone:
        status, cookie, text = _request(port, "GET", f"/s/{code}")
        if status != 200:
            raise RuntimeError(f"the survey page answered {status}")
        return Phone(cookie, TOKEN.search(text).group(1))

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(one, range(count)))


def _send(port: int, code: str, form: dict, phone: Phone):
    """One section POST, as htmx sends it; the only section, so it also sends the response."""
    body = urlencode({**form, "csrf_token": phone.token})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"session={phone.cookie}",
        "HX-Request": "true",
    }
    return _request(port, "POST", f"/s/{code}/1", body, headers)


def _open_loop(port: int, code: str, form: dict, phones: list[Phone], rate: int) -> list[Sent]:
    results: list[Sent] = []

    def fire(phone: Phone, due: float) -> None:
        status, cookie, _text = _send(port, code, form, phone)
        results.append(Sent(due, time.perf_counter(), status, cookie))

    start = time.perf_counter() + 0.1
    with ThreadPoolExecutor(max_workers=200) as pool:
        for i, phone in enumerate(phones):
            due = start + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            pool.submit(fire, phone, due)
    return results


def _saturated(port: int, make_request) -> float:
    """Requests per second with CLIENTS requests always in flight."""
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [r[0] for r in pool.map(make_request, range(SATURATED_SENDS))]
    seconds = time.perf_counter() - started
    if any(not 200 <= s < 300 for s in statuses):
        raise RuntimeError(f"unexpected answers under load: {sorted(set(statuses))}")
    return len(statuses) / seconds


def _response_tokens(path: Path, cookies: list[str]) -> list[str]:
    """The response each acknowledged send made, read from its session cookie."""
    app = make_app(path)
    serializer = app.session_interface.get_signing_serializer(app)
    return [token for c in cookies for token in serializer.loads(c)["responses"].values()]


def _stored(path: Path, tokens: list[str]) -> int:
    with sqlite3.connect(path) as connection:
        stored = {
            token
            for (token,) in connection.execute(
                "SELECT token FROM response WHERE status = 'submitted'"
            )
        }
    return sum(token in stored for token in tokens)


def _percentile(values: list[float], p: int) -> float:
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

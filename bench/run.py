"""Performance figures against the design's budgets: the needs summary on 10,000 and
100,000 responses, the long CSV export of 1,000,000 answers, teachers sending feedback
to gunicorn (bench/load.py), and complete needs assessments sent through a `kill -9` of
the server (bench/assessments.py). Prints plain lines for reports; asserts nothing. Run from
the repository root (`make bench`):

    .venv/bin/python bench/run.py
    BENCH_ASSESSMENTS=500 .venv/bin/python bench/run.py --assessments-only  # a quick run
    .venv/bin/python bench/run.py --results-only  # a survey's results page alone

The databases are generated in a temporary folder, deleted at the end. Each export runs in
a child process (`bench/run.py --export-only DB SURVEY_ID OUT`) so its peak memory is its own.
"""

import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter

from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.assessments import bench_assessments  # noqa: E402
from bench.data import Dataset, build_database, make_app  # noqa: E402
from bench.load import bench_load  # noqa: E402
from hubsurvey import create_app  # noqa: E402
from hubsurvey.extensions import db  # noqa: E402
from hubsurvey.models import Hub, Response, Survey, User  # noqa: E402
from hubsurvey.reports.exports import long_csv  # noqa: E402
from hubsurvey.reports.summary import Filters, needs_summary  # noqa: E402
from hubsurvey.surveys.waves import open_next_wave  # noqa: E402

# (responses, budget in ms) for the needs summary.
SUMMARY_CASES = ((10_000, 250), (100_000, 1000))
SUMMARY_RUNS = 7
RESULTS_RUNS = 5  # the results page: the same budgets as the summary
EXPORT_RESPONSES = 33_334  # x 30 answers: 1,000,020 answers
EXPORT_RUNS = 3
EXPORT_MEMORY_BUDGET_MB = 150
EXPORT_RATIO_BUDGET = 3
# What long_rows reads (exports._answers), as the sqlite3 shell would dump it.
DUMP_SQL = """
SELECT r.id, w.label, r.submitted_at, r.school_name, s.urn, r.phase, r.role, r.career_stage,
       r.subject, act.title, r.participant_id, a.question_id, a.item, a.number, a.text,
       a.priority
FROM answer a
JOIN response r ON r.id = a.response_id
JOIN wave w ON w.id = r.wave_id
LEFT JOIN school s ON s.id = r.school_id
LEFT JOIN activity act ON act.id = r.activity_id
JOIN question q ON q.id = a.question_id
JOIN section sec ON sec.id = q.section_id
WHERE r.survey_id = {survey_id} AND r.status = 'submitted'
ORDER BY r.id, sec.position, q.position, a.item;
"""


def main() -> None:
    started = perf_counter()
    print(
        f"machine: {len(os.sched_getaffinity(0))} cores (nproc), Python {sys.version.split()[0]}, "
        f"SQLite {sqlite3.sqlite_version}, load average before {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="hubsurvey-bench-") as folder:
        folder = Path(folder)
        summary_sets, export_set = generate(folder)
        for (_responses, budget), dataset in zip(SUMMARY_CASES, summary_sets, strict=True):
            bench_summary(dataset, budget)
            bench_results(dataset, budget, folder)
        bench_export(export_set, folder)
        bench_load(folder)
        bench_assessments(folder)
    print(f"total run time {perf_counter() - started:.0f} s")


def generate(folder: Path) -> tuple[list[Dataset], Dataset]:
    """One database per case, so each figure reflects a hub of exactly that size."""
    started = perf_counter()
    summary_sets = [
        build_database(folder / f"summary-{n}.sqlite", n, seed=n) for n, _ in SUMMARY_CASES
    ]
    export_set = build_database(folder / "export.sqlite", EXPORT_RESPONSES, seed=3)
    every = [*summary_sets, export_set]
    print(
        f"generated {len(every)} databases ({sum(d.responses for d in every):,} responses, "
        f"{sum(d.answers for d in every):,} answers) in {perf_counter() - started:.1f} s"
    )
    return summary_sets, export_set


# Each summary timed: (what it shows, its breakdown, its filters).
SUMMARY_VIEWS = (
    ("", None, {}),
    ("by role", "role", {}),
    ("by school", "school", {}),
    ("secondary only, by role", "role", {"phase": "secondary"}),
)


def bench_summary(dataset: Dataset, budget_ms: int) -> None:
    """Time needs_summary for the survey as a whole, broken down, and filtered."""
    app = make_app(dataset.path)
    with app.app_context():
        for words, by, values in SUMMARY_VIEWS:
            times = [s * 1000 for s in time_summary(dataset, by, values)]
            what = words or f"({dataset.answers:,} answers)"
            median = statistics.median(times)
            print(
                f"summary {dataset.responses:,} responses {what}: median {median:.0f} ms "
                f"(min {min(times):.0f} ms), budget {budget_ms} ms "
                f"({median / budget_ms:.2f}x budget)"
            )
        db.session.remove()
        db.engine.dispose()


def time_summary(dataset: Dataset, by: str | None, values: dict) -> list[float]:
    """Seconds per call, after one warm-up; each call starts from an empty session."""
    times = []
    for run in range(1 + SUMMARY_RUNS):
        db.session.remove()
        hub = db.session.get(Hub, dataset.hub_id)
        survey = db.session.get(Survey, dataset.survey_id)
        started = perf_counter()
        needs_summary(hub, Filters(survey=survey, by=by, values=values))
        if run:
            times.append(perf_counter() - started)
    return times


def bench_results(dataset: Dataset, budget_ms: int, folder: Path) -> None:
    """A survey's results page (every question's figures), its All waves view, the
    comparison of two waves, one written question's answers searched, and the needs summary
    broken down by role over both waves, asked for through the app as a browser would (view,
    queries and template), on a copy of the database with every other response moved to a
    second wave. The survey is anonymous, so the latest wave is also counted against all
    waves."""
    path = folder / f"results-{dataset.responses}.sqlite"
    shutil.copy(dataset.path, path)
    app = create_app(
        {"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{path}", "WTF_CSRF_ENABLED": False}
    )
    with app.app_context():
        survey = db.session.get(Survey, dataset.survey_id)
        later = open_next_wave(survey)
        db.session.execute(
            db.update(Response)
            .where(Response.survey_id == survey.id, Response.id % 2 == 0)
            .values(wave_id=later.id)
        )
        lead = User(email="lead@bench.example", hubs=[survey.hub])
        lead.password_hash = generate_password_hash("bench password")
        db.session.add(lead)
        db.session.commit()
        base = f"/hubs/{survey.hub.slug}/reports/surveys/{survey.id}/results"
        needs = f"/hubs/{survey.hub.slug}/reports/needs?survey={survey.id}"
        written = next(q.id for q in survey.questions if q.kind == "long_text")
        db.session.remove()
    client = app.test_client()
    signed_in = client.post(
        "/sign-in", data={"email": "lead@bench.example", "password": "bench password"}
    )
    assert signed_in.status_code == 303, signed_in.status_code
    for what, url in (
        ("latest wave", base),
        ("all waves", f"{base}?wave=all"),
        ("two waves compared", f"{base}/compare"),
        ("a written question's answers, searched", f"{base}/questions/{written}?search=time"),
        # The needs summary page on the same data, timed alongside: a reference for a
        # machine whose load differs from run to run.
        ("(for reference: the needs summary page, all waves)", needs),
        # Broken down, with the two waves pooled: each wave's groups are checked too.
        ("the needs summary page by role, all waves", f"{needs}&by=role"),
        ("the needs summary page by school, all waves", f"{needs}&by=school"),
    ):
        times = []
        for run in range(1 + RESULTS_RUNS):  # one warm-up
            started = perf_counter()
            response = client.get(url)
            if run:
                times.append((perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(times)
        print(
            f"results page {dataset.responses:,} responses in 2 waves, {what}: median "
            f"{median:.0f} ms (min {min(times):.0f} ms), budget {budget_ms} ms "
            f"({median / budget_ms:.2f}x budget)"
        )
    with app.app_context():
        db.engine.dispose()


def results_only() -> None:
    """Just the results page, on the summary's two databases."""
    with tempfile.TemporaryDirectory(prefix="hubsurvey-bench-") as folder:
        folder = Path(folder)
        for responses, budget in SUMMARY_CASES:
            dataset = build_database(folder / f"summary-{responses}.sqlite", responses, responses)
            bench_results(dataset, budget, folder)


def bench_export(dataset: Dataset, folder: Path) -> None:
    """The streamed long CSV against its memory budget and against the sqlite3 shell."""
    out = folder / "export.csv"
    runs = [run_export_child(dataset, out) for _ in range(EXPORT_RUNS)]
    export_s = statistics.median(r["seconds"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    growth = max(r["peak_mb"] - r["baseline_mb"] for r in runs)
    print(
        f"export long CSV {dataset.answers:,} answers: median {export_s:.1f} s "
        f"(min {min(r['seconds'] for r in runs):.1f} s); peak RSS {peak:.0f} MB "
        f"(+{growth:.0f} MB over baseline), budget {EXPORT_MEMORY_BUDGET_MB} MB"
    )
    if shutil.which("sqlite3") is None:
        print(
            "sqlite3 shell dump: skipped, the sqlite3 shell is not installed (apt install sqlite3)"
        )
        return
    dump = folder / "dump.csv"
    times = [time_sqlite_dump(dataset, dump) for _ in range(EXPORT_RUNS)]
    dump_s = statistics.median(times)
    print(
        f"sqlite3 shell dump of the same rows: median {dump_s:.1f} s (min {min(times):.1f} s); "
        f"ratio {export_s / dump_s:.1f}x, budget {EXPORT_RATIO_BUDGET}x"
    )
    print(f"files: export {describe(out)}, sqlite3 {describe(dump)}")


def run_export_child(dataset: Dataset, out: Path) -> dict:
    """Run one export in a fresh process; it reports its time and memory as JSON."""
    command = [sys.executable, __file__, "--export-only", str(dataset.path)]
    command += [str(dataset.survey_id), str(out)]
    result = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])


def time_sqlite_dump(dataset: Dataset, out: Path) -> float:
    sql = DUMP_SQL.format(survey_id=dataset.survey_id)
    with out.open("wb") as f:
        started = perf_counter()
        subprocess.run(["sqlite3", "-csv", "-header", str(dataset.path), sql], stdout=f, check=True)
        return perf_counter() - started


def describe(path: Path) -> str:
    """A file's line count and size, to check both dumps hold the same rows."""
    lines = 0
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            lines += block.count(b"\n")
    return f"{lines:,} lines, {path.stat().st_size / 1e6:.0f} MB"


def export_only(db_path: str, survey_id: str, out_path: str) -> None:
    """The child's side: stream the long CSV to a file, then print time and memory as JSON."""
    app = make_app(Path(db_path))
    with app.app_context():
        baseline_mb = memory_mb("VmRSS")
        started = perf_counter()
        with open(out_path, "w", encoding="utf-8", newline="") as out:
            for chunk in long_csv(int(survey_id)):
                out.write(chunk)
        seconds = perf_counter() - started
    peak_mb = memory_mb("VmHWM")
    print(json.dumps({"seconds": seconds, "baseline_mb": baseline_mb, "peak_mb": peak_mb}))


def memory_mb(field: str) -> float:
    """This process's resident memory now (VmRSS) or at its peak (VmHWM), in MB.

    Not getrusage's ru_maxrss: Linux carries the parent's peak over into a child through
    fork and exec, so a child of this (large) benchmark process would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"no {field} in /proc/self/status")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--export-only"]:
        export_only(*sys.argv[2:5])
    elif sys.argv[1:2] == ["--results-only"]:
        results_only()
    elif sys.argv[1:2] == ["--assessments-only"]:
        with tempfile.TemporaryDirectory(prefix="hubsurvey-bench-") as folder:
            bench_assessments(Path(folder))
    else:
        main()

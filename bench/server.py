"""The app as `make bench` serves it under gunicorn (see bench/load.py), configured by the
environment like any deployment, with one page added: /bench/constant, a bare endpoint that
returns a constant, to compare the survey's own throughput with."""

from hubsurvey import create_app

app = create_app()


@app.get("/bench/constant")
def constant() -> str:
    return "ok"

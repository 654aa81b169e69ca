"""Template helpers: vendored file names (they carry the version), domain labels, extensions."""

import json
from pathlib import Path

from flask import Flask, url_for

from hubsurvey.vocabulary import PARTNER_STATUSES, PHASES


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    manifest_path = Path(app.static_folder) / "vendor" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())

    def vendor_url(name: str) -> str:
        return url_for("static", filename=f"vendor/{manifest[name]}")

    app.jinja_env.globals.update(
        vendor_url=vendor_url, status_labels=PARTNER_STATUSES, phase_names=list(PHASES.values())
    )
    app.jinja_env.filters["phase_label"] = lambda value: PHASES.get(value, value)

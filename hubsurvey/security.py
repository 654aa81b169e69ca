"""Security headers, the strict Content-Security-Policy, and sign-out after inactivity."""

from datetime import timedelta

from flask import Flask, Response, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from hubsurvey.auth import sessions

# Nothing inline and nothing from another host: scripts, styles and images come from /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def init_app(app: Flask) -> None:
    if hops := int(app.config.get("TRUSTED_PROXIES", 0)):
        # Behind a reverse proxy: take the client address and scheme from its headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.after_request(add_security_headers)
    app.before_request(end_idle_session)


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # One-time links carry their token in the path: never send it on to another site.
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config["PRODUCTION"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if current_user.is_authenticated:
        # Pages behind sign-in hold staff data: keep them out of shared caches and the back button.
        headers.setdefault("Cache-Control", "no-store")
    return response


def end_idle_session():
    """Sign hub staff out after SESSION_IDLE_MINUTES without a request: their session ends on
    the server, so a copy of the cookie is no use either. Respondents have no staff session
    and this does nothing for them (no query, no write)."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    minutes = current_app.config["SESSION_IDLE_MINUTES"]
    if sessions.keep_alive(g.staff_session, timedelta(minutes=minutes)):
        return None
    logout_user()
    session.clear()
    flash(f"You were signed out after {minutes} minutes without activity. Sign in again.")
    return redirect(url_for("auth.sign_in", next=request.full_path))

import time
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from hubsurvey.auth import bp, services
from hubsurvey.auth.forms import NewPasswordForm, SetupForm, SignInForm
from hubsurvey.extensions import limiter


def _sign_in_limit() -> str:
    return current_app.config["SIGN_IN_LIMIT"]


def _start_session(user) -> None:
    # A fresh session at sign-in, so a session id planted before sign-in is worth nothing.
    session.clear()
    session.permanent = True
    login_user(user)
    session["seen"] = int(time.time())


def _safe_next() -> str:
    """Where to go after signing in: a path on this site only, never another host."""
    target = request.args.get("next", "")
    # Browsers drop tabs and newlines inside URLs, so '/\t/evil' would mean '//evil'.
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return url_for("hubs.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("hubs.index")
    return target


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    _sign_in_limit,
    methods=["POST"],
    # Only failed attempts count towards the limit.
    deduct_when=lambda response: response.status_code != 303,
    error_message="Too many failed sign-in attempts",
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("hubs.index"))
    form = SignInForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(_safe_next(), 303)
        form.password.errors.append("Email address or password is not right")
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
@login_required
def sign_out():
    logout_user()
    session.clear()
    flash("You have signed out.")
    return redirect(url_for("auth.sign_in"), 303)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    """Create the first administrator from the link `make run` printed."""
    link = services.find_link(token, "setup")
    if link is None or services.admin_exists():
        return render_template("auth/link_invalid.html", setup=True), 404
    form = SetupForm()
    if form.validate_on_submit():
        try:
            user = services.complete_setup(link, form.email.data, form.password.data)
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            _start_session(user)
            flash("Your administrator account is ready. Start by adding a hub.")
            return redirect(url_for("admin.index"), 303)
    return render_template("auth/setup.html", form=form), 422 if form.errors else 200


@bp.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Set a password from the one-time link an administrator gave a new staff member."""
    link = services.find_link(token, "password")
    if link is None or link.user is None:
        return render_template("auth/link_invalid.html", setup=False), 404
    if not link.user.active:
        abort(404)
    form = NewPasswordForm()
    if form.validate_on_submit():
        user = services.complete_password_link(link, form.password.data)
        _start_session(user)
        flash("Your password is set.")
        return redirect(url_for("hubs.index"), 303)
    return render_template(
        "auth/set_password.html", form=form, user=link.user
    ), 422 if form.errors else 200

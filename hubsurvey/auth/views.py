import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from hubsurvey.auth import SESSION_TOKEN, bp, services, sessions
from hubsurvey.auth.forms import ChangePasswordForm, NewPasswordForm, SetupForm, SignInForm
from hubsurvey.extensions import limiter


def _idle_limit() -> timedelta:
    return timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])


def _start_session(user) -> None:
    # A fresh cookie and server-side session at sign-in, so a session planted before sign-in
    # is worth nothing. The session this browser had before (another account's, say) ends.
    earlier = sessions.find(session.get(SESSION_TOKEN, ""))
    session.clear()
    session.permanent = True
    token, g.staff_session = sessions.start(
        user, request.user_agent.string, request.remote_addr or "", _idle_limit(), earlier
    )
    login_user(user)
    session[SESSION_TOKEN] = token


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


def _failed(response) -> bool:
    # Only failed attempts count: not a sign-in (303), nor a refusal by a limit itself (429).
    return response.status_code not in (303, 429)


def _account_and_address() -> str:
    """One email typed from one address: a colleague's mistakes never lock anyone else out,
    even behind the school's shared address."""
    email = services.normalise_email(request.form.get("email", ""))
    return f"{get_remote_address()}:{hashlib.sha256(email.encode()).hexdigest()[:32]}"


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["SIGN_IN_LIMIT"],
    key_func=_account_and_address,
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed sign-in attempts",
)
@limiter.limit(
    # A looser ceiling for the whole address, against guessing across many accounts.
    lambda: current_app.config["SIGN_IN_ADDRESS_LIMIT"],
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed sign-in attempts",
)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("hubs.index"))
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.AccessEnded as ended:
            form.password.errors.append(str(ended))
        else:
            if user is not None:
                _start_session(user)
                return redirect(_safe_next(), 303)
            form.password.errors.append("Email address or password is not right")
    status = 422 if form.errors else 200
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
@login_required
def sign_out():
    sessions.sign_out(g.staff_session)
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
    if not link.user.is_active:
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


# The staff member's own account: their password and their sessions.


def _account_page(form: ChangePasswordForm):
    return render_template(
        "auth/account.html",
        form=form,
        sessions=sessions.live_sessions(current_user, _idle_limit()),
        this_session=g.staff_session,
        device_name=sessions.device_name,
    ), 422 if form.errors else 200


@bp.get("/account")
@login_required
def account():
    return _account_page(ChangePasswordForm(formdata=None))


@bp.post("/account/password")
@login_required
@limiter.limit(
    # Checking the current password must not be a way round the sign-in limit.
    lambda: current_app.config["SIGN_IN_LIMIT"],
    key_func=lambda: f"account:{current_user.get_id()}",
    deduct_when=_failed,
    error_message="Too many failed attempts",
)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ended = services.change_password(
                current_user, form.current.data, form.password.data, keep=g.staff_session
            )
        except services.AccountError as error:
            form.current.errors.append(str(error))
        else:
            elsewhere = " You are signed out everywhere else." if ended else ""
            flash(f"Your password is changed.{elsewhere}")
            return redirect(url_for("auth.account"), 303)
    return _account_page(form)


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    """Sign out on another device: that session stops working at once."""
    if session_id == g.staff_session.id:
        return sign_out()
    ended = sessions.end_session(current_user, session_id) or abort(404)
    flash(f"Signed out of {sessions.device_name(ended.user_agent)}.")
    return redirect(url_for("auth.account"), 303)

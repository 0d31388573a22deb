"""Sign-in, sign-out and the signed-in person's own account page."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from interviewer.auth import (
    bp,
    events,
    services,
    sign_in,
    throttle,
    two_factor,  # noqa: F401 (the two-factor views)
    user_sessions,
)
from interviewer.auth.forms import EmptyForm, LoginForm
from interviewer.extensions import db


@bp.route("/login", methods=["GET", "POST"])
@throttle.per_address
@throttle.per_account
def login():
    if current_user.is_authenticated:
        return redirect(url_for(current_app.config["HOME_ENDPOINT"]))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data, form.password.data)
        if user is None:
            sign_in.failed(
                db.session, sign_in.user_by_email(db.session, form.email.data), "password"
            )
            db.session.commit()
            form.password.errors.append("Email or password is not right. Check both and retry.")
            return render_template("auth/login.html", form=form), throttle.REFUSED
        return sign_in.after_password(user, remember=form.remember.data, target=form.next.data)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out; open to anyone.

    A stale page's button must not lead to a sign-in form whose ``next=`` is this POST-only URL.
    """
    if EmptyForm().validate_on_submit():
        user_sessions.end_current()
        db.session.commit()
        flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account")
@login_required
def account():
    """The signed-in person's own page: their sessions, password and two-factor sign-in."""
    sessions = user_sessions.live_sessions(db.session, current_user)
    return render_template(
        "auth/account.html",
        sessions=sessions,
        current_session_id=user_sessions.current_id(),
        form=EmptyForm(),
    )


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    """End every session of the signed-in person, this browser's included."""
    if EmptyForm().validate_on_submit():
        ended = user_sessions.end_sessions(db.session, current_user)
        events.record(
            db.session,
            team_id=current_user.team_id,
            actor=current_user,
            action="user.signed_out_everywhere",
            subject=current_user,
            sessions=ended,
        )
        user_sessions.end_current()
        db.session.commit()
        flash(f"Signed out everywhere ({ended} sessions ended). Sign in again here.", "info")
    return redirect(url_for("auth.login"))


from interviewer.auth import password_routes  # noqa: E402, F401

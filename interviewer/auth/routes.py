"""Sign-in, sign-out and the team's user list."""

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
from sqlalchemy import select

from interviewer.auth import (
    bp,
    events,
    services,
    sign_in,
    signals,
    throttle,
    two_factor,  # noqa: F401 (the two-factor views)
    user_sessions,
)
from interviewer.auth.forms import EmptyForm, LoginForm, UserForm
from interviewer.auth.models import User
from interviewer.auth.permissions import admin_required
from interviewer.extensions import db
from interviewer.signals import values_from_signal


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


@bp.route("/team/users", methods=["GET", "POST"])
@admin_required
def users():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                db.session,
                team=current_user.team,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                role=form.role.data,
                timezone=current_user.team.timezone,
            )
        except services.UserError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{user.name} can now sign in as {user.role.label.lower()}.", "success")
            return redirect(url_for("auth.users"))
    members = db.session.scalars(
        select(User).where(User.team_id == current_user.team_id).order_by(User.name)
    ).all()
    return render_template("auth/users.html", form=form, members=members, notices=_notices())


def _notices() -> list:
    """What the features above auth have to tell the team's admin (the outbox's state)."""
    notices = values_from_signal(signals.admin_notices.send(current_user.team, session=db.session))
    return sorted(notices, key=lambda notice: notice.text)


from interviewer.auth import password_routes  # noqa: E402, F401

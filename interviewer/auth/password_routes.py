"""Changing one's own password from the account page."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required

from interviewer.auth import bp, password_changes
from interviewer.auth.forms import ChangePasswordForm
from interviewer.extensions import db, limiter

#: Wrong current passwords allowed per person before the page answers 429: whoever found a
#: signed-in browser must not be able to guess the password behind it.
WRONG_CURRENT_LIMIT = "10 per hour"


def _per_person() -> str:
    return f"user:{current_user.get_id()}"


def _wrong_current(response) -> bool:
    return g.get("wrong_current_password", False)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(
    WRONG_CURRENT_LIMIT,
    key_func=_per_person,
    methods=["POST"],
    deduct_when=_wrong_current,
    error_message="Too many wrong current passwords. Wait an hour and try again.",
)
def change_password():
    """Change the password (the current one first); every other browser is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            ended = password_changes.change_password(
                db.session, current_user, current=form.current.data, new=form.password.data
            )
        except password_changes.PasswordError as error:
            g.wrong_current_password = error.field == "current"
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_changed_message(ended), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


def _changed_message(ended: int) -> str:
    if not ended:
        return "Your password is changed. You were signed in on no other browser."
    browsers = "other browser was" if ended == 1 else "other browsers were"
    return f"Your password is changed; {ended} {browsers} signed out."

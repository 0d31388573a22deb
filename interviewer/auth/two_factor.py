"""Two-factor sign-in pages: the code step of signing in, setting it up on the account page,
turning it off, new recovery codes, and the team's setting that makes it mandatory."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from interviewer.auth import bp, events, sign_in, throttle, totp
from interviewer.auth.forms import (
    EmptyForm,
    RecoveryCodesForm,
    TeamTwoFactorForm,
    TwoFactorConfirmForm,
    TwoFactorDisableForm,
    TwoFactorLoginForm,
)
from interviewer.auth.permissions import admin_required, is_public
from interviewer.extensions import db

#: Pages a manager whose team requires two-factor sign-in may open before turning it on.
OPEN_BEFORE_SETUP = {
    "static",
    "bootstrap.static",
    "auth.login",
    "auth.logout",
    "auth.account",
    "auth.sign_out_everywhere",
    "auth.two_factor",
    "auth.start_two_factor",
    "auth.confirm_two_factor",
    "auth.team_two_factor",
}
WRONG_CODE = "That code is not right, or it was used already. Type the code your app shows now."


@bp.before_app_request
def require_two_factor():
    """Send an admin or hiring manager whose team requires two-factor sign-in, and who has not
    turned it on, to its setup (every page but setup, the account page and signing out)."""
    if request.endpoint in OPEN_BEFORE_SETUP or is_public(
        current_app.view_functions.get(request.endpoint)
    ):
        return None
    if not current_user.is_authenticated:
        return None
    if not current_user.must_set_up_two_factor:
        return None
    flash(
        "Your team requires two-factor sign-in for admins and hiring managers: "
        "turn it on to continue.",
        "warning",
    )
    return redirect(url_for("auth.two_factor"))


def _record(action: str, **data) -> None:
    events.record(
        db.session,
        team_id=current_user.team_id,
        actor=current_user,
        action=action,
        subject=current_user,
        **data,
    )


@bp.route("/login/two-factor", methods=["GET", "POST"])
@throttle.per_address
@throttle.per_account
def login_two_factor():
    """The second step of signing in: a code from the app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(sign_in.safe_target(None))
    user = sign_in.pending_user()
    if user is None:
        flash("Sign in again: the code was not typed within 5 minutes.", "info")
        return redirect(url_for("auth.login", next=request.args.get("next")))
    form = TwoFactorLoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        if totp.use_any_code(db.session, user, form.code.data):
            remember = sign_in.pending_remember()
            return sign_in.finish(user, remember=remember, target=form.next.data)
        sign_in.failed(db.session, user, "two_factor")
        db.session.commit()
        form.code.errors.append(f"{WRONG_CODE} Or use one of your recovery codes.")
        return render_template("auth/login_two_factor.html", form=form), throttle.REFUSED
    return render_template("auth/login_two_factor.html", form=form)


def _render_manage(disable_form=None, codes_form=None, status: int = 200):
    return render_template(
        "auth/two_factor_manage.html",
        disable_form=disable_form or TwoFactorDisableForm(formdata=None),
        codes_form=codes_form or RecoveryCodesForm(formdata=None),
        codes_left=totp.recovery_codes_left(db.session, current_user),
    ), status


def _render_setup(form=None, status: int = 200):
    if not current_user.totp_secret:
        return render_template("auth/two_factor_start.html", form=EmptyForm()), status
    return render_template(
        "auth/two_factor_setup.html",
        form=form or TwoFactorConfirmForm(formdata=None),
        qr_code=totp.qr_svg(current_user),
        secret=totp.grouped(current_user.totp_secret),
    ), status


@bp.route("/account/two-factor")
@login_required
def two_factor():
    """Two-factor sign-in of the signed-in person: its setup, or (once on) its management."""
    if current_user.has_two_factor:
        return _render_manage()
    return _render_setup()


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
def start_two_factor():
    """Make a new secret to scan (nothing changes at sign-in until a code confirms it)."""
    if current_user.has_two_factor:
        flash("Two-factor sign-in is on already.", "info")
    elif EmptyForm().validate_on_submit():
        totp.new_secret(current_user)
        db.session.commit()
    return redirect(url_for("auth.two_factor"))


@bp.route("/account/two-factor/confirm", methods=["POST"])
@login_required
@throttle.per_account
def confirm_two_factor():
    """Turn two-factor sign-in on with a code from the app; shows the recovery codes once."""
    if current_user.has_two_factor or not current_user.totp_secret:
        return redirect(url_for("auth.two_factor"))
    form = TwoFactorConfirmForm()
    if not form.validate_on_submit():
        return _render_setup(form)
    codes = totp.enable(db.session, current_user, form.code.data)
    if codes is None:
        form.code.errors.append(f"{WRONG_CODE} Check the time on your phone is right.")
        return _render_setup(form, throttle.REFUSED)
    _record("user.two_factor_enabled")
    db.session.commit()
    flash("Two-factor sign-in is on: signing in now asks for a code from your app.", "success")
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
@throttle.per_account
def disable_two_factor():
    """Turn two-factor sign-in off, given the password or a current code."""
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    form = TwoFactorDisableForm()
    if not form.validate_on_submit():
        return _render_manage(disable_form=form)
    if current_user.is_manager and current_user.team.two_factor_required:
        form.proof.errors.append("Your team requires two-factor sign-in for your role.")
        return _render_manage(disable_form=form, status=403)
    proof = form.proof.data
    if not (current_user.check_password(proof) or totp.use_code(db.session, current_user, proof)):
        form.proof.errors.append("That is neither your password nor a current code.")
        return _render_manage(disable_form=form, status=throttle.REFUSED)
    totp.disable(db.session, current_user)
    _record("user.two_factor_disabled")
    db.session.commit()
    flash("Two-factor sign-in is off: signing in asks for your password only.", "info")
    return redirect(url_for("auth.account"))


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@throttle.per_account
def regenerate_recovery_codes():
    """New recovery codes, given a current code; the old ones stop working."""
    if not current_user.has_two_factor:
        return redirect(url_for("auth.two_factor"))
    form = RecoveryCodesForm()
    if not form.validate_on_submit():
        return _render_manage(codes_form=form)
    if not totp.use_code(db.session, current_user, form.code.data):
        form.code.errors.append(WRONG_CODE)
        return _render_manage(codes_form=form, status=throttle.REFUSED)
    codes = totp.new_recovery_codes(db.session, current_user)
    _record("user.recovery_codes_regenerated")
    db.session.commit()
    flash("New recovery codes: the old ones no longer work.", "success")
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/team/two-factor", methods=["GET", "POST"])
@admin_required
def team_two_factor():
    """The team's setting: two-factor sign-in required of admins and hiring managers."""
    team = current_user.team
    form = TeamTwoFactorForm()
    if not form.is_submitted():
        form.required.data = team.two_factor_required  # an unticked box sends nothing
    if form.validate_on_submit():
        if team.two_factor_required != form.required.data:
            team.two_factor_required = form.required.data
            events.record(
                db.session,
                team_id=team.id,
                actor=current_user,
                action="team.two_factor_required"
                if form.required.data
                else "team.two_factor_optional",
                subject=team,
            )
            db.session.commit()
        flash(_team_setting_message(team.two_factor_required), "success")
        return redirect(url_for("auth.team_two_factor"))
    return render_template("auth/team_two_factor.html", form=form)


def _team_setting_message(required: bool) -> str:
    if required:
        return (
            "Two-factor sign-in is now required of admins and hiring managers: those without "
            "it are asked to turn it on at their next page."
        )
    return "Two-factor sign-in is now each person's choice."

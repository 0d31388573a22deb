"""Resending and revoking an invitation (admins), and the page its link opens (anyone)."""

from __future__ import annotations

from flask import abort, current_app, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from interviewer.accounts import bp, invitations
from interviewer.accounts.access import get_invitation_or_404
from interviewer.accounts.forms import AcceptInvitationForm
from interviewer.accounts.user_views import invitation_link, me
from interviewer.auth import user_sessions
from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import admin_required
from interviewer.extensions import db


@bp.route("/team/invitations/<int:invitation_id>/resend", methods=["POST"])
@admin_required
def resend_invitation(invitation_id: int):
    """Send the invitation again with a new link, valid 7 days; the old link dies."""
    invitation = get_invitation_or_404(invitation_id)
    if EmptyForm().validate_on_submit():
        try:
            invitations.resend(db.session, invitation, actor=me(), link_for=invitation_link)
        except invitations.InvitationError as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            flash(f"A new link is on its way to {invitation.email}; the old one no longer opens.")
    return redirect(url_for("accounts.users"))


@bp.route("/team/invitations/<int:invitation_id>/revoke", methods=["POST"])
@admin_required
def revoke_invitation(invitation_id: int):
    """Close the invitation: its link opens nothing from now on."""
    invitation = get_invitation_or_404(invitation_id)
    if EmptyForm().validate_on_submit():
        try:
            invitations.revoke(db.session, invitation, actor=me())
        except invitations.InvitationError as error:
            flash(str(error), "warning")
        else:
            db.session.commit()
            flash(f"The invitation to {invitation.email} is revoked.", "info")
    return redirect(url_for("accounts.users"))


def _private(body: str, status: int = 200):
    """Keep the link's token out of referrers, caches and search engines."""
    response = make_response(body, status)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    """Who is invited to which team; choosing a password makes the account and signs in."""
    invitation, closed = invitations.find(db.session, token)
    if invitation is None or closed is not None:
        page = render_template("accounts/invitation_closed.html", closed=closed)
        return _private(page, 404 if invitation is None else 410)
    if current_user.is_authenticated:
        page = render_template(
            "accounts/invitation_signed_in.html", invitation=invitation, form=EmptyForm()
        )
        return _private(page)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(db.session, invitation, form.password.data)
        except invitations.InvitationError as error:
            db.session.rollback()
            getattr(form, error.field or "password").errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Welcome to {user.team.name}, {user.name}. You are signed in.", "success")
            return redirect(url_for(current_app.config["HOME_ENDPOINT"]))
    page = render_template("accounts/invitation.html", invitation=invitation, form=form)
    return _private(page)


@bp.route("/invite/<token>/sign-out", methods=["POST"])
def sign_out_for_invitation(token: str):
    """Sign the current account out, then show the invitation to whoever follows it."""
    invitation, closed = invitations.find(db.session, token)
    if invitation is None or closed is not None:
        abort(404)
    if EmptyForm().validate_on_submit():
        user_sessions.end_current()
        db.session.commit()
    return redirect(url_for("accounts.accept_invitation", token=token))

"""The users page: the team's users with their role, status and last sign-in, the invite form
and the pending invitations; and the admin's changes to one user."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.accounts import bp, invitations, members
from interviewer.accounts.access import get_user_or_404
from interviewer.accounts.forms import InviteForm, RoleForm
from interviewer.accounts.models import Invitation
from interviewer.auth import signals
from interviewer.auth.forms import EmptyForm
from interviewer.auth.models import Role, User
from interviewer.auth.permissions import admin_required
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.forms import bounded_int
from interviewer.signals import values_from_signal
from interviewer.urls import link_to


def invitation_link(token: str) -> str:
    """The absolute address an invitation's email links to: on ``APP_URL`` when it is set."""
    return link_to("accounts.accept_invitation", external=True, public=True, token=token)


def me() -> User:
    """The signed-in admin as a model (not Flask-Login's proxy), for the audit log."""
    return current_user._get_current_object()


@bp.route("/team/users", methods=["GET", "POST"])
@admin_required
def users():
    """The team's users and invitations; the form invites a colleague by email."""
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = invitations.invite(
                db.session,
                team=current_user.team,
                inviter=me(),
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                link_for=invitation_link,
            )
        except invitations.InvitationError as error:
            getattr(form, error.field or "email").errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Invitation sent to {invitation.email}: the link works for 7 days.", "success")
            return redirect(url_for("accounts.users"))
    return _users_page(form)


def _users_page(form: InviteForm) -> str:
    page = db.paginate(
        members.team_members(current_user.team_id),
        page=request.args.get("page", 1, type=bounded_int),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    pending = invitations.open_invitations(
        db.session, current_user.team_id, selectinload(Invitation.invited_by)
    )
    return render_template(
        "accounts/users.html",
        form=form,
        page=page,
        invitations=pending,
        notices=_notices(),
        role_form=RoleForm(),
        action_form=EmptyForm(),
        now=utcnow(),
    )


def _notices() -> list:
    """What the features above auth have to tell the team's admin (the outbox's state)."""
    notices = values_from_signal(signals.admin_notices.send(current_user.team, session=db.session))
    return sorted(notices, key=lambda notice: notice.text)


def _act(change: Callable[[], object], done: str):
    """Run an admin's ``change`` to a user: commit and say ``done``, or say why not."""
    try:
        change()
    except (members.MemberError, invitations.InvitationError) as error:
        db.session.rollback()
        flash(str(error), "warning")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for("accounts.users", page=request.args.get("page", type=bounded_int)))


@bp.route("/team/users/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id: int):
    """Give a user another role; the team's last admin keeps theirs."""
    user = get_user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Pick one of the roles in the list.", "warning")
        return redirect(url_for("accounts.users"))
    role = form.role.data
    return _act(
        lambda: members.change_role(db.session, user, role, actor=me()),
        f"{user.name} is now {Role(role).label.lower()}.",
    )


@bp.route("/team/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def deactivate(user_id: int):
    """Stop a user signing in and end their sessions; their scorecards stay."""
    user = get_user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.users"))
    return _act(
        lambda: members.deactivate(db.session, user, actor=me()),
        f"{user.name} is deactivated: they are signed out and cannot sign in.",
    )


@bp.route("/team/users/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def reactivate(user_id: int):
    """Let a deactivated user sign in again."""
    user = get_user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.users"))
    return _act(
        lambda: members.reactivate(db.session, user, actor=me()),
        f"{user.name} can sign in again.",
    )


@bp.route("/team/users/<int:user_id>/two-factor/reset", methods=["POST"])
@admin_required
def reset_two_factor(user_id: int):
    """Turn off two-factor sign-in for a user who lost their app and recovery codes."""
    user = get_user_or_404(user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("accounts.users"))
    return _act(
        lambda: members.reset_two_factor(db.session, user, actor=me()),
        f"Two-factor sign-in is off for {user.name}, who is signed out everywhere: they sign in "
        "with their password and can turn it on again from their account page.",
    )

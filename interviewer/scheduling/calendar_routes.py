"""Calendar files and personal calendar feeds."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from interviewer.auth.forms import EmptyForm
from interviewer.db import in_team, utcnow
from interviewer.extensions import db
from interviewer.mail.settings import default_sender
from interviewer.scheduling import bp, calendar
from interviewer.scheduling.access import get_feed_owner_or_404, get_interview_or_404
from interviewer.scheduling.models import Interview, PanelMember

#: How far back the personal feed reaches; everything upcoming is in it.
FEED_HISTORY = timedelta(days=90)


@bp.route("/interviews/<int:interview_id>/invite.ics")
@login_required
def invite_ics(interview_id: int):
    """The interview's calendar file, for its panel and the team's managers."""
    interview = get_interview_or_404(interview_id, *calendar.LOAD_OPTIONS, need="view")
    body = calendar.invitation(
        interview,
        organizer_email=default_sender(current_app.config),
        link=url_for("scheduling.interview", interview_id=interview.id, _external=True),
        viewer=current_user,
    )
    return calendar.ics_response(body, calendar.filename(interview))


@bp.route("/calendar/<token>.ics")
def feed_ics(token: str):
    """A user's private feed of their interviews, for a calendar app to subscribe to."""
    user = get_feed_owner_or_404(token)
    interviews = db.session.scalars(
        in_team(Interview, user.team_id)
        .join(PanelMember, PanelMember.interview_id == Interview.id)
        .where(PanelMember.user_id == user.id, Interview.ends_at >= utcnow() - FEED_HISTORY)
        .options(*calendar.LOAD_OPTIONS)
        .order_by(Interview.starts_at)
    ).all()
    body = calendar.feed(
        interviews,
        name=f"Interviews: {user.name}",
        organizer_email=default_sender(current_app.config),
        viewer=user,
    )
    return calendar.ics_response(body, "interviews.ics", download=False)


@bp.route("/calendar")
@login_required
def calendar_feed():
    """Show the signed-in user's private feed URL, with the forms to renew or stop it."""
    url = None
    if current_user.calendar_token:
        url = url_for("scheduling.feed_ics", token=current_user.calendar_token, _external=True)
    return render_template("scheduling/calendar_feed.html", url=url, form=EmptyForm())


@bp.route("/calendar/feed", methods=["POST"])
@login_required
def renew_calendar_feed():
    """Make a new feed URL; the old one stops working at once."""
    if EmptyForm().validate_on_submit():
        had_one = current_user.calendar_token is not None
        current_user.calendar_token = secrets.token_urlsafe(32)
        db.session.commit()
        flash(
            "New calendar link made; the old one no longer works."
            if had_one
            else "Calendar link made: add it to your calendar app.",
            "success",
        )
    return redirect(url_for("scheduling.calendar_feed"))


@bp.route("/calendar/feed/off", methods=["POST"])
@login_required
def stop_calendar_feed():
    """Turn the feed off: its URL answers 404 from now on."""
    if EmptyForm().validate_on_submit():
        current_user.calendar_token = None
        db.session.commit()
        flash("Calendar link turned off.", "success")
    return redirect(url_for("scheduling.calendar_feed"))

"""Each user's availability and scheduling settings; managers can read anyone's; the
team's scheduling settings, for admins."""

from __future__ import annotations

from datetime import time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from interviewer.auth.access import get_user_or_404
from interviewer.auth.forms import EmptyForm
from interviewer.auth.models import User
from interviewer.auth.permissions import admin_required, manager_required
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.scheduling import availability as av
from interviewer.scheduling import bp, settings
from interviewer.scheduling.access import (
    get_availability_exception_or_404,
    get_availability_or_404,
)
from interviewer.scheduling.conflicts import panel_bookings
from interviewer.scheduling.forms import ExceptionForm, SettingsForm, WindowForm
from interviewer.scheduling.limits import weekly_count
from interviewer.scheduling.models import Availability, AvailabilityException
from interviewer.scheduling.routes import _add_error
from interviewer.scheduling.settings_forms import TeamSchedulingForm

#: The window "Add Monday to Friday" creates.
WORKDAY = (time(9, 0), time(17, 0))


def _today(user: User):
    return utcnow().astimezone(av.zone(user.timezone)).date()


def _page_data(user: User) -> dict:
    """Windows, upcoming exceptions and this week's interview count of ``user`` (4 queries)."""
    windows = db.session.scalars(
        select(Availability)
        .where(Availability.user_id == user.id)
        .order_by(Availability.weekday, Availability.start_time)
    ).all()
    exceptions = db.session.scalars(
        select(AvailabilityException)
        .where(
            AvailabilityException.user_id == user.id,
            AvailabilityException.on_date >= _today(user),
        )
        .order_by(AvailabilityException.on_date, AvailabilityException.start_time)
    ).all()
    now = utcnow()
    first = av.week_start(now, user.timezone)
    bookings = panel_bookings(db.session, [user.id], first, first + timedelta(days=15))[user.id]
    next_week = av.week_end(first, user.timezone)
    return {
        "person": user,
        "by_day": av.weekly_windows(windows),
        "exceptions": exceptions,
        "this_week": weekly_count(bookings, now, user.timezone),
        "next_week": weekly_count(bookings, next_week, user.timezone),
        "weekdays": av.WEEKDAYS,
        "kind_of": av.exception_kind,
        "kinds": av.EXCEPTION_KINDS,
        "zone_label": av.zone_label,
    }


def _render_mine(window_form=None, exception_form=None, status=200):
    return (
        render_template(
            "scheduling/availability.html",
            window_form=window_form or WindowForm(prefix="window", formdata=None),
            exception_form=exception_form or ExceptionForm(prefix="exception", formdata=None),
            delete_form=EmptyForm(),
            **_page_data(current_user),
        ),
        status,
    )


@bp.route("/me/availability")
@login_required
def my_availability():
    """The signed-in user's weekly windows and date exceptions, with forms to change them."""
    return _render_mine()


@bp.route("/me/availability/windows", methods=["POST"])
@login_required
def add_window():
    form = WindowForm(prefix="window")
    if form.validate_on_submit():
        try:
            av.add_window(
                db.session,
                current_user,
                form.weekday.data,
                form.start_time.data,
                form.end_time.data,
            )
        except av.AvailabilityError as error:
            db.session.rollback()
            _add_error(form, error)
        else:
            db.session.commit()
            flash(f"Added {av.WEEKDAYS[form.weekday.data]}s {_hours(form)}.", "success")
            return redirect(url_for("scheduling.my_availability"))
    return _render_mine(window_form=form)


def _hours(form) -> str:
    return f"{form.start_time.data:%H:%M}-{form.end_time.data:%H:%M}"


@bp.route("/me/availability/workweek", methods=["POST"])
@login_required
def add_workweek():
    """Add Monday to Friday 09:00-17:00, skipping days that already have a window."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    taken = set(
        db.session.scalars(
            select(Availability.weekday).where(Availability.user_id == current_user.id)
        )
    )
    for weekday in range(5):
        if weekday not in taken:
            av.add_window(db.session, current_user, weekday, *WORKDAY)
    db.session.commit()
    flash("Added Monday to Friday, 09:00-17:00.", "success")
    return redirect(url_for("scheduling.my_availability"))


@bp.route("/me/availability/windows/<int:window_id>/delete", methods=["POST"])
@login_required
def delete_window(window_id: int):
    window = get_availability_or_404(window_id)
    if not EmptyForm().validate_on_submit():
        abort(404)
    db.session.delete(window)
    db.session.commit()
    flash("Window removed.", "success")
    return redirect(url_for("scheduling.my_availability"))


@bp.route("/me/availability/exceptions", methods=["POST"])
@login_required
def add_exception():
    form = ExceptionForm(prefix="exception")
    if form.validate_on_submit():
        try:
            av.add_exception(
                db.session,
                current_user,
                form.on_date.data,
                form.kind.data,
                form.start_time.data,
                form.end_time.data,
                form.note.data or "",
                today=_today(current_user),
            )
        except av.AvailabilityError as error:
            db.session.rollback()
            _add_error(form, error)
        else:
            db.session.commit()
            flash(f"Exception on {form.on_date.data:%a %d %b} added.", "success")
            return redirect(url_for("scheduling.my_availability"))
    return _render_mine(exception_form=form)


@bp.route("/me/availability/exceptions/<int:exception_id>/delete", methods=["POST"])
@login_required
def delete_exception(exception_id: int):
    exception = get_availability_exception_or_404(exception_id)
    if not EmptyForm().validate_on_submit():
        abort(404)
    db.session.delete(exception)
    db.session.commit()
    flash("Exception removed.", "success")
    return redirect(url_for("scheduling.my_availability"))


@bp.route("/me/settings", methods=["GET", "POST"])
@login_required
def my_settings():
    """The signed-in user's time zone, interview limits and own meeting link."""
    form = SettingsForm()
    if request.method == "GET":
        form.timezone.data = current_user.timezone
        form.weekly_limit.data = current_user.weekly_interview_limit
        form.daily_limit.data = current_user.daily_interview_limit
        form.video_link.data = current_user.video_link
    if form.validate_on_submit():
        try:
            av.update_settings(db.session, current_user, form.timezone.data, form.weekly_limit.data)
            settings.update_personal(
                db.session,
                current_user,
                daily_limit=form.daily_limit.data,
                video_link=form.video_link.data or "",
            )
        except (av.AvailabilityError, settings.SettingsError) as error:
            db.session.rollback()
            _add_error(form, error)
        else:
            db.session.commit()
            flash("Settings saved.", "success")
            return redirect(url_for("scheduling.my_settings"))
    return render_template("scheduling/settings.html", form=form)


@bp.route("/team/scheduling", methods=["GET", "POST"])
@admin_required
def team_scheduling():
    """The team's scheduling settings: breaks, training paths, video rooms, portal offers."""
    team = current_user.team
    if request.method == "POST":
        form = TeamSchedulingForm()
    else:
        form = TeamSchedulingForm(
            formdata=None, data={name: getattr(team, name) for name in TeamSchedulingForm.SETTINGS}
        )
    if form.validate_on_submit():
        try:
            changed = settings.update_team_scheduling(
                db.session, team, current_user._get_current_object(), **form.values()
            )
        except settings.SettingsError as error:
            db.session.rollback()
            _add_error(form, error)
        else:
            db.session.commit()
            flash(
                "Scheduling settings saved." if changed else "Nothing to save: no setting changed.",
                "success",
            )
            return redirect(url_for("scheduling.team_scheduling"))
    return render_template("scheduling/team_settings.html", form=form, team=team)


@bp.route("/users/<int:user_id>/availability")
@manager_required
def user_availability(user_id: int):
    """A team member's availability, read-only, for managers planning a panel."""
    person = get_user_or_404(user_id)
    return render_template("scheduling/user_availability.html", **_page_data(person))

"""The candidate portal at ``/portal/<token>``, and the manager's action that renews its link.

Every portal page answers the same friendly 404 for a link that is tampered with, revoked
or expired, and none of them ever reads scorecards, notes or exit reasons.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy.orm import selectinload

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required, public
from interviewer.branding.brand import brand_for
from interviewer.candidates.access import get_application_or_404
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.candidates.portal_links import portal_url
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.mail.settings import default_sender
from interviewer.portal import bp, cache, services
from interviewer.portal.access import (
    InvalidLink,
    get_application_or_invalid,
    get_interview_or_invalid,
)
from interviewer.portal.forms import BookTimeForm, TimezoneForm, WindowsForm, zone_choices
from interviewer.scheduling import calendar, emails, offers
from interviewer.scheduling import services as scheduling
from interviewer.scheduling.availability import AvailabilityError, local_to_utc, zone, zone_label

bp.add_app_template_global(portal_url, "portal_url")


@bp.errorhandler(InvalidLink)
def invalid_link(_error):
    response = make_response(render_template("portal/invalid.html"), 404)
    return cache.private(response)


def _timezone_form(application: Application, tz: str) -> TimezoneForm:
    form = TimezoneForm()
    form.timezone.choices = zone_choices([tz, application.candidate.timezone])
    return form


def _can_propose(application: Application, line: services.Timeline) -> bool:
    return (
        application.status == ApplicationStatus.ACTIVE
        and line.next_step is not None
        and line.next_step.interview is None
    )


def _render(
    application: Application,
    token: str,
    *,
    tz_form: TimezoneForm | None = None,
    windows_form: WindowsForm | None = None,
    offer_message: str | None = None,
    status: int = 200,
    times: list[datetime] | None = None,
):
    """The page of ``application``; with ``times``, adds to it the times the page depends
    on (``portal.cache``), or ``None`` when it offers times to book."""
    now = utcnow()
    tz = services.candidate_timezone(application)
    interviews = services.scheduled_interviews(db.session, application)
    line = services.timeline(application, interviews)
    tz_form = tz_form or _timezone_form(application, tz)
    if tz_form.timezone.data is None:
        tz_form.timezone.data = tz
    proposed, can_propose = [], _can_propose(application, line)
    if can_propose:
        proposed = scheduling.upcoming_windows(db.session, application.id, now)
        windows_form = windows_form or _prefilled(proposed, tz)
    offer = services.offer_view(db.session, application, now, tz)
    if times is not None:
        times.extend(_times_shown(interviews, proposed, offer))
    html = render_template(
        "portal/show.html",
        application=application,
        brand=brand_for(application.team),
        token=token,
        tz=tz,
        zone=zone(tz),
        line=line,
        message=services.status_message(application, line),
        under_review=services.under_review(application, line),
        tz_form=tz_form,
        windows_form=windows_form if can_propose else None,
        proposed=proposed,
        offer=offer,
        offer_message=offer_message,
        book_form=BookTimeForm(formdata=None),
        item_end=offers.item_end,
        span=scheduling.span,
        tz_label=zone_label(tz),
        first_names=lambda interview: [calendar.first_name(u.name) for u in interview.interviewers],
    )
    return cache.private(make_response(html, status))


def _times_shown(interviews, windows, offer: services.OfferView) -> list:
    """The moments at which the page would read otherwise; ``[None]`` while it offers times,
    which other applications' bookings change."""
    if offer.state == "open":
        return [None]
    return [moment for row in (*interviews, *windows) for moment in (row.starts_at, row.ends_at)]


def _prefilled(windows, tz: str) -> WindowsForm:
    form = WindowsForm(formdata=None)
    for entry, window in zip(form.windows, windows, strict=False):
        start, end = window.starts_at.astimezone(zone(tz)), window.ends_at.astimezone(zone(tz))
        entry.form.day.data, entry.form.start.data = start.date(), start.time()
        entry.form.end.data = end.time()
    return form


@bp.route("/portal/<token>")
@public
def show(token: str):
    """The candidate's page: where they stand, every step, the next interview (kept
    rendered while nothing it shows changes: ``portal.cache``)."""
    return cache.serve(token, lambda: _kept_render(token))


def _kept_render(token: str):
    times: list = []
    response = _render(get_application_or_invalid(token), token, times=times)
    return response, None if None in times else times


@bp.route("/portal/<token>/timezone", methods=["POST"])
@public
def choose_timezone(token: str):
    """Remember the zone the candidate reads times in."""
    application = get_application_or_invalid(token)
    tz = services.candidate_timezone(application)
    form = _timezone_form(application, tz)
    if not form.validate_on_submit():
        return _render(application, token, tz_form=form, status=400)
    services.set_timezone(db.session, application, form.timezone.data)
    db.session.commit()
    flash("Times are now shown in your chosen time zone.", "success")
    return redirect(url_for("portal.show", token=token))


def _windows(form: WindowsForm, tz: str) -> list[tuple[datetime, datetime]]:
    """The filled rows as UTC intervals; ``AvailabilityError`` names a time that doesn't exist."""
    return [
        (
            local_to_utc(row.day.data, row.start.data, tz),
            local_to_utc(row.day.data, row.end.data, tz),
        )
        for row in form.filled_rows()
    ]


@bp.route("/portal/<token>/windows", methods=["POST"])
@public
def propose_windows(token: str):
    """Save the windows in which the candidate can take the next interview."""
    application = get_application_or_invalid(token)
    tz = services.candidate_timezone(application)
    form = WindowsForm()
    if form.validate_on_submit():
        try:
            scheduling.propose_windows(db.session, application, _windows(form, tz))
        except (scheduling.SchedulingError, AvailabilityError) as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash("Thank you: we will use your times to schedule the next step.", "success")
            return redirect(url_for("portal.show", token=token) + "#availability")
    return _render(application, token, windows_form=form, status=400)


@bp.route("/portal/<token>/book", methods=["POST"])
@public
def book_time(token: str):
    """Book the offered time the candidate picked, with every check of a manager's booking;
    a time taken meanwhile leaves the page with a kind word and the times still open."""
    application = get_application_or_invalid(token)
    form, now = BookTimeForm(), utcnow()
    if not form.validate_on_submit():
        return _render(application, token, status=400)
    offer = offers.open_offer(db.session, application, now)
    if offer is None:
        flash("These times are no longer held; the team will send new ones.", "warning")
        return redirect(url_for("portal.show", token=token))
    tz, key = services.candidate_timezone(application), form.choice.data
    try:
        booked = offers.book_choice(db.session, application, offer, key, now=now, tz=tz)
        for interview in booked:
            emails.queue_booking_email(db.session, interview, emails.EmailKind.SCHEDULED)
        db.session.commit()
    except scheduling.SchedulingError:
        db.session.rollback()
        return _taken(token, key, now)
    when = "; ".join(scheduling.span(i.starts_at, i.ends_at, tz) for i in booked)
    flash(f"Booked: {when}. We have emailed you the details.", "success")
    return redirect(url_for("portal.show", token=token))


def _taken(token: str, key: str, now: datetime):
    """The page again without the time just refused, and the kind word why."""
    application = get_application_or_invalid(token)
    offer = offers.open_offer(db.session, application, now)
    if offer is not None:
        offers.drop_option(db.session, offer, key, now)
        db.session.commit()
    return _render(application, token, offer_message=offers.TAKEN, status=409)


@bp.route("/portal/<token>/interviews/<int:interview_id>.ics")
@public
def interview_ics(token: str, interview_id: int):
    """The calendar file of one of the candidate's own interviews."""
    application = get_application_or_invalid(token)
    interview = get_interview_or_invalid(application, interview_id, *calendar.LOAD_OPTIONS)
    body = calendar.invitation(
        interview,
        audience=calendar.Audience.CANDIDATE,
        organizer_email=default_sender(current_app.config),
        link=url_for("portal.show", token=token, _external=True),
    )
    return cache.private(calendar.ics_response(body, calendar.filename(interview)))


def _renew_question(application: Application) -> dict:
    """What the page that asks before giving ``application`` a new link says."""
    name, page = (
        application.candidate.name,
        url_for("dashboard.candidate", candidate_id=application.candidate_id),
    )
    return {
        "title": "New candidate link",
        "question": f"Give {name} a new private link for {application.job.title}?",
        "consequences": [
            f"The link {name} holds now stops working at once: {portal_url(application, True)}",
            "Nobody is emailed: send the new link to the candidate yourself.",
            "Do this when the old link reached someone it should not have.",
        ],
        "button": "Make a new link and stop the old one",
        "action": url_for("portal.renew_link", application_id=application.id),
        "cancel": page,
        "crumbs": [("Candidates", url_for("dashboard.candidates")), (name, page)],
    }


@bp.route("/applications/<int:application_id>/portal-link", methods=["GET", "POST"])
@manager_required
def renew_link(application_id: int):
    """Asks first (GET); then gives the candidate a new private link, and the old one stops
    working at once (POST)."""
    application = get_application_or_404(application_id, selectinload(Application.candidate))
    if request.method == "GET":
        return render_template(
            "confirm.html", confirm=_renew_question(application), form=EmptyForm(formdata=None)
        )
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.regenerate_link(db.session, application, current_user)
    db.session.commit()
    flash(
        f"New link for {application.candidate.name} (the old one no longer works): "
        f"{portal_url(application, external=True)}",
        "success",
    )
    return redirect(url_for("dashboard.candidate", candidate_id=application.candidate_id))

"""Calendar files (RFC 5545) for interviews: invitations, cancellations and personal feeds.

An interview keeps one ``UID`` for its whole life and its ``SEQUENCE`` goes up on every
change, so a calendar that already holds the event updates it (or removes it, for
``METHOD:CANCEL``) instead of adding a second one. Times are written in the interview's zone
with its ``VTIMEZONE`` (UTC needs none), so Google, Outlook and Apple show them right.

Two audiences get the same event: the panel (every attendee, the candidate's name in the
summary) and the candidate (only themselves as attendee: interviewers' addresses stay
inside the team). A panel member's copy names its reader (``viewer``): one who reviews the
candidate blind (``candidates.blind``) reads a pseudonym, and the candidate's address is left
out of their attendees.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from flask import Response
from icalendar import Calendar, Event, Timezone, vCalAddress, vText
from sqlalchemy.orm import selectinload

from interviewer.auth.models import User
from interviewer.candidates import blind
from interviewer.candidates.models import Application
from interviewer.db import utcnow
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.timezones import zone

PRODID = "-//interviewer//Interview invitations//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"

#: What a calendar file reads, loaded up front so that a feed takes a fixed number of queries.
LOAD_OPTIONS = (
    selectinload(Interview.application).selectinload(Application.candidate),
    selectinload(Interview.application).options(*blind.STAGE_LOAD),
    selectinload(Interview.application)
    .selectinload(Application.job)
    .selectinload(Job.hiring_manager),
    selectinload(Interview.plan_stage).selectinload(PlanStage.stage_type),
    selectinload(Interview.plan_stage).selectinload(PlanStage.kit_versions),
    selectinload(Interview.kit_version),
    selectinload(Interview.panel).selectinload(PanelMember.user),
    selectinload(Interview.team),
)


class Method(enum.StrEnum):
    """The iTIP method of a calendar file sent to people (RFC 5546)."""

    REQUEST = "REQUEST"
    CANCEL = "CANCEL"
    #: A feed to subscribe to: no reply expected.
    PUBLISH = "PUBLISH"


class Audience(enum.StrEnum):
    PANEL = "panel"
    CANDIDATE = "candidate"


def method_for(interview: Interview) -> Method:
    """``CANCEL`` for a cancelled interview, ``REQUEST`` otherwise."""
    if interview.status == InterviewStatus.CANCELLED:
        return Method.CANCEL
    return Method.REQUEST


def _panel_label(interview: Interview, viewer: User | None) -> str:
    """The candidate as the panel member ``viewer`` may see them (a panel copy needs one)."""
    if viewer is None:
        raise ValueError("a panel member's calendar file names its reader (viewer=)")
    return blind.candidate_label_for(viewer, interview.application)


def summary(
    interview: Interview, audience: Audience = Audience.PANEL, viewer: User | None = None
) -> str:
    """``Live coding interview: Senior Backend Developer`` (plus the candidate, for the panel)."""
    kind = interview.plan_stage.stage_type.name
    text = f"{kind} interview: {interview.application.job.title}"
    if audience == Audience.PANEL:
        text += f" ({_panel_label(interview, viewer)})"
    return text


def what_to_expect(interview: Interview) -> str:
    """The candidate-facing text of the kit this interview uses (or the stage's latest)."""
    kit = interview.kit_version or interview.plan_stage.current_kit
    return kit.what_to_expect.strip() if kit else ""


def first_name(name: str) -> str:
    return name.split()[0] if name.strip() else name


def description(
    interview: Interview,
    audience: Audience = Audience.PANEL,
    link: str | None = None,
    viewer: User | None = None,
) -> str:
    """The event's text: the stage, what to expect, where to join; never anything internal."""
    stage = interview.plan_stage
    lines = [f"{stage.name} ({stage.duration_minutes} minutes), {interview.application.job.title}"]
    if audience == Audience.CANDIDATE:
        lines.append("With " + ", ".join(first_name(user.name) for user in interview.interviewers))
    else:
        lines.append(f"Candidate: {_panel_label(interview, viewer)}")
        lines.append("Panel: " + ", ".join(user.name for user in interview.interviewers))
    expect = what_to_expect(interview)
    if expect:
        lines += ["", "What to expect:", expect]
    if interview.video_url:
        lines += ["", f"Join: {interview.video_url}"]
    if link:
        lines += ["", link]
    return "\n".join(lines)


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key] = vText(value)
    return address


def organizer(interview: Interview, fallback_email: str) -> tuple[str, str]:
    """(name, email) of whoever organises the interview: the job's hiring manager if set."""
    manager = interview.application.job.hiring_manager
    if manager is not None:
        return manager.name, manager.email
    return interview.team.public_name, fallback_email


def _local(moment: datetime, tz: str) -> datetime:
    """``moment`` in the interview's zone, or in UTC (written with ``Z``) for UTC itself."""
    if zone(tz).key == "UTC":
        return moment.astimezone(UTC)
    return moment.astimezone(zone(tz))


def event(
    interview: Interview,
    *,
    audience: Audience = Audience.PANEL,
    organizer_email: str,
    now: datetime | None = None,
    link: str | None = None,
    removed: User | None = None,
    held: tuple[datetime, datetime] | None = None,
    viewer: User | None = None,
) -> Event:
    """The ``VEVENT`` of ``interview`` as ``audience`` receives it; a panel copy as ``viewer``
    (the panel member who reads it) may see the candidate.

    With ``removed`` (a panel member taken off the panel) it is that person's copy,
    cancelled, with only them as attendee, at the ``held`` (start, end) their calendar holds.
    """
    viewer = removed or viewer
    now = now or utcnow()
    # Times held before a move are written in UTC: the interview's zone may have changed.
    tz = "UTC" if held else interview.timezone
    starts_at, ends_at = held or (interview.starts_at, interview.ends_at)
    item = Event()
    item.add("uid", interview.uid)
    item.add("sequence", interview.sequence)
    item.add("dtstamp", now.astimezone(UTC))
    item.add("dtstart", _local(starts_at, tz))
    item.add("dtend", _local(ends_at, tz))
    item.add("summary", summary(interview, audience, viewer))
    item.add("description", description(interview, audience, link, viewer))
    where = interview.location or interview.video_url
    if where:
        item.add("location", where)
    if interview.video_url:
        item.add("url", interview.video_url)
    elif link:
        item.add("url", link)
    name, email = organizer(interview, organizer_email)
    item.add("organizer", _address(email, name))
    attendee = {"ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION", "RSVP": "TRUE"}
    if removed is not None:
        item.add("attendee", _address(removed.email, removed.name, CUTYPE="INDIVIDUAL"))
    else:
        if audience == Audience.PANEL:
            for user in interview.interviewers:
                item.add(
                    "attendee", _address(user.email, user.name, CUTYPE="INDIVIDUAL", **attendee)
                )
        candidate = interview.application.candidate
        if audience == Audience.CANDIDATE or not blind.is_blind_for(viewer, interview.application):
            item.add(
                "attendee",
                _address(candidate.email, candidate.name, CUTYPE="INDIVIDUAL", **attendee),
            )
    cancelled = removed is not None or interview.status == InterviewStatus.CANCELLED
    item.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    item.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return item


def _calendar(method: Method, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method.value)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _add_timezones(calendar: Calendar, interviews: Iterable[Interview]) -> None:
    """One ``VTIMEZONE`` per zone used (none for UTC), before the events as RFC 5545 asks.

    Each covers the years of its interviews (and the next), which keeps the file small.
    """
    years: dict[str, list[int]] = {}
    for interview in interviews:
        key = zone(interview.timezone).key
        if key != "UTC":
            years.setdefault(key, []).extend((interview.starts_at.year, interview.ends_at.year))
    for key, span_years in years.items():
        calendar.add_component(
            Timezone.from_tzid(
                key,
                first_date=date(min(span_years), 1, 1),
                last_date=date(max(span_years) + 1, 12, 31),
            )
        )


def invitation(
    interview: Interview,
    *,
    audience: Audience = Audience.PANEL,
    organizer_email: str,
    now: datetime | None = None,
    link: str | None = None,
    viewer: User | None = None,
) -> bytes:
    """The ``.ics`` of one interview: ``METHOD:REQUEST``, or ``CANCEL`` once it is cancelled.

    The panel's copy is ``viewer``'s: the panel member (or manager) who gets it."""
    calendar = _calendar(method_for(interview))
    _add_timezones(calendar, [interview])
    calendar.add_component(
        event(
            interview,
            audience=audience,
            organizer_email=organizer_email,
            now=now,
            link=link,
            viewer=viewer,
        )
    )
    return calendar.to_ical()


def removal(
    interview: Interview,
    user: User,
    *,
    organizer_email: str,
    now: datetime | None = None,
    held: tuple[datetime, datetime] | None = None,
) -> bytes:
    """The ``METHOD:CANCEL`` file for ``user``, taken off the panel of ``interview``.

    Same ``UID``, the interview's new ``SEQUENCE``: their calendar drops the event it holds
    while the rest of the panel get the update. ``held`` is the (start, end) they were
    invited to, when the interview moved as well.
    """
    calendar = _calendar(Method.CANCEL)
    if held is None:
        _add_timezones(calendar, [interview])
    calendar.add_component(
        event(interview, organizer_email=organizer_email, now=now, removed=user, held=held)
    )
    return calendar.to_ical()


def feed(
    interviews: Iterable[Interview],
    *,
    name: str,
    organizer_email: str,
    viewer: User,
    now: datetime | None = None,
) -> bytes:
    """One subscribable calendar (``METHOD:PUBLISH``) holding ``interviews`` as the panel
    member ``viewer``, whose feed it is, sees them.

    Cancelled interviews stay in it with ``STATUS:CANCELLED`` so subscribers drop them.
    """
    interviews = list(interviews)
    calendar = _calendar(Method.PUBLISH, name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    _add_timezones(calendar, interviews)
    for interview in interviews:
        calendar.add_component(
            event(interview, organizer_email=organizer_email, now=now, viewer=viewer)
        )
    return calendar.to_ical()


def filename(interview: Interview) -> str:
    """A download name such as ``interview-42.ics``."""
    return f"interview-{interview.id}.ics"


def ics_response(body: bytes, filename: str, *, download: bool = True) -> Response:
    """A calendar file as an HTTP answer that no shared cache keeps."""
    response = Response(body)
    response.headers["Content-Type"] = CONTENT_TYPE
    disposition = "attachment" if download else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response

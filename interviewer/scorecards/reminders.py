"""Scorecard reminders: an email to each panel member whose scorecard is not submitted yet.

The first reminder goes an hour after the interview ends, then one on each business day
(Monday to Friday in the interviewer's own time zone, from 09:00 there) until the tenth
business day after the interview. Only scorecards still owed (``queries``) are reminded:
nothing is sent for interviews that are cancelled, not over yet, or scored, nor to people
who can no longer sign in. Each reminder is recorded as a ``ScorecardReminder`` for the
interviewer's local date, and the unique key on that row is what keeps it to one a day,
however often (or however concurrently) the command runs.

A run reads the interviews of the last :data:`LOOKBACK` in batches of :data:`BATCH`, in
order of their end (keyset: each batch starts after the last one's final interview, by the
index on ``ends_at``), and queues each batch's reminders before it reads the next: however
many interviewers owe scorecards, a run holds one batch at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, or_, select
from sqlalchemy.orm import Session, selectinload

from interviewer.auth.models import User
from interviewer.candidates import blind
from interviewer.candidates.models import Application
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.models import Interview, InterviewStatus
from interviewer.scheduling.services import span
from interviewer.scorecards import queries
from interviewer.scorecards.models import ScorecardReminder, ScorecardState
from interviewer.timezones import zone

#: The first reminder waits this long after the interview ends.
FIRST_DELAY = timedelta(hours=1)
#: Reminders stop after this many business days after the interview.
BUSINESS_DAYS = 10
#: The daily reminders go out from this time of the interviewer's day.
DAILY_FROM = time(9, 0)
#: Ten business days span at most fourteen calendar days; two more cover time zones.
LOOKBACK = timedelta(days=16)
#: Interviews read (and reminders queued) at a time.
BATCH = 500


@dataclass(frozen=True)
class DueReminder:
    """A reminder to send now: whose, about which interview, for which of their days."""

    interview: Interview
    user: User
    draft: bool
    local_date: date
    #: The tenth business day after the interview: no reminder follows this one.
    last: bool


def business_days_between(start: date, end: date) -> int:
    """How many Mondays to Fridays fall after ``start``, up to and including ``end``."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def reminder_day(ends_at: datetime, now: datetime, timezone: str | None) -> date | None:
    """The interviewer's date a reminder sent at ``now`` counts for, or ``None`` when none is
    due at ``now`` about an interview that ended at ``ends_at``.

    Due an hour after the end, then from 09:00 on each business day in ``timezone`` until
    the tenth business day after the interview's date there.
    """
    first_at = ends_at + FIRST_DELAY
    if now < first_at:
        return None
    local_zone = zone(timezone)
    local_now = now.astimezone(local_zone)
    today = local_now.date()
    if today.weekday() >= 5:
        return None
    if business_days_between(ends_at.astimezone(local_zone).date(), today) > BUSINESS_DAYS:
        return None
    if today != first_at.astimezone(local_zone).date() and local_now.time() < DAILY_FROM:
        return None
    return today


def is_last_day(ends_at: datetime, day: date, timezone: str | None) -> bool:
    """Whether ``day`` is the tenth business day after the interview, in ``timezone``."""
    ended_on = ends_at.astimezone(zone(timezone)).date()
    return business_days_between(ended_on, day) >= BUSINESS_DAYS


#: What a reminder says of each interview, loaded with the scorecards owed.
REMINDER_LOAD = (
    selectinload(Interview.application).selectinload(Application.candidate),
    selectinload(Interview.application).options(*blind.STAGE_LOAD),
    selectinload(Interview.application).selectinload(Application.job),
    selectinload(Interview.plan_stage),
    selectinload(Interview.team),
)


def interview_batches(session: Session, now: datetime, size: int = BATCH) -> Iterator[list[int]]:
    """The ids of the interviews (every team, not cancelled) that may be due a reminder at
    ``now``, ``size`` at a time in order of their end: one indexed query per batch."""
    query = (
        select(Interview.id, Interview.ends_at)
        .where(
            Interview.status != InterviewStatus.CANCELLED,
            Interview.ends_at <= now - FIRST_DELAY,
            Interview.ends_at > now - LOOKBACK,
        )
        .order_by(Interview.ends_at, Interview.id)
        .limit(size)
    )
    after = query
    while True:
        rows = session.execute(after).all()
        if rows:
            yield [row.id for row in rows]
        if len(rows) < size:
            return
        last = rows[-1]
        # Written so that the range on ``ends_at`` stays an index range.
        after = query.where(
            Interview.ends_at >= last.ends_at,
            or_(Interview.ends_at > last.ends_at, Interview.id > last.id),
        )


def due_in(session: Session, interview_ids: Sequence[int], now: datetime) -> list[DueReminder]:
    """The reminders to send at ``now`` about these interviews, none already sent for that
    day: a fixed number of queries."""
    waiting = session.execute(
        queries.owed(team_id=None)
        .where(Interview.id.in_(interview_ids))
        .options(*REMINDER_LOAD)
        .order_by(Interview.ends_at, Interview.id, User.name, User.id)
    ).all()
    if not waiting:
        return []
    sent = set(
        session.execute(
            select(
                ScorecardReminder.interview_id,
                ScorecardReminder.user_id,
                ScorecardReminder.local_date,
            ).where(ScorecardReminder.interview_id.in_(list(interview_ids)))
        ).all()
    )
    due = []
    for interview, user, state in waiting:
        day = reminder_day(interview.ends_at, now, user.timezone)
        if day is None or (interview.id, user.id, day) in sent:
            continue
        last = is_last_day(interview.ends_at, day, user.timezone)
        due.append(DueReminder(interview, user, state == ScorecardState.DRAFT, day, last))
    return due


def due_reminders(session: Session, now: datetime) -> list[DueReminder]:
    """Every reminder to send at ``now`` (every team), none already sent for that day.

    All in memory at once: sending goes batch by batch (:func:`send_due_reminders`).
    """
    return [
        reminder
        for batch in interview_batches(session, now)
        for reminder in due_in(session, batch, now)
    ]


def reminder_email(reminder: DueReminder, link: str) -> tuple[str, str]:
    """The subject and text of a reminder, with times in the interviewer's zone."""
    interview, user = reminder.interview, reminder.user
    application, stage = interview.application, interview.plan_stage
    candidate = blind.candidate_label_for(user, application)
    phrase = stage.name if stage.name.lower().endswith("interview") else f"{stage.name} interview"
    first_name = user.name.split()[0] if user.name.strip() else user.name
    lines = [
        f"Hello {first_name},",
        "",
        f"Your scorecard for the {phrase} with {candidate} ({application.job.title}) "
        "is not submitted yet.",
        "",
        f"  Interview: {span(interview.starts_at, interview.ends_at, user.timezone)}",
    ]
    if reminder.draft:
        lines.append("  Your draft is saved: it counts once you submit it.")
    lines += [
        "",
        f"Write and submit it: {link}",
        "",
        "Evidence written soon after the interview is the most accurate. You will see your "
        "colleagues' scorecards once yours is in.",
    ]
    if reminder.last:
        lines += ["", "This is the last reminder about this interview."]
    lines += ["", f"{interview.team.name} hiring team"]
    return f"Scorecard reminder: {stage.name} with {candidate}", "\n".join(lines)


def queue_reminders(
    session: Session,
    reminders: list[DueReminder],
    *,
    link_for: Callable[[Interview], str],
    now: datetime,
) -> int:
    """Put each reminder in the outbox and record it for its day, in two statements whatever
    their number; returns how many. Never commits.

    ``link_for`` gives the absolute address of an interview's scorecard page. A reminder
    recorded meanwhile by another run makes the first statement fail on the unique key.
    """
    if not reminders:
        return 0
    days, emails = [], []
    for reminder in reminders:
        interview, user = reminder.interview, reminder.user
        subject, body = reminder_email(reminder, link_for(interview))
        days.append(
            {
                "team_id": interview.team_id,
                "interview_id": interview.id,
                "user_id": user.id,
                "local_date": reminder.local_date,
                "created_at": now,
            }
        )
        emails.append(
            {
                "team_id": interview.team_id,
                "interview_id": interview.id,
                "to_email": user.email,
                "to_name": user.name,
                "subject": subject[:255],
                "body": body,
                "created_at": now,
                "next_attempt_at": now,
            }
        )
    # Rows only, no objects: the ORM would insert them one by one on SQLite.
    session.execute(insert(ScorecardReminder), days)
    session.execute(insert(OutboxEmail), emails)
    return len(reminders)


def send_due_reminders(
    session: Session,
    now: datetime,
    *,
    link_for: Callable[[Interview], str],
    batch_size: int = BATCH,
) -> int:
    """Queue every reminder due at ``now``, batch by batch; returns how many. Flushes each
    batch, never commits: running it again at once queues nothing."""
    queued = 0
    for batch in interview_batches(session, now, batch_size):
        queued += queue_reminders(session, due_in(session, batch, now), link_for=link_for, now=now)
    return queued

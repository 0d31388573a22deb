"""What the portal shows from an application, and opening one from its link's token.

The token itself (signed, revocable, expiring) is made in ``candidates.portal_links``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates.models import Application, ApplicationStatus
from interviewer.candidates.portal_links import (
    link_expires_at,
    make_token,
    read_token,
)
from interviewer.db import utcnow
from interviewer.plans.models import Job, PlanStage
from interviewer.scheduling import offers
from interviewer.scheduling.models import Interview, InterviewStatus, PanelMember
from interviewer.scheduling.offer_models import OfferStatus


def application_for_token(
    session: Session, token: str, now: datetime | None = None
) -> Application | None:
    """The application a valid, current, unexpired token opens; ``None`` otherwise, and for
    an erased candidate."""
    payload = read_token(token)
    if payload is None:
        return None
    application_id, generation = payload
    application = session.scalar(
        select(Application)
        .where(Application.id == application_id)
        # One row each of candidate, team, stage and job: joined. The job's stages come
        # with their types in one statement, their kits in another.
        .options(
            joinedload(Application.candidate),
            joinedload(Application.team),
            joinedload(Application.current_stage),
            joinedload(Application.job).selectinload(Job.stages).joinedload(PlanStage.stage_type),
            joinedload(Application.job)
            .selectinload(Job.stages)
            .selectinload(PlanStage.kit_versions),
        )
    )
    if application is None or application.portal_generation != generation:
        return None
    if application.candidate.is_erased:
        # Whatever link is made later: an erased candidate's portal shows nothing.
        return None
    expires = link_expires_at(application)
    if expires is not None and (now or utcnow()) >= expires:
        return None
    return application


def regenerate_link(session: Session, application: Application, actor: User | None) -> str:
    """Revoke every earlier link of ``application``; returns the new token."""
    application.portal_generation += 1
    session.flush()
    audit.record(
        session,
        team_id=application.team_id,
        actor=actor,
        action="application.portal_link_renewed",
        subject=application,
        generation=application.portal_generation,
    )
    return make_token(application)


def set_timezone(session: Session, application: Application, tz: str) -> None:
    """Remember the zone the candidate reads times in."""
    application.portal_timezone = tz
    session.flush()


def candidate_timezone(application: Application) -> str:
    """The zone picked on the portal, else the candidate's, else the team's."""
    return (
        application.portal_timezone
        or application.candidate.timezone
        or application.team.timezone
        or "UTC"
    )


def scheduled_interviews(session: Session, application: Application) -> list[Interview]:
    """The application's interviews that are not cancelled, in time order, with their panel."""
    return list(
        session.scalars(
            select(Interview)
            .where(
                Interview.application_id == application.id,
                Interview.status == InterviewStatus.SCHEDULED,
            )
            .options(
                joinedload(Interview.kit_version),
                selectinload(Interview.panel).joinedload(PanelMember.user),
            )
            .order_by(Interview.starts_at)
        )
    )


class StepState:
    DONE = "done"
    #: Moved past without an interview of it (or closed by an offer before it was held).
    SKIPPED = "skipped"
    NEXT = "next"
    REMAINING = "remaining"


@dataclass
class Step:
    """One stage of the plan as the candidate sees it."""

    stage: PlanStage
    state: str
    what_to_expect: str
    #: The stage's upcoming interview, if booked.
    interview: Interview | None = None

    @property
    def type_name(self) -> str:
        return self.stage.stage_type.name

    @property
    def interviewer_names(self) -> list[str]:
        """First names only: the candidate may know who they will meet, nothing more."""
        if self.interview is None:
            return []
        return [user.name.split()[0] for user in self.interview.interviewers if user.name.strip()]


@dataclass
class Timeline:
    steps: list[Step] = field(default_factory=list)
    next_step: Step | None = None
    next_interview: Interview | None = None
    live_coding: int = 0
    whiteboard: int = 0
    has_final: bool = False
    #: Steps still to do before the final round (``None`` without a final round).
    steps_to_final: int | None = None
    #: Steps not done yet, the final round included.
    steps_left: int = 0


def timeline(
    application: Application, interviews: list[Interview], now: datetime | None = None
) -> Timeline:
    """The plan as done / next / remaining steps, with the counts the posting promises.

    A stage with an interview to come is never done. Otherwise it is done when one of its
    interviews is over; it is skipped when, without such an interview, it comes before the
    application's current stage (moved past it) or an offer has been made. Skipped steps
    count as behind the candidate, not left. The next step is the earliest stage with an
    interview to come, else the first stage still open from the current one on (none once
    the application is closed or on hold).
    """
    now = now or utcnow()
    stages = sorted(application.job.stages, key=lambda stage: stage.position)
    current = application.current_stage.position if application.current_stage else None
    finished = application.status in (ApplicationStatus.OFFER, ApplicationStatus.HIRED)
    by_stage: dict[int, list[Interview]] = {}
    for interview in interviews:
        by_stage.setdefault(interview.plan_stage_id, []).append(interview)

    result = Timeline()
    for stage in stages:
        own = by_stage.get(stage.id, [])
        upcoming = next((i for i in own if i.ends_at > now), None)
        state = StepState.REMAINING
        if upcoming is None and any(i.ends_at <= now for i in own):
            state = StepState.DONE
        elif finished or (upcoming is None and current is not None and stage.position < current):
            state = StepState.SKIPPED
        used = next((i.kit_version for i in own if i.kit_version is not None), None)
        kit = used or stage.current_kit
        step = Step(
            stage=stage,
            state=state,
            what_to_expect=kit.what_to_expect.strip() if kit else "",
            interview=upcoming,
        )
        result.steps.append(step)
        key = stage.stage_type.key
        result.live_coding += key == "live_coding"
        result.whiteboard += key == "whiteboard"
        result.has_final = result.has_final or key == "final"

    open_steps = [step for step in result.steps if step.state == StepState.REMAINING]
    result.steps_left = len(open_steps)
    if result.has_final:
        finals = [index for index, step in enumerate(open_steps) if _final(step)]
        result.steps_to_final = finals[0] if finals else 0
    if application.status == ApplicationStatus.ACTIVE and open_steps:
        booked = [step for step in open_steps if step.interview is not None]
        from_current = [
            step for step in open_steps if current is None or step.stage.position >= current
        ]
        upcoming_step = (booked or from_current)[0]
        upcoming_step.state = StepState.NEXT
        result.next_step = upcoming_step
    if not application.status.is_closed:
        result.next_interview = next((i for i in interviews if i.ends_at > now), None)
    return result


def _final(step: Step) -> bool:
    return step.stage.stage_type.key == "final"


#: What the candidate reads about where they stand, by status (no internal reason, ever).
STATUS_MESSAGES = {
    ApplicationStatus.ON_HOLD: (
        "Your application is paused for the moment. Nothing is needed from you; "
        "we will get in touch before anything changes."
    ),
    ApplicationStatus.REJECTED: (
        "Thank you for your interest and for the time and care you gave to our process. "
        "After careful thought, we have decided not to move forward with your application. "
        "We wish you every success in your search."
    ),
    ApplicationStatus.WITHDRAWN: (
        "You have withdrawn your application. Thank you for your interest and for the time "
        "you spent with us; we wish you all the best."
    ),
    ApplicationStatus.OFFER: (
        "Good news: we would like to make you an offer. We will be in touch with the details."
    ),
    ApplicationStatus.HIRED: "Welcome aboard! We are delighted you are joining us.",
}


#: After a rejection or withdrawal, the only word on interviews: whether any is still booked
#: (a manager may keep them), never which.
_CLOSED_INTERVIEWS = {
    False: "You have no upcoming interviews with us.",
    True: "We will be in touch about any interview still booked with you.",
}


#: What a candidate who applied on the careers page reads until their first stage begins.
UNDER_REVIEW = "Application received, under review."


def under_review(application: Application, line: Timeline) -> bool:
    """An application from the careers page that has not reached its first stage yet: active,
    no step done and no interview booked."""
    return (
        application.status == ApplicationStatus.ACTIVE
        and application.consented_at is not None
        and not any(
            step.state in (StepState.DONE, StepState.SKIPPED) or step.interview
            for step in line.steps
        )
    )


def status_message(application: Application, line: Timeline) -> str:
    """Where the candidate stands, in plain words."""
    if application.status in (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN):
        booked = any(step.interview is not None for step in line.steps)
        return f"{STATUS_MESSAGES[application.status]} {_CLOSED_INTERVIEWS[booked]}"
    if application.status != ApplicationStatus.ACTIVE:
        return STATUS_MESSAGES[application.status]
    if under_review(application, line):
        return UNDER_REVIEW
    if line.next_step is None:
        return (
            "You have completed every step. We are putting our decision together "
            "and will be in touch soon."
        )
    message = f"You're in the process: next is {line.next_step.stage.name}."
    if line.next_step.interview is None:
        message += " We will be in touch to schedule it."
    return message


@dataclass
class OfferView:
    """What the portal shows of the times a manager offered: nothing, open times, or the
    word that they are no longer held."""

    #: ``None`` (nothing to show), ``"open"`` or ``"expired"``.
    state: str | None = None
    choices: list[offers.Choice] = field(default_factory=list)
    #: The portal works the times out afresh (none free now is not "all taken").
    automatic: bool = False


def offer_view(session: Session, application: Application, now: datetime, tz: str) -> OfferView:
    """The latest offer to ``application``, as the candidate sees it now (an open offer past
    its time reads as expired before the expiry job marks it)."""
    if application.status != ApplicationStatus.ACTIVE:
        return OfferView()
    offer = offers.latest_offer(session, application)
    if offer is None or offer.status in (
        OfferStatus.BOOKED,
        OfferStatus.WITHDRAWN,
        OfferStatus.SUPERSEDED,
    ):
        return OfferView()
    if not offer.is_open(now):
        return OfferView("expired")
    found = offers.choices(session, application, offer, now, tz)
    return OfferView("open", found, automatic=offer.automatic_stage_id is not None)

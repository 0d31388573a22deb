"""Blind first review: who sees a candidate's name, and what the others see instead.

When a team turns blind first review on, an application at a screen stage (a plan stage
whose stage type is ``screen``) is shown to its interviewers under a pseudonym such as
"Candidate 4821": no name, email, phone, photo or links, on any page, calendar file or
email. The CV and the candidate's answers stay visible. The job's hiring manager and the
team's admins always see the name, and once the application has moved past the screen
stage everyone sees it as before.

Every page, calendar file and email that names a candidate to a member of staff asks here
(``candidate_label_for`` / ``is_blind_for``), so that no page can forget the rule. The
application's ``current_stage.stage_type`` and ``job`` are read: lists load them up front
(``STAGE_LOAD``) to keep a fixed number of queries.
"""

from __future__ import annotations

from sqlalchemy.orm import selectinload

from interviewer.auth.models import Role, User
from interviewer.candidates.models import Application
from interviewer.plans.models import PlanStage

#: The stage type whose stages are reviewed blind.
SCREEN = "screen"

#: What the rule reads of an application, to chain after a loader of it:
#: ``selectinload(Interview.application).options(*STAGE_LOAD)``.
STAGE_LOAD = (
    selectinload(Application.current_stage).selectinload(PlanStage.stage_type),
    selectinload(Application.job),
)

#: What a page says where the name would be.
NOTICE = "Blind review: the candidate's name and contact details are hidden for this stage."

#: Pseudonyms are 4-digit numbers (then 5, 6...): the application id scrambled by a step
#: coprime with the block size, so two applications never share one and the number does
#: not read as a count of candidates.
_BLOCK = 9000
_STEP = 4813
_OFFSET = 2711


def in_blind_review(application: Application) -> bool:
    """Whether ``application`` is in its blind first review: the team has it on and the
    application stands at a screen stage (closed there too: a rejected screen stays blind)."""
    stage = application.current_stage
    return bool(
        application.team.blind_first_review and stage is not None and stage.stage_type.key == SCREEN
    )


def sees_names(viewer: User, application: Application) -> bool:
    """The job's hiring manager and the team's admins always see who the candidate is."""
    return viewer.role == Role.ADMIN or application.job.hiring_manager_id == viewer.id


def is_blind_for(viewer: User, application: Application) -> bool:
    """Whether ``viewer`` must not see the name and contact details of ``application``'s
    candidate now. Someone of another team never sees them."""
    if viewer.team_id != application.team_id:
        return True
    return in_blind_review(application) and not sees_names(viewer, application)


def pseudonym(application: Application) -> str:
    """A stable stand-in for the candidate of ``application``, such as "Candidate 4821"."""
    block, rest = divmod(application.id, _BLOCK)
    number = 1000 + block * 10_000 + (rest * _STEP + _OFFSET) % _BLOCK
    return f"Candidate {number}"


def candidate_label_for(viewer: User, application: Application) -> str:
    """The candidate's name, or their pseudonym when ``viewer`` reviews them blind."""
    if is_blind_for(viewer, application):
        return pseudonym(application)
    return application.candidate.name

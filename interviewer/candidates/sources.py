"""The team's list of candidate sources: where its candidates come from.

Every team starts with the built-in sources. "Careers page" is the one the public apply
form records, so it can be neither renamed nor archived; the others can. A candidate keeps
the source's name (``Candidate.source``): exports and the apply form read a plain word, the
candidates list filters on an indexed column, and a rename rewrites the candidates that carry
the old name in one statement. An archived source is no longer offered on the candidate form
but stays on the candidates that have it and in the list's filter.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.candidates.models import Candidate, CandidateSource
from interviewer.db import in_team

#: The source the careers page's apply form records on the candidates it adds.
CAREERS_PAGE = "Careers page"
#: The sources every team starts with, in their order.
BUILTIN_SOURCES = (CAREERS_PAGE, "Referral", "Agency", "Sourced")
MAX_NAME = 80


class SourceError(ValueError):
    """A change to the source list the rules refuse; the message says why."""


def team_sources(session: Session, team_id: int, *, archived: bool = True) -> list[CandidateSource]:
    """The team's sources in their order (without the archived ones unless ``archived``)."""
    statement = in_team(CandidateSource, team_id).order_by(
        CandidateSource.position, CandidateSource.id
    )
    if not archived:
        statement = statement.where(CandidateSource.archived.is_(False))
    return session.scalars(statement).all()


def ensure_team_sources(session: Session, team_id: int) -> None:
    """Give the team the built-in sources it does not have yet, after its own."""
    sources = team_sources(session, team_id)
    names = {source.name.lower() for source in sources}
    position = max((source.position for source in sources), default=0)
    for name in BUILTIN_SOURCES:
        if name.lower() not in names:
            position += 1
            session.add(
                CandidateSource(team_id=team_id, name=name, position=position, builtin=True)
            )
    session.flush()


def is_protected(source: CandidateSource) -> bool:
    """The careers page's source: the apply form records it by this name."""
    return source.builtin and source.name == CAREERS_PAGE


def _clean(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SourceError("Give the source a name.")
    if len(name) > MAX_NAME:
        raise SourceError(f"Keep the name within {MAX_NAME} characters.")
    return name


def _check_free(session: Session, team_id: int, name: str, own_id: int | None = None) -> None:
    clash = session.scalar(
        in_team(CandidateSource, team_id).where(func.lower(CandidateSource.name) == name.lower())
    )
    if clash is not None and clash.id != own_id:
        extra = " (archived: restore it instead)" if clash.archived else ""
        raise SourceError(f"There is already a source named “{clash.name}”{extra}.")


def add_source(session: Session, team_id: int, actor: User | None, name: str) -> CandidateSource:
    """Add a source at the end of the team's list."""
    name = _clean(name)
    _check_free(session, team_id, name)
    last = session.scalar(
        select(func.max(CandidateSource.position)).where(CandidateSource.team_id == team_id)
    )
    source = CandidateSource(team_id=team_id, name=name, position=(last or 0) + 1)
    session.add(source)
    session.flush()
    audit.record(
        session, team_id=team_id, actor=actor, action="candidate_source.created", subject=source
    )
    return source


def rename_source(session: Session, source: CandidateSource, actor: User | None, name: str) -> int:
    """Rename ``source`` and the candidates that carry it; returns how many were renamed.

    The candidates' last activity does not change: nothing happened to them.
    """
    name = _clean(name)
    if name == source.name:
        return 0
    if is_protected(source):
        raise SourceError(f"“{CAREERS_PAGE}” is recorded by the careers page and keeps its name.")
    _check_free(session, source.team_id, name, own_id=source.id)
    old = source.name
    renamed = session.execute(
        update(Candidate)
        .where(Candidate.team_id == source.team_id, Candidate.source == old)
        .values(source=name, updated_at=Candidate.updated_at)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    source.name = name
    session.flush()
    audit.record(
        session,
        team_id=source.team_id,
        actor=actor,
        action="candidate_source.renamed",
        subject=source,
        old_name=old,
        new_name=name,
        candidates=renamed,
    )
    return renamed


def set_archived(
    session: Session, source: CandidateSource, actor: User | None, archived: bool
) -> None:
    """Archive ``source`` (no longer offered for new choices) or restore it."""
    if archived and is_protected(source):
        raise SourceError(f"“{CAREERS_PAGE}” is recorded by the careers page and stays on.")
    if source.archived == archived:
        return
    source.archived = archived
    session.flush()
    audit.record(
        session,
        team_id=source.team_id,
        actor=actor,
        action="candidate_source.archived" if archived else "candidate_source.restored",
        subject=source,
        name=source.name,
    )


def move_source(session: Session, source: CandidateSource, direction: str) -> bool:
    """Swap ``source`` with its neighbour ``up`` or ``down``; ``False`` at either end."""
    sources = team_sources(session, source.team_id)
    index = next(i for i, row in enumerate(sources) if row.id == source.id)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(sources):
        return False
    sources[index], sources[other] = sources[other], sources[index]
    # Renumber the whole list: positions stay 1..n whatever came before.
    for position, row in enumerate(sources, start=1):
        row.position = position
    session.flush()
    return True


def source_choices(sources: list[CandidateSource], current: str = "") -> list[tuple[str, str]]:
    """The candidate form's select: blank, the active sources, and ``current`` (the saved
    value) even when it is archived or no longer on the list, so editing never loses it."""
    choices = [("", "Not recorded")]
    choices += [(source.name, source.name) for source in sources if not source.archived]
    if current and current not in {value for value, _ in choices}:
        archived = any(source.name == current for source in sources)
        choices.append((current, f"{current} (archived)" if archived else current))
    return choices

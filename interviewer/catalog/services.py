"""The rules of the skill catalogue and the career ladder (the matrix is in ``matrix``).

Functions take a session and plain values, ``flush()`` and never commit; the view commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.catalog import signals
from interviewer.catalog.models import Level, Skill, SkillKind
from interviewer.db import in_team
from interviewer.signals import values_from_signal


class CatalogError(ValueError):
    """A change to the catalogue is refused; the message says why, ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _name_taken(
    session: Session, model: type, team_id: int, name: str, exclude_id: int | None
) -> str | None:
    """The spelling of the team's other ``model`` row with this name, ignoring case."""
    query = in_team(model, team_id).where(func.lower(model.name) == name.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return session.scalar(query.with_only_columns(model.name).limit(1))


# Skills ------------------------------------------------------------------------------------


def _check_skill(session: Session, team_id: int, name: str, exclude_id: int | None) -> str:
    name = name.strip()
    if not name:
        raise CatalogError("Give the skill a name.", "name")
    taken = _name_taken(session, Skill, team_id, name, exclude_id)
    if taken:
        raise CatalogError(f"There is already a skill called {taken}.", "name")
    return name


def create_skill(
    session: Session,
    *,
    team_id: int,
    actor: User | None,
    name: str,
    kind: SkillKind | str,
    category: str = "",
    description: str = "",
) -> Skill:
    """Add a skill to the team's catalogue; refuses a name the team already uses."""
    name = _check_skill(session, team_id, name, None)
    skill = Skill(
        team_id=team_id,
        name=name,
        kind=SkillKind(kind),
        category=category.strip(),
        description=description.strip(),
    )
    session.add(skill)
    session.flush()
    audit.record(session, team_id=team_id, actor=actor, action="skill.created", subject=skill)
    session.flush()
    return skill


def update_skill(
    session: Session,
    skill: Skill,
    *,
    actor: User | None,
    name: str,
    kind: SkillKind | str,
    category: str = "",
    description: str = "",
) -> Skill:
    """Change a skill's name, kind, category or description."""
    skill.name = _check_skill(session, skill.team_id, name, skill.id)
    skill.kind = SkillKind(kind)
    skill.category = category.strip()
    skill.description = description.strip()
    if session.is_modified(skill):
        audit.record(
            session, team_id=skill.team_id, actor=actor, action="skill.updated", subject=skill
        )
    session.flush()
    return skill


def skill_usage(session: Session, skill: Skill) -> list[str]:
    """Where ``skill`` is used outside the catalogue, one line per place (empty: unused).

    Focus skills of plan stages, kit items and scorecard ratings would silently vanish with
    the skill, so deletion is refused while any exists. The features that hold them answer
    the ``skill_usage`` signal.
    """
    answers = values_from_signal(signals.skill_usage.send(skill, session=session))
    # Each feature's lines keep their order; the features' groups go by their first line, so
    # that the message does not depend on the order in which blinker calls the receivers.
    groups = sorted((lines for lines in answers if lines), key=lambda lines: lines[0])
    return [line for lines in groups for line in lines]


def delete_skill(session: Session, skill: Skill, *, actor: User | None) -> None:
    """Delete an unused skill with its matrix cells; refuses while plans or scorecards use it."""
    uses = skill_usage(session, skill)
    if uses:
        raise CatalogError(f"{skill.name} is still used: {'; '.join(uses)}.")
    audit.record(
        session,
        team_id=skill.team_id,
        actor=actor,
        action="skill.deleted",
        subject=skill,
        name=skill.name,
    )
    session.delete(skill)
    session.flush()


# Levels ------------------------------------------------------------------------------------


def _check_level(
    session: Session,
    team_id: int,
    exclude_id: int | None,
    name: str,
    salary_min: Decimal | None,
    salary_max: Decimal | None,
    salary_currency: str,
) -> tuple[str, str]:
    name = name.strip()
    if not name:
        raise CatalogError("Give the level a name.", "name")
    taken = _name_taken(session, Level, team_id, name, exclude_id)
    if taken:
        raise CatalogError(f"There is already a level called {taken}.", "name")
    for value, field_name in ((salary_min, "salary_min"), (salary_max, "salary_max")):
        if value is not None and value < 0:
            raise CatalogError("A salary cannot be negative.", field_name)
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise CatalogError(
            f"The maximum must be at least the minimum ({salary_min:,.0f}).", "salary_max"
        )
    currency = salary_currency.strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise CatalogError("Use a 3-letter currency code such as USD or EUR.", "salary_currency")
    return name, currency


def ladder(session: Session, team_id: int) -> list[Level]:
    """The team's levels from the most junior up."""
    return list(session.scalars(in_team(Level, team_id).order_by(Level.position, Level.id)))


def _renumber(levels: Iterable[Level]) -> None:
    for position, level in enumerate(levels, start=1):
        if level.position != position:
            level.position = position


def create_level(
    session: Session,
    *,
    team_id: int,
    actor: User | None,
    name: str,
    salary_min: Decimal | None = None,
    salary_max: Decimal | None = None,
    salary_currency: str = "USD",
) -> Level:
    """Add a level at the top of the team's ladder."""
    name, currency = _check_level(
        session, team_id, None, name, salary_min, salary_max, salary_currency
    )
    top = session.scalar(select(func.max(Level.position)).where(Level.team_id == team_id))
    level = Level(
        team_id=team_id,
        name=name,
        position=(top or 0) + 1,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_currency=currency,
    )
    session.add(level)
    session.flush()
    audit.record(session, team_id=team_id, actor=actor, action="level.created", subject=level)
    session.flush()
    return level


def update_level(
    session: Session,
    level: Level,
    *,
    actor: User | None,
    name: str,
    salary_min: Decimal | None = None,
    salary_max: Decimal | None = None,
    salary_currency: str = "USD",
) -> Level:
    """Change a level's name or salary band."""
    level.name, level.salary_currency = _check_level(
        session, level.team_id, level.id, name, salary_min, salary_max, salary_currency
    )
    level.salary_min, level.salary_max = salary_min, salary_max
    if session.is_modified(level):
        audit.record(
            session, team_id=level.team_id, actor=actor, action="level.updated", subject=level
        )
    session.flush()
    return level


def move_level(session: Session, level: Level, direction: str, *, actor: User | None) -> bool:
    """Swap ``level`` with its neighbour on the ladder; false when it is already at that end.

    The ladder is listed from the most junior down, so ``up`` means more junior.
    """
    if direction not in {"up", "down"}:
        raise CatalogError("Move a level up or down.")
    levels = ladder(session, level.team_id)
    index = levels.index(level)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(levels):
        return False
    levels[index], levels[other] = levels[other], levels[index]
    _renumber(levels)
    audit.record(
        session,
        team_id=level.team_id,
        actor=actor,
        action="level.moved",
        subject=level,
        direction=direction,
        position=level.position,
    )
    session.flush()
    return True


def level_jobs(session: Session, level: Level) -> list[str]:
    """Titles of the jobs opened for ``level``, from the answers to the ``level_jobs`` signal."""
    answers = values_from_signal(signals.level_jobs.send(level, session=session))
    return [title for titles in answers for title in titles]


def delete_level(session: Session, level: Level, *, actor: User | None) -> None:
    """Delete a level no job uses, with its matrix column; the ladder closes the gap."""
    jobs = level_jobs(session, level)
    if jobs:
        raise CatalogError(
            f"{level.name} is the level of {len(jobs)} job{'s' if len(jobs) != 1 else ''}: "
            f"{', '.join(jobs)}. Move those jobs to another level first."
        )
    audit.record(
        session,
        team_id=level.team_id,
        actor=actor,
        action="level.deleted",
        subject=level,
        name=level.name,
    )
    team_id = level.team_id
    session.delete(level)
    session.flush()
    _renumber(ladder(session, team_id))
    session.flush()

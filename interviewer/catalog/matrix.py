"""The competency matrix: what each level expects in each skill, read and saved at once.

Functions take a session and plain values, ``flush()`` and never commit; the view commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.catalog.models import PROFICIENCY_LABELS, Expectation, Level, Skill
from interviewer.catalog.services import CatalogError
from interviewer.db import in_team

Cell = tuple[int, int]  #: (level id, skill id)


def load_matrix(
    session: Session, team_id: int, level_ids: Iterable[int] | None = None
) -> dict[Cell, Expectation]:
    """Every stored cell of the team's matrix (or of some levels) in one query."""
    query = in_team(Expectation, team_id)
    if level_ids is not None:
        query = query.where(Expectation.level_id.in_(list(level_ids)))
    return {(cell.level_id, cell.skill_id): cell for cell in session.scalars(query)}


@dataclass
class MatrixSave:
    """What a matrix save changed."""

    created: int = 0
    updated: int = 0
    removed: int = 0
    #: level id -> skill name -> [old proficiency, new proficiency] for changed proficiencies.
    proficiency_changes: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    levels_changed: set[int] = field(default_factory=set)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


def save_matrix(
    session: Session,
    *,
    team_id: int,
    actor: User | None,
    levels: Iterable[Level],
    skills: Iterable[Skill],
    cells: Mapping[Cell, Expectation],
    values: Mapping[Cell, tuple[int, str]],
) -> MatrixSave:
    """Write the cells in ``values`` ((level id, skill id) -> (proficiency, description)).

    ``cells`` are the stored cells, loaded once by ``load_matrix``. A cell set to 0 with no
    description is deleted: an absent cell and a 0 mean the same ("not expected"), so the
    matrix stores only what says something. Cells of levels or skills outside ``levels`` and
    ``skills`` (another team's, or deleted meanwhile) are ignored. One audit event is recorded
    per level whose column changed.
    """
    levels_by_id = {level.id: level for level in levels}
    skills_by_id = {skill.id: skill for skill in skills}
    result = MatrixSave()
    new_rows = []
    for (level_id, skill_id), (proficiency, description) in values.items():
        if level_id not in levels_by_id or skill_id not in skills_by_id:
            continue
        if proficiency not in PROFICIENCY_LABELS:
            raise CatalogError(f"Proficiency must be 0 to 4, not {proficiency}.")
        description = (description or "").strip()
        cell = cells.get((level_id, skill_id))
        old = cell.proficiency if cell is not None else 0
        if proficiency == 0 and not description:
            if cell is None:
                continue
            session.delete(cell)
            result.removed += 1
        elif cell is None:
            new_rows.append(
                {
                    "team_id": team_id,
                    "level_id": level_id,
                    "skill_id": skill_id,
                    "proficiency": proficiency,
                    "description": description,
                }
            )
            result.created += 1
        elif (cell.proficiency, cell.description) != (proficiency, description):
            cell.proficiency, cell.description = proficiency, description
            result.updated += 1
        else:
            continue
        result.levels_changed.add(level_id)
        if old != proficiency:
            changes = result.proficiency_changes.setdefault(level_id, {})
            changes[skills_by_id[skill_id].name] = [old, proficiency]
    if new_rows:
        # One executemany: the unit of work would insert row by row to fetch each new id.
        session.execute(insert(Expectation), new_rows)
    for level_id in sorted(result.levels_changed):
        audit.record(
            session,
            team_id=team_id,
            actor=actor,
            action="expectations.saved",
            subject=levels_by_id[level_id],
            proficiency=result.proficiency_changes.get(level_id, {}),
        )
    session.flush()
    return result

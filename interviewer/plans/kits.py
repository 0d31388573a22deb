"""Interview kits: questions, what to probe and rubric anchors per focus skill, versioned.

A stage's current kit is its latest version. A version that no interview has used yet is
edited in place; once an interview has used it (``used_at`` is set) it is frozen, and an
edit makes the next version, so every candidate of a stage meets the same kit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from interviewer import audit
from interviewer.auth.models import User
from interviewer.catalog.models import Expectation
from interviewer.plans.models import KitItem, KitVersion, PlanStage


@dataclass(frozen=True)
class KitText:
    """The editable text of one kit item."""

    questions: str = ""
    probe: str = ""
    rubric: str = ""


class KitSaved(StrEnum):
    """What saving a kit did."""

    UNCHANGED = "unchanged"
    UPDATED = "updated"
    NEW_VERSION = "new_version"


def rubric_anchors(session: Session, level_id: int, skill_ids: Iterable[int]) -> dict[int, str]:
    """The competency matrix's description for each skill at ``level_id`` (one query)."""
    skill_ids = list(skill_ids)
    if not skill_ids:
        return {}
    rows = session.execute(
        select(Expectation.skill_id, Expectation.description).where(
            Expectation.level_id == level_id, Expectation.skill_id.in_(skill_ids)
        )
    ).all()
    return {skill_id: description or "" for skill_id, description in rows}


def level_expectations(session: Session, team_id: int, level_id: int) -> dict[int, Expectation]:
    """The competency matrix's cells of one level, by skill id (one query)."""
    rows = session.scalars(
        select(Expectation).where(Expectation.team_id == team_id, Expectation.level_id == level_id)
    )
    return {row.skill_id: row for row in rows}


def get_version(stage: PlanStage, number: int | None) -> KitVersion | None:
    """Version ``number`` of the stage's kit, or the current one when ``number`` is None."""
    if number is None:
        return stage.current_kit
    return next((kit for kit in stage.kit_versions if kit.number == number), None)


def _add_version(
    session: Session,
    stage: PlanStage,
    actor: User | None,
    what_to_expect: str,
    items: Mapping[int, KitText],
) -> KitVersion:
    current = stage.current_kit
    kit = KitVersion(
        team_id=stage.team_id,
        number=current.number + 1 if current else 1,
        what_to_expect=what_to_expect,
        created_by=actor,
        items=[
            KitItem(
                team_id=stage.team_id,
                skill_id=skill_id,
                questions=text.questions,
                probe=text.probe,
                rubric=text.rubric,
            )
            for skill_id, text in items.items()
        ],
    )
    stage.kit_versions.append(kit)
    session.flush()
    audit.record(
        session,
        team_id=stage.team_id,
        actor=actor,
        action="kit_version.created",
        subject=kit,
        plan_stage_id=stage.id,
        number=kit.number,
    )
    return kit


def _clean(text: str | None) -> str:
    # Browsers send textarea line breaks as CRLF; an unchanged kit must compare equal.
    return (text or "").replace("\r\n", "\n").strip()


def _clean_text(text: KitText) -> KitText:
    return KitText(_clean(text.questions), _clean(text.probe), _clean(text.rubric))


def _texts(kit: KitVersion) -> dict[int, KitText]:
    return {item.skill_id: KitText(item.questions, item.probe, item.rubric) for item in kit.items}


def start_kit(
    session: Session,
    stage: PlanStage,
    actor: User | None,
    what_to_expect: str = "",
    items: Mapping[int, KitText] | None = None,
) -> KitVersion:
    """Give a new stage its first kit: one item per focus skill.

    Text given in ``items`` is used; an item without a rubric takes the anchor of the job's
    level from the competency matrix. Items for skills that are not focus skills are ignored.
    """
    items = items or {}
    skill_ids = [skill.id for skill in stage.focus_skills]
    anchors = rubric_anchors(session, stage.job.level_id, skill_ids)
    texts = {}
    for skill_id in skill_ids:
        text = items.get(skill_id, KitText())
        texts[skill_id] = text if text.rubric else replace(text, rubric=anchors.get(skill_id, ""))
    return _add_version(session, stage, actor, what_to_expect, texts)


def sync_kit(session: Session, stage: PlanStage, actor: User | None) -> KitVersion:
    """Make the current kit hold one item per focus skill, no more, no fewer.

    A new focus skill gets an item with the level's rubric anchor. A kit already used by an
    interview is left as it was and the change goes into the next version.
    """
    kit = stage.current_kit
    if kit is None:
        return start_kit(session, stage, actor)
    wanted = [skill.id for skill in stage.focus_skills]
    have = _texts(kit)
    if set(wanted) == set(have):
        return kit
    anchors = rubric_anchors(session, stage.job.level_id, [i for i in wanted if i not in have])
    texts = {
        skill_id: have.get(skill_id) or KitText(rubric=anchors.get(skill_id, ""))
        for skill_id in wanted
    }
    if kit.used_at is not None:
        return _add_version(session, stage, actor, kit.what_to_expect, texts)
    for item in list(kit.items):
        if item.skill_id not in texts:
            kit.items.remove(item)
    for skill_id, text in texts.items():
        if skill_id not in have:
            kit.items.append(
                KitItem(
                    team_id=stage.team_id,
                    skill_id=skill_id,
                    questions=text.questions,
                    probe=text.probe,
                    rubric=text.rubric,
                )
            )
    session.flush()
    return kit


def save_kit(
    session: Session,
    stage: PlanStage,
    actor: User | None,
    *,
    what_to_expect: str,
    items: Mapping[int, KitText],
) -> tuple[KitVersion, KitSaved]:
    """Apply an edit to the stage's current kit, in place or as a new version.

    ``items`` maps skill ids to their new text; skills that are no longer focus skills of the
    stage are ignored, and items not named keep their text.
    """
    kit = sync_kit(session, stage, actor)
    before = {skill_id: _clean_text(text) for skill_id, text in _texts(kit).items()}
    after = {**before, **{i: _clean_text(text) for i, text in items.items() if i in before}}
    what_to_expect = _clean(what_to_expect)
    if after == before and what_to_expect == _clean(kit.what_to_expect):
        return kit, KitSaved.UNCHANGED
    if kit.used_at is not None:
        return _add_version(session, stage, actor, what_to_expect, after), KitSaved.NEW_VERSION
    kit.what_to_expect = what_to_expect
    for item in kit.items:
        text = after[item.skill_id]
        item.questions, item.probe, item.rubric = text.questions, text.probe, text.rubric
    session.flush()
    audit.record(
        session,
        team_id=stage.team_id,
        actor=actor,
        action="kit_version.updated",
        subject=kit,
        plan_stage_id=stage.id,
        number=kit.number,
    )
    return kit, KitSaved.UPDATED


def kit_for_interview(session: Session, stage: PlanStage, actor: User | None = None) -> KitVersion:
    """The kit version a new interview of ``stage`` uses: the current one, matching the
    stage's focus skills (made first if the stage has none yet).

    Scheduling stores it on the interview; ``mark_kit_used`` freezes it when the interview
    takes place.
    """
    return sync_kit(session, stage, actor)


def mark_kit_used(session: Session, kit_version: KitVersion, when: datetime) -> None:
    """Record that an interview took place with ``kit_version`` at ``when``.

    From then on the version is frozen; the earliest use is kept.
    """
    if kit_version.used_at is not None and kit_version.used_at <= when:
        return
    first_use = kit_version.used_at is None
    kit_version.used_at = when
    session.flush()
    if first_use:
        audit.record(
            session,
            team_id=kit_version.team_id,
            actor=None,
            action="kit_version.used",
            subject=kit_version,
            plan_stage_id=kit_version.plan_stage_id,
            number=kit_version.number,
        )

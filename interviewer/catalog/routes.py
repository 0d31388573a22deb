"""Skill catalogue, career ladder and competency matrix pages (managers only)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import manager_required
from interviewer.catalog import bp, services
from interviewer.catalog import matrix as matrix_services
from interviewer.catalog.access import get_level_or_404, get_skill_or_404
from interviewer.catalog.forms import (
    LevelForm,
    MatrixForm,
    MoveLevelForm,
    SkillForm,
    build_matrix_form,
)
from interviewer.catalog.models import PROFICIENCY_LABELS, Expectation, Level, Skill
from interviewer.db import in_team
from interviewer.extensions import db
from interviewer.forms import BaseForm


def _team_skills() -> list[Skill]:
    """The team's skills in catalogue order: hard before soft, then category and name."""
    query = in_team(Skill, current_user.team_id).order_by(Skill.kind, Skill.category, Skill.name)
    return list(db.session.scalars(query))


def _show_error(form: BaseForm, error: services.CatalogError) -> None:
    """Put a refused change's message next to its field, or at the top of the page."""
    field = form[error.field] if error.field and error.field in form else None
    if field is not None:
        field.errors.append(str(error))
    else:
        flash(str(error), "danger")


@bp.route("/")
@manager_required
def index():
    skills = _team_skills()
    categories = sorted({skill.category for skill in skills if skill.category})
    return render_template(
        "catalog/index.html",
        skills=skills,
        levels=services.ladder(db.session, current_user.team_id),
        categories=categories,
        move_form=MoveLevelForm(),
    )


# Skills ------------------------------------------------------------------------------------


@bp.route("/skills/new", methods=["GET", "POST"])
@manager_required
def new_skill():
    form = SkillForm()
    if form.validate_on_submit():
        try:
            skill = services.create_skill(
                db.session, team_id=current_user.team_id, actor=current_user, **_skill_values(form)
            )
        except services.CatalogError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"Added {skill.name}. Set what each level expects in the matrix.", "success")
            return redirect(url_for("catalog.index", _anchor=f"skill-{skill.id}"))
    return _render_skill_form(form, None)


@bp.route("/skills/<int:skill_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_skill(skill_id: int):
    skill = get_skill_or_404(skill_id)
    form = SkillForm(obj=skill)
    if form.validate_on_submit():
        try:
            services.update_skill(db.session, skill, actor=current_user, **_skill_values(form))
        except services.CatalogError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"Saved {skill.name}.", "success")
            return redirect(url_for("catalog.index", _anchor=f"skill-{skill.id}"))
    return _render_skill_form(form, skill)


def _skill_values(form: SkillForm) -> dict:
    return {
        "name": form.name.data,
        "kind": form.kind.data,
        "category": form.category.data or "",
        "description": form.description.data or "",
    }


def _render_skill_form(form: SkillForm, skill: Skill | None):
    categories = db.session.scalars(
        in_team(Skill, current_user.team_id)
        .with_only_columns(Skill.category)
        .where(Skill.category != "")
        .distinct()
        .order_by(Skill.category)
    ).all()
    return render_template("catalog/skill_form.html", form=form, skill=skill, categories=categories)


@bp.route("/skills/<int:skill_id>/delete", methods=["GET", "POST"])
@manager_required
def delete_skill(skill_id: int):
    """GET asks for confirmation and says where the skill is used; POST deletes it."""
    skill = get_skill_or_404(skill_id)
    return _confirm_delete(
        skill,
        "skill",
        delete=services.delete_skill,
        done=f"Deleted {skill.name} and its row of the matrix.",
        uses=lambda: services.skill_usage(db.session, skill),
        back=url_for("catalog.edit_skill", skill_id=skill.id),
    )


def _confirm_delete(subject, kind: str, *, delete, done: str, uses, back: str):
    """GET shows what deleting ``subject`` takes with it and where it is used; a POST calls
    ``delete`` (which refuses while it is used) and goes back to the catalogue."""
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            delete(db.session, subject, actor=current_user)
        except services.CatalogError as error:
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("catalog.index"))
    return render_template(
        "catalog/confirm_delete.html",
        form=form,
        kind=kind,
        subject=subject,
        uses=uses(),
        cells=sum(1 for cell in subject.expectations if cell.proficiency),
        back=back,
    )


# Levels ------------------------------------------------------------------------------------


@bp.route("/levels/new", methods=["GET", "POST"])
@manager_required
def new_level():
    form = LevelForm()
    if form.validate_on_submit():
        try:
            level = services.create_level(
                db.session, team_id=current_user.team_id, actor=current_user, **_level_values(form)
            )
        except services.CatalogError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"Added {level.name} at the top of the ladder.", "success")
            return redirect(url_for("catalog.index", _anchor=f"level-{level.id}"))
    return render_template("catalog/level_form.html", form=form, level=None)


@bp.route("/levels/<int:level_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_level(level_id: int):
    level = get_level_or_404(level_id)
    form = LevelForm(obj=level)
    if form.validate_on_submit():
        try:
            services.update_level(db.session, level, actor=current_user, **_level_values(form))
        except services.CatalogError as error:
            _show_error(form, error)
        else:
            db.session.commit()
            flash(f"Saved {level.name}.", "success")
            return redirect(url_for("catalog.index", _anchor=f"level-{level.id}"))
    return render_template("catalog/level_form.html", form=form, level=level)


def _level_values(form: LevelForm) -> dict:
    return {
        "name": form.name.data,
        "salary_min": form.salary_min.data,
        "salary_max": form.salary_max.data,
        "salary_currency": form.salary_currency.data,
    }


@bp.route("/levels/<int:level_id>/move", methods=["POST"])
@manager_required
def move_level(level_id: int):
    level = get_level_or_404(level_id)
    form = MoveLevelForm()
    if not form.validate_on_submit():
        abort(400)
    if services.move_level(db.session, level, form.direction.data, actor=current_user):
        db.session.commit()
        flash(f"Moved {level.name} {form.direction.data} the ladder.", "success")
    else:
        end = "most junior" if form.direction.data == "up" else "most senior"
        flash(f"{level.name} is already the {end} level.", "info")
    return redirect(url_for("catalog.index", _anchor=f"level-{level.id}"))


@bp.route("/levels/<int:level_id>/delete", methods=["GET", "POST"])
@manager_required
def delete_level(level_id: int):
    """GET asks for confirmation and names the jobs that use the level; POST deletes it."""
    level = get_level_or_404(level_id)
    return _confirm_delete(
        level,
        "level",
        delete=services.delete_level,
        done=f"Deleted {level.name} and its column of the matrix.",
        uses=lambda: [
            f"level of the job {title}" for title in services.level_jobs(db.session, level)
        ],
        back=url_for("catalog.edit_level", level_id=level.id),
    )


# Competency matrix -------------------------------------------------------------------------


@bp.route("/matrix", methods=["GET", "POST"])
@manager_required
def matrix():
    """The whole matrix, or with ``?level=<id>`` one level's column, edited in one form."""
    skills = _team_skills()
    levels = services.ladder(db.session, current_user.team_id)
    focus = _focus_level(levels)
    columns = [focus] if focus is not None else levels
    cells = matrix_services.load_matrix(db.session, current_user.team_id)
    form = build_matrix_form(columns, skills, cells)
    if form.validate_on_submit():
        _save_matrix(form, columns, skills, cells, focus)
        return redirect(url_for("catalog.matrix", level=focus.id if focus else None))
    return render_template(
        "catalog/matrix.html",
        form=form,
        skills=skills,
        levels=levels,
        columns=columns,
        focus=focus,
        cells=cells,
        labels=PROFICIENCY_LABELS,
    )


def _save_matrix(
    form: MatrixForm,
    columns: list[Level],
    skills: list[Skill],
    cells: dict[matrix_services.Cell, Expectation],
    focus: Level | None,
) -> None:
    """Save the posted cells of ``columns`` and flash how it went."""
    try:
        result = matrix_services.save_matrix(
            db.session,
            team_id=current_user.team_id,
            actor=current_user,
            levels=columns,
            skills=skills,
            cells=cells,
            values=form.cell_values(),
        )
        db.session.commit()
    except IntegrityError:
        # Someone else created the same cells between our read and our write.
        db.session.rollback()
        flash(_MATRIX_RACE, "danger")
    else:
        flash(_saved_message(result, focus), "success")


_MATRIX_RACE = (
    "Someone saved the matrix at the same moment, so your changes were not saved. "
    "Check the values below and save again."
)


def _saved_message(result: matrix_services.MatrixSave, focus: Level | None) -> str:
    if not result.changed:
        return "No changes to save."
    what = f"the {focus.name} column" if focus else "the competency matrix"
    return f"Saved {what}: {result.changed} cell{'s' if result.changed != 1 else ''} changed."


def _focus_level(levels: list[Level]) -> Level | None:
    """The level named by ``?level=``; one outside the team's ladder is a 404."""
    wanted = request.args.get("level")
    if not wanted:
        return None
    for level in levels:
        if str(level.id) == wanted:
            return level
    abort(404)

"""``/team/branding``: an admin sets the display name, accent colour and logo, with a
preview of the careers page's header."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from interviewer.auth.forms import EmptyForm
from interviewer.auth.permissions import admin_required
from interviewer.branding import bp, colours, logos, services
from interviewer.branding.brand import brand_for, stylesheet
from interviewer.branding.forms import BrandForm, LogoForm
from interviewer.extensions import db

bp.add_app_template_global(brand_for, "brand_for")


def _team():
    return current_user.team


def _actor():
    return current_user._get_current_object()


def _saved_form() -> BrandForm:
    team = _team()
    return BrandForm(
        formdata=None,
        data={"display_name": team.display_name or "", "accent_color": team.accent_color or ""},
    )


def _render(form: BrandForm, logo_form: LogoForm | None = None, *, preview: bool = False):
    """The page; ``preview``: the header drawn with the form's unsaved (valid) values."""
    team = _team()
    name, accent = team.public_name, team.accent_color
    if preview:
        name = form.display_name.data or team.name
        accent = form.accent_color.data or None
    return render_template(
        "branding/settings.html",
        team=team,
        form=form,
        logo_form=logo_form or LogoForm(formdata=None),
        remove_form=EmptyForm(),
        logo=services.logo_of(db.session, team),
        brand=brand_for(team),
        preview_name=name,
        preview_accent=accent,
        previewing=preview,
        preview_style_url=url_for("branding.preview_style", accent=(accent or "")[1:] or None),
        contrast=colours.shown_ratio(colours.contrast_ratio(accent)) if accent else None,
    )


@bp.route("/team/branding", methods=["GET", "POST"])
@admin_required
def settings():
    """The brand's settings; "Preview" shows the values without saving them."""
    form = BrandForm() if request.method == "POST" else _saved_form()
    if form.validate_on_submit():
        if "preview" in request.form:
            return _render(form, preview=True)
        changed = services.update_brand(
            db.session,
            _team(),
            _actor(),
            display_name=form.display_name.data,
            accent_color=form.accent_color.data,
        )
        db.session.commit()
        flash(
            "Saved: your careers pages and the portal show it now."
            if changed
            else "Nothing to save: the name and colour were already these.",
            "success",
        )
        return redirect(url_for("branding.settings"))
    return _render(form)


@bp.route("/team/branding/logo", methods=["POST"])
@admin_required
def upload_logo():
    """Upload a new logo (PNG or SVG); a refused file is named on the form."""
    form = LogoForm()
    if form.validate_on_submit():
        try:
            services.save_logo(
                db.session, _team(), _actor(), form.logo.data.read(logos.MAX_BYTES + 1)
            )
        except logos.LogoError as error:
            form.logo.errors = [*form.logo.errors, str(error)]
        else:
            db.session.commit()
            flash("The new logo is on your careers pages and the portal.", "success")
            return redirect(url_for("branding.settings"))
    return _render(_saved_form(), form)


@bp.route("/team/branding/logo/remove", methods=["POST"])
@admin_required
def remove_logo():
    """Remove the logo: the public pages show the display name alone."""
    if EmptyForm().validate_on_submit():
        removed = services.remove_logo(db.session, _team(), _actor())
        db.session.commit()
        flash("Removed the logo." if removed else "There was no logo to remove.", "success")
    return redirect(url_for("branding.settings"))


@bp.route("/team/branding/preview.css")
@admin_required
def preview_style():
    """The preview box's stylesheet for an accent given in the address (unsaved yet)."""
    try:
        accent = colours.normalise(request.args.get("accent", "", type=str)[:7])
    except colours.AccentError:
        accent = None
    css = stylesheet(accent, ".brand-preview")
    return css, 200, {"Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-store"}

"""Branding as admins set it: the settings page, its permissions, the contrast check, the
logo upload with its messages, and the audit trail."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from interviewer.audit.models import AuditEvent
from interviewer.auth.models import Role
from interviewer.branding import colours
from interviewer.branding.models import TeamLogo
from tests import factories
from tests.branding_support import GOOD_SVG, png, svg

SETTINGS = "/team/branding"


@pytest.fixture
def admin(auth):
    return auth.login(Role.ADMIN, team=factories.TeamFactory(name="Northwind Systems GmbH"))


def _logo(db, team):
    return db.session.scalar(select(TeamLogo).where(TeamLogo.team_id == team.id))


def upload(client, data: bytes, filename: str = "logo.png"):
    # Encoded in memory: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart({"logo": FileStorage(io.BytesIO(data), filename)})
    return client.post(
        f"{SETTINGS}/logo",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


# The contrast rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("colour", "ratio"),
    [("#000000", 21.0), ("#ffffff", 1.0), ("#767676", 4.54), ("#777777", 4.47)],
)
def test_the_contrast_against_white_follows_wcag(colour, ratio):
    assert colours.contrast_ratio(colour) == pytest.approx(ratio, abs=0.01)


def test_a_ratio_just_short_of_the_bar_never_reads_as_passing():
    assert colours.shown_ratio(colours.contrast_ratio("#777777")) == "4.47:1"
    assert colours.shown_ratio(4.4999) == "4.49:1"


def test_a_light_accent_is_refused_with_its_ratio_and_a_darker_shade_that_passes():
    with pytest.raises(colours.AccentError) as refused:
        colours.check_accent("#FFD700")
    message = str(refused.value)
    assert "#ffd700 against white has a contrast of 1.40:1" in message
    assert "at least 4.5:1 (WCAG AA)" in message
    shade = message.rsplit("such as ", 1)[1].split()[0]
    assert colours.contrast_ratio(shade) >= 4.5
    assert colours.check_accent(shade) == shade


@pytest.mark.parametrize("text", ["#1f5fbf", "1F5FBF", "#15b"])
def test_a_readable_accent_is_kept_as_six_lower_case_digits(text):
    assert colours.check_accent(text) in {"#1f5fbf", "#1155bb"}


@pytest.mark.parametrize("text", ["blue", "#12345", "rgb(0,0,0)", "#ggg000"])
def test_what_is_not_a_hex_colour_is_refused(text):
    with pytest.raises(colours.AccentError, match="not a hex colour"):
        colours.check_accent(text)


# The settings page ------------------------------------------------------------------------


def test_an_admin_sets_the_display_name_and_accent(client, db, admin):
    response = client.post(
        SETTINGS, data={"display_name": "  Northwind  ", "accent_color": "#1F5FBF"}
    )

    assert response.status_code == 302
    team = admin.team
    db.session.refresh(team)
    assert (team.display_name, team.accent_color, team.public_name) == (
        "Northwind",
        "#1f5fbf",
        "Northwind",
    )
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "team.brand_changed"))
    assert event.actor_id == admin.id and event.data["accent_color"] == "#1f5fbf"
    page = client.get(SETTINGS).get_data(as_text=True)
    assert 'value="Northwind"' in page and 'value="#1f5fbf"' in page
    assert "Accent #1f5fbf: contrast 6.09:1 against white" in page


def test_a_light_accent_is_refused_on_the_form_with_the_ratio_and_the_name_kept(client, db, admin):
    response = client.post(SETTINGS, data={"display_name": "Northwind", "accent_color": "#ffd700"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "contrast of 1.40:1" in page and "4.5:1" in page and "A darker shade" in page
    assert 'value="Northwind"' in page and 'value="#ffd700"' in page
    db.session.refresh(admin.team)
    assert admin.team.accent_color is None and admin.team.display_name is None


def test_an_empty_display_name_falls_back_to_the_team_name(client, db, admin):
    admin.team.display_name = "Old"
    db.session.commit()
    client.post(SETTINGS, data={"display_name": "", "accent_color": ""})
    db.session.refresh(admin.team)
    assert admin.team.display_name is None
    assert admin.team.public_name == "Northwind Systems GmbH"


def test_preview_shows_the_values_without_saving_them(client, db, admin):
    response = client.post(
        SETTINGS, data={"display_name": "Northwind", "accent_color": "#8a1c7c", "preview": "1"}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "not saved yet" in page
    assert "Open positions at Northwind<" in page
    assert "/team/branding/preview.css?accent=8a1c7c" in page
    db.session.refresh(admin.team)
    assert admin.team.display_name is None
    css = client.get("/team/branding/preview.css?accent=8a1c7c")
    assert css.mimetype == "text/css"
    assert ".brand-preview .btn-primary" in css.get_data(as_text=True)
    assert "#8a1c7c" in css.get_data(as_text=True)


def test_the_settings_page_is_in_the_admins_menu(client, admin):
    page = client.get("/dashboard", follow_redirects=True).get_data(as_text=True)
    assert f'href="{SETTINGS}"' in page


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.INTERVIEWER])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", SETTINGS),
        ("post", SETTINGS),
        ("post", f"{SETTINGS}/logo"),
        ("post", f"{SETTINGS}/logo/remove"),
        ("get", f"{SETTINGS}/preview.css"),
    ],
)
def test_only_admins_change_the_brand(client, db, auth, role, method, path):
    user = auth.login(role)
    response = getattr(client, method)(path, data={"display_name": "Hijacked"})
    assert response.status_code == 403
    db.session.refresh(user.team)
    assert user.team.display_name is None
    page = client.get("/dashboard", follow_redirects=True).get_data(as_text=True)
    assert f'href="{SETTINGS}"' not in page


def test_signed_out_the_settings_page_asks_to_sign_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_admin_changes_only_their_own_teams_brand(client, db, admin):
    other = factories.TeamFactory(name="Other Co")
    factories.UserFactory(team=other, role=Role.ADMIN)
    client.post(SETTINGS, data={"display_name": "Mine", "accent_color": "#1f5fbf"})
    upload(client, png())
    db.session.refresh(other)
    assert (other.display_name, other.accent_color) == (None, None)
    assert _logo(db, other) is None and _logo(db, admin.team) is not None


# The logo ---------------------------------------------------------------------------------


def test_an_admin_uploads_a_png_logo_and_it_shows_on_the_page(client, db, admin):
    data = png()
    response = upload(client, data, "northwind.png")

    assert response.status_code == 302
    logo = _logo(db, admin.team)
    assert (logo.content_type, logo.size) == ("image/png", len(data))
    page = client.get(SETTINGS).get_data(as_text=True)
    assert f"/careers/{admin.team.slug}/brand/logo?v={logo.sha256[:16]}" in page
    assert "Remove logo" in page


def test_a_new_logo_replaces_the_old_one(client, db, admin):
    upload(client, png())
    upload(client, GOOD_SVG, "logo.svg")
    logos = db.session.scalars(select(TeamLogo).where(TeamLogo.team_id == admin.team.id)).all()
    assert [logo.content_type for logo in logos] == ["image/svg+xml"]


@pytest.mark.parametrize(
    ("data", "filename", "words"),
    [
        (svg('<rect onload="alert(1)"/>'), "logo.svg", "event handler attribute (onload)"),
        (svg("<script>alert(1)</script>"), "logo.svg", "&lt;script&gt;"),
        (b"MZ\x90\x00 payload", "logo.png", "not an image"),
        (png()[:50], "logo.png", "damaged or incomplete"),
        (png() + b"\x00" * (512 * 1024), "logo.png", "over 512 KB"),
        (b"", "logo.png", "The file is empty"),
        (b"", "", "Choose a PNG or SVG file"),
    ],
)
def test_a_refused_logo_gets_a_message_on_the_form_and_is_not_stored(
    client, db, admin, data, filename, words
):
    response = upload(client, data, filename)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert words in page
    assert "is-invalid" in page
    assert _logo(db, admin.team) is None


def test_the_type_comes_from_the_bytes_not_the_name(client, db, admin):
    upload(client, GOOD_SVG, "logo.png")
    assert _logo(db, admin.team).content_type == "image/svg+xml"


def test_an_admin_removes_the_logo(client, db, admin):
    upload(client, png())
    response = client.post(f"{SETTINGS}/logo/remove")
    assert response.status_code == 302
    assert _logo(db, admin.team) is None
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.team_id == admin.team.id)
    ).all()
    assert {"team.logo_uploaded", "team.logo_removed"} <= set(actions)
    assert "No logo yet" in client.get(SETTINGS).get_data(as_text=True)

"""The team's brand in a real browser: the admin finds Branding in the menu, is refused a
pale accent with its measured contrast and an SVG that runs a script, saves a readable
accent, a display name and a PNG logo; then a signed-out visitor's careers page, on a
desktop and on a phone, shows the logo, the name and the accent, and never the software."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from interviewer.auth.models import Team
from interviewer.branding import services
from interviewer.extensions import db
from interviewer.seed import branding as demo_brand
from tests.branding_support import png, svg
from tests.e2e import PHONE, LiveServer, open_account_menu


@pytest.fixture
def restore_brand(live_server: LiveServer, demo) -> Iterator[None]:
    """The demo team's brand as it was, for the tests that run later."""
    yield
    with live_server.app.app_context():
        team = db.session.scalar(select(Team).order_by(Team.id))
        services.update_brand(
            db.session,
            team,
            None,
            display_name=demo_brand.DISPLAY_NAME,
            accent_color=demo_brand.ACCENT,
        )
        services.save_logo(db.session, team, None, demo_brand.LOGO)
        db.session.commit()
        db.session.remove()


def test_an_admin_brands_the_careers_page(
    page: Page, sign_in_as, browser: Browser, live_server: LiveServer, tmp_path, restore_brand
):
    sign_in_as("admin")
    page.goto("/dashboard")
    open_account_menu(page)
    page.get_by_role("link", name="Branding").click()
    expect(page.get_by_role("heading", name="Branding", level=1)).to_be_visible()

    page.get_by_label("Accent colour").fill("#ffd700")
    page.get_by_role("button", name="Save name and colour").click()
    expect(page.get_by_text("contrast of 1.40:1")).to_be_visible()
    expect(page.get_by_text("A darker shade such as #8a7400 passes")).to_be_visible()

    page.get_by_label("Display name").fill("Acme Careers")
    page.get_by_label("Accent colour").fill("#8a1c7c")
    page.get_by_role("button", name="Preview without saving").click()
    expect(page.get_by_text("not saved yet")).to_be_visible()
    preview = page.get_by_test_id("brand-preview")
    expect(preview.get_by_text("Open positions at Acme Careers")).to_be_visible()
    expect(preview.locator(".btn-primary")).to_have_css("background-color", "rgb(138, 28, 124)")
    page.get_by_role("button", name="Save name and colour").click()
    expect(page.get_by_text("Saved: your careers pages")).to_be_visible()

    bad = tmp_path / "logo.svg"
    bad.write_bytes(svg("<script>alert(1)</script>"))
    page.get_by_label("Logo file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload a new logo").click()
    expect(page.get_by_text("holds a <script> element")).to_be_visible()
    good = tmp_path / "logo.png"
    good.write_bytes(png(96, 48, "#8a1c7c"))
    page.get_by_label("Logo file").set_input_files(str(good))
    page.get_by_role("button", name="Upload a new logo").click()
    expect(page.get_by_text("The new logo is on your careers pages")).to_be_visible()
    careers = page.get_by_role("link", name="Open your careers page").get_attribute("href")

    for options in ({"viewport": {"width": 1280, "height": 900}}, {"viewport": PHONE}):
        context = browser.new_context(base_url=live_server.url, **options)
        try:
            visitor = context.new_page()
            visitor.goto(careers)
            expect(visitor.get_by_test_id("brand-name")).to_have_text("Acme Careers")
            logo = visitor.get_by_role("img", name="Acme Careers logo")
            expect(logo).to_be_visible()
            assert logo.evaluate("image => image.complete && image.naturalWidth") == 96
            expect(visitor.locator(".badge.text-bg-primary").first).to_have_css(
                "background-color", "rgb(138, 28, 124)"
            )
            icon = visitor.locator("link[rel=icon]").get_attribute("href")
            assert icon == logo.get_attribute("src")
            assert "interviewer" not in visitor.content().lower()
            assert "interviewer" not in visitor.title().lower()
        finally:
            context.close()

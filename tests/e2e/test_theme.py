"""Light and dark: the staff pages follow the system's preference until the user menu's
choice, which the browser keeps; the candidate's pages stay in the team's light colours."""

from __future__ import annotations

from playwright.sync_api import expect

from interviewer.auth.models import Role
from tests.e2e import open_account_menu, sign_in


def theme(page) -> str | None:
    """The page's theme once it has loaded (its script and stylesheets with it)."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.getAttribute('data-bs-theme')")


def choose(page, name: str) -> None:
    """Pick ``name`` under Appearance in the user menu (which stays open after a choice)."""
    button = page.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        open_account_menu(page)
    button.click()


def test_the_pages_follow_the_systems_preference(page, sign_in_as):
    page.emulate_media(color_scheme="dark")
    page.goto("/login")
    assert theme(page) == "dark"
    body = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert body == "rgb(33, 37, 41)", body  # Bootstrap's dark body

    page.emulate_media(color_scheme="light")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")


def test_the_user_menu_choice_is_kept_and_system_follows_the_system_again(page, sign_in_as):
    page.emulate_media(color_scheme="light")
    sign_in_as(Role.HIRING_MANAGER)
    assert theme(page) == "light"

    choose(page, "Dark")
    assert theme(page) == "dark"
    expect(page.get_by_role("button", name="Dark", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    page.goto("/jobs")
    assert theme(page) == "dark"  # kept across pages

    choose(page, "System")
    assert theme(page) == "light"
    page.emulate_media(color_scheme="dark")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    choose(page, "Light")
    page.reload()
    assert theme(page) == "light"


def test_without_javascript_the_pages_stay_light_and_offer_no_toggle(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, color_scheme="dark"
    )
    try:
        tab = context.new_page()
        sign_in(tab, demo.email(Role.INTERVIEWER), demo.password)
        assert theme(tab) is None
        assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == (
            "rgb(255, 255, 255)"
        )
        assert tab.get_by_role("button", name="Dark", exact=True).count() == 0
    finally:
        context.close()

"""The browser tests see what the Content-Security-Policy blocks (``watch_csp``): a page
with an inline script, an inline style and a style attribute, under the app's own policy,
is reported three times over; the app's own pages are checked by every other test. And a
script moved out of a template into ``static/`` still does its work."""

from __future__ import annotations

from playwright.sync_api import Route, expect

from interviewer.headers import CONTENT_SECURITY_POLICY
from tests.e2e import DESKTOP, watch_csp

INLINE_PAGE = """<!doctype html><html><head><title>probe</title>
<style>p { color: red; }</style></head>
<body><p style="color: blue">probe</p><script>document.title = 'ran';</script></body></html>"""


def test_what_the_policy_blocks_is_reported(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    problems: list[str] = []
    try:
        tab = context.new_page()
        watch_csp(tab, problems)

        def inline_page(route: Route) -> None:
            route.fulfill(
                status=200,
                content_type="text/html",
                headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY},
                body=INLINE_PAGE,
            )

        tab.route("**/csp-probe", inline_page)
        tab.goto("/csp-probe")
        tab.wait_for_timeout(200)
        title = tab.title()
    finally:
        context.close()

    assert title == "probe", "the inline script ran despite the policy"
    blocked = [line for line in problems if "violation" in line]
    assert len(blocked) >= 3, problems
    assert any("script-src" in line for line in blocked), problems
    assert any("style-src" in line for line in blocked), problems


def test_the_app_own_pages_pass(page, live_server):
    """The sign-in page, under the fixture that fails a test on any CSP violation."""
    page.goto("/login")
    assert page.title().endswith("interviewer")


def test_the_calendar_link_copies_with_its_script_in_a_static_file(page, sign_in_as):
    sign_in_as("interviewer")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/calendar")
    make = page.get_by_role("button", name="Make my calendar link")
    if make.is_visible():
        make.click()

    link = page.get_by_label("Your calendar link").input_value()
    page.get_by_role("button", name="Copy").click()

    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link

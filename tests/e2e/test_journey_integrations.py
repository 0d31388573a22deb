"""Connecting other tools, in a real browser: the admin adds a webhook endpoint and copies its
signing secret with the Copy button, then makes an API token, copies it the same way, and the
copied token reads the team's jobs from the API while a made-up one is refused."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from interviewer.api.models import ApiToken
from interviewer.auth.models import Role
from interviewer.extensions import db
from interviewer.webhooks.models import WebhookEndpoint
from tests.e2e import LiveServer, open_account_menu

#: A receiver on this machine: no name to look up, which a machine without internet could not.
HOOK = "http://127.0.0.1:9/interviewer"
TOKEN = "HRIS sync"


@pytest.fixture
def forget_integrations(live_server: LiveServer, demo):
    """Private addresses allowed while the test runs; afterwards the demo team without this
    test's endpoint and token, for the tests that run later."""
    config = live_server.app.config
    allowed = config.get("WEBHOOKS_ALLOW_PRIVATE")
    config["WEBHOOKS_ALLOW_PRIVATE"] = True
    yield
    config["WEBHOOKS_ALLOW_PRIVATE"] = allowed
    with live_server.app.app_context():
        db.session.execute(delete(WebhookEndpoint).where(WebhookEndpoint.url == HOOK))
        db.session.execute(delete(ApiToken).where(ApiToken.name == TOKEN))
        db.session.commit()
        db.session.remove()


def copied(page: Page, field: str) -> str:
    """Press the Copy button beside ``field`` and return what reached the clipboard."""
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Copy").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    text = page.evaluate("navigator.clipboard.readText()")
    assert text == page.get_by_label(field).input_value()
    return text


def test_an_admin_connects_a_webhook_and_an_api_token(
    page: Page, sign_in_as, live_server: LiveServer, forget_integrations
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in_as(Role.ADMIN)

    open_account_menu(page)
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_text(re.compile("No endpoint yet"))).to_be_visible()
    page.get_by_role("link", name="Add an endpoint").click()
    page.get_by_label("Endpoint URL").fill(HOOK)
    page.get_by_label("Description").fill("Our HR system")
    page.get_by_role("button", name="Add the endpoint").click()

    expect(page.get_by_role("heading", name="Endpoint added")).to_be_visible()
    secret = copied(page, "Signing secret")
    assert len(secret) >= 32
    with live_server.app.app_context():
        endpoint = db.session.scalar(select(WebhookEndpoint).where(WebhookEndpoint.url == HOOK))
        assert endpoint is not None and endpoint.secret == secret
        db.session.remove()

    page.get_by_role("link", name="Back to Webhooks").click()
    expect(page.get_by_role("link", name=HOOK).first).to_be_visible()
    expect(page.get_by_text("No delivery yet")).to_be_visible()
    # The secret is shown once: the list never repeats it.
    assert secret not in page.content()

    open_account_menu(page)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill(TOKEN)
    page.get_by_label(re.compile("^Read")).check()
    page.get_by_role("button", name="Create token").click()

    expect(page.get_by_role("heading", name=f"The token '{TOKEN}' is ready")).to_be_visible()
    token = copied(page, "Your token")

    api = page.context.request
    answer = api.get("/api/v1/jobs", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200, answer.text()
    assert answer.json()["items"], "the demo team's jobs"
    refused = api.get("/api/v1/jobs", headers={"Authorization": f"Bearer {token[:-4]}xxxx"})
    assert refused.status == 401

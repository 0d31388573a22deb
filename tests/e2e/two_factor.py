"""The authenticator app of the browser tests: it computes the codes a phone would show."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
from playwright.sync_api import Page, expect


class AuthenticatorApp:
    """A phone's app holding one secret. The server accepts each 30-second step's code once
    and the next step's code early (a phone's clock drifts), so signing in again within the
    same 30 seconds types the next step's code rather than waiting."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret.replace(" ", ""))
        self.last_step: int | None = None

    def code(self) -> str:
        step = self.totp.timecode(datetime.now(UTC))
        if self.last_step is not None and step <= self.last_step:
            step = self.last_step + 1
        self.last_step = step
        return self.totp.generate_otp(step)


def scan_setup_key(page: Page) -> AuthenticatorApp:
    """Add the account to an app as a person who cannot scan would: from the key shown."""
    return AuthenticatorApp(page.get_by_label("Setup key").inner_text())


def sign_in_with_code(page: Page, email: str, password: str, app: AuthenticatorApp) -> None:
    """Sign in with the password, then the app's code, and wait to leave the sign-in pages."""
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/login/two-factor"))
    page.get_by_label("Code").fill(app.code())
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login"))

"""Accounts as a team runs them: invitations, the users page, password resets by email and
the audit log page. Stands above auth, the audit log and the outbox, which it ties together."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)

"""The team's brand: display name, logo and accent colour, set by admins and shown to
candidates on the careers pages, the portal and in emails."""

from flask import Blueprint

bp = Blueprint("branding", __name__)

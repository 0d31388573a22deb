"""Sign-in, users, roles and permissions."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

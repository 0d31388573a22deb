"""Role checks for views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from interviewer.auth.models import Role

MANAGERS = (Role.ADMIN, Role.HIRING_MANAGER)


def role_required(*roles: Role) -> Callable:
    """Let only signed-in users with one of ``roles`` in; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


manager_required = role_required(*MANAGERS)
admin_required = role_required(Role.ADMIN)


def public(view: Callable) -> Callable:
    """Mark ``view`` as open to anyone, signed in or not (a probe, a public page): what a
    signed-in person must do first, such as setting up two-factor sign-in, is not asked
    before it, and the user is not loaded for it."""
    view.public = True
    return view


def is_public(view: Callable | None) -> bool:
    return bool(getattr(view, "public", False))

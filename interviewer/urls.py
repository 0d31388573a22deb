"""Links to the app that work inside a request and outside one (commands, queued emails)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def app_url() -> str:
    """The public address of the site, for links made outside a request."""
    value = current_app.config.get("APP_URL") or ""
    return value.strip() or "http://127.0.0.1:5000"


def link_to(endpoint: str, external: bool = False, **values: Any) -> str:
    """``url_for`` that also works outside a request.

    There the site's address comes from ``SERVER_NAME`` when set, else from ``APP_URL``
    (default ``http://127.0.0.1:5000``).
    """
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=external, **values)
    base = urlsplit(app_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=external)

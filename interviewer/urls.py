"""Links to the app that work inside a request and outside one (commands, queued emails),
and the converters of the app's routes: no id beyond what an ``Integer`` column holds and no
text with a control character (``/careers/%00``) reaches a query."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from werkzeug.routing import IntegerConverter, UnicodeConverter

from interviewer.db import INT_MAX
from interviewer.forms import REFUSED_CHARACTERS


class RowIdConverter(IntegerConverter):
    """``<int:...>`` of every route: a whole number from 0 to what an ``Integer`` column
    holds; a longer one (``/jobs/99999999999999999999``) matches no route, so it is a 404
    before any query."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)


class CleanTextConverter(UnicodeConverter):
    """``<name>`` (``<string:name>``) of every route: one path segment without the
    characters no text may hold, so a token or slug with NUL matches no route (a 404)."""

    def __init__(self, map, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", f"[^/{REFUSED_CHARACTERS}]", 1)


def app_url() -> str:
    """The public address of the site, for links made outside a request."""
    value = current_app.config.get("APP_URL") or ""
    return value.strip() or "http://127.0.0.1:5000"


def link_to(endpoint: str, external: bool = False, *, public: bool = False, **values: Any) -> str:
    """``url_for`` that also works outside a request.

    There the site's address comes from ``SERVER_NAME`` when set, else from ``APP_URL``
    (default ``http://127.0.0.1:5000``). ``public``: ``APP_URL``, when set, wins inside a
    request too, so a link that carries a secret never names whatever host the request named.
    """
    use_app_url = public and (current_app.config.get("APP_URL") or "").strip()
    if not use_app_url and (has_request_context() or current_app.config.get("SERVER_NAME")):
        return url_for(endpoint, _external=external, **values)
    return _from_app_url(endpoint, external, values)


def trusted_link(endpoint: str, **values: Any) -> str:
    """An absolute link for an email that opens an account (a reset or invitation link):
    made from ``APP_URL`` when it is set, never from the request's ``Host`` header, which
    whoever asks for the email chooses; else as :func:`link_to` makes it."""
    if (current_app.config.get("APP_URL") or "").strip():
        return _from_app_url(endpoint, True, values)
    return link_to(endpoint, external=True, **values)


def _from_app_url(endpoint: str, external: bool, values: dict[str, Any]) -> str:
    base = urlsplit(app_url())
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "http"
    )
    return adapter.build(endpoint, values, force_external=external)

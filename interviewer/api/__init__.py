"""The JSON face: the same services and access helpers as the pages, at ``/api/v1``.

Each resource module holds one flask-smorest blueprint (its tag in the OpenAPI document);
``RESOURCES`` lists them in the order of a hire. The document is at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import functools
import importlib

from flask import Flask, g, has_request_context
from flask_smorest import Api, Blueprint
from sqlalchemy import event

from interviewer.auth.permissions import public

PREFIX = "/api/v1"
#: The resource modules, each with a ``bp``.
RESOURCES = ("catalog", "interviews", "scorecards", "decisions", "reports")


class InterviewerApi(Api):
    """flask-smorest's Api, leaving errors to the app's handlers (``interviewer.errors``),
    which answer the API's requests with problem details and everyone else with pages."""

    def _register_error_handlers(self) -> None:
        return None


api = InterviewerApi()


def resource_blueprint(tag: str, import_name: str, description: str) -> Blueprint:
    """A blueprint of API resources under ``/api/v1``; ``tag`` (capitalised, so never a
    page blueprint's name) groups its operations in the document."""
    return Blueprint(tag, import_name, url_prefix=PREFIX, description=description)


def init_app(app: Flask) -> None:
    """Configure the document and register every resource blueprint."""
    from interviewer.extensions import csrf

    app.config.setdefault("API_TITLE", "interviewer")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", PREFIX)
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(
        app,
        spec_kwargs={
            "info": {
                "description": "Structured hiring: plans, interviews, scorecards, decisions. "
                "Every request carries a token: 'Authorization: Bearer <token>'."
            }
        },
    )
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for name in RESOURCES:
        module = importlib.import_module(f"interviewer.api.{name}")
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp)
    # The document itself is public, like the documentation pages.
    endpoint = "api-docs.openapi_json"
    if endpoint in app.view_functions:
        app.view_functions[endpoint] = public(_plain(app.view_functions[endpoint]))


def _plain(method):
    """A function calling the bound ``method``, which (unlike it) can carry marks."""

    @functools.wraps(method)
    def view(*args, **kwargs):
        return method(*args, **kwargs)

    return view


def _name_the_token(mapper, connection, target) -> None:
    """Every change made with a token says so in its audit event."""
    token = g.get("api_token") if has_request_context() else None
    if token is not None:
        target.data = {**(target.data or {}), "api_token": f"{token.name} ({token.prefix}…)"}


def _listen() -> None:
    from interviewer.audit.models import AuditEvent

    event.listen(AuditEvent, "before_insert", _name_the_token)


_listen()

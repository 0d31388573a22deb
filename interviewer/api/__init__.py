"""The JSON face: the same services and access helpers as the pages, at ``/api/v1``.

Each resource module holds one flask-smorest blueprint (its tag in the OpenAPI document);
``RESOURCES`` lists them in the order of a hire. The document is at ``/api/v1/openapi.json``.
"""

from __future__ import annotations

import functools
import http
import importlib

from flask import Blueprint as PageBlueprint
from flask import Flask, g, has_request_context, request
from flask_smorest import Api, Blueprint
from flask_smorest.utils import prepare_response
from sqlalchemy import event

from interviewer.api.problems import MEDIA_TYPE, ProblemSchema, abort_problem
from interviewer.auth.permissions import public
from interviewer.forms import refused_character

PREFIX = "/api/v1"
#: The resource modules, each with a ``bp``.
RESOURCES = ("catalog", "jobs", "candidates", "interviews", "scorecards", "decisions", "reports")


class InterviewerApi(Api):
    """flask-smorest's Api, leaving errors to the app's handlers (``interviewer.errors``),
    which answer the API's requests with problem details and everyone else with pages.
    Every operation documents them: a ``default`` response of ``Problem``."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        return None

    def _register_responses(self) -> None:
        """The responses flask-smorest names (``NOT_FOUND``, ``DEFAULT_ERROR``...), as
        problem details (``application/problem+json``) rather than its own error shape."""
        self.spec.components.schema("Problem", schema=ProblemSchema)
        named = [(s.name, s.phrase) for s in http.HTTPStatus if s >= 400]
        for name, description in [*named, ("DEFAULT_ERROR", "An error, as problem details")]:
            response = {"description": description, "schema": "Problem"}
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(name, response, lazy=True)
        for status in http.HTTPStatus:
            if status < 400:
                self.spec.components.response(
                    status.name, {"description": status.phrase}, lazy=True
                )


api = InterviewerApi()
#: The API's pages for people (not resources): the token pages and the documentation.
pages = PageBlueprint("api_pages", __name__)


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
    from interviewer.api import docs, token_pages

    assert docs and token_pages  # their views are attached to ``pages``
    app.register_blueprint(pages)
    for name in RESOURCES:
        module = importlib.import_module(f"interviewer.api.{name}")
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp)
    _document_idempotency_keys(app)
    _document_needs(app)
    app.before_request(_refuse_unclean_text)
    # The document itself is public, like the documentation pages.
    endpoint = "api-docs.openapi_json"
    if endpoint in app.view_functions:
        app.view_functions[endpoint] = public(_plain(app.view_functions[endpoint]))


def _document_idempotency_keys(app: Flask) -> None:
    """Each ``@idempotent`` create says in the document that it takes an ``Idempotency-Key``."""
    from interviewer.api import idempotency

    parameter = {
        "in": "header",
        "name": idempotency.HEADER,
        "required": False,
        "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
        "description": "A key of your choosing: a retry with it gets the first answer again "
        f"(with '{idempotency.REPLAYED}: true') instead of creating twice; kept 24 hours.",
    }
    for method, operation, _marked in _operations(app, "idempotent"):
        if method in {"POST", "PUT"}:
            operation.setdefault("parameters", []).append(parameter)


def _operations(app: Flask, mark: str):
    """The document's operations whose view carries ``mark``, with the mark's value (for a
    method view, the mark of its method's function)."""
    from flask_smorest.spec.plugins import FlaskPlugin

    paths = api.spec._paths  # apispec keeps no public way to amend a registered operation
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        operations = paths.get(FlaskPlugin.flaskpath2openapi(rule.rule), {})
        for method in rule.methods:
            handler = getattr(getattr(view, "view_class", None), method.lower(), view)
            value = getattr(handler, mark, None)
            if value is not None and method.lower() in operations:
                yield method, operations[method.lower()], value


def _document_needs(app: Flask) -> None:
    """Each operation that ``token_required`` guards says that it takes the bearer token,
    and which scope and roles it needs (``x-scope``, ``x-roles``)."""
    for _method, operation, (scope, roles) in _operations(app, "api_needs"):
        operation["security"] = [{"bearer": []}]
        operation["x-scope"] = scope
        operation["x-roles"] = [role.value for role in roles]


def _refuse_unclean_text() -> None:
    """Refuse a request to the API whose query or JSON body holds a character no text of the
    app may hold (as every form does), naming the field, before any view reads it."""
    if not request.path.startswith(PREFIX + "/"):
        return
    body = request.get_json(silent=True) if request.is_json else None
    texts = [(key, key) for key in request.args] + list(request.args.items(multi=True))
    for field, text in [*texts, *_texts(body, "")]:
        problem = refused_character(text)
        if problem:
            abort_problem(422, problem, field=field or "body")


def _texts(value, path: str):
    """Every text in a decoded JSON value (keys too), with the path to it."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield path, str(key)
            yield from _texts(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _texts(item, f"{path}.{number}" if path else str(number))


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

"""The API's documentation pages, drawn by the app from its own OpenAPI document (no
script, nothing from elsewhere): each operation by tag, with its parameters, body and
answers, and the conventions every operation shares."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from interviewer.api import PREFIX, idempotency, pages
from interviewer.auth.models import Role
from interviewer.auth.permissions import public

METHODS = ("get", "post", "put", "patch", "delete")
ROLE_LABELS = {role.value: role.label for role in Role}


@pages.get(f"{PREFIX}/docs")
@public
def docs():
    """Every operation of the API, grouped by tag, and how to call them."""
    from interviewer.api import api

    document = api.spec.to_dict()
    return render_template(
        "api/docs.html",
        info=document["info"],
        tags=operations_by_tag(document),
        schemas={
            name: _fields(document, schema)
            for name, schema in document.get("components", {}).get("schemas", {}).items()
        },
        idempotency_header=idempotency.HEADER,
        replayed_header=idempotency.REPLAYED,
        rate_limit=current_app.config["API_RATE_LIMIT"],
    )


def operations_by_tag(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's operations as the page lists them: by tag, in the document's order."""
    tags = {tag["name"]: {**tag, "operations": []} for tag in document.get("tags", [])}
    for path, item in document.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            if method not in item:
                continue
            operation = item[method]
            for tag in operation.get("tags", ["Other"]):
                tags.setdefault(tag, {"name": tag, "operations": []})
                entry = _operation(document, method, path, operation, shared)
                tags[tag]["operations"].append(entry)
    return [tag for tag in tags.values() if tag["operations"]]


def _operation(document, method: str, path: str, operation: dict, shared: list) -> dict:
    summary, _, description = (operation.get("summary") or "").partition("\n")
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return {
        "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
        "method": method.upper(),
        "scope": operation.get("x-scope"),
        "roles": [ROLE_LABELS.get(role, role) for role in operation.get("x-roles", [])],
        "path": path,
        "summary": summary,
        "description": (operation.get("description") or description).strip(),
        "parameters": [
            _parameter(document, p) for p in [*shared, *operation.get("parameters", [])]
        ],
        "body": _fields(document, body.get("schema")),
        "responses": [
            _response(document, status, response)
            for status, response in operation.get("responses", {}).items()
        ],
    }


def resolve(document: dict, node: dict | None) -> dict:
    """``node`` with its ``$ref`` (if any) followed."""
    while node and "$ref" in node:
        target: Any = document
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node or {}


def _type(document: dict, schema: dict) -> str:
    if "$ref" in schema:
        return schema["$ref"].rpartition("/")[2]
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if schema.get("items"):
        kind = f"list of {_type(document, schema['items'])}"
    if schema.get("format"):
        kind += f" ({schema['format']})"
    if "minimum" in schema and "maximum" in schema and schema["maximum"] < 2**31 - 1:
        kind += f", {schema['minimum']} to {schema['maximum']}"
    if schema.get("default") is not None:
        kind += f", default {schema['default']}"
    if schema.get("enum"):
        kind += ": " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    return kind


def _parameter(document: dict, parameter: dict) -> dict:
    parameter = resolve(document, parameter)
    schema = parameter.get("schema", {})
    return {
        "name": parameter["name"],
        "where": parameter["in"],
        "required": parameter.get("required", False),
        "type": _type(document, schema),
        "description": parameter.get("description") or schema.get("description", ""),
    }


def _fields(document: dict, schema: dict | None) -> list[dict]:
    schema = resolve(document, schema)
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": _type(document, field),
            "required": name in required,
            "description": resolve(document, field).get("description", ""),
        }
        for name, field in schema.get("properties", {}).items()
        if not field.get("readOnly")
    ]


def _response(document: dict, status: str, response: dict) -> dict:
    response = resolve(document, response)
    content = response.get("content", {})
    media, body = next(iter(content.items()), (None, {}))
    return {
        "status": "Any error" if status == "default" else status,
        "description": response.get("description", ""),
        "media": media,
        "schema": _type(document, body["schema"]) if body.get("schema") else None,
    }

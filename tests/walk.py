"""Walking every route of the app: the rules of ``app.url_map`` with their URL arguments
filled by name, so a route added later is walked too, and one whose arguments cannot be
filled is reported instead of silently left out.

``ids`` maps an argument name (``job_id``, ``token``...) to the values to try;
``by_endpoint`` overrides it for one endpoint (``"portal"``) or one blueprint (``"portal"``
covers ``portal.show``), for names such as ``token`` that mean a different secret on each face.
"""

from __future__ import annotations

import itertools

from werkzeug.routing import Rule

#: Routes not walked, and why.
SKIPPED = {
    "static": "the app's own CSS, JavaScript and images",
    "bootstrap.static": "Bootstrap's files, served by Bootstrap-Flask",
}


def walked_rules(app, method: str = "GET", skipped: dict[str, str] = SKIPPED) -> list[Rule]:
    """The rules that answer ``method``, by path, less the ``skipped`` endpoints."""
    return [
        rule
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
        if method in rule.methods and rule.endpoint not in skipped
    ]


def argument_values(rule: Rule, ids: dict, by_endpoint: dict) -> dict[str, list]:
    """The values to try for each URL argument of ``rule``; an empty list where none is known."""
    blueprint = rule.endpoint.rpartition(".")[0]
    return {
        name: (
            by_endpoint.get(rule.endpoint, {}).get(name)
            or by_endpoint.get(blueprint, {}).get(name)
            or ids.get(name)
            or []
        )
        for name in sorted(rule.arguments)
    }


def unfilled(rule: Rule, values: dict[str, list]) -> list[str]:
    """One line per argument of ``rule`` that has no value to try."""
    return [
        f"{rule.rule} ({rule.endpoint}): <{name}>" for name, tried in values.items() if not tried
    ]


def build(app, rule: Rule, arguments: dict, method: str = "GET") -> str:
    """The path of ``rule`` with ``arguments``."""
    return app.url_map.bind("localhost").build(rule.endpoint, arguments, method=method)


def urls(
    app,
    ids: dict,
    by_endpoint: dict,
    method: str = "GET",
    skipped: dict[str, str] = SKIPPED,
) -> tuple[dict[str, list[str]], list[str]]:
    """Every URL to request with ``method``, by endpoint (each combination of the values),
    and the routes whose arguments cannot be filled."""
    found: dict[str, list[str]] = {}
    missing = []
    for rule in walked_rules(app, method, skipped):
        values = argument_values(rule, ids, by_endpoint)
        missing += unfilled(rule, values)
        for combination in itertools.product(*values.values()):
            arguments = dict(zip(values, combination, strict=True))
            found.setdefault(rule.endpoint, []).append(build(app, rule, arguments, method))
    return found, missing

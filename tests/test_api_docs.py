"""The API's documentation page: drawn from the app's own document, nothing from elsewhere."""

from __future__ import annotations

import re

from interviewer.auth.models import Role


def test_the_docs_list_every_operation_by_tag_with_the_conventions(client, db):
    document = client.get("/api/v1/openapi.json").json

    response = client.get("/api/v1/docs")

    page = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    for tag in document["tags"]:
        assert f'id="tag-{tag["name"]}"' in page
    for path, item in document["paths"].items():
        for method in item.keys() & {"get", "post", "put", "patch", "delete"}:
            assert f"{method.upper()}</span><code>{path}</code>" in page
    for convention in ("Authorization: Bearer", "application/problem+json", "If-Match"):
        assert convention in page
    assert "Idempotency-Key" in page and "Retry-After" in page and "cursor" in page
    assert 'id="schema-Problem"' in page and "<code>limit</code>" in page
    # What each operation needs, from the document's own x-scope and x-roles.
    skills = document["paths"]["/api/v1/skills"]["get"]
    assert skills["x-scope"] == "read" and skills["x-roles"] == ["admin", "hiring_manager"]
    assert "Scope <code>read</code> · roles: Admin, Hiring manager" in page


def test_the_docs_load_nothing_from_elsewhere(client, db):
    page = client.get("/api/v1/docs").get_data(as_text=True)

    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith(("/", "#")) for s in sources), sources


def test_admins_find_the_docs_in_their_menu(client, db, auth):
    auth.login(Role.ADMIN)

    page = client.get("/team/api-tokens").get_data(as_text=True)

    assert '<a class="dropdown-item" href="/api/v1/docs">API documentation</a>' in page
    assert "API tokens</a>" in page

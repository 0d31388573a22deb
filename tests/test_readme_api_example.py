"""The README's API example, run as written: curl against the app served as ``make run``
serves it, on the demo data, with a webhook receiver that checks each signature."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import flask_migrate
from sqlalchemy import select

from interviewer import ROOT, create_app
from interviewer.api import tokens
from interviewer.auth.models import Role, User
from interviewer.extensions import db
from interviewer.seed import seed_demo
from interviewer.webhooks import delivery, services
from tests.conftest import require_service
from tests.server_process import ServerProcess, flask_run
from tests.test_webhooks import Receiver

EXAMPLE = re.compile(r"<!-- api-example[^>]*-->\n```bash\n(.*?)\n```", re.S)


def readme_example() -> str:
    """The bash block the README marks as its API example."""
    found = EXAMPLE.search((ROOT / "README.md").read_text())
    assert found, "README.md has no block marked <!-- api-example -->"
    return found.group(1)


def demo_database(path) -> str:
    """A SQLite file migrated and loaded with the demo data, as ``make run`` leaves it."""
    url = f"sqlite:///{path}"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        seed_demo(db.session)
        db.session.commit()
        db.engine.dispose()
    return url


def admin_token_and_endpoint(url: str, receiver_url: str) -> tuple[str, str]:
    """What the README has the reader do on the pages: a team token with read and write,
    and an endpoint for every event; returns the token and the endpoint's secret."""
    app = create_app("development", SQLALCHEMY_DATABASE_URI=url, WEBHOOKS_ALLOW_PRIVATE=True)
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
        _token, raw = tokens.issue(
            db.session, admin, kind=tokens.TEAM, name="README", scopes=[tokens.READ, tokens.WRITE]
        )
        endpoint = services.create_endpoint(
            db.session,
            admin.team_id,
            admin,
            url=receiver_url,
            description="",
            events=services.EVENTS,
        )
        secret = endpoint.secret
        db.session.commit()
        db.engine.dispose()
    return raw, secret


def test_the_readme_example_applies_a_candidate_books_their_interview_and_sends_the_webhooks(
    tmp_path,
):
    require_service("curl", shutil.which("curl") is not None, "install curl")
    script = readme_example()
    assert script.count("export TOKEN=") == 1
    url = demo_database(tmp_path / "demo.db")
    with Receiver() as receiver:
        token, secret = admin_token_and_endpoint(url, receiver.url)
        env = {"WEBHOOKS_ALLOW_PRIVATE": "true"}
        with ServerProcess(flask_run, url, log=tmp_path / "server.log", **env) as server:
            ran = subprocess.run(
                [
                    "bash",
                    "-euo",
                    "pipefail",
                    "-c",
                    re.sub(r"export TOKEN=\S+", f"export TOKEN={token}", script),
                ],
                cwd=ROOT,
                env={**os.environ, **env, "API": f"{server.url}/api/v1", "DATABASE_URL": url},
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert ran.returncode == 0, ran.stdout + ran.stderr
        booked = json.loads(ran.stdout.splitlines()[0])
        assert booked["status"] == "scheduled" and booked["panel"]
        assert "Delivered 2 webhook(s)" in ran.stdout
        events = {}
        for headers, body in receiver.requests:
            stamp = int(headers["Interviewer-Signature"].split(",")[0].removeprefix("t="))
            assert headers["Interviewer-Signature"] == delivery.signature(
                secret, stamp, body.decode()
            )
            events[headers["Interviewer-Event"]] = json.loads(body)["data"]
    assert set(events) == {"application.created", "interview.scheduled"}
    assert events["interview.scheduled"]["interview_id"] == booked["id"]
    assert events["application.created"]["application_id"] == booked["application_id"]

"""Settings > Webhooks as admins use it, and the events a team's changes queue: each in the
change's own transaction, with ids and plain fields and never a scorecard's content."""

from __future__ import annotations

import json
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from interviewer.auth.models import Role
from interviewer.candidates import pipeline
from interviewer.candidates import services as candidates
from interviewer.extensions import db as extension
from interviewer.privacy.erasure import erase_candidate
from interviewer.scheduling import services as scheduling
from interviewer.scorecards import decisions
from interviewer.scorecards import services as scorecards
from interviewer.scorecards.services import RatingInput, ScorecardInput
from interviewer.webhooks import events as webhook_events
from interviewer.webhooks import targets
from interviewer.webhooks.models import EVENTS, WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.test_scheduling import MONDAY, NOW, at, make_interviewer, make_plan

SECRET = "whsec_test-secret"


def add_endpoint(team, url="https://hooks.example.com/in", events=tuple(EVENTS), **fields):
    """An endpoint of ``team``, made directly (no address check: the tests choose it)."""
    endpoint = WebhookEndpoint(team=team, url=url, events=" ".join(events), secret=SECRET, **fields)
    extension.session.add(endpoint)
    extension.session.flush()
    return endpoint


def deliveries(db, **where):
    query = select(WebhookDelivery).order_by(WebhookDelivery.id)
    for name, value in where.items():
        query = query.where(getattr(WebhookDelivery, name) == value)
    return db.session.scalars(query).all()


class Receiver:
    """An HTTP receiver on a local port, in a thread: records each request, answers with
    the next of ``codes`` (the last one repeats)."""

    def __init__(self, codes=(200,), delay: float = 0.0) -> None:
        self.codes = list(codes)
        self.delay = delay
        self.requests: list[tuple[dict, bytes]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.requests.append((dict(self.headers), body))
                    code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def receiver(codes=(200,), delay: float = 0.0):
    with Receiver(codes, delay) as running:
        yield running


# The pages ------------------------------------------------------------------------------


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(client, auth, db, monkeypatch):
    admin = auth.login(Role.ADMIN)
    monkeypatch.setattr(
        targets.socket, "getaddrinfo", lambda *a, **k: [(0, 0, 0, "", ("93.184.216.34", 443))]
    )

    page = client.get("/settings/webhooks").get_data(as_text=True)
    assert "No endpoint yet" in page
    response = client.post(
        "/settings/webhooks/new",
        data={
            "url": "https://hooks.example.com/in",
            "description": "HR sync",
            "events": ["interview.scheduled", "application.created"],
        },
    )

    assert response.status_code == 200
    [endpoint] = db.session.scalars(select(WebhookEndpoint)).all()
    assert endpoint.team_id == admin.team_id
    assert endpoint.event_list == ["application.created", "interview.scheduled"]
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.get_data(True)
    listing = client.get("/settings/webhooks").get_data(as_text=True)
    assert "https://hooks.example.com/in" in listing and endpoint.secret not in listing
    assert "Last delivery" not in listing and "No delivery yet" in listing


def test_the_settings_menu_links_to_webhooks_for_admins_only(client, auth):
    auth.login(Role.ADMIN)
    assert 'href="/settings/webhooks"' in client.get("/dashboard").get_data(as_text=True)
    auth.logout()
    auth.login(Role.HIRING_MANAGER)
    assert 'href="/settings/webhooks"' not in client.get("/dashboard").get_data(as_text=True)


def test_form_errors_show_on_the_form_and_keep_the_input(client, auth, db):
    auth.login(Role.ADMIN)
    response = client.post(
        "/settings/webhooks/new",
        data={"url": "ftp://hooks.example.com/x", "description": "Keep me"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "must start with https://" in page and "Keep me" in page
    assert "Choose at least one event" not in page  # the address is refused first

    response = client.post(
        "/settings/webhooks/new", data={"url": "", "events": ["interview.scheduled"]}
    )
    assert "Enter the address that receives the events." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://10.1.2.3/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://localhost/hook",
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused_at_registration(
    client, auth, db, url
):
    auth.login(Role.ADMIN)
    response = client.post(
        "/settings/webhooks/new", data={"url": url, "events": ["interview.scheduled"]}
    )
    assert response.status_code == 200
    assert "only to public addresses" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


def test_plain_http_is_refused_unless_private_targets_are_allowed(app, monkeypatch):
    with pytest.raises(targets.UnsafeTarget, match="https://"):
        targets.split_url("http://hooks.example.com/in", private_ok=False)
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE", True)
    with app.app_context():
        assert targets.resolve("http://127.0.0.1:9/in").address == "127.0.0.1"


def test_an_admin_edits_turns_off_and_on_rolls_the_secret_and_deletes(client, auth, db):
    admin = auth.login(Role.ADMIN)
    endpoint = add_endpoint(admin.team, url="https://127.0.0.1/in")
    base = f"/settings/webhooks/{endpoint.id}"

    form = client.get(f"{base}/edit").get_data(as_text=True)
    assert 'value="https://127.0.0.1/in"' in form and "checked" in form
    assert client.post(f"{base}/toggle").status_code == 302
    assert endpoint.enabled is False
    assert client.post(f"{base}/toggle").status_code == 302
    assert endpoint.enabled is True
    rolled = client.post(f"{base}/roll-secret").get_data(as_text=True)
    assert endpoint.secret != SECRET and endpoint.secret in rolled
    assert client.post(f"{base}/delete").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(WebhookEndpoint)) == 0


def test_another_teams_endpoint_is_404_and_an_interviewer_is_refused(client, auth, db):
    other = add_endpoint(factories.TeamFactory())
    admin = auth.login(Role.ADMIN)
    for path in ("", "/edit"):
        assert client.get(f"/settings/webhooks/{other.id}{path}").status_code == 404
    for path in ("/toggle", "/delete", "/roll-secret"):
        assert client.post(f"/settings/webhooks/{other.id}{path}").status_code == 404
    own = add_endpoint(admin.team)
    auth.logout()
    auth.login(Role.INTERVIEWER, team=admin.team)
    assert client.get("/settings/webhooks").status_code == 403
    assert client.get(f"/settings/webhooks/{own.id}").status_code == 403
    assert client.post(f"/settings/webhooks/{own.id}/delete").status_code == 403
    assert own.enabled


def test_the_guide_shows_the_verification_snippet(client, auth):
    auth.login(Role.ADMIN)
    page = client.get("/settings/webhooks/guide").get_data(as_text=True)
    assert "def verify(secret: str, body: bytes, header: str" in page
    assert "Interviewer-Signature" in page


# Events ---------------------------------------------------------------------------------


def _every_event(db):
    """Run every kind of change on one team with an endpoint for every event."""
    application, (screen, live) = make_plan()
    team = application.team
    add_endpoint(team)
    admin = factories.UserFactory(team=team, role=Role.ADMIN)
    dana = make_interviewer(team)
    skill = factories.SkillFactory(team=team)
    screen.focus_skills = [skill]
    db.session.flush()
    newcomer = factories.CandidateFactory(team=team)
    candidates.apply_to_job(db.session, newcomer, application.job, admin, now=NOW)
    interview = scheduling.schedule_interview(
        db.session, application, screen, at(MONDAY, 9), [dana], now=NOW
    )
    scheduling.reschedule_interview(
        db.session, interview, at(MONDAY, 10), [dana], reason="Clash", now=NOW
    )
    later = at(MONDAY, 12)
    card = scorecards.scorecard_for(db.session, interview, dana, later)
    entries = scorecards.kit_entries(db.session, interview)
    scorecards.submit(
        db.session,
        card,
        ScorecardInput(
            ratings={skill.id: RatingInput(4, "Zebracorn evidence")},
            key_takeaways="Zebracorn takeaways",
            recommendation=4,
        ),
        entries=entries,
        expected_lock=0,
        actor=dana,
        now=later,
    )
    scheduling.cancel_interview(db.session, interview, "Zebracorn reason", actor=admin)
    decisions.record_decision(
        db.session,
        application,
        admin,
        outcome="advance",
        rationale="Zebracorn rationale",
        confirm_missing=True,
        now=NOW,
    )
    pipeline.move(db.session, application, "withdraw", admin, reason="Accepted another offer")
    erase_candidate(db.session, application.candidate, actor=admin)
    db.session.flush()
    return team, application


def test_every_event_is_queued_with_ids_and_plain_fields(db):
    team, application = _every_event(db)

    queued = deliveries(db)
    assert {d.event_type for d in queued} == set(EVENTS)
    for delivery in queued:
        body = json.loads(delivery.payload)
        assert set(body) == {"id", "type", "created_at", "team", "data"}
        assert body["type"] == delivery.event_type and body["id"] == delivery.event_id
        assert body["team"] == team.slug and body["created_at"].endswith("Z")
    by_type = {d.event_type: json.loads(d.payload)["data"] for d in queued}
    assert by_type["candidate.erased"] == {"candidate_id": application.candidate_id}
    scheduled = by_type["interview.scheduled"]
    assert scheduled["application_id"] == application.id
    assert scheduled["starts_at"] == "2031-03-17T09:00:00Z"
    assert by_type["interview.rescheduled"]["starts_at"] == "2031-03-17T10:00:00Z"
    assert by_type["decision.recorded"]["outcome"] == "advance"


def test_no_payload_carries_scorecard_content(db):
    _every_event(db)

    for delivery in deliveries(db):
        text = delivery.payload.lower()
        for word in ("zebracorn", "rating", "recommendation", "takeaways", "evidence", "notes"):
            assert word not in text, (delivery.event_type, word)
    [submitted] = deliveries(db, event_type="scorecard.submitted")
    assert set(json.loads(submitted.payload)["data"]) == {
        "scorecard_id",
        "interview_id",
        "application_id",
        "candidate_id",
        "job_id",
        "interviewer_id",
        "version",
    }


def test_only_enabled_endpoints_subscribed_to_the_event_get_it(db):
    application, (screen, _live) = make_plan()
    team = application.team
    wanted = add_endpoint(team, events=["interview.scheduled"])
    add_endpoint(team, events=["interview.cancelled"])
    add_endpoint(team, events=["interview.scheduled"], enabled=False)
    add_endpoint(factories.TeamFactory(), events=["interview.scheduled"])
    dana = make_interviewer(team)

    scheduling.schedule_interview(db.session, application, screen, at(MONDAY, 9), [dana], now=NOW)
    db.session.flush()

    assert [d.endpoint_id for d in deliveries(db)] == [wanted.id]


def test_a_change_that_rolls_back_queues_nothing(db):
    application, (screen, _live) = make_plan()
    add_endpoint(application.team)
    dana = make_interviewer(application.team)
    db.session.flush()

    savepoint = db.session.begin_nested()
    scheduling.schedule_interview(db.session, application, screen, at(MONDAY, 9), [dana], now=NOW)
    assert len(db.session.new) + len(deliveries(db)) > 0
    savepoint.rollback()

    assert deliveries(db) == []


def test_a_refused_change_through_the_page_queues_nothing(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    application, (screen, _live) = make_plan(team=manager.team)
    add_endpoint(manager.team)
    db.session.flush()
    # Rejecting without a reason is refused: no event leaves.
    client.post(f"/applications/{application.id}/move/reject", data={"reason": ""})
    assert deliveries(db) == []


# The delivery log -----------------------------------------------------------------------


def _log_rows(endpoint, count):
    for n in range(count):
        extension.session.add(
            WebhookDelivery(
                team_id=endpoint.team_id,
                endpoint=endpoint,
                event_id=f"00000000-0000-0000-0000-{len(endpoint.deliveries) + n:012d}",
                event_type="interview.scheduled",
                payload="{}",
                last_status_code=500,
            )
        )


def test_the_delivery_log_pages_newest_first_with_a_constant_number_of_queries(
    client, auth, db, count_queries, app, monkeypatch
):
    admin = auth.login(Role.ADMIN)
    monkeypatch.setitem(app.config, "PER_PAGE", 50)
    endpoint = add_endpoint(admin.team)
    _log_rows(endpoint, 3)
    db.session.flush()
    with count_queries() as few:
        small = client.get(f"/settings/webhooks/{endpoint.id}")
    _log_rows(endpoint, 27)
    db.session.flush()
    with count_queries() as many:
        large = client.get(f"/settings/webhooks/{endpoint.id}")
    assert small.status_code == large.status_code == 200
    assert large.get_data(as_text=True).count("interview.scheduled</code></a>") == 30
    assert few.count == many.count


def test_the_endpoints_list_runs_a_constant_number_of_queries(client, auth, db, count_queries):
    admin = auth.login(Role.ADMIN)
    for n in range(3):
        add_endpoint(admin.team, url=f"https://hooks{n}.example.com/in")
    db.session.flush()
    with count_queries() as few:
        client.get("/settings/webhooks")
    for n in range(3, 30):
        add_endpoint(admin.team, url=f"https://hooks{n}.example.com/in")
    db.session.flush()
    with count_queries() as many:
        page = client.get("/settings/webhooks").get_data(as_text=True)
    assert page.count("Delivery log") == 30
    assert few.count == many.count


def test_the_delivery_page_shows_the_body_and_redeliver_queues_the_same_event(client, auth, db):
    admin = auth.login(Role.ADMIN)
    endpoint = add_endpoint(admin.team)
    _log_rows(endpoint, 1)
    db.session.flush()
    [delivery] = endpoint.deliveries
    delivery.status, delivery.attempts = "failed", 6
    db.session.flush()
    url = f"/settings/webhooks/{endpoint.id}/deliveries/{delivery.id}"

    assert "Redeliver" in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/redeliver").status_code == 302

    assert (delivery.status.value, delivery.attempts) == ("waiting", 0)
    assert deliveries(db) == [delivery]
    other = add_endpoint(admin.team)
    assert client.get(f"/settings/webhooks/{other.id}/deliveries/{delivery.id}").status_code == 404


def test_rfc3339_is_utc_with_a_z(db):
    assert webhook_events.rfc3339(NOW + timedelta(hours=1)) == "2031-03-01T13:00:00Z"


def test_the_receiver_helper_listens_on_a_local_port():
    with receiver() as running:
        host, port = running.server.server_address
        with socket.create_connection((host, port), timeout=2):
            pass


def test_many_events_of_one_team_look_up_its_endpoints_once(db, count_queries):
    application, (screen, _live) = make_plan()
    team = application.team
    add_endpoint(team, events=["application.created"])
    jobs = [factories.JobFactory(team=team) for _ in range(5)]
    for job in jobs:
        factories.PlanStageFactory(team=team, job=job, position=1)
    db.session.flush()
    endpoint_lookups = []
    with count_queries() as counter:
        for job in jobs:
            candidates.apply_to_job(db.session, application.candidate, job, None, now=NOW)
    endpoint_lookups = [s for s in counter.statements if "FROM webhook_endpoint" in s]
    assert len(endpoint_lookups) == 1
    assert len(deliveries(db)) == 5


def test_an_endpoint_added_later_in_the_session_receives_the_next_events(db):
    application, (screen, _live) = make_plan()
    team = application.team
    first_job, second_job = factories.JobFactory(team=team), factories.JobFactory(team=team)
    for job in (first_job, second_job):
        factories.PlanStageFactory(team=team, job=job, position=1)
    db.session.flush()
    candidates.apply_to_job(db.session, application.candidate, first_job, None, now=NOW)
    endpoint = add_endpoint(team, events=["application.created"])
    candidates.apply_to_job(db.session, application.candidate, second_job, None, now=NOW)
    endpoint.enabled = False
    third = factories.JobFactory(team=team)
    factories.PlanStageFactory(team=team, job=third, position=1)
    candidates.apply_to_job(db.session, application.candidate, third, None, now=NOW)
    db.session.flush()
    assert len(deliveries(db)) == 1

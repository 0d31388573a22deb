"""The brand as candidates meet it: the careers pages and the portal show the team's name,
logo, favicon and accent stylesheet and never the software's name; the logo and stylesheet
are cached by version; the candidate's emails come from the team's public name."""

from __future__ import annotations

import hashlib
import re
from email import message_from_bytes

import pytest
from sqlalchemy import select

from interviewer.auth.models import Role
from interviewer.branding import services
from interviewer.mail.messages import build_message
from interviewer.mail.models import OutboxEmail
from interviewer.scheduling.emails import EmailKind, queue_interview_email
from tests import factories
from tests.branding_support import GOOD_SVG, png
from tests.test_careers import build_job
from tests.test_portal import link

YEAR = 365 * 24 * 3600


@pytest.fixture
def job(db):
    """An open job of a team that shows itself as "Northwind" in teal, with an SVG logo."""
    job = build_job(title="Platform Engineer", team__name="Northwind Systems GmbH")
    job.team.display_name = "Northwind"
    job.team.accent_color = "#0f6b5c"
    services.save_logo(db.session, job.team, None, GOOD_SVG)
    db.session.commit()
    return job


def _logo_path(job) -> str:
    return f"/careers/{job.team.slug}/brand/logo"


def _public_pages(app, client, db, job) -> dict[str, str]:
    application = factories.ApplicationFactory(
        team=job.team, job=job, current_stage=job.stages[0], candidate__name="Jane Doe"
    )
    db.session.commit()
    return {
        path: client.get(path).get_data(as_text=True)
        for path in (
            f"/careers/{job.team.slug}",
            f"/careers/{job.team.slug}/{job.slug}",
            link(app, application),
        )
    }


def test_the_public_pages_show_the_teams_name_logo_favicon_and_stylesheet(app, client, db, job):
    sha = hashlib.sha256(GOOD_SVG).hexdigest()
    for path, page in _public_pages(app, client, db, job).items():
        assert 'data-testid="brand-name">Northwind<' in page, path
        assert f'src="{_logo_path(job)}?v={sha[:16]}"' in page, path
        assert (
            f'<link rel="icon" href="{_logo_path(job)}?v={sha[:16]}" type="image/svg+xml">' in page
        )
        assert re.search(
            rf'<link rel="stylesheet" href="/careers/{job.team.slug}/brand/style\.css\?v=\w+">',
            page,
        )
        assert "© Northwind" in page, path
        assert "Northwind Systems GmbH" not in page, path
        # Nor the software's name, anywhere on the page, its title and footer included.
        assert "interviewer" not in page.lower(), path


def test_without_logo_or_display_name_the_pages_show_the_team_name_and_the_default_icon(
    app, client, db
):
    job = build_job(team__name="Plain Team")
    for path, page in _public_pages(app, client, db, job).items():
        assert 'data-testid="brand-name">Plain Team<' in page, path
        assert "brand/logo" not in page, path
        assert 'href="/static/img/favicon.svg" type="image/svg+xml"' in page, path
        assert "interviewer" not in page.lower(), path


def test_an_invalid_portal_link_names_no_software_either(client):
    page = client.get("/portal/not-a-real-token").get_data(as_text=True)
    assert "no longer valid" in page
    assert "interviewer" not in page.lower()


def test_the_accent_stylesheet_paints_the_primary_colour_and_is_cached_by_version(client, db, job):
    page = client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    href = re.search(r'href="(/careers/[^"]+/brand/style\.css\?v=\w+)"', page).group(1)

    response = client.get(href)

    css = response.get_data(as_text=True)
    assert response.mimetype == "text/css"
    assert "--bs-primary: #0f6b5c;" in css and ".btn-primary" in css
    assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
    assert client.get(href, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    # A new colour is a new address; the old one is only briefly cached.
    job.team.accent_color = "#8a1c7c"
    db.session.commit()
    again = client.get(href)
    assert "#8a1c7c" in again.get_data(as_text=True)
    assert again.headers["Cache-Control"] == "public, max-age=300"
    new_page = client.get(f"/careers/{job.team.slug}").get_data(as_text=True)
    assert href not in new_page


def test_the_svg_logo_is_served_with_its_checksum_nosniff_and_a_sandbox_policy(client, job):
    sha = hashlib.sha256(GOOD_SVG).hexdigest()

    response = client.get(f"{_logo_path(job)}?v={sha[:16]}")

    assert response.status_code == 200
    assert response.data == GOOD_SVG
    assert response.mimetype == "image/svg+xml"
    assert response.headers["ETag"] == f'"{sha}"'
    assert response.headers["Cache-Control"] == f"public, max-age={YEAR}, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; sandbox"
    )
    cached = client.get(_logo_path(job), headers={"If-None-Match": f'"{sha}"'})
    assert cached.status_code == 304 and not cached.data
    assert client.get(_logo_path(job)).headers["Cache-Control"] == "public, max-age=300"


def test_a_png_logo_is_served_as_png_under_the_pages_own_policy(client, db, job):
    data = png()
    services.save_logo(db.session, job.team, None, data)
    db.session.commit()

    response = client.get(_logo_path(job))

    assert response.mimetype == "image/png" and response.data == data
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_team_without_a_logo_or_an_unknown_team_has_none(client, db):
    team = factories.TeamFactory()
    db.session.commit()
    assert client.get(f"/careers/{team.slug}/brand/logo").status_code == 404
    assert client.get("/careers/no-such-team/brand/logo").status_code == 404
    assert client.get("/careers/no-such-team/brand/style.css").status_code == 404


def test_each_team_gets_its_own_logo(client, db, job):
    other = factories.TeamFactory()
    services.save_logo(db.session, other, None, png())
    db.session.commit()
    assert client.get(_logo_path(job)).data == GOOD_SVG
    assert client.get(f"/careers/{other.slug}/brand/logo").mimetype == "image/png"


def test_a_public_page_costs_one_query_for_the_brand(client, db, job, count_queries):
    path = f"/careers/{job.team.slug}"
    # Each page rendered, not served from the careers pages' cache: the first after a change.
    with count_queries() as with_logo:
        client.get(path)
    services.remove_logo(db.session, job.team, None)
    db.session.commit()
    with count_queries() as without_logo:
        client.get(path)
    assert len(with_logo.statements) == len(without_logo.statements)
    assert sum("team_logo" in statement for statement in with_logo.statements) == 1


# Emails --------------------------------------------------------------------------------


def test_the_candidates_email_comes_from_and_is_signed_by_the_public_name(db, job):
    application = factories.ApplicationFactory(
        team=job.team, job=job, candidate__email="jane@example.org"
    )
    interview = factories.InterviewFactory(
        team=job.team, application=application, plan_stage=job.stages[0]
    )
    panel = factories.UserFactory(team=job.team, role=Role.INTERVIEWER, email="ana@example.com")
    factories.PanelMemberFactory(team=job.team, interview=interview, user=panel)
    db.session.flush()

    queue_interview_email(db.session, interview, EmailKind.SCHEDULED)

    emails = {
        email.to_email: email
        for email in db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.interview_id == interview.id)
        )
    }
    to_candidate, to_panel = emails["jane@example.org"], emails["ana@example.com"]
    assert to_candidate.from_name == "Northwind"
    assert to_candidate.body.endswith("Northwind hiring team")
    assert "at Northwind " in to_candidate.body
    assert "Northwind Systems GmbH" not in to_candidate.body + to_candidate.ics
    assert to_panel.from_name == ""
    sent = message_from_bytes(build_message(to_candidate, "Jobs <jobs@mail.example>").as_bytes())
    assert sent["From"] == "Northwind <jobs@mail.example>"
    colleague = message_from_bytes(build_message(to_panel, "Jobs <jobs@mail.example>").as_bytes())
    assert colleague["From"] == "Jobs <jobs@mail.example>"


def test_a_closed_or_unknown_posting_is_a_branded_not_found(client, db, job):
    response = client.get(f"/careers/{job.team.slug}/no-such-job")

    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "This position is not open" in page
    assert 'data-testid="brand-name">Northwind<' in page
    assert f'href="/careers/{job.team.slug}"' in page
    assert "interviewer" not in page.lower()
    unknown = client.get("/careers/no-such-team")
    assert unknown.status_code == 404
    assert "interviewer" not in unknown.get_data(as_text=True).lower()

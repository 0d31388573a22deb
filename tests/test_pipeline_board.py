"""The pipeline board of a job: columns, cards, filters, moves, permissions, query count."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest

from interviewer.auth.models import Role
from interviewer.candidates.models import ApplicationStatus as S
from interviewer.scheduling.models import InterviewStatus
from tests import factories

STAGES = ("Screen", "Live coding", "System design")


def plan(team, names=STAGES):
    job = factories.JobFactory(team=team, title="Senior Backend Developer")
    stages = [
        factories.PlanStageFactory(
            team=team,
            job=job,
            position=position,
            name=name,
            stage_type=factories.StageTypeFactory(team=team, key=name.lower().replace(" ", "_")),
        )
        for position, name in enumerate(names, start=1)
    ]
    return job, stages


def card(job, stage, name, status=S.ACTIVE, days=0, **fields):
    return factories.ApplicationFactory(
        team=job.team,
        job=job,
        current_stage=stage,
        status=status,
        candidate__name=name,
        stage_entered_at=datetime.now(UTC) - timedelta(days=days, hours=1),
        **fields,
    )


class Board(HTMLParser):
    """Column title -> the candidate names on its cards, in order."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.columns: dict[str, list[str]] = {}
        self._column: str | None = None
        self._awaiting_title = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "h2" and (attributes.get("id") or "").startswith("column-"):
            self._awaiting_title = True
        elif tag == "article" and self._column is not None:
            self.columns[self._column].append(attributes["aria-label"])

    def handle_data(self, data):
        if self._awaiting_title and data.strip():
            self._column, self._awaiting_title = data.strip(), False
            self.columns[self._column] = []


def columns_of(client, job, **params):
    response = client.get(f"/jobs/{job.id}/board", query_string=params)
    assert response.status_code == 200
    return Board(response.get_data(as_text=True)).columns


def test_the_board_has_a_column_per_stage_then_offer_and_hired(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, design) = plan(manager.team)
    card(job, screen, "Grace Kim", days=1)
    card(job, screen, "Aisha Bello", days=5)
    card(job, coding, "Kenji Watanabe")
    card(job, design, "Mei Chen", S.OFFER)
    card(job, design, "Diego Santos", S.HIRED)
    card(job, coding, "Tomasz Kowalski", S.ON_HOLD, days=2)
    card(job, coding, "Rahul Mehta", S.REJECTED, exit_reason="Position filled")

    columns = columns_of(client, job)

    assert columns == {
        "Screen": ["Aisha Bello", "Grace Kim"],
        "Live coding": ["Tomasz Kowalski", "Kenji Watanabe"],
        "System design": [],
        "Offer": ["Mei Chen"],
        "Hired": ["Diego Santos"],
    }


def test_a_card_shows_days_in_stage_and_the_next_interview_in_the_viewers_zone(client, auth):
    manager = auth.login(Role.HIRING_MANAGER, timezone="Asia/Tokyo")
    job, (screen, coding, _) = plan(manager.team)
    application = card(job, coding, "Aisha Bello", days=4)
    booked = dict(team=manager.team, application=application)
    factories.InterviewFactory(
        **booked, plan_stage=coding, starts_at=datetime(2099, 1, 5, 1, 0, tzinfo=UTC)
    )
    factories.InterviewFactory(
        **booked, plan_stage=coding, starts_at=datetime(2099, 3, 1, 1, 0, tzinfo=UTC)
    )
    factories.InterviewFactory(
        **booked,
        plan_stage=coding,
        starts_at=datetime(2098, 1, 1, 1, 0, tzinfo=UTC),
        status=InterviewStatus.CANCELLED,
    )
    factories.InterviewFactory(
        **booked, plan_stage=screen, starts_at=datetime.now(UTC) - timedelta(days=6)
    )
    card(job, screen, "Grace Kim")

    html = client.get(f"/jobs/{job.id}/board").get_data(as_text=True)

    assert "4 days in stage" in html
    assert "Next interview: " in html
    assert "Mon 05 Jan, 10:00 JST" in html
    assert "01 Jan," not in html and "01 Mar," not in html
    assert html.count("No interview booked") == 1
    assert "Entered today" in html


def test_a_card_whose_current_stage_interview_took_place_says_when(client, auth):
    manager = auth.login(Role.HIRING_MANAGER, timezone="Asia/Tokyo")
    job, (screen, coding, _) = plan(manager.team)
    now = datetime.now(UTC)
    aisha = card(job, coding, "Aisha Bello", days=4)
    for days_ago, stage, status in (
        (9, coding, InterviewStatus.SCHEDULED),
        (3, coding, InterviewStatus.SCHEDULED),  # the latest that took place
        (2, coding, InterviewStatus.CANCELLED),
        (1, screen, InterviewStatus.SCHEDULED),  # another stage
    ):
        factories.InterviewFactory(
            team=manager.team,
            application=aisha,
            plan_stage=stage,
            starts_at=now - timedelta(days=days_ago),
            status=status,
        )
    # Grace has moved on from the screen she had: nothing is booked for live coding.
    grace = card(job, coding, "Grace Kim")
    factories.InterviewFactory(
        team=manager.team, application=grace, plan_stage=screen, starts_at=now - timedelta(days=2)
    )

    html = client.get(f"/jobs/{job.id}/board").get_data(as_text=True)

    held = now - timedelta(days=3)
    local = held.astimezone(ZoneInfo("Asia/Tokyo"))
    assert f'Interviewed <time datetime="{held.isoformat()}">{local:%a %d %b}</time>' in html
    assert html.count("Interviewed") == 1
    assert html.count("No interview booked") == 1
    assert 'Schedule Live coding<span class="visually-hidden"> for Grace Kim' in html
    assert "for Aisha Bello</span>" not in html


def test_the_board_filters_by_status(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, design) = plan(manager.team)
    card(job, screen, "Aisha Bello")
    card(job, coding, "Tomasz Kowalski", S.ON_HOLD)
    card(job, coding, "Rahul Mehta", S.REJECTED, exit_reason="Position filled")
    card(job, design, "Emily O'Connor", S.WITHDRAWN, exit_reason="Accepted another offer")
    card(job, design, "Mei Chen", S.OFFER)

    active = columns_of(client, job, status="active")
    on_hold = columns_of(client, job, status="on_hold")
    everyone = columns_of(client, job, status="all")
    html = client.get(f"/jobs/{job.id}/board?status=all").get_data(as_text=True)

    assert sum(active.values(), []) == ["Aisha Bello", "Mei Chen"]
    assert sum(on_hold.values(), []) == ["Tomasz Kowalski"]
    assert everyone["Live coding"] == ["Tomasz Kowalski", "Rahul Mehta"]
    assert everyone["System design"] == ["Emily O'Connor"]
    assert "Accepted another offer" in html
    assert "Withdrawn</span>" in html and "Rejected</span>" in html
    assert re.search(r"In process <span[^>]*>3</span>", html)
    assert re.search(r"All, incl. rejected and withdrawn <span[^>]*>5</span>", html)


def test_an_unknown_filter_shows_the_default_view(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, *_) = plan(manager.team)
    card(job, screen, "Aisha Bello")

    assert columns_of(client, job, status="bogus")["Screen"] == ["Aisha Bello"]


def test_cards_carry_forward_and_back_moves_that_work_without_javascript(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, design) = plan(manager.team)
    first = card(job, screen, "Aisha Bello")
    card(job, coding, "Kenji Watanabe")
    last = card(job, design, "Mei Chen")
    board = f"/jobs/{job.id}/board?status=current"

    html = client.get(board).get_data(as_text=True)
    response = client.post(f"/candidates/applications/{first.id}/advance", data={"next": board})

    assert "Move to Live coding" in html
    assert "Move back to Screen…" in html
    assert "Make an offer" in html
    assert f'href="/candidates/applications/{last.id}/back?next=' in html
    assert f'formaction="/candidates/applications/{first.id}/advance"' in html
    assert response.headers["Location"] == board
    db.session.refresh(first)
    assert first.current_stage == coding


def test_cards_in_one_stage_carry_their_own_moves_and_drops(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, _) = plan(manager.team)
    active = [card(job, coding, name) for name in ("Aisha Bello", "Grace Kim")]
    held = card(job, coding, "Kenji Watanabe", S.ON_HOLD)
    erased = card(job, coding, "Erased Person", candidate__erased_at=datetime.now(UTC))

    html = client.get(f"/jobs/{job.id}/board?status=current").get_data(as_text=True)
    cards = {
        int(found.group(1)): found.group(0)
        for found in re.finditer(r'<article [^>]*id="card-(\d+)".*?</article>', html, re.S)
    }

    for application in active:
        moves = f"/candidates/applications/{application.id}/"
        assert (
            f'formaction="{moves}advance">Move to System design</button>' in cards[application.id]
        )
        assert f'"{screen.id}": {{"page": "{moves}back"}}' in cards[application.id]
    assert f'formaction="/candidates/applications/{held.id}/resume">Resume' in cards[held.id]
    assert "Move to System design" not in cards[held.id]
    assert "data-moves" not in cards[erased.id] and "<button" not in cards[erased.id]


def test_a_job_without_a_plan_says_to_build_it_first(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job = factories.JobFactory(team=manager.team)

    html = client.get(f"/jobs/{job.id}/board").get_data(as_text=True)

    assert "Build the plan first" in html
    assert f'href="/jobs/{job.id}' in html
    assert "column-" not in html


def test_a_job_without_candidates_says_to_add_one(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, _ = plan(manager.team)

    html = client.get(f"/jobs/{job.id}/board").get_data(as_text=True)

    assert "No candidates in Senior Backend Developer yet." in html
    assert f'href="/candidates/new?job_id={job.id}"' in html


def test_an_interviewer_cannot_open_the_board(client, auth):
    interviewer = auth.login(Role.INTERVIEWER)
    job, _ = plan(interviewer.team)

    assert client.get(f"/jobs/{job.id}/board").status_code == 403


@pytest.mark.parametrize("role", [Role.HIRING_MANAGER, Role.ADMIN])
def test_another_teams_board_is_not_found(client, auth, role):
    auth.login(role)
    job, (screen, *_) = plan(factories.TeamFactory())
    card(job, screen, "Aisha Bello")

    assert client.get(f"/jobs/{job.id}/board").status_code == 404


def test_the_board_runs_the_same_queries_for_3_and_60_cards_in_a_column(
    client, auth, count_queries
):
    manager = auth.login(Role.HIRING_MANAGER)
    job, stages = plan(manager.team)
    statuses = [S.ACTIVE, S.ON_HOLD, S.ACTIVE, S.OFFER, S.HIRED, S.REJECTED]

    def add(number, start):
        for index in range(start, start + number):
            # Most in the screen, the others spread over the columns.
            stage = stages[0] if index % 4 else stages[1 + index % 2]
            status = S.ACTIVE if index % 4 else statuses[index % len(statuses)]
            application = card(job, stage, f"Person {index:03}", status, days=100 - index)
            # Half with an interview to come, half with one that took place.
            days = 2 if index % 2 else -(index % 5 + 1)
            factories.InterviewFactory(
                team=manager.team,
                application=application,
                plan_stage=stage,
                starts_at=datetime.now(UTC) + timedelta(days=days),
            )

    add(3, 0)
    with count_queries() as few:
        small = client.get(f"/jobs/{job.id}/board?status=all").get_data(as_text=True)
    add(77, 3)
    with count_queries() as many:
        large = client.get(f"/jobs/{job.id}/board?status=all").get_data(as_text=True)

    assert small.count("<article") == 3
    per_column = client.application.config["BOARD_PER_COLUMN"]
    screen = [f"Person {i:03}" for i in range(80) if i % 4][:per_column]
    assert Board(large).columns["Screen"] == screen
    assert column_total(large, stages[0].id) == 60
    assert "Next interview" in large and "Interviewed <time" in large
    assert few.count == many.count, "\n".join(many.statements)


def column_total(html: str, key) -> int:
    """The count in the header of column ``key``."""
    found = re.search(rf'id="column-{key}">\s*<span>[^<]*</span>\s*<span[^>]*>(\d+)</span>', html)
    assert found, f"no column {key}"
    return int(found.group(1))


def test_a_column_shows_a_page_of_cards_its_total_and_more_on_asking(client, auth, monkeypatch):
    manager = auth.login(Role.HIRING_MANAGER)
    monkeypatch.setitem(client.application.config, "BOARD_PER_COLUMN", 3)
    monkeypatch.setitem(client.application.config, "PER_PAGE", 100)  # long lists' setting
    job, (screen, coding, _) = plan(manager.team)
    names = [f"Person {index}" for index in range(7)]
    for days, name in enumerate(names):
        card(job, screen, name, days=10 - days)  # the first the longest waiting
    card(job, screen, "Held Person", S.ON_HOLD, days=30)
    card(job, coding, "Kenji Watanabe")
    first = client.get(f"/jobs/{job.id}/board?status=active").get_data(as_text=True)

    assert Board(first).columns["Screen"] == names[:3]
    assert Board(first).columns["Live coding"] == ["Kenji Watanabe"]
    assert column_total(first, screen.id) == 7
    assert "1–3 of 7, longest waiting first" in first
    more = f"/jobs/{job.id}/board?status=active&amp;stage={screen.id}&amp;page=2"
    assert f'href="{more}">Show more<span class="visually-hidden"> of Screen</span>' in first
    assert 'Show more<span class="visually-hidden"> of Live coding' not in first

    second = client.get(more.replace("&amp;", "&")).get_data(as_text=True)
    assert Board(second).columns == {"Screen": names[3:6]}
    assert "4–6 of 7, longest waiting first" in second
    assert f"/jobs/{job.id}/board?status=active&amp;stage={screen.id}&amp;page=3" in second
    assert (
        f'href="/jobs/{job.id}/board?status=active&amp;stage={screen.id}">Show the ones before'
        in second
    )
    # A move from the second page comes back to it.
    here = f"/jobs/{job.id}/board?status=active&amp;stage={screen.id}&amp;page=2"
    assert f'name="next" value="{here}"' in second

    last = columns_of(client, job, status="active", stage=screen.id, page=3)
    assert last == {"Screen": names[6:]}
    assert columns_of(client, job, status="active", stage=screen.id, page=99) == last
    assert columns_of(client, job, status="active", stage=screen.id, page=-4)["Screen"] == names[:3]
    every = client.get(f"/jobs/{job.id}/board?status=current").get_data(as_text=True)
    assert column_total(every, screen.id) == 8
    assert Board(every).columns["Screen"] == ["Held Person", *names[:2]]


def test_the_move_buttons_share_one_form_with_the_csrf_token(client, auth, db):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, _) = plan(manager.team)
    board = f"/jobs/{job.id}/board"
    applications = [card(job, screen, "Person 0")]
    one = client.get(board).get_data(as_text=True)
    applications += [card(job, screen, f"Person {index}") for index in range(1, 5)]

    html = client.get(board).get_data(as_text=True)
    hold = client.post(f"/candidates/applications/{applications[1].id}/hold", data={"next": board})

    assert html.count("<form") == one.count("<form")
    assert html.count('name="csrf_token"') == one.count('name="csrf_token"')
    assert '<form id="board-move" method="post"' in html
    assert html.count('form="board-move"') == 10  # "Move to Live coding" and "Put on hold"
    for application in applications:
        formaction = f'formaction="/candidates/applications/{application.id}/hold"'
        assert f'form="board-move" {formaction}>Put on hold</button>' in html
    assert hold.headers["Location"] == board
    db.session.refresh(applications[1])
    assert applications[1].status is S.ON_HOLD


def test_the_stage_picker_lists_each_column_with_its_count(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, _) = plan(manager.team)
    card(job, screen, "Aisha Bello")
    card(job, screen, "Grace Kim")
    card(job, coding, "Kenji Watanabe", S.ON_HOLD)

    html = client.get(f"/jobs/{job.id}/board?status=active&stage={coding.id}").text

    assert re.search(r'<form [^>]*method="get" action="/jobs/\d+/board"', html)
    assert '<input type="hidden" name="status" value="active">' in html
    assert '<label class="form-label small mb-1" for="board-stage">Stage</label>' in html
    picker = re.search(r'<select [^>]*id="board-stage".*?</select>', html, flags=re.S).group(0)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]+)</option>', picker)
    assert options == [
        ("", "", "All stages"),
        (str(screen.id), "", "Screen · 2"),
        (str(coding.id), " selected", "Live coding · 0"),
        (str(job.stages[2].id), "", "System design · 0"),
        ("offer", "", "Offer · 0"),
        ("hired", "", "Hired · 0"),
    ]
    assert "Show stage</button>" in html


def test_the_dashboard_counts_link_to_the_board_showing_only_that_stage(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, design) = plan(manager.team)
    card(job, screen, "Aisha Bello")
    card(job, coding, "Kenji Watanabe")
    card(job, coding, "Tomasz Kowalski", S.ON_HOLD)
    card(job, design, "Mei Chen", S.OFFER)

    dashboard = client.get("/dashboard").get_data(as_text=True)
    links = dict(
        (name.strip(), href.replace("&amp;", "&"))
        for href, name in re.findall(
            r'<a class="stage-count-link" href="([^"]+)"><span class="stage-count-name">'
            r"(?:\d+\. )?([^<]+)<",
            dashboard,
        )
    )

    assert links == {
        "Screen": f"/jobs/{job.id}/board?stage={screen.id}",
        "Live coding": f"/jobs/{job.id}/board?stage={coding.id}",
        "System design": f"/jobs/{job.id}/board?stage={design.id}",
        "Offer": f"/jobs/{job.id}/board?stage=offer",
        "Hired": f"/jobs/{job.id}/board?stage=hired",
    }
    board = client.get(links["Live coding"]).get_data(as_text=True)
    assert Board(board).columns == {"Live coding": ["Kenji Watanabe", "Tomasz Kowalski"]}
    assert "Showing one stage: <strong>Live coding</strong>." in board
    assert f'<a href="/jobs/{job.id}/board?status=current">Show all stages</a>' in board
    assert columns_of(client, job, stage="offer") == {"Offer": ["Mei Chen"]}


def test_the_stage_filter_keeps_the_status_filter_and_the_moves_come_back_to_it(client, auth):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, coding, _) = plan(manager.team)
    card(job, coding, "Kenji Watanabe")
    card(job, coding, "Tomasz Kowalski", S.ON_HOLD)

    html = client.get(f"/jobs/{job.id}/board?stage={coding.id}&status=on_hold").text

    assert Board(html).columns == {"Live coding": ["Tomasz Kowalski"]}
    assert f"/jobs/{job.id}/board?status=active&amp;stage={coding.id}" in html
    assert f'name="next" value="/jobs/{job.id}/board?status=on_hold&amp;stage={coding.id}"' in html


@pytest.mark.parametrize("stage", ["999999", "bogus", ""])
def test_an_unknown_stage_shows_every_column(client, auth, stage):
    manager = auth.login(Role.HIRING_MANAGER)
    job, (screen, *_) = plan(manager.team)
    card(job, screen, "Aisha Bello")

    columns = columns_of(client, job, stage=stage)

    assert list(columns) == [*STAGES, "Offer", "Hired"]

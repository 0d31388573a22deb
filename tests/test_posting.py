"""The posting checker: each rule with what it must catch and what it must let pass.

Wording rules match whole words (or stems) case-insensitively, so the false positives worth
guarding are words that contain a listed one ("the" for "he", "Youngstown" for "young") and
mentions that are not about the person being hired ("Bob's native English is great").
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from interviewer.plans.models import EmploymentType, Job, Workplace
from interviewer.plans.posting import FindingKind, check_posting, check_texts, process_summary
from interviewer.plans.posting_words import load_word_lists
from tests import factories


def wording(text: str) -> dict[str, tuple[str, ...]]:
    """The wording findings of ``text``: title -> words."""
    findings, _ = check_texts([("description", text)])
    return {finding.title: finding.words for finding in findings}


def good_job(**fields) -> Job:
    """A posting that states everything (not saved: the checker reads attributes only)."""
    values = dict(
        title="Senior Backend Developer",
        description="You will build and run the services behind our product.",
        location="Berlin",
        workplace=Workplace.HYBRID,
        employment_type=EmploymentType.EMPLOYEE,
        contract_months=None,
        salary_min=Decimal("90000"),
        salary_max=Decimal("120000"),
        salary_currency="USD",
        posted_on=date.today(),
        closes_on=date.today() + timedelta(days=30),
    )
    values.update(fields)
    return Job(**values)


@pytest.fixture
def stages(db):
    return [factories.PlanStageFactory(stage_type__key="screen", duration_minutes=30)]


# Exclusionary wording ----------


@pytest.mark.parametrize(
    ("text", "group", "words"),
    [
        ("We want a coding ninja and a rockstar.", "Jargon", ("ninja", "rockstar")),
        ("Join our team of Python gurus!", "Jargon", ("gurus",)),
        ("A young and energetic team.", "Age", ("young",)),
        ("Ideal for a digital-native builder.", "Age", ("digital-native",)),
        ("Native English speaker required.", "National origin", ("Native English",)),
        ("Requirements:\n- native speaker of German", "National origin", ("native speaker",)),
        ("We lack the manpower to ship fast.", "Gendered wording", ("manpower",)),
        ("The ideal candidate knows Go. He will own billing.", "Gendered pronoun", ("He",)),
        ("We are looking for a developer. She must know SQL.", "Gendered pronoun", ("She",)),
        ("He or she must know SQL.", "Gendered pronoun", ("He or she",)),
    ],
)
def test_exclusionary_words_are_errors_with_their_reason(db, text, group, words):
    findings, _ = check_texts([("description", text)])
    finding = next(f for f in findings if f.title == group)
    assert finding.kind == FindingKind.ERROR
    assert finding.words == words
    assert finding.places == ("description",)
    assert len(finding.reason) > 40


@pytest.mark.parametrize(
    "text",
    [
        # Words that merely contain a listed word.
        "The shell, hello, other, theory, thesis.",
        "Our office is in Youngstown; ask Ms Gurung about parking.",
        "We run a Ninjago fan club on Fridays.",
        # Not about the person being hired.
        "Bob's native English is great, and he edits our blog.",
        "You will join the payments team. She will be your mentor.",
        "Our founder started the company in 2015; he still writes code.",
    ],
)
def test_words_that_only_look_exclusionary_pass(db, text):
    assert wording(text) == {}


def test_the_same_word_is_listed_once_as_first_written(db):
    assert wording("Ninja wanted. Are you a ninja? NINJA!")["Jargon"] == ("Ninja",)


def test_vague_pay_and_culture_fit_are_warnings(db):
    findings, _ = check_texts([("description", "Competitive salary and a great culture fit.")])
    assert {f.title: f.kind for f in findings} == {
        "Vague pay": FindingKind.WARNING,
        "Culture fit": FindingKind.WARNING,
    }


# Gender-coded words ----------


def test_leadership_in_a_fair_text_is_only_a_coded_word_count(db, stages):
    job = good_job(description="You will share the technical leadership of a team of five.")
    check = check_posting(job, stages)
    assert [(f.kind, f.rule) for f in check.findings] == [(FindingKind.INFO, "coded_balance")]
    assert check.balance.masculine == {"leadership": 1}
    assert check.problem_count == 0


def test_stems_match_every_word_they_start(db):
    _, balance = check_texts([("description", "Lead, leader, leading; we support supportive.")])
    assert balance.masculine == {"lead": 1, "leader": 1, "leading": 1}
    assert balance.feminine == {"support": 1, "supportive": 1}


def test_a_phrase_stem_counts_a_word_once(db):
    _, balance = check_texts([("description", "Self-confident and confident.")])
    assert balance.masculine == {"self-confident": 1, "confident": 1}


def test_masculine_leaning_wording_is_a_warning_never_an_error(db, stages):
    text = "A competitive, assertive, decisive leader who dominates challenges."
    check = check_posting(good_job(description=text), stages)
    (coded,) = [f for f in check.findings if f.rule == "coded_balance"]
    assert coded.kind == FindingKind.WARNING
    assert coded.title == "Leans masculine"
    assert "competitive" in coded.words
    assert check.errors == []


def test_balanced_coded_wording_is_information(db):
    _, balance = check_texts(
        [("description", "A competitive leader who supports and understands the team.")]
    )
    finding = balance.finding()
    assert finding.kind == FindingKind.INFO
    assert "2 masculine-coded, 2 feminine-coded" in finding.reason


# Salary ----------


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Salary: 80k+ plus bonus.", "80k+"),
        ("We pay $80,000+ a year.", "$80,000+"),
        ("Compensation starting at €75.000.", "starting at €75.000"),
        ("Base salary from 90k, depending on level.", "from 90k"),
        ("Pay: up to 120k USD.", "up to 120k"),
        ("Salary 70k or more.", "70k or more"),
    ],
)
def test_an_open_ended_salary_in_the_text_is_an_error(db, text, figure):
    findings, _ = check_texts([("description", text)])
    (finding,) = [f for f in findings if f.rule == "salary"]
    assert finding.kind == FindingKind.ERROR
    assert finding.words == (figure,)


@pytest.mark.parametrize(
    "text",
    [
        "Salary from $90,000 to $120,000.",
        "Salary: 90k-120k USD.",
        "5+ years of Python; we pay well.",
        "Our API serves 10k+ requests a second.",
        "Up to $1,000 for your home office equipment.",
    ],
)
def test_closed_ranges_and_other_figures_pass(db, text):
    findings, _ = check_texts([("description", text)])
    assert [f for f in findings if f.rule == "salary"] == []


def test_missing_salary_range_is_an_error(db, stages):
    check = check_posting(good_job(salary_min=None, salary_max=None), stages)
    assert [f.title for f in check.errors] == ["No salary range"]


@pytest.mark.parametrize("missing", ["salary_min", "salary_max"])
def test_a_range_with_one_end_is_open_ended(db, stages, missing):
    check = check_posting(good_job(**{missing: None}), stages)
    assert [f.title for f in check.errors] == ["Open-ended salary range"]


# The other facts ----------


def test_a_complete_posting_has_no_finding(db, stages):
    assert check_posting(good_job(), stages).findings == []


def test_missing_closing_date_is_an_error(db, stages):
    check = check_posting(good_job(closes_on=None), stages)
    assert [f.title for f in check.errors] == ["No closing date"]


def test_a_contract_without_duration_is_an_error(db, stages):
    check = check_posting(good_job(employment_type=EmploymentType.CONTRACT), stages)
    assert [f.title for f in check.errors] == ["Contract without duration"]
    contract = good_job(employment_type=EmploymentType.CONTRACT, contract_months=6)
    assert check_posting(contract, stages).errors == []


def test_no_plan_stage_means_no_process_described(db):
    check = check_posting(good_job(), [])
    assert [f.title for f in check.errors] == ["No interview process described"]


def test_a_remote_job_needs_no_location(db, stages):
    assert check_posting(good_job(location="", workplace=Workplace.REMOTE), stages).findings == []
    onsite = check_posting(good_job(location="", workplace=Workplace.ONSITE), stages)
    assert [f.title for f in onsite.warnings] == ["No location"]


def test_errors_come_before_warnings_and_notes(db):
    job = good_job(description="A competitive leader. Culture fit matters.", closes_on=None)
    kinds = [f.kind for f in check_posting(job, []).findings]
    assert kinds == sorted(kinds, key=["error", "warning", "info"].index)
    assert kinds[0] == FindingKind.ERROR and kinds[-1] == FindingKind.INFO


def test_candidate_facing_kit_text_is_checked_too(db):
    kit = factories.KitVersionFactory(what_to_expect="Our gurus pair with you for an hour.")
    stage = kit.plan_stage
    check = check_posting(good_job(), [stage])
    (jargon,) = [f for f in check.findings if f.title == "Jargon"]
    assert jargon.places == (f"“{stage.name}” what to expect",)


# The team's word list ----------


def test_a_team_file_adds_groups_and_disables_built_in_terms(db, tmp_path):
    extra = tmp_path / "words.toml"
    extra.write_text(
        'disabled = ["connect*"]\n'
        "[[group]]\n"
        'name = "House jargon"\n'
        'kind = "warning"\n'
        'reason = "Nobody outside the team knows what a crusher is."\n'
        'terms = ["crusher", "crushers"]\n'
        "[coded]\n"
        'feminine = ["caring"]\n'
    )
    lists = load_word_lists(extra)
    findings, balance = check_texts(
        [("description", "Crushers wanted: caring people who connect services.")], lists
    )
    assert [(f.title, f.kind, f.words) for f in findings] == [
        ("House jargon", FindingKind.WARNING, ("Crushers",))
    ]
    assert balance.feminine == {"caring": 1}


def test_an_unreadable_team_file_keeps_the_built_in_lists_and_says_so(db, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[[group]\nname = ")
    findings, _ = check_texts([("description", "A ninja.")], load_word_lists(broken))
    assert [f.title for f in findings] == ["Jargon", "Team word list"]
    assert findings[1].kind == FindingKind.INFO


def test_the_configured_team_file_reaches_the_preview(app, client, auth, tmp_path, monkeypatch):
    extra = tmp_path / "words.toml"
    extra.write_text(
        '[[group]]\nname = "House jargon"\nreason = "Say what you mean."\nterms = ["crusher"]\n'
    )
    monkeypatch.setitem(app.config, "POSTING_WORDS_FILE", str(extra))
    user = auth.login("hiring_manager")
    job = factories.JobFactory(team=user.team, description="Bug crusher wanted.")
    page = client.get(f"/jobs/{job.id}/preview").get_data(as_text=True)
    assert "House jargon" in page and "Say what you mean." in page


# The process summary ----------


def test_the_process_summary_counts_stages_by_type(db):
    job = factories.JobFactory()
    kinds = [("screen", 30), ("live_coding", 90), ("whiteboard", 60), ("live_coding", 60)]
    kinds += [("final", 45), ("behavioral", 30)]
    for position, (key, minutes) in enumerate(kinds, start=1):
        factories.PlanStageFactory(
            team=job.team,
            job=job,
            position=position,
            stage_type__key=key,
            duration_minutes=minutes,
        )
    summary = process_summary(job.stages)
    assert [s.type_key for s in summary.stages] == [k for k, _ in kinds]
    assert summary.live_coding_count == 2
    assert summary.whiteboard_count == 1
    assert summary.steps_until_final == 4
    assert summary.total_minutes == 315
    assert summary.total == "5 h 15 min"


def test_without_a_final_stage_every_step_counts(db):
    stage = factories.PlanStageFactory(stage_type__key="screen", duration_minutes=45)
    summary = process_summary([stage])
    assert (summary.steps_until_final, summary.has_final, summary.total) == (1, False, "45 min")

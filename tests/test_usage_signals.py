"""The features above answer the questions of the features below them through signals."""

from __future__ import annotations

from interviewer import create_app
from interviewer.candidates import signals as candidate_signals
from interviewer.candidates.portal_links import portal_url
from interviewer.catalog import services as catalog
from interviewer.catalog import signals as catalog_signals
from interviewer.plans import signals as plans_signals
from tests import factories

SIGNALS = {
    catalog_signals.skill_usage: 2,
    catalog_signals.level_jobs: 1,
    plans_signals.stage_interviews: 1,
    plans_signals.stage_candidates: 1,
    candidate_signals.portal_link: 1,
}


def _receivers() -> dict:
    return {signal.name: len(signal.receivers) for signal in SIGNALS}


def test_each_answer_is_connected_once_however_many_apps_are_made(app, tmp_path):
    assert _receivers() == {signal.name: count for signal, count in SIGNALS.items()}
    create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.db'}")
    assert _receivers() == {signal.name: count for signal, count in SIGNALS.items()}


def test_the_uses_of_a_skill_keep_each_feature_s_lines_together_by_their_first_line(db):
    skill = factories.SkillFactory(name="System design")
    stage = factories.PlanStageFactory(
        team=skill.team, name="Architecture chat", job__title="Senior Backend Developer"
    )
    stage.focus_skills.append(skill)
    factories.RatingFactory(team=skill.team, skill=skill)
    db.session.flush()

    def archive(sender, **kwargs):
        return ["archived in a report", "written in a second line"]

    with catalog_signals.skill_usage.connected_to(archive):
        uses = catalog.skill_usage(db.session, skill)

    assert uses == [
        "archived in a report",
        "written in a second line",
        "focus skill in Senior Backend Developer (Architecture chat)",
        "rated on 1 scorecard",
    ]


def test_a_private_link_has_no_address_when_no_face_serves_it(app, db):
    application = factories.ApplicationFactory()
    with app.test_request_context():
        assert portal_url(application).startswith("/portal/")
        with candidate_signals.portal_link.muted():
            assert portal_url(application) is None

from tests import factories


def test_every_factory_builds_a_row_in_one_team(db):
    interview = factories.PanelMemberFactory().interview
    rating = factories.RatingFactory(scorecard__interview=interview, team=interview.team)
    assert rating.scorecard.application is interview.application
    assert {interview.team_id, interview.application.job.level.team_id, rating.skill.team_id} == {
        interview.team_id
    }

"""The links a list builds once and completes per row are the links ``url_for`` makes."""

from __future__ import annotations

from flask import url_for

from interviewer.dashboard.links import RowLink, interview_links, overview_links


def test_a_row_link_is_the_link_url_for_makes(app):
    with app.test_request_context():
        kit = RowLink("plans.kit", "job_id", "stage_id")
        board = RowLink("dashboard.board", "job_id")
        for job_id, stage_id in ((1, 2), (42, 7), (2147483647, 10)):
            assert kit(job_id, stage_id) == url_for("plans.kit", job_id=job_id, stage_id=stage_id)
            assert kit(job_id, stage_id, version=3) == url_for(
                "plans.kit", job_id=job_id, stage_id=stage_id, version=3
            )
            assert kit(job_id, stage_id, version=None) == kit(job_id, stage_id)
            for stage in (stage_id, "offer", "hired"):
                assert board(job_id, stage=stage) == url_for(
                    "dashboard.board", job_id=job_id, stage=stage
                )


def test_the_pages_links_name_their_routes(app):
    with app.test_request_context():
        mine, overview = interview_links(), overview_links()
        assert mine.interview(5) == url_for("scheduling.interview", interview_id=5)
        assert mine.invite(5) == url_for("scheduling.invite_ics", interview_id=5)
        assert mine.scorecard(5) == url_for("scorecards.scorecard", interview_id=5)
        assert mine.job(9) == overview.job(9) == url_for("plans.job", job_id=9)
        assert overview.candidate(8) == url_for("dashboard.candidate", candidate_id=8)

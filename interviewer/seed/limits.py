"""The demo team's scheduling comfort: a 10-minute break between one interviewer's
interviews, and daily limits for two interviewers, set through the settings services as the
admin and the interviewers would, before any interview is booked (so every demo booking
keeps them)."""

from __future__ import annotations

from interviewer.scheduling import settings
from interviewer.seed.setup import Demo

#: Minutes between two interviews of one interviewer.
MIN_BREAK = 10
#: Most interviews a day, by user key.
DAILY_LIMITS = {"marcus": 2, "sofia": 3}


def build(demo: Demo) -> None:
    """Give the team its minimum break and two interviewers their daily limits."""
    team = demo.team
    settings.update_team_scheduling(
        demo.session,
        team,
        demo.admin,
        min_break_minutes=MIN_BREAK,
        shadow_interviews=team.shadow_interviews,
        reverse_shadow_interviews=team.reverse_shadow_interviews,
        booking_offer_hours=team.booking_offer_hours,
        video_link_base=team.video_link_base,
    )
    for key, limit in DAILY_LIMITS.items():
        user = demo.users[key]
        settings.update_personal(demo.session, user, daily_limit=limit, video_link=user.video_link)

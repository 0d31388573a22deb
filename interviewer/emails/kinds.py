"""Each kind of candidate email: what it is for, the variables its text may use (with the
demo values a preview shows), and the built-in text that applies until a team edits it."""

from __future__ import annotations

from dataclasses import dataclass

from interviewer.emails.models import CandidateEmailKind as K


@dataclass(frozen=True)
class Variable:
    name: str
    description: str
    #: What a preview shows for it.
    demo: str | bool


@dataclass(frozen=True)
class Kind:
    kind: K
    label: str
    #: When the email goes, in a sentence for the editor.
    when: str
    variables: tuple[Variable, ...]
    subject: str
    body: str

    @property
    def names(self) -> frozenset[str]:
        return frozenset(variable.name for variable in self.variables)

    def demo_values(self) -> dict[str, str | bool]:
        return {variable.name: variable.demo for variable in self.variables}


#: Every email has these.
COMMON = (
    Variable("candidate_name", "The candidate's full name.", "Ana Costa"),
    Variable("first_name", "The candidate's first name.", "Ana"),
    Variable("job_title", "The job they applied to.", "Senior Backend Developer"),
    Variable("team_name", "Your team's name.", "Acme Engineering"),
    Variable(
        "portal_link",
        "Their private page with every step of the process (empty when there is none).",
        "https://hiring.example.com/portal/demo-link",
    ),
)
#: The interview emails have these too.
INTERVIEW = (
    Variable("stage_name", "The plan stage, e.g. Live coding.", "Live coding"),
    Variable(
        "interview_name",
        "The stage as an interview, e.g. Live coding interview.",
        "Live coding interview",
    ),
    Variable(
        "interview_time",
        "When it is, in the candidate's time zone.",
        "Tue 17 Mar, 15:00-16:00 (Berlin time)",
    ),
)
BOOKING = (
    Variable("location", "Where it is held (empty when remote).", ""),
    Variable(
        "video_link", "The video call link (empty when in person).", "https://meet.example.com/abc"
    ),
    Variable("interviewers", "The panel's first names, e.g. Dana, Eli.", "Dana, Eli"),
    Variable(
        "what_to_expect",
        "The stage's candidate-facing text from its interview kit (may be empty).",
        "A 60-minute pairing session in a shared editor; bring your own questions too.",
    ),
)

_SIGN_OFF = """{% if portal_link %}

Your whole process, step by step: {{ portal_link }}
{% endif %}

{{ team_name }} hiring team"""

_BOOKED_BODY = (
    """Hello {{ first_name }},

Your {{ interview_name }} for {{ job_title }} at {{ team_name }} {{ verb }}:

  When: {{ interview_time }}
{% if location %}
  Where: {{ location }}
{% endif %}
{% if video_link %}
  Join: {{ video_link }}
{% endif %}
  With: {{ interviewers }}
{% if what_to_expect %}

What to expect:
{{ what_to_expect }}
{% endif %}

The attached calendar file adds the interview to your calendar."""
    + _SIGN_OFF
)

KINDS: dict[K, Kind] = {
    kind.kind: kind
    for kind in (
        Kind(
            K.APPLICATION_RECEIVED,
            "Application received",
            "When a candidate applies on the careers page.",
            COMMON,
            "We received your application for {{ job_title }}",
            """Hello {{ first_name }},

Thank you for applying for {{ job_title }} at {{ team_name }}. Your application is in, and we \
will review it carefully and come back to you whatever we decide.
{% if portal_link %}

Follow your application, and see every step of our interview process and what to expect, on \
your private page (no account needed; keep the link to yourself):
{{ portal_link }}
{% endif %}

You do not need to reply to this email.

{{ team_name }} hiring team""",
        ),
        Kind(
            K.INTERVIEW_INVITATION,
            "Interview invitation",
            "When an interview is booked; the calendar file is attached.",
            COMMON + INTERVIEW + BOOKING,
            "Interview booked: {{ stage_name }} for {{ job_title }}",
            _BOOKED_BODY.replace("{{ verb }}", "is booked"),
        ),
        Kind(
            K.INTERVIEW_RESCHEDULED,
            "Interview rescheduled",
            "When an interview moves or its panel, place or link changes; the updated "
            "calendar file is attached.",
            COMMON
            + INTERVIEW
            + BOOKING
            + (
                Variable(
                    "time_changed", "Yes when the time moved, no when only details changed.", True
                ),
                Variable(
                    "previous_time", "When it was before.", "Mon 16 Mar, 10:00-11:00 (Berlin time)"
                ),
            ),
            "Interview {{ 'moved' if time_changed else 'updated' }}: {{ stage_name }} for "
            "{{ job_title }}",
            _BOOKED_BODY.replace(
                "{{ verb }}",
                "{{ 'has moved to a new time' if time_changed else 'has been updated' }}",
            ),
        ),
        Kind(
            K.INTERVIEW_CANCELLED,
            "Interview cancelled",
            "When an interview is cancelled (not when the application closes: the rejection or "
            "withdrawal email says it then); the cancelling calendar file is attached.",
            COMMON + INTERVIEW,
            "Interview cancelled: {{ stage_name }} for {{ job_title }}",
            """Hello {{ first_name }},

Your {{ interview_name }} for {{ job_title }} at {{ team_name }} is cancelled:

  When: {{ interview_time }}

We are sorry for the change; we will be in touch about what comes next."""
            + _SIGN_OFF,
        ),
        Kind(
            K.MOVED_ON,
            "Moved to the next stage",
            "When a manager moves an application on to the next stage of the plan.",
            COMMON
            + (
                Variable("stage_name", "The stage they move on to.", "System design"),
                Variable(
                    "what_to_expect",
                    "The stage's candidate-facing text from its interview kit (may be empty).",
                    "A 45-minute conversation about designing a service you know well.",
                ),
            ),
            "Next step for {{ job_title }}: {{ stage_name }}",
            """Hello {{ first_name }},

Good news: your application for {{ job_title }} at {{ team_name }} moves on to the next step, \
{{ stage_name }}. We will be in touch soon to find a time that suits you.
{% if what_to_expect %}

What to expect:
{{ what_to_expect }}
{% endif %}"""
            + _SIGN_OFF,
        ),
        Kind(
            K.REJECTION,
            "Rejection",
            "When an application is rejected; a text kept for the reason goes instead of this one.",
            COMMON + (Variable("stage_name", "The stage they reached.", "Live coding"),),
            "Your application for {{ job_title }} at {{ team_name }}",
            """Hello {{ first_name }},

Thank you for the time and care you gave to your application for {{ job_title }} at \
{{ team_name }}. We have decided not to go further with it.

This was not an easy decision, and it is not a judgement of you as a person. We wish you \
the very best in your search."""
            + "\n\n{{ team_name }} hiring team",
        ),
        Kind(
            K.WITHDRAWAL,
            "Withdrawal confirmed",
            "When an application is marked withdrawn at the candidate's request.",
            COMMON,
            "Your application for {{ job_title }} is withdrawn",
            """Hello {{ first_name }},

As you asked, we have withdrawn your application for {{ job_title }} at {{ team_name }}.

Thank you for your interest. If you change your mind, or another role of ours catches \
your eye, you are welcome to apply again."""
            + "\n\n{{ team_name }} hiring team",
        ),
    )
}


def kind_of(kind: K | str) -> Kind:
    """The description of ``kind``; raises ``ValueError`` for a kind that does not exist."""
    return KINDS[K(kind)]

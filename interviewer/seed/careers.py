"""Applications that came in through the careers page: each with a small generated PDF CV,
kept through the storage like any upload, a note, a consent and its email in the outbox."""

from __future__ import annotations

from datetime import timedelta

from interviewer.candidates.applying import ApplicationInput, Upload, submit_application
from interviewer.emails.models import CandidateEmailKind
from interviewer.emails.services import queue_candidate_email
from interviewer.seed.cv_pdf import minimal_pdf
from interviewer.seed.setup import Demo

#: ``(name, email, time zone, job key, days ago, note, link)`` of each careers-page applicant.
APPLICANTS = (
    (
        "Priya Raman",
        "priya.raman@example.net",
        "Asia/Kolkata",
        "senior",
        2,
        "I led the move of a payments API to idempotent retries; happy to talk it through.",
        "https://code.example.net/priya",
    ),
    (
        "Tomás Herrera",
        "tomas.herrera@example.net",
        "America/Bogota",
        "middle",
        1,
        "Four years of Django and PostgreSQL at a logistics start-up.",
        "https://code.example.net/tomas",
    ),
    (
        "Lena Vogt",
        "lena.vogt@example.net",
        "Europe/Berlin",
        "junior",
        3,
        "",
        "",
    ),
)
#: Big enough for any CV the demo sends.
MAX_CV_BYTES = 1024 * 1024


def cv_of(name: str, job_title: str) -> bytes:
    """A one-page PDF CV for ``name``."""
    return minimal_pdf(
        [
            name,
            f"Curriculum vitae, applying for {job_title}",
            "",
            "Experience: back-end services, databases, tests and on-call.",
            "Education: BSc Computer Science.",
        ]
    )


def build(demo: Demo) -> None:
    """Apply each applicant through the careers page's own service."""
    for name, email, timezone, job_key, days_ago, note, link in APPLICANTS:
        job = demo.jobs[job_key]
        when = demo.now - timedelta(days=days_ago, hours=3)
        with demo.at(when):
            application = submit_application(
                demo.session,
                job,
                ApplicationInput(
                    name=name, email=email, timezone=timezone, links=link, cover_note=note
                ),
                Upload(f"{name.split()[0]} CV.pdf", cv_of(name, job.title)),
                max_cv_bytes=MAX_CV_BYTES,
                now=when,
            )
            queue_candidate_email(
                demo.session, application, CandidateEmailKind.APPLICATION_RECEIVED, now=when
            )

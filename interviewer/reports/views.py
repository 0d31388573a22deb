"""What every report view does: read the filter from the query string, and render its page
inside the reports' frame (heading, filter form, tabs, CSV link, what the range counts)."""

from __future__ import annotations

from datetime import date

from flask import Response, current_app, g, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, text

from interviewer.catalog.access import get_level_or_404
from interviewer.catalog.models import Level
from interviewer.db import utcnow
from interviewer.extensions import db
from interviewer.plans.access import get_job_or_404
from interviewer.plans.models import Job
from interviewer.reports.catalogue import INTERVIEWS, REPORTS, ReportLink, report_for
from interviewer.reports.exports import csv_response
from interviewer.reports.filters import DEFAULT_DAYS, ReportFilter, default_range
from interviewer.reports.forms import ReportFilterForm

#: The memory each sort and hash of a report's statements may take on PostgreSQL. The
#: reports rank and group every rating or stay of the range at once (90,000 ratings at a
#: big company's size over 180 days): with the server's usual 4 MB those sorts spill to
#: disk. 16 MB holds them; much more makes the planner hash-aggregate three years of
#: ratings and sort them again, which is slower than one sort that spills a little.
REPORT_WORK_MEM = "16MB"


def has_endpoint(endpoint: str) -> bool:
    """Whether a report's view is there."""
    return endpoint in current_app.view_functions


def visible_reports() -> list[ReportLink]:
    """The reports the signed-in user may open, whose views are there."""
    return [
        link for link in REPORTS if current_user.role in link.roles and has_endpoint(link.endpoint)
    ]


def report_filter() -> ReportFilter:
    """The filter of the query string (``job``, ``level``, ``from``, ``to``) for the
    signed-in user's team. Another team's job or level is a 404; a date that is not one, or
    a start after the end, leaves a message on the page and the default range."""
    if "report_filter" in g:
        return g.report_filter
    _tune_for_reports()
    form = ReportFilterForm(formdata=request.args)
    form.job.choices = [("", "All jobs")] + [(str(i), title) for i, title in _jobs()]
    form.level.choices = [("", "All levels")] + [(str(i), name) for i, name in _levels()]
    job = get_job_or_404(request.args["job"]) if request.args.get("job") else None
    level = get_level_or_404(request.args["level"]) if request.args.get("level") else None
    start, end, g.report_messages = _range(form)
    g.report_form = form
    g.report_filter = ReportFilter(
        team_id=current_user.team_id,
        start=start,
        end=end,
        job_id=job.id if job else None,
        level_id=level.id if level else None,
    )
    return g.report_filter


def _tune_for_reports() -> None:
    """Tune this request's transaction for a report, on PostgreSQL only: ``REPORT_WORK_MEM``
    for its sorts, and no JIT compilation, which takes 50 to 120 ms for each long
    statement that runs once and saves less than that. ``set_config(..., true)`` is
    ``SET LOCAL``: it ends with the transaction, so other requests keep the server's
    settings."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT set_config('work_mem', :work_mem, true), set_config('jit', 'off', true)"),
            {"work_mem": REPORT_WORK_MEM},
        )


def _jobs() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Job.id, Job.title)
        .where(Job.team_id == current_user.team_id)
        .order_by(Job.title, Job.id)
    )
    return rows.all()


def _levels() -> list[tuple[int, str]]:
    rows = db.session.execute(
        select(Level.id, Level.name)
        .where(Level.team_id == current_user.team_id)
        .order_by(Level.position, Level.id)
    )
    return rows.all()


def _range(form: ReportFilterForm) -> tuple[date, date, list[str]]:
    """The range the form asks for, or the default one with what was wrong; the form's
    date fields are set to the range used."""
    default_start, default_end = default_range(utcnow().date())
    messages = []
    if not form.validate():
        messages = [
            f"{form[name].label.text}: {' '.join(errors)}" for name, errors in form.errors.items()
        ]
        start, end = default_start, default_end
    else:
        end = form.end.data or (
            default_end if form.start.data is None else max(default_end, form.start.data)
        )
        start = form.start.data or (end - (default_end - default_start))
        if start > end:
            messages = ["The start date is after the end date."]
            start, end = default_start, default_end
    if messages:
        messages.append(f"Showing the last {DEFAULT_DAYS} days instead.")
    for field, value in ((form.start, start), (form.end, end)):
        field.raw_data, field.data = [], value
    return start, end, messages


def filter_args(report_filter: ReportFilter) -> dict[str, str | int]:
    """The query string that asks for ``report_filter`` again (for links and the CSV)."""
    args: dict[str, str | int] = {
        "from": report_filter.start.isoformat(),
        "to": report_filter.end.isoformat(),
    }
    if report_filter.job_id is not None:
        args["job"] = report_filter.job_id
    if report_filter.level_id is not None:
        args["level"] = report_filter.level_id
    return args


def report_download(name: str, compute, to_csv) -> Response:
    """The report ``compute(session, filter)`` gives for the request's filters, as the CSV
    file ``to_csv`` writes of it."""
    current = report_filter()
    header, rows = to_csv(compute(db.session, current))
    return csv_response(csv_filename(name, current), header, rows)


def csv_filename(name: str, report_filter: ReportFilter) -> str:
    """``funnel-2026-06-06-to-2026-12-02.csv``: the report and its range."""
    return f"{name}-{report_filter.start.isoformat()}-to-{report_filter.end.isoformat()}.csv"


def range_note(link: ReportLink | None, report_filter: ReportFilter) -> str:
    """What the range counts, as the page says it."""
    what = (
        "interviews held"
        if link is not None and link.counts == INTERVIEWS
        else "applications received"
    )
    start, end = (f"{day.day} {day:%b %Y}" for day in (report_filter.start, report_filter.end))
    return f"Counts the {what} from {start} to {end} (days in UTC)."


def render_report(template: str, **context) -> str:
    """``template`` (which extends ``reports/base.html``) with the frame's context: the
    filter form and its messages, the tabs, the CSV link keeping the filter, the range
    note (a ``range_note`` in ``context`` replaces it)."""
    current = report_filter()
    link = report_for(request.endpoint)
    csv_url = None
    if link is not None and has_endpoint(link.csv_endpoint):
        csv_url = url_for(link.csv_endpoint, **filter_args(current))
    context.setdefault("range_note", range_note(link, current))
    return render_template(
        template,
        report=link,
        report_tabs=visible_reports(),
        filter_form=g.report_form,
        filter_messages=g.report_messages,
        report_filter=current,
        csv_url=csv_url,
        filter_query=filter_args(current),
        **context,
    )

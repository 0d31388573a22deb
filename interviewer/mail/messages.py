"""The MIME message of an outbox email, with its calendar file when it has one."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from interviewer.mail.models import OutboxEmail


def build_message(email: OutboxEmail, sender: str) -> EmailMessage:
    """The MIME message: the text, the calendar part that mail clients offer to accept, and
    the same file as an ``invite.ics`` attachment."""
    message = EmailMessage()
    message["From"] = from_header(email, sender)
    message["To"] = formataddr((email.to_name, email.to_email)) if email.to_name else email.to_email
    message["Subject"] = email.subject
    message["Date"] = format_datetime(email.created_at)
    message["Message-ID"] = make_msgid(domain=parseaddr(sender)[1].rpartition("@")[2] or None)
    message.set_content(email.body)
    if email.ics:
        params = {"method": email.method} if email.method else {}
        message.add_alternative(email.ics, subtype="calendar", params=params)
        message.add_attachment(
            email.ics.encode(), maintype="application", subtype="ics", filename="invite.ics"
        )
    return message


def from_header(email: OutboxEmail, sender: str) -> str:
    """``sender`` (``MAIL_FROM``, perhaps with a name), or its address under the email's own
    sender name when it has one (the team's name, to a candidate)."""
    if not email.from_name:
        return sender
    address = parseaddr(sender)[1] or sender
    return formataddr((email.from_name, address))

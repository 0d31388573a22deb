"""Mail: the outbox table, mail settings, message building and SMTP delivery.

Shared infrastructure below the features: it imports none of them. A feature writes its own
wording and queues the email in the same transaction as its change
(:func:`interviewer.mail.outbox.queue_emails`); ``flask send-mail`` and the worker deliver
the outbox (:func:`interviewer.mail.delivery.deliver_due`), and admins read it at
``/admin/outbox``.
"""

from flask import Blueprint

# Importing the package connects its answer to the users page's question (auth's signal).
from interviewer.mail import notices  # noqa: F401

bp = Blueprint("mail", __name__)

"""Mail: the outbox table, mail settings, message building and SMTP delivery.

Shared infrastructure below the features: it imports none of them. A feature writes its own
wording and queues the email in the same transaction as its change
(:func:`interviewer.mail.outbox.queue_emails`); ``flask send-mail`` delivers the outbox, and
admins read it at ``/admin/outbox``.
"""

from flask import Blueprint

bp = Blueprint("mail", __name__)

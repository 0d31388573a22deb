"""Extension instances, bound to the app in ``create_app``. Imports nothing of ours but ``db``."""

from flask import session
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from interviewer.db import Base


class CheckedCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF protection, refusing a token that is signed with the key but holds
    something other than the text Flask-WTF writes (a list, non-ASCII text) as it refuses
    a forged one, with a 400; Flask-WTF itself would fail comparing them (a 500)."""

    def protect(self, *args, **kwargs):
        try:
            return super().protect(*args, **kwargs)
        except TypeError:  # hmac.compare_digest on what no genuine token holds
            self._error_response("The CSRF token is invalid.")


class CheckedLoginManager(LoginManager):
    """Flask-Login's manager, checking where a session comes from ("strong" protection)
    only when the session signs someone in.

    A visitor's session holds no more than a CSRF token, with no origin noted in it, so
    Flask-Login would find it foreign on every request and "clear" it: a signed session
    cookie and the deletion of a remember cookie (which this app never sets) sent again
    with every page. There is nothing in it to protect."""

    def _session_protection_failed(self):
        if "_user_id" not in session:
            return False
        return super()._session_protection_failed()


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = CheckedLoginManager()
csrf = CheckedCSRFProtect()
limiter = Limiter(key_func=get_remote_address)
bootstrap = Bootstrap5()

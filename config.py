"""Configuration classes, chosen by ``INTERVIEWER_ENV`` and filled from environment variables."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'interviewer.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    #: Where Flask-Limiter keeps its counters; ``redis://...`` shares them between workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    #: Failed sign-ins allowed from one address before further tries get 429.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    BOOTSTRAP_SERVE_LOCAL = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None
    #: Where signing in lands: the home page of the dashboard face, which auth cannot name.
    HOME_ENDPOINT = "dashboard.home"
    #: Page size of long lists.
    PER_PAGE = int(os.environ.get("PER_PAGE", "25"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    #: The team's own additions to the posting checker's word lists (TOML; relative paths
    #: count from the instance folder).
    POSTING_WORDS_FILE = os.environ.get("POSTING_WORDS_FILE")
    #: The site's public address, for links made outside a request (commands, emails).
    APP_URL = os.environ.get("APP_URL", "")
    #: Sender of every email and organizer of calendar files (default
    #: ``interviewer@localhost``).
    MAIL_FROM = os.environ.get("MAIL_FROM", "")
    #: The SMTP server ``flask send-mail`` delivers through; empty: emails wait in the outbox.
    #: The rest are read by ``interviewer.mail.settings``, which gives the defaults of those
    #: left unset: port 587, STARTTLS on, SMTPS on for port 465, a 30-second timeout.
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = os.environ.get("SMTP_PORT")
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS")
    SMTP_SSL = os.environ.get("SMTP_SSL")
    SMTP_TIMEOUT = os.environ.get("SMTP_TIMEOUT")
    #: How many reverse proxies in front of the app set X-Forwarded-* headers (0: none).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    #: The worker's queue in Redis (``redis://host:6379/0``), shared by workers on several
    #: machines; empty: a SQLite file (``WORKER_DB``) on this machine.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    #: The worker's queue file when ``REDIS_URL`` is empty (relative paths count from the
    #: instance folder).
    WORKER_DB = os.environ.get("WORKER_DB", "worker.db")
    #: Run queued tasks at once in the calling process instead of queuing them (tests).
    WORKER_IMMEDIATE = False

    @classmethod
    def validate(cls) -> None:
        """Refuse to start when a required setting is missing."""


class DevelopmentConfig(Config):
    DEBUG = _bool("FLASK_DEBUG", False)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = False
    SERVER_NAME = None
    WORKER_IMMEDIATE = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def validate(cls) -> None:
        """Refuse to start without a secret key and a database, and take both as set now.

        Reading them here rather than at import means the development fallbacks above can
        never reach production, whenever the environment was filled in.
        """
        required = ("SECRET_KEY", "DATABASE_URL")
        missing = [name for name in required if not os.environ.get(name, "").strip()]
        if missing:
            raise RuntimeError(
                f"Production needs these environment variables: {', '.join(missing)}."
            )
        cls.SECRET_KEY = os.environ["SECRET_KEY"].strip()
        cls.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"].strip()


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    """The config class named by ``name`` or ``INTERVIEWER_ENV`` (default: development)."""
    name = (name or os.environ.get("INTERVIEWER_ENV") or "development").lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"INTERVIEWER_ENV={name!r} is not one of {', '.join(CONFIGS)}."
        ) from None

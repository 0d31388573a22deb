"""Configuration classes, chosen by ``INTERVIEWER_ENV`` and filled from environment variables.

A setting that must be a number or one of a few words is read without raising: a wrong value
becomes an ``Invalid`` marker, and ``validate()`` (which ``create_app`` calls) refuses to start
with one line per wrong setting, all of them at once, instead of a traceback at import.
"""

from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"
#: Shortest ``SECRET_KEY`` production accepts, in bytes: as long as ``secrets.token_hex(16)``.
MIN_SECRET_KEY_BYTES = 32
MAKE_SECRET_KEY = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


class ConfigError(click.ClickException, RuntimeError):
    """Settings the app refuses to start with, one line each.

    A ``ClickException``, so ``flask`` prints the lines and exits 1 without a traceback; a
    ``RuntimeError``, so gunicorn started with ``--preload`` does the same.
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(f"interviewer cannot start with these settings:\n{lines}")


@dataclass(frozen=True)
class Invalid:
    """A setting whose value in the environment is not what it must be."""

    name: str
    value: str
    expects: str

    def __str__(self) -> str:
        return f"{self.name}={self.value[:40]!r} is not {self.expects}"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _number(
    name: str,
    default: int | float | None,
    expects: str,
    check: Callable[[float], bool],
    kind: type = int,
) -> int | float | Invalid | None:
    """``name`` from the environment as an ``int`` (or ``kind``) that passes ``check``; unset
    or blank: ``default``; anything else: ``Invalid``, saying what it ``expects``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        return Invalid(name, raw, expects)
    if not math.isfinite(value) or not check(value):
        return Invalid(name, raw, expects)
    return value


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str | Invalid:
    """``name`` from the environment, one of ``choices`` (in any case); unset: ``default``."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    for choice in choices:
        if raw.lower() == choice.lower():
            return choice
    return Invalid(name, raw, f"one of {', '.join(choices)}")


class Config:
    """Settings shared by every environment."""

    #: Unset outside production: ``create_app`` takes this install's own key from
    #: ``instance/secret_key`` (``instance_secret_key``), made at the first start.
    SECRET_KEY = os.environ.get("SECRET_KEY", "").strip() or None
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE / 'interviewer.db'}"
    )
    #: No ping at every checkout: ``interviewer.idle_ping`` pings only idle connections.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    #: Seconds a pooled connection may sit unused before it is pinged at its next use.
    POOL_PING_AFTER_IDLE = _number(
        "POOL_PING_AFTER_IDLE", 5.0, "a number of seconds (0 or more)", lambda n: n >= 0, kind=float
    )
    #: Seconds a write on SQLite waits for another writer to finish before it fails.
    SQLITE_BUSY_TIMEOUT = _number(
        "SQLITE_BUSY_TIMEOUT", 30.0, "a number of seconds (0 or more)", lambda n: n >= 0, kind=float
    )
    #: Where Flask-Limiter keeps its counters; ``redis://...`` shares them between workers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    #: Requests one API token may make (any endpoint) before further ones get 429.
    API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "300/minute")
    #: Failed sign-ins (wrong passwords and codes) allowed from one address, for every
    #: account behind it, before further tries get 429.
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "50 per 15 minutes")
    #: Failed sign-ins allowed for one account, from any address, before further tries get
    #: 429 (the right password included).
    ACCOUNT_LOGIN_RATE_LIMIT = os.environ.get("ACCOUNT_LOGIN_RATE_LIMIT", "5 per 15 minutes")
    #: Minutes without a request after which a session not kept ("Keep me signed in") ends.
    SESSION_IDLE_MINUTES = _number(
        "SESSION_IDLE_MINUTES", 120, "a whole number of minutes (1 or more)", lambda n: n >= 1
    )
    #: Hours after signing in at which a session not kept ends, however active it is.
    SESSION_MAX_HOURS = _number(
        "SESSION_MAX_HOURS", 12, "a whole number of hours (1 or more)", lambda n: n >= 1
    )
    #: Days a kept session ("Keep me signed in") lasts at most.
    REMEMBER_DAYS = _number(
        "REMEMBER_DAYS", 14, "a whole number of days (1 or more)", lambda n: n >= 1
    )
    #: How new password hashes are made (werkzeug's method names); older hashes are upgraded
    #: at the next sign-in.
    PASSWORD_HASH_METHOD = "scrypt"
    #: Seconds before the answer to a request for a password reset link leaves, whether or
    #: not the address has an account (longer than queuing the email takes).
    PASSWORD_RESET_ANSWER_SECONDS = 0.25
    BOOTSTRAP_SERVE_LOCAL = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None
    #: Where signing in lands: the home page of the dashboard face, which auth cannot name.
    HOME_ENDPOINT = "dashboard.home"
    #: Page size of long lists.
    #: Let webhooks reach private, loopback and link-local addresses, and plain http.
    WEBHOOKS_ALLOW_PRIVATE = _bool("WEBHOOKS_ALLOW_PRIVATE", False)
    PER_PAGE = _number("PER_PAGE", 25, "a whole number of at least 1", lambda n: n >= 1)
    #: Cards a board column shows before its "Show more" (a board shows every column).
    BOARD_PER_COLUMN = _number(
        "BOARD_PER_COLUMN", 10, "a whole number of at least 1", lambda n: n >= 1
    )
    #: Level of the app's own log messages (other libraries log warnings and worse).
    LOG_LEVEL = _choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))
    #: ``text`` (lines for people) or ``json`` (one JSON object a line, with request ids, and
    #: an access line per request, for a log collector).
    LOG_FORMAT = _choice("LOG_FORMAT", "text", ("text", "json"))
    #: Where errors are reported, when sentry-sdk is installed (the ``sentry`` extra).
    SENTRY_DSN = os.environ.get("SENTRY_DSN", "").strip()
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
    SMTP_PORT = _number("SMTP_PORT", None, "a port number (1 to 65535)", lambda n: 0 < n < 65536)
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS")
    SMTP_SSL = os.environ.get("SMTP_SSL")
    SMTP_TIMEOUT = _number(
        "SMTP_TIMEOUT", None, "a number of seconds above 0", lambda n: n > 0, kind=float
    )
    #: How many reverse proxies in front of the app set X-Forwarded-* headers (0: none).
    TRUSTED_PROXIES = _number("TRUSTED_PROXIES", 0, "a whole number of 0 or more", lambda n: n >= 0)
    #: The worker's queue in Redis (``redis://host:6379/0``), shared by workers on several
    #: machines; empty: a SQLite file (``WORKER_DB``) on this machine.
    REDIS_URL = os.environ.get("REDIS_URL", "")
    #: Where the careers pages keep their rendered copies (``redis://...``, shared by every
    #: process); empty: the worker's Redis when ``REDIS_URL`` names one, else each process's
    #: memory.
    PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", "") or REDIS_URL
    #: The worker's queue file when ``REDIS_URL`` is empty (relative paths count from the
    #: instance folder).
    WORKER_DB = os.environ.get("WORKER_DB", "worker.db")
    #: Run queued tasks at once in the calling process instead of queuing them (tests).
    WORKER_IMMEDIATE = False
    #: Seconds browsers keep to HTTPS after a visit (``Strict-Transport-Security``); 0: no
    #: header. Sent in production only, where the site is served over HTTPS.
    HSTS_SECONDS = 0
    HSTS_INCLUDE_SUBDOMAINS = _bool("HSTS_INCLUDE_SUBDOMAINS", True)
    #: Where uploaded files (CVs) are kept on this machine, outside ``static/`` (relative
    #: paths count from the instance folder).
    FILES_DIR = os.environ.get("FILES_DIR", "files")
    #: Largest CV a candidate may upload, in bytes (10 MB).
    MAX_CV_BYTES = _number(
        "MAX_CV_BYTES", 10 * 1024 * 1024, "a whole number of bytes (1 or more)", lambda n: n >= 1
    )
    #: Largest request body: a CV at the limit and the rest of the form. A CV just over
    #: its limit still reaches the form, which says so; a larger body gets the 413 page.
    MAX_CONTENT_LENGTH = MAX_CV_BYTES + 2 * 1024 * 1024 if isinstance(MAX_CV_BYTES, int) else None
    #: Seconds an application form must have been open before it is sent (bots fill it
    #: at once); 0 turns the check off.
    APPLY_MIN_SECONDS = _number(
        "APPLY_MIN_SECONDS", 3, "a whole number of seconds (0 or more)", lambda n: n >= 0
    )
    #: Applications sent from one address (Flask-Limiter's words).
    APPLY_RATE_LIMIT = os.environ.get("APPLY_RATE_LIMIT", "10 per hour")

    @classmethod
    def validate(cls) -> None:
        """Refuse to start when a setting is wrong: ``ConfigError`` names every one."""
        problems = cls.problems()
        if problems:
            raise ConfigError(problems)

    @classmethod
    def problems(cls) -> list[str]:
        """One line per setting that is not what it must be (a number, one of a few words)."""
        return [
            str(value)
            for name in dir(cls)
            if name.isupper() and isinstance(value := getattr(cls, name), Invalid)
        ]


class DevelopmentConfig(Config):
    DEBUG = _bool("FLASK_DEBUG", False)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    WTF_CSRF_ENABLED = False
    #: pytest keeps the logs; a test that wants JSON lines asks for them.
    LOG_FORMAT = "text"
    SERVER_NAME = None
    WORKER_IMMEDIATE = True
    #: Each app's own memory: a test that shares pages through Redis says so.
    PAGE_CACHE_URL = ""
    #: The factories' cheap hash, so that test users are current and signing in stays fast.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    PASSWORD_RESET_ANSWER_SECONDS = 0.0
    #: A test that checks the minimum fill time sets it.
    APPLY_MIN_SECONDS = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = _number(
        "HSTS_SECONDS",
        365 * 24 * 3600,
        "a whole number of seconds (0 turns the header off)",
        lambda n: n >= 0,
    )
    #: The settings ``problems()`` reads from the environment when the app is built.
    READ_AT_START = (
        "SECRET_KEY",
        "SQLALCHEMY_DATABASE_URI",
        "RATELIMIT_STORAGE_URI",
        "RATELIMIT_ENABLED",
    )

    @classmethod
    def problems(cls) -> list[str]:
        """Besides wrong numbers: refuse a missing or short secret key, a missing or SQLite
        database (unless ``ALLOW_SQLITE_IN_PRODUCTION=1``) and rate limits counted in memory.

        These are read here, when the app is built, rather than at import, so the
        development fallbacks above can never reach production, whenever the environment
        was filled in.
        """
        problems = super().problems()
        secret_key = os.environ.get("SECRET_KEY", "").strip()
        if not secret_key:
            problems.append(f"SECRET_KEY is not set: make one with {MAKE_SECRET_KEY}")
        elif len(secret_key.encode()) < MIN_SECRET_KEY_BYTES:
            problems.append(
                f"SECRET_KEY is {len(secret_key.encode())} bytes long; production needs at "
                f"least {MIN_SECRET_KEY_BYTES}: make one with {MAKE_SECRET_KEY}"
            )
        database_url = os.environ.get("DATABASE_URL", "").strip()
        if not database_url:
            problems.append(
                "DATABASE_URL is not set: production needs a database such as "
                "postgresql+psycopg://user:password@host/interviewer"
            )
        elif _is_sqlite(database_url) and not _bool("ALLOW_SQLITE_IN_PRODUCTION", False):
            problems.append(
                "DATABASE_URL is a SQLite file: production wants PostgreSQL; set "
                "ALLOW_SQLITE_IN_PRODUCTION=1 to run on SQLite anyway, from one machine"
            )
        storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://").strip() or "memory://"
        rate_limits = _bool("RATELIMIT_ENABLED", True)
        if rate_limits and storage.lower().startswith("memory:"):
            problems.append(
                "RATELIMIT_STORAGE_URI is memory://: each worker would count failed sign-ins "
                "apart and forget them on restart; use redis://host:6379"
            )
        cls.SECRET_KEY = secret_key
        cls.SQLALCHEMY_DATABASE_URI = database_url
        cls.RATELIMIT_STORAGE_URI = storage
        cls.RATELIMIT_ENABLED = rate_limits
        return problems


def instance_secret_key(instance: Path) -> str:
    """This install's own key, kept in ``instance/secret_key``: read, or made at the first start.

    Outside production only, when ``SECRET_KEY`` is unset: no two installs share a key, so no
    one can sign a session for another's. The file is readable by its owner alone; it is
    written whole under another name and linked into place, so that processes starting
    together all read the one key that won.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        draft = instance / f".secret_key.{secrets.token_hex(8)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32) + "\n")
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink(missing_ok=True)
    key = path.read_text().strip()
    if not key:
        raise ConfigError([f"{path} is empty: delete it, and the next start makes a new key"])
    return key


def _is_sqlite(url: str) -> bool:
    """Whether a SQLAlchemy URL (``sqlite:///...``, ``sqlite+pysqlite://...``) names SQLite."""
    return url.partition(":")[0].partition("+")[0].strip().lower() == "sqlite"


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

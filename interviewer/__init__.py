"""interviewer: structured interview planning, scheduling and scorecards."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, get_config, instance_secret_key
from interviewer.logs import configure_logging, init_error_reporting

ROOT = Path(__file__).resolve().parent.parent
#: The packages that serve pages: the features in the order a hire happens, then the faces.
BLUEPRINTS = (
    "auth",
    "accounts",
    "branding",
    "catalog",
    "plans",
    "scheduling",
    "scorecards",
    "mail",
    "emails",
    "dashboard",
    "careers",
    "portal",
    "privacy",
    "reports",
    "ops",
    "webhooks",
)


def create_app(config: type[Config] | str | None = None, **overrides: Any) -> Flask:
    """Build the application: ``config`` is a config class or name, ``overrides`` win over it."""
    config_class = config if isinstance(config, type) else get_config(config)
    config_class.validate()

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    if app.config.get("TRUSTED_PROXIES"):
        hops = app.config["TRUSTED_PROXIES"]
        # Behind a proxy, the client's address (for rate limits) and scheme come from it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))

    configure_logging(app)
    init_error_reporting(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    register_headers(app)
    return app


def import_models() -> None:
    """Import every package's ``models`` module, so that the metadata (and Alembic) knows
    every table; a feature's tables live in its ``models.py`` and nowhere else."""
    for package in pkgutil.iter_modules(__path__):
        if package.ispkg and (ROOT / "interviewer" / package.name / "models.py").is_file():
            importlib.import_module(f"interviewer.{package.name}.models")


def register_extensions(app: Flask) -> None:
    import_models()
    from interviewer import idle_ping, kept, read_requests, sqlite
    from interviewer.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    sqlite.init_app(app)
    idle_ping.init_app(app)
    read_requests.init_app(app)
    kept.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)

    from interviewer.auth import user_sessions
    from interviewer.auth.sessions import CheckedSessionInterface
    from interviewer.urls import CleanTextConverter, RowIdConverter

    app.session_interface = CheckedSessionInterface()
    app.url_map.converters.update(
        int=RowIdConverter, default=CleanTextConverter, string=CleanTextConverter
    )
    login_manager.user_loader(user_sessions.load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    # A kept session's cookie lives as long as its server-side row may.
    app.permanent_session_lifetime = timedelta(days=app.config["REMEMBER_DAYS"])


def register_blueprints(app: Flask) -> None:
    """Register each feature's and face's blueprint, once its routes have attached their views.

    Each of them keeps its blueprint in its package's ``__init__.py`` and its views in its
    ``routes`` module or package, which imports the blueprint.
    """
    for name in BLUEPRINTS:
        importlib.import_module(f"interviewer.{name}.routes")
        app.register_blueprint(importlib.import_module(f"interviewer.{name}").bp)
    # The JSON face registers its resource blueprints through flask-smorest.
    from interviewer import api

    api.init_app(app)


def register_errorhandlers(app: Flask) -> None:
    from interviewer.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from interviewer.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from interviewer import templating

    templating.register(app)


def register_headers(app: Flask) -> None:
    from interviewer import headers

    headers.init_app(app)

"""interviewer: structured interview planning, scheduling and scorecards."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, get_config

ROOT = Path(__file__).resolve().parent.parent


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

    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(
            level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        logging.getLogger("interviewer").setLevel(app.config["LOG_LEVEL"])


def import_models() -> None:
    """Import every feature's models so that the metadata (and Alembic) knows all tables."""
    from interviewer import audit  # noqa: F401
    from interviewer.auth import models as auth_models  # noqa: F401
    from interviewer.candidates import models as candidates_models  # noqa: F401
    from interviewer.catalog import models as catalog_models  # noqa: F401
    from interviewer.mail import models as mail_models  # noqa: F401
    from interviewer.plans import models as plans_models  # noqa: F401
    from interviewer.scheduling import models as scheduling_models  # noqa: F401
    from interviewer.scorecards import models as scorecards_models  # noqa: F401
    from interviewer.scorecards import reminders  # noqa: F401


def register_extensions(app: Flask) -> None:
    import_models()
    from interviewer.extensions import bootstrap, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)

    from interviewer.auth import services as auth_services

    login_manager.user_loader(auth_services.load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"


def register_blueprints(app: Flask) -> None:
    from interviewer.auth.routes import bp as auth_bp
    from interviewer.candidates.routes import bp as candidates_bp
    from interviewer.careers.routes import bp as careers_bp
    from interviewer.catalog.routes import bp as catalog_bp
    from interviewer.dashboard.routes import bp as dashboard_bp
    from interviewer.mail.routes import bp as mail_bp
    from interviewer.plans.routes import bp as plans_bp
    from interviewer.portal.routes import bp as portal_bp
    from interviewer.scheduling.routes import bp as scheduling_bp
    from interviewer.scorecards.routes import bp as scorecards_bp

    for blueprint in (
        auth_bp,
        catalog_bp,
        plans_bp,
        candidates_bp,
        scheduling_bp,
        scorecards_bp,
        dashboard_bp,
        careers_bp,
        portal_bp,
        mail_bp,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    from interviewer.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from interviewer.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from interviewer import templating

    templating.register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Make SQLite enforce foreign keys and let SQLAlchemy drive its transactions.

    pysqlite's own transaction handling breaks SAVEPOINT, which the test suite relies on.
    """
    import sqlite3

    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")

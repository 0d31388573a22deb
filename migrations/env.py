import logging
from contextlib import contextmanager
from logging.config import fileConfig

from alembic import context
from flask import current_app

from interviewer.db import migration_filter

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# Keep the application's own loggers working when migrations run inside it.
fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def get_engine():
    return current_app.extensions["migrate"].db.engine


def get_engine_url():
    return get_engine().url.render_as_string(hide_password=False).replace("%", "%%")


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option("sqlalchemy.url", get_engine_url())
target_db = current_app.extensions["migrate"].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, "metadatas"):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(url=url, target_metadata=get_metadata(), literal_binds=True)

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = current_app.extensions["migrate"].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection, sqlite_foreign_keys_off(connection):
        conf_args.setdefault("include_object", migration_filter(connection.dialect.name))
        context.configure(
            connection=connection,
            target_metadata=get_metadata(),
            on_version_apply=[check_foreign_keys],
            **conf_args,
        )

        with context.begin_transaction():
            context.run_migrations()
        analyse_sqlite(connection)


#: Rows SQLite samples per index when the migrations analyse: quick on a large file, close
#: enough for the planner.
SQLITE_ANALYSIS_LIMIT = 1000


def analyse_sqlite(connection):
    """Give SQLite's planner statistics of every table once the schema is up to date.

    ``PRAGMA optimize`` (run as connections close) only looks at the tables a connection
    queried, which a migration run hardly does; new indexes would go unanalysed until then.
    PostgreSQL's autovacuum analyses by itself.
    """
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
    connection.exec_driver_sql("ANALYZE")
    connection.commit()


@contextmanager
def sqlite_foreign_keys_off(connection):
    """Keep SQLite from enforcing foreign keys while the migrations run.

    Batch mode copies a SQLite table and drops the old one; with foreign keys on, that drop
    would run the ON DELETE action of every key referring to the table (deleting, say, the
    panel members of every interview) or fail. The pragma is a no-op inside a transaction, so
    it is set on the driver's connection before the first statement.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        connection.rollback()
        driver.execute("PRAGMA foreign_keys=ON")


def check_foreign_keys(ctx, step, heads, run_args):
    """Refuse a SQLite migration step that leaves a row pointing at a missing one.

    Runs inside the step's transaction, so the step is rolled back.
    """
    if ctx.connection.dialect.name != "sqlite":
        return
    broken = ctx.connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"{step} leaves rows pointing at missing ones: {broken[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

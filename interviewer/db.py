"""The declarative base, shared column types and the team-scoping helpers."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from flask import abort, current_app
from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKey,
    MetaData,
    Select,
    TypeDecorator,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    declared_attr,
    mapped_column,
    registry,
    relationship,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: What an ``Integer`` column holds on every database of the app (PostgreSQL's ``integer``):
#: a number outside is refused before it reaches a query.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def utcnow() -> datetime:
    """The current time, time zone aware, in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back time zone aware.

    SQLite keeps no offset, so values are normalised to UTC on the way in and
    tagged as UTC on the way out; PostgreSQL uses ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store time zone aware values")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_class: type[enum.Enum], length: int = 20) -> Enum:
    """A portable enum column: stored as its value in a VARCHAR, no native type to migrate."""
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


class TimestampMixin:
    """``created_at`` and ``updated_at``, set by the database session, in UTC."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TeamScoped:
    """A row that belongs to exactly one team; load it through ``get_in_team_or_404``."""

    @declared_attr
    def team_id(cls) -> Mapped[int]:  # noqa: N805
        return mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)

    @declared_attr
    # auth's model, named only as a string: db stands below every feature.
    def team(cls) -> Mapped[Team]:  # noqa: F821, N805
        return relationship("Team")


def in_team(model: type, team_id: int) -> Select:
    """``select(model)`` limited to one team's rows."""
    return select(model).where(model.team_id == team_id)


def get_in_team_or_404(model: type, ident: Any, *options: Any) -> Any:
    """Load ``model`` by id within the signed-in user's team, or answer 404.

    A row of another team is indistinguishable from a missing one.
    """
    from flask_login import current_user

    try:
        ident = int(ident)
    except (TypeError, ValueError):
        abort(404)
    if not 1 <= ident <= INT_MAX:
        abort(404)
    session = current_app.extensions["sqlalchemy"].session
    row = session.scalar(
        in_team(model, current_user.team_id).where(model.id == ident).options(*options)
    )
    if row is None:
        abort(404)
    return row


def raise_counters(session: Any, counter: type, keys: Any, where: Any):
    """The statement that adds one to ``counter``'s ``version`` for each row of ``keys``'s
    table matching ``where`` (``keys``: the column holding the counter's key), making a
    missing counter row at 1. ``counter`` has one key column and ``version``."""
    key = counter.__table__.primary_key.columns[0]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(counter).from_select(
        [key.name, "version"], select(keys, literal(1)).where(where)
    )
    return statement.on_conflict_do_update(
        index_elements=[key], set_={"version": counter.__table__.c.version + 1}
    )


def migration_filter(dialect: str):
    """An Alembic ``include_object`` hook for ``dialect``: leaves out the indexes created on
    another database only (``Index(...).ddl_if(dialect="postgresql")``), so comparing the
    models with a SQLite database does not ask for PostgreSQL's trigram indexes."""

    def include(obj, name, type_, reflected, compare_to) -> bool:
        only_on = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return type_ != "index" or reflected or only_on in (None, dialect)

    return include

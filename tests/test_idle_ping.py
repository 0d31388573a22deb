"""A pooled connection is pinged only after it sat idle, and a dead one is replaced unseen."""

from __future__ import annotations

import time

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from interviewer import idle_ping
from tests.conftest import postgres_engine_or_skip


def _engine(url, after_seconds: float):
    engine = create_engine(url, pool_size=1, max_overflow=0)
    idle_ping.watch(engine, after_seconds)
    return engine


def _counting_pings(engine, monkeypatch) -> list[int]:
    pings = []
    real = engine.dialect.do_ping

    def counted(dbapi_connection):
        pings.append(1)
        return real(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return pings


def _use(engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))


def test_a_connection_in_steady_use_is_not_pinged(tmp_path, monkeypatch):
    engine = _engine(f"sqlite:///{tmp_path / 'ping.db'}", after_seconds=60)
    pings = _counting_pings(engine, monkeypatch)
    for _ in range(5):
        _use(engine)
    assert pings == []
    engine.dispose()


def test_a_connection_idle_longer_than_the_setting_is_pinged(tmp_path, monkeypatch):
    engine = _engine(f"sqlite:///{tmp_path / 'ping.db'}", after_seconds=0.05)
    pings = _counting_pings(engine, monkeypatch)
    _use(engine)
    assert pings == []  # a new connection is known to be alive
    time.sleep(0.1)
    _use(engine)
    assert pings == [1]
    _use(engine)
    assert pings == [1]
    engine.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(app):
    url = postgres_engine_or_skip(app, "needs a server that can drop a connection").url
    engine = _engine(url, after_seconds=0.05)
    with engine.connect() as connection:
        first = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    killer = create_engine(url, poolclass=NullPool)
    with killer.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    killer.dispose()
    time.sleep(0.1)
    with engine.connect() as connection:
        second = connection.execute(text("SELECT pg_backend_pid()")).scalar()
    assert second != first
    engine.dispose()

"""Pooled connections are pinged before use only when they have sat idle.

SQLAlchemy's ``pool_pre_ping`` asks the database "are you there?" at every checkout: a round
trip on every request, which under load costs each page as much as one of its own queries. A
connection handed back a moment ago is as alive as the request that used it showed; the one
worth checking has sat in the pool long enough for the server to restart or a firewall to drop
it. So a checkout pings only a connection idle for more than ``POOL_PING_AFTER_IDLE``
seconds, and a dead one is replaced by a fresh one before the request sees it (the pool's
``DisconnectionError`` protocol). A connection that dies under load fails its request, and
SQLAlchemy then drops the whole pool, as it would without any ping.
"""

from __future__ import annotations

import time
from typing import Any

from flask import Flask
from sqlalchemy import event, exc
from sqlalchemy.engine import Engine

#: Where a pool record keeps when its connection was last handed back.
IDLE_SINCE = "interviewer_idle_since"


def init_app(app: Flask) -> None:
    """Watch each engine of ``app`` (after ``db.init_app``)."""
    from interviewer.extensions import db

    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        watch(engine, app.config["POOL_PING_AFTER_IDLE"])


def watch(engine: Engine, after_seconds: float) -> None:
    """Ping ``engine``'s connections at checkout once they sat idle more than
    ``after_seconds``; one that does not answer is replaced by a fresh one."""

    def checkin(dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info[IDLE_SINCE] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        since = record.info.pop(IDLE_SINCE, None)
        if since is None or time.monotonic() - since <= after_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                raise exc.DisconnectionError() from error
            raise

    event.listen(engine, "checkin", checkin)
    event.listen(engine, "checkout", checkout)

"""Whole pages kept rendered (the careers pages, the portal, the signed-in pages of
``interviewer.kept``), in Redis when ``PAGE_CACHE_URL`` names one, else in each process's
memory.

A page is kept under a key that names everything it depends on (a version, the day or
minute, the address), so an entry is never updated or deleted: a change makes a new key,
and old entries age out (Redis by their time to live, memory by the oldest going first).
Keys also carry a digest of the templates, so that a release with other markup never serves
the pages of the one before from a shared Redis.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, current_app, g, request
from flask_wtf.csrf import generate_csrf

logger = logging.getLogger(__name__)

EXTENSION = "interviewer.page_cache"
#: Entries one process keeps in memory, and the bytes their bodies may take in all (a public
#: page is 10-30 KB; a signed-in list or board up to 150 KB).
MEMORY_ENTRIES = 512
MEMORY_BYTES = 32 * 1024 * 1024
#: How long Redis keeps an entry no request asked for again.
TTL_SECONDS = 24 * 3600
#: Seconds a Redis call may take before the page is rendered instead.
REDIS_TIMEOUT = 0.25
#: What a kept page holds where the visitor's CSRF token goes.
TOKEN_STAND_IN = b"\x00csrf\x00"


@dataclass(frozen=True)
class Page:
    """A rendered page: its body, its ``Content-Type`` and its ETag (a digest of the body)."""

    body: bytes
    content_type: str
    etag: str

    def dumps(self) -> bytes:
        return b"\n".join((self.etag.encode(), self.content_type.encode(), self.body))

    @classmethod
    def loads(cls, data: bytes) -> Page:
        etag, content_type, body = data.split(b"\n", 2)
        return cls(body, content_type.decode(), etag.decode())


class MemoryStore:
    """The newest pages of this process: at most ``MEMORY_ENTRIES`` of them, holding at most
    ``MEMORY_BYTES``."""

    def __init__(self, size: int = MEMORY_ENTRIES, budget: int = MEMORY_BYTES) -> None:
        self.size = size
        self.budget = budget
        self.held = 0
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Page | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: Page, ttl: int = TTL_SECONDS) -> None:
        # The oldest entries go first; a key that names its minute is never asked for again.
        with self.lock:
            previous = self.pages.pop(key, None)
            if previous is not None:
                self.held -= len(previous.body)
            self.pages[key] = page
            self.held += len(page.body)
            while len(self.pages) > self.size or self.held > self.budget:
                _, oldest = self.pages.popitem(last=False)
                self.held -= len(oldest.body)


class RedisStore:
    """Pages shared by every process using the Redis at ``url``; a Redis that fails or is
    slow costs a rendering, never an error page."""

    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(
            url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
        )

    def get(self, key: str) -> Page | None:
        try:
            data = self.client.get(key)
        except Exception:  # any failure of the cache only costs the cached copy
            logger.warning("page cache: Redis get failed", exc_info=True)
            return None
        return Page.loads(data) if data is not None else None

    def put(self, key: str, page: Page, ttl: int = TTL_SECONDS) -> None:
        try:
            self.client.set(key, page.dumps(), ex=ttl)
        except Exception:
            logger.warning("page cache: Redis set failed", exc_info=True)


@dataclass
class PageCache:
    store: MemoryStore | RedisStore
    #: A digest of the templates: part of every key.
    release: str


def templates_digest(folder: str | Path) -> str:
    """A digest of every template's path and bytes."""
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(root.rglob("*.html")):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def init_app(app: Flask) -> None:
    """Give ``app`` its page cache: Redis at ``PAGE_CACHE_URL``, else this process's memory
    (once, whichever face asks first)."""
    if EXTENSION in app.extensions:
        return
    url = app.config.get("PAGE_CACHE_URL") or ""
    store = RedisStore(url) if url.startswith(("redis://", "rediss://", "unix://")) else None
    app.extensions[EXTENSION] = PageCache(
        store or MemoryStore(), templates_digest(app.template_folder)
    )


def without_token(body: bytes) -> bytes:
    """``body``, rendered for this request, with its CSRF token (if it shows one) replaced by
    the stand-in, so that the kept copy carries nobody's token."""
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return body.replace(token.encode(), TOKEN_STAND_IN) if token else body


def with_token(body: bytes) -> bytes:
    """A kept ``body`` holding this visitor's own CSRF token where it had the stand-in."""
    if TOKEN_STAND_IN not in body:
        return body
    return body.replace(TOKEN_STAND_IN, generate_csrf().encode())


def cache() -> PageCache:
    """The app's page cache."""
    return current_app.extensions[EXTENSION]


def serve(parts: tuple, render: Callable[[], str]) -> Response:
    """The page whose content ``parts`` names (with the address), from the cache or rendered
    by ``render`` and kept; a conditional request for the same page gets 304."""
    kept = cache()
    key = ":".join(("page", kept.release, request.script_root, request.path, *map(str, parts)))
    page = kept.store.get(key)
    if page is None:
        body = render().encode()
        page = Page(body, "text/html; charset=utf-8", hashlib.sha256(body).hexdigest()[:32])
        kept.store.put(key, page)
    # Anyone may keep it, but asks again each time: a 304 costs no body.
    headers = {"ETag": f'"{page.etag}"', "Cache-Control": "no-cache"}
    if page.etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(page.body, content_type=page.content_type, headers=headers)

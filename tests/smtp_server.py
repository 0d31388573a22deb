"""A real SMTP server on a local port (aiosmtpd), slow on purpose, that records what it accepts.

Senders talk to it over sockets exactly as they talk to a production server, so a test can
count the messages that really arrived, and make the server answer a recipient with a
temporary (4xx) or permanent (5xx) refusal.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A local port nobody listens on (for a server to take, or to stay closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: Longest wait for the other senders to arrive (see ``Recorder.senders``).
ARRIVAL_TIMEOUT = 15.0


@dataclass
class Recorder:
    """The server's handler: waits ``delay`` seconds before accepting each message.

    With ``senders`` above 1, the first messages wait (at most :data:`ARRIVAL_TIMEOUT`) until
    that many connections have each sent one, so the senders surely overlap however slowly
    their processes start.
    """

    delay: float = 0.0
    senders: int = 1
    #: Recipient address → the reply to its RCPT command, such as ``"550 5.1.1 No such user"``.
    refuse: dict[str, str] = field(default_factory=dict)
    #: Recipient addresses whose RCPT command is never answered: the sender hangs there.
    stall: set[str] = field(default_factory=set)
    #: Set once a sender hangs on a stalled address.
    stalled: threading.Event = field(default_factory=threading.Event)
    messages: list[Message] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _seen: set[int] = field(default_factory=set)
    _arrived: asyncio.Event | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.stall:
            self.stalled.set()
            await asyncio.sleep(3600)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self._arrived is None:
            self._arrived = asyncio.Event()
        self._seen.add(id(session))
        if len(self._seen) >= self.senders:
            self._arrived.set()
        try:
            await asyncio.wait_for(self._arrived.wait(), ARRIVAL_TIMEOUT)
        except TimeoutError:
            self._arrived.set()
        # Slow like a real relay: the other senders work while this one waits.
        await asyncio.sleep(self.delay)
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def received_by(self) -> dict[str, int]:
        """How many messages arrived for each recipient address."""
        counts: dict[str, int] = {}
        with self._lock:
            for message in self.messages:
                counts[message["To"]] = counts.get(message["To"], 0) + 1
        return counts


@dataclass
class SmtpServer:
    host: str
    port: int
    recorder: Recorder


@contextmanager
def smtp_server(delay: float = 0.0, senders: int = 1) -> Iterator[SmtpServer]:
    """Run a recording SMTP server on a free local port while the block runs."""
    recorder = Recorder(delay=delay, senders=senders)
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, recorder)
    finally:
        controller.stop()

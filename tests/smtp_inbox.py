"""A real SMTP server for the tests: aiosmtpd in a thread, keeping what it receives.

The inbox can answer slowly (the message is kept first, then the answer waits, so a sender killed in
that pause leaves a message that arrived but was never confirmed — the one repeat SMTP cannot rule
out) and can refuse chosen recipients with 550, as a real server refuses an unknown mailbox.
"""

import asyncio
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

REFUSAL = "550 5.1.1 Mailbox unavailable: no such user here"


class Inbox:
    """An aiosmtpd handler that keeps every message it receives (safe to read from another thread)."""

    def __init__(self, delay: float = 0.0, refused: tuple[str, ...] = ()) -> None:
        self.delay, self.refused = delay, set(refused)
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return REFUSAL
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        if self.delay:  # kept, but not yet confirmed to the sender
            await asyncio.sleep(self.delay)
        return "250 OK"

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def message_ids(self) -> Counter:
        """How often each Message-ID arrived."""
        with self._lock:
            return Counter(message["Message-ID"] for message in self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(inbox: Inbox, port: int | None = None) -> Iterator[str]:
    """Serve `inbox` on 127.0.0.1 (on `port`, or a free one); yields the SMTP_URL."""
    port = port or free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()

"""A real SMTP server in the test process (aiosmtpd) on a free port. It keeps every message it
receives, can refuse chosen addresses, and can be stopped and started again on the same port,
as a mail server goes down and comes back."""

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

SENDER = "North Hub <hub@north.example>"


@dataclass
class Received:
    """One message as the server received it: the envelope, and the message parsed."""

    mail_from: str
    rcpt_tos: list[str]
    email: EmailMessage

    @property
    def subject(self) -> str:
        return self.email["Subject"]

    @property
    def message_id(self) -> str:
        return self.email["Message-ID"]

    @property
    def body(self) -> str:
        return self.email.get_content()


class _Handler:
    def __init__(self, server: "MailServer") -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.server.refuse:
            return "550 5.1.1 No such mailbox here"
        if address in self.server.busy:
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        email = message_from_bytes(envelope.content, policy=policy.default)
        self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), email))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.received: list[Received] = []
        self.refuse: set[str] = set()
        self.busy: set[str] = set()  # refused for now: a temporary failure
        self._controller: Controller | None = None

    @property
    def settings(self) -> dict:
        """The app's settings to send through this server."""
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_DEFAULT_SENDER": SENDER}

    def start(self) -> None:
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

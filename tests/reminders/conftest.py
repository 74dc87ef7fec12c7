"""A real SMTP server (aiosmtpd) that can refuse, stall with 451, or reject a recipient with 550."""

from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.browser import free_port


class Inbox:
    """What the SMTP server received, and how it should misbehave."""

    def __init__(self):
        self.messages = []
        self.temporary_failures = 0  # answer this many DATA commands with 451
        self.unknown = set()  # recipients answered with 550
        self.attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.temporary_failures > 0:
            self.temporary_failures -= 1
            return "451 4.3.0 Mail system busy, try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos[:], message))
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [message for recipients, message in self.messages if address in recipients]


class SmtpServer:
    def __init__(self):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        # A fresh controller each time: a stopped one cannot be started again.
        # Generous start-up time: on a loaded machine the server's thread may take seconds to answer.
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=60)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings, smtp):
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": smtp.port, "smtp_security": "none"})

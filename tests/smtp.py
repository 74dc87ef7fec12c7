"""A real SMTP server (aiosmtpd) that can refuse, stall with 451, reject a recipient with 550, and speak
TLS (STARTTLS or from the start) with a login."""

from email import message_from_bytes, policy

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
    """aiosmtpd on a free port; with `tls`, STARTTLS required (or, with `implicit_tls`, TLS from the first
    byte), and with `login`, a user name and password required over it."""

    def __init__(self, tls=None, implicit_tls: bool = False, login: tuple[str, str] | None = None):
        self.port = free_port()
        self.inbox = Inbox()
        self.controller = None
        self.tls, self.implicit_tls, self.login = tls, implicit_tls, login

    def _options(self) -> dict:
        options = {}
        if self.tls is not None and self.implicit_tls:
            options["ssl_context"] = self.tls
        elif self.tls is not None:
            options |= {"tls_context": self.tls, "require_starttls": True}
        if self.login is not None:
            # Over implicit TLS the server cannot tell it is encrypted: it would then never offer AUTH.
            options |= {"authenticator": self._authenticate, "auth_require_tls": not self.implicit_tls}
        return options

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword

        given = (
            (auth_data.login.decode(), auth_data.password.decode()) if isinstance(auth_data, LoginPassword) else None
        )
        return AuthResult(success=given == self.login)

    def start(self):
        # A fresh controller each time: a stopped one cannot be started again.
        # Generous start-up time: on a loaded machine the server's thread may take seconds to answer.
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=60, **self._options()
        )
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

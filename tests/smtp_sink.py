"""A real SMTP server for tests (aiosmtpd), on 127.0.0.1 and an ephemeral port: it records every
message it accepts, so a test can count arrivals by their stable reference header."""

from __future__ import annotations

import email
import threading
from email.message import Message as EmailMessage

from aiosmtpd.controller import Controller


class _Recorder:
    def __init__(self):
        self.received: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        with self.lock:
            self.received.append(email.message_from_bytes(envelope.original_content or envelope.content))
        return "250 Message accepted for delivery"


class _EphemeralController(Controller):
    """aiosmtpd's Controller on port 0: the port the system chose is read back before the
    controller's own readiness check connects to it."""

    def _trigger_server(self):
        if self.port == 0:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpSink:
    def __init__(self):
        self.recorder = _Recorder()
        self.port = 0
        self._controller = None

    def start(self) -> SmtpSink:
        self._controller = _EphemeralController(self.recorder, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.recorder.lock:
            return list(self.recorder.received)

    def references(self) -> list[str]:
        return [m["X-Reference"] for m in self.messages]

    def use_for_django(self, settings) -> None:
        """Point Django's SMTP backend at this sink (the `settings` fixture undoes it)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5

"""A stand-in for ClamAV's clamd on a local port, speaking its INSTREAM protocol (clamd(8)):
`zINSTREAM\\0`, then chunks each prefixed by a 4-byte big-endian length, ended by a zero length;
it answers `stream: OK\\0`, or `stream: Eicar-Test-Signature FOUND\\0` when the stream holds the
EICAR test string — the answer a real clamd gives for it."""

from __future__ import annotations

import socketserver
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class _Handler(socketserver.BaseRequestHandler):
    def _read(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self._read(1)
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        content = b""
        while True:
            (size,) = struct.unpack("!L", self._read(4))
            if size == 0:
                break
            content += self._read(size)
        self.server.scanned.append(content)
        verdict = b"stream: Eicar-Test-Signature FOUND\0" if EICAR in content else b"stream: OK\0"
        self.request.sendall(verdict)


class ClamdStandIn(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.scanned: list[bytes] = []

    @property
    def address(self) -> str:
        host, port = self.server_address
        return f"{host}:{port}"

    def start(self) -> ClamdStandIn:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

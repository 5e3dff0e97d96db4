"""A client for ClamAV's scanning daemon, clamd, over TCP: its INSTREAM command (ADR 0055).

A deployment points `CASEREVIEW_CLAMD` ("host:port") at its scanner. The protocol (clamd(8)):
send `zINSTREAM\\0`, then the file in chunks, each prefixed by its length as 4 bytes in network
order, and a zero-length chunk to end; clamd answers `stream: OK`, `stream: <name> FOUND`, or
`... ERROR`, ended by a NUL. Written here over the standard library's socket (a dozen lines)
rather than a library: the maintained Python clients wrap the same dozen lines and pull in more.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """No scanner is configured, or it could not be reached or answered an error: the file stays
    held, and the sweep (`casereview portal_scan`) tries again."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # what clamd found, e.g. "Eicar-Test-Signature"


def _address() -> tuple[str, int]:
    configured = getattr(settings, "CASEREVIEW_CLAMD", "") or ""
    host, _, port = configured.rpartition(":")
    if not host or not port.isdigit():
        raise ScannerUnavailable("No virus scanner is configured (CASEREVIEW_CLAMD = host:port).")
    return host.strip("[]"), int(port)


def scan_bytes(content: bytes, *, timeout: float = 30.0) -> ScanResult:
    """Scan `content` with clamd's INSTREAM. Raises ScannerUnavailable when it cannot say."""
    host, port = _address()
    try:
        with socket.create_connection((host, port), timeout=timeout) as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(content), CHUNK):
                chunk = content[start : start + CHUNK]
                connection.sendall(struct.pack("!L", len(chunk)) + chunk)
            connection.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                received = connection.recv(4096)
                if not received:
                    break
                answer += received
    except OSError as exc:
        raise ScannerUnavailable(
            f"The virus scanner could not be reached ({exc.__class__.__name__})."
        ) from exc
    text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
    if text.endswith("ERROR") or not text.startswith("stream:"):
        raise ScannerUnavailable(f"The virus scanner answered: {text[:100]}")
    verdict = text.removeprefix("stream:").strip()
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith("FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix("FOUND").strip()[:150])
    raise ScannerUnavailable(f"The virus scanner answered: {text[:100]}")

"""Multi-factor authentication: TOTP devices (django-otp) and the demo users' fixed secret.

Every signed-in member of staff completes a second factor: a six-digit code from an authenticator
app (RFC 6238 TOTP, 30-second steps). A user with no device enrols on first sign-in: the secret is
shown as text (for typing into an app) and as a QR code; the device counts only once a code from it
has been entered. Secrets are held by django-otp as hex; base32 is what people and apps use.
"""

from __future__ import annotations

import base64
import binascii
import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"

# The demo users' authenticator secret (accounts.demo, `make run`): add it to any authenticator app
# or run `casereview demo-code`. Demo data only — `casereview demo` refuses to run in production.
DEMO_TOTP_SECRET = "CASEREVIEWDEMOTOTPSECRETKEYAAAAA"  # noqa: S105 - published demo secret


def secret_to_hex(secret_base32: str) -> str:
    return binascii.hexlify(base64.b32decode(secret_base32.replace(" ", "").upper())).decode()


def hex_to_secret(key_hex: str) -> str:
    return base64.b32encode(binascii.unhexlify(key_hex)).decode().rstrip("=")


def secret_grouped(key_hex: str) -> str:
    """The base32 secret in groups of four, easier to read out and type."""
    secret = hex_to_secret(key_hex)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_code(key_hex: str, *, at: float | None = None, step_offset: int = 0) -> str:
    """The six-digit code for a key at a time (now by default)."""
    totp = TOTP(binascii.unhexlify(key_hex), step=30, t0=0, digits=6)
    totp.time = (time.time() if at is None else at) + step_offset * 30
    return f"{totp.token():06d}"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled, created on first need (a fresh random secret)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def demo_device_ensure(user) -> TOTPDevice:
    """Give a demo user a confirmed device with the published demo secret (idempotent)."""
    key = secret_to_hex(DEMO_TOTP_SECRET)
    device = TOTPDevice.objects.filter(user=user, name="Demo authenticator").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Demo authenticator", key=key, confirmed=True)
    return device


def demo_devices_bulk_create(users) -> None:
    """Demo devices for demo users who have none yet (the demo's first load), in one statement."""
    key = secret_to_hex(DEMO_TOTP_SECRET)
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, name="Demo authenticator", key=key, confirmed=True) for user in users
    )


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI as a QR code, an SVG in a data: URI (no JavaScript, allowed by the CSP)."""
    import segno

    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)

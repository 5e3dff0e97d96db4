"""Encryption at rest for special category and criminal offence data (UK GDPR Art. 9 and 10).

`EncryptedTextField` stores a Fernet token (AES-128-CBC with HMAC-SHA256, from `cryptography`)
and gives back the plain text in Python. Keys come from `CASEREVIEW_FIELD_KEY` (comma separated,
the first encrypts, every one decrypts), so a key is rotated by putting the new one first, running
`casereview rotate-field-key`, then removing the old one (docs/data-protection.md).

An encrypted column cannot be searched or sorted by the database: that is the point.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "CASEREVIEW_FIELD_KEY must be one or more Fernet keys (32 url-safe base64-encoded bytes), "
            "comma separated"
        ) from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.CASEREVIEW_FIELD_KEYS))


def encrypt(text: str) -> str:
    return PREFIX + fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token.startswith(PREFIX):
        raise ValueError("Not an encrypted value")
    try:
        return fernet().decrypt(token[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "An encrypted field could not be decrypted with any key in CASEREVIEW_FIELD_KEY"
        ) from exc


def rotate(token: str) -> str:
    """Re-encrypt a token under the first (newest) key."""
    return PREFIX + fernet().rotate(token[len(PREFIX) :].encode()).decode()


class EncryptedTextField(models.TextField):
    """Text encrypted in the database; blank stays blank (so "not recorded" is not hidden)."""

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def to_python(self, value):
        if isinstance(value, str) and value.startswith(PREFIX):
            return decrypt(value)
        return value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

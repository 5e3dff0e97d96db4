import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo users' passwords are hashed with Django's production hasher by default (a million
    PBKDF2 rounds each), which takes a minute per test on a busy machine; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

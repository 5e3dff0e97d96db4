import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo fixture creates two dozen users; the production hasher makes that take a minute on a
    busy machine. MD5 is fine for test passwords (sign-in still checks them for real)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

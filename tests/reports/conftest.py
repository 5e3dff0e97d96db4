import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The demo fixture creates two dozen users; the production hasher would spend most of each
    test hashing their passwords. Sign-in still checks the password, with a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

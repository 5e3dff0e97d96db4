import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The demo fixture sets 24 passwords; PBKDF2 makes that ~35 s on a shared machine. Tests only.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

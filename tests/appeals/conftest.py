import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The demo fixture sets two dozen passwords; PBKDF2 makes each test take seconds on a busy
    machine. Tests do not test hashing, so use a fast hasher (the demo sign-in still works)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

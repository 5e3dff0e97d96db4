"""Sign-in lockout (django-axes) in front of the ordinary backends."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in while the username and address are locked out after repeated failures.

    Axes needs the request to know where an attempt came from. Every sign-in through a page passes
    it; `authenticate()` without a request (the test client's `login()`, a management command) has
    no address to throttle, so this backend steps aside and the next backend decides.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

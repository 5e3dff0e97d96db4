"""Search terms that name people stay out of addresses.

A staff search form (a victim's name, a caller, an address) is posted, not sent as a GET query, so
the name never appears in the address bar, the browser's history, a proxy's or web server's access
log, or a Referer header. This middleware keeps the result pages bookmark-free but linkable within
the session:

1. A POST carrying the hidden field ``private_search`` is the search form: its fields (without the
   CSRF token) are kept in the session under a random key, and the browser is sent (303) to the same
   page with ``?s=<key>`` and nothing else.
2. A GET with ``s=<key>`` has ``request.GET`` rebuilt from the kept fields, plus any other parameter
   on the address (``page``), so views and forms read their filters exactly as before.
3. ``request.link_query`` is the query a page should use for its own links (pagination, sorting):
   the non-personal fields and ``s`` — never the personal ones — and no ``page``. Templates use
   ``{% querystring request.link_query page=… %}``.

A GET that still carries a personal field (an old bookmark) works as before; only the forms changed.
A key from another session, or an expired one, finds nothing and shows the unfiltered page.
"""

from __future__ import annotations

import secrets

from django.http import HttpResponseRedirect, QueryDict

MARKER = "private_search"
KEY = "s"
SESSION_KEY = "private_searches"
KEPT = 30  # searches remembered per session; the oldest is forgotten first
# Fields whose values may name or locate a person. Everything else (status, dates, page, sort)
# is harmless in an address and stays on the links.
PERSONAL = frozenset({"q", "person", "caller", "name", "search", "location", "address", "postcode"})


def _kept(request) -> dict:
    return request.session.get(SESSION_KEY, {})


class PrivateSearchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After the CSRF check and the sign-in middleware (settings.MIDDLEWARE order): a forged or
        # signed-out POST never reaches here.
        signed_in = getattr(request, "user", None) is not None and request.user.is_authenticated
        if request.method == "POST" and MARKER in request.POST and signed_in:
            return self._remember(request)
        key = request.GET.get(KEY, "")
        if request.method == "GET" and key and signed_in:
            self._restore(request, key)
        request.link_query = self._link_query(request.GET)
        return None

    def _remember(self, request):
        fields = {
            name: request.POST.getlist(name)
            for name in request.POST
            if name not in {MARKER, "csrfmiddlewaretoken", KEY, "page"}
        }
        key = secrets.token_urlsafe(9)
        searches = dict(_kept(request))
        searches[key] = fields
        while len(searches) > KEPT:
            searches.pop(next(iter(searches)))
        request.session[SESSION_KEY] = searches
        return HttpResponseRedirect(f"{request.path}?{KEY}={key}", status=303)

    def _restore(self, request, key: str) -> None:
        fields = _kept(request).get(key)
        restored = QueryDict(mutable=True)
        if fields is not None:
            for name, values in fields.items():
                restored.setlist(name, values)
            restored[KEY] = key
        for name in request.GET:
            if name != KEY and name not in restored:
                restored.setlist(name, request.GET.getlist(name))
        restored._mutable = False
        request.GET = restored

    @staticmethod
    def _link_query(query: QueryDict) -> QueryDict:
        links = QueryDict(mutable=True)
        for name in query:
            # An address without a key already carries its terms (an old bookmark): keep them.
            if name != "page" and (name not in PERSONAL or KEY not in query):
                links.setlist(name, query.getlist(name))
        links._mutable = False
        return links

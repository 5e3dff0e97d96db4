"""English or Welsh on the public pages (contracts §9, ADR 0024).

A public page is shown in the language the person chose with the page's own switch (Django's
`set_language` view keeps it in the language cookie) or, failing that, the first of English and
Welsh their browser asks for (`Accept-Language: cy`); English otherwise. Staff pages are always
English: the staff journeys are not translated, and a page half in Welsh would be worse than one
in English.

Django's own LocaleMiddleware would translate every page; this one does so only for the public
addresses below, and says so in `Vary`, so a cache never hands a Welsh page to an English reader.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

#: The addresses the public use (contracts §1): the start page "/" and everything under these.
PUBLIC_PREFIXES = ("/apply/", "/my-review/", "/statistics/", "/accessibility/", "/privacy/", "/i18n/")


def is_public_path(path: str) -> bool:
    return path == "/" or path.startswith(PUBLIC_PREFIXES)


class PublicLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        public = is_public_path(request.path_info)
        language = translation.get_language_from_request(request) if public else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        # The layout shows the language switch on public pages only (web/_language_switch.html).
        request.public_language = public
        try:
            response = self.get_response(request)
        finally:
            # Nothing after the response (an email sent in the same thread) inherits the Welsh.
            translation.activate(settings.LANGUAGE_CODE)
        if public:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", "cy" if language == "cy" else "en")
        return response

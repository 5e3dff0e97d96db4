import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views import defaults

from .language import is_public_path

logger = logging.getLogger(__name__)


def start(request):
    return render(request, "web/start.html")


@login_required
def home(request):
    from .landing import landing_for

    return redirect(landing_for(request.user))


def accessibility(request):
    return render(request, "web/accessibility.html")


def privacy(request):
    return render(request, "web/privacy.html")


def file_missing_page(
    request, *, what: str, label: str, reference: str, partnership, damaged: bool = False, back_url: str = ""
):
    """The page for a download whose stored file is gone (or is not the one saved): what happened
    and who to contact, as a 404 — never a server error. No personal data in the log line."""
    logger.warning("Stored file %s: %s, %s", "damaged" if damaged else "missing", label, reference)
    return render(
        request,
        "web/file_missing.html",
        {
            "what": what,
            "label": label,
            "reference": reference,
            "partnership": partnership,
            "damaged": damaged,
            "back_url": back_url,
        },
        status=404,
    )


def page_not_found(request, exception):
    """A public address that does not exist: a GOV.UK page in the page's language (English or
    Welsh). Anywhere else Django's own plain page, the same for every missing or hidden case."""
    if is_public_path(request.path_info):
        return render(request, "web/page_not_found.html", status=404)
    return defaults.page_not_found(request, exception)

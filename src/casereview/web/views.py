from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views import defaults

from .language import is_public_path


def start(request):
    return render(request, "web/start.html")


@login_required
def home(request):
    return redirect("/cases/")


def accessibility(request):
    return render(request, "web/accessibility.html")


def privacy(request):
    return render(request, "web/privacy.html")


def page_not_found(request, exception):
    """A public address that does not exist: a GOV.UK page in the page's language (English or
    Welsh). Anywhere else Django's own plain page, the same for every missing or hidden case."""
    if is_public_path(request.path_info):
        return render(request, "web/page_not_found.html", status=404)
    return defaults.page_not_found(request, exception)

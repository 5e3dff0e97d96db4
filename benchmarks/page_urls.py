"""The product's addresses and `/bench/trivial/`: a constant, for a signed-in user only, so it
passes through every middleware (session, sign-in, second factor, access log) like a real page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from casereview.urls import urlpatterns as product


@login_required
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *product]

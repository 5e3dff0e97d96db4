from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render


def start(request):
    return render(request, "web/start.html")


@login_required
def home(request):
    return redirect("/cases/")


def accessibility(request):
    return render(request, "web/accessibility.html")


def privacy(request):
    return render(request, "web/privacy.html")

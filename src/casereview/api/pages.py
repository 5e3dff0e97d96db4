"""The partnership administrator's pages for the API's clients (docs/api.md): create, rotate and
revoke a client of one of the partnership's agencies, and see webhook deliveries. Every record is
looked up within the administrator's partnership; anything else is a 404, as is every page for
anyone who is not an administrator."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from casereview.accounts.models import Agency
from casereview.accounts.services import user_can_administer
from casereview.web.forms import add_service_errors

from .models import ApiClient, WebhookDelivery
from .scopes import SCOPES
from .services import api_client_create, api_client_revoke, api_client_rotate


def _require_admin(request) -> None:
    if not user_can_administer(request.user):
        raise Http404("No such page")


def _own_client(request, pk: int) -> ApiClient:
    _require_admin(request)
    return get_object_or_404(
        ApiClient.objects.select_related("application", "agency"),
        pk=pk,
        partnership_id=request.user.partnership_id,
    )


class ClientForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency", queryset=Agency.objects.none(), error_messages={"required": "Choose the agency"}
    )
    scopes = forms.MultipleChoiceField(
        label="What the agency's system may do",
        choices=[(scope, f"{scope}: {words}") for scope, words in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the system may do"},
    )

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def clients(request):
    _require_admin(request)
    partnership = request.user.partnership
    form = ClientForm(request.POST or None, partnership_id=partnership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            made = api_client_create(
                partnership=partnership,
                agency_name=form.cleaned_data["agency"].name,
                scopes=" ".join(form.cleaned_data["scopes"]),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "api/client_secret.html", {"made": made, "rotated": False})
    rows = ApiClient.objects.filter(partnership=partnership).select_related("application", "agency")
    deliveries = (
        WebhookDelivery.objects.filter(subscription__client__partnership=partnership)
        .select_related("subscription__client__agency")
        .order_by("-created_at", "-id")[:50]
    )
    return render(request, "api/clients.html", {"form": form, "clients": rows, "deliveries": deliveries})


@login_required
@require_http_methods(["GET", "POST"])
def client_rotate(request, pk: int):
    client = _own_client(request, pk)
    if client.revoked_at:
        raise Http404("No such page")
    if request.method == "POST":
        made = api_client_rotate(client=client, actor=request.user)
        return render(request, "api/client_secret.html", {"made": made, "rotated": True})
    return render(request, "api/client_confirm.html", {"client": client, "action": "rotate"})


@login_required
@require_http_methods(["GET", "POST"])
def client_revoke(request, pk: int):
    client = _own_client(request, pk)
    if request.method == "POST":
        api_client_revoke(client=client, actor=request.user)
        return render(request, "api/client_revoked.html", {"client": client})
    return render(request, "api/client_confirm.html", {"client": client, "action": "revoke"})

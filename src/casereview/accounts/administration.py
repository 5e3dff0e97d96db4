"""A partnership's administration pages: its own users, agencies and role grants (issue 13).

Every page is for an administrator of a partnership, and every record is looked up within their
partnership: another partnership's user or agency is a 404, as is every page for anyone else.
Writes go through `accounts.services`, which records each one in the access log.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from casereview.web.concurrency import VersionedForm
from casereview.web.forms import add_service_errors

from . import services
from .models import Agency, AgencyKind, Role, RoleGrant, User
from .selectors import staff_in


def _require_admin(request) -> None:
    if not services.user_can_administer(request.user):
        raise Http404("No such page")


def _own_user(request, user_id: int) -> User:
    _require_admin(request)
    subject = get_object_or_404(staff_in(request.user.partnership_id, active_only=False), pk=user_id)
    subject.work_in(request.user.partnership_id)
    return subject


def _own_agency(request, agency_id: int) -> Agency:
    _require_admin(request)
    return get_object_or_404(Agency, pk=agency_id, partnership_id=request.user.partnership_id)


class UserForm(VersionedForm):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.EmailField(label="Email address", required=False)
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(), required=False)
    roles = forms.MultipleChoiceField(
        label="Roles", choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    is_active = forms.BooleanField(
        label="The account is active (untick to deactivate: they can no longer sign in)", required=False
    )

    def __init__(self, *args, partnership_id, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the administrator's own partnership's agencies are choices at all.
        self.fields["agency"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")

    @classmethod
    def initial_from(cls, record) -> dict:
        return services.user_values(record)

    @classmethod
    def initial_for(cls, record) -> dict:
        return {**cls.initial_from(record), "version": services.user_version(record)}

    def user_data(self) -> services.UserData:
        data = self.cleaned_data
        return services.UserData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data.get("email") or "",
            job_title=data.get("job_title") or "",
            agency=data.get("agency"),
            roles=tuple(data.get("roles") or ()),
            is_active=bool(data.get("is_active")),
        )


class NewUserForm(UserForm):
    username = forms.CharField(label="Username", max_length=150, help_text="What they type to sign in.")
    field_order = ["username"]


class AgencyForm(VersionedForm):
    name = forms.CharField(label="Agency name", max_length=200)
    kind = forms.ChoiceField(label="Kind of agency", choices=AgencyKind.choices, widget=forms.RadioSelect)

    @classmethod
    def initial_for(cls, record) -> dict:
        return {**cls.initial_from(record), "version": services.agency_version(record)}


@login_required
def home(request):
    _require_admin(request)
    partnership_id = request.user.partnership_id
    users = staff_in(partnership_id, active_only=False).prefetch_related(
        # Roles granted here only: a person's roles in other partnerships are not this one's business.
        Prefetch("role_grants", queryset=RoleGrant.objects.filter(partnership_id=partnership_id))
    )
    return render(
        request,
        "accounts/administration/home.html",
        {
            "users": users.order_by("last_name", "first_name", "username"),
            "agencies": Agency.objects.filter(partnership_id=request.user.partnership_id).order_by("name"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_new(request):
    _require_admin(request)
    form = NewUserForm(
        request.POST or None, partnership_id=request.user.partnership_id, initial={"is_active": True}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(
                actor=request.user, username=form.cleaned_data["username"], data=form.user_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(
                request, "accounts/administration/user_created.html", {"new_user": user, "password": password}
            )
    return render(request, "accounts/administration/user_form.html", {"form": form, "subject": None})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    subject = _own_user(request, user_id)
    form = UserForm(
        request.POST or None,
        partnership_id=request.user.partnership_id,
        initial=UserForm.initial_for(subject),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                actor=request.user, user=subject, data=form.user_data(), read_version=form.read_version
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Account saved.")
            return redirect("accounts:administration")
    return render(request, "accounts/administration/user_form.html", {"form": form, "subject": subject})


@login_required
@require_http_methods(["GET", "POST"])
def user_second_factor_reset(request, user_id):
    subject = _own_user(request, user_id)
    if request.method == "POST":
        try:
            services.user_second_factor_reset(actor=request.user, user=subject)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:administration_user", user_id=subject.pk)
        messages.success(request, "Authenticator removed. They set up a new one when they next sign in.")
        return redirect("accounts:administration_user", user_id=subject.pk)
    return render(request, "accounts/administration/reset_second_factor.html", {"subject": subject})


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request, agency_id=None):
    agency = _own_agency(request, agency_id) if agency_id else None
    _require_admin(request)
    initial = AgencyForm.initial_for(agency) if agency else {}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                agency=agency,
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Agency saved.")
            return redirect("accounts:administration")
    return render(request, "accounts/administration/agency_form.html", {"form": form, "agency": agency})

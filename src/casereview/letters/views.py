"""Letters pages: thin views over the services and selectors.

Every page about a case starts from `application_get_for_user` (a case out of scope is a 404),
every letter from `letter_get_for_user` (likewise). Addresses carry only the case reference, the
letter's number and the kind of letter: never a name.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from casereview.applications.selectors import SAFE_CONTACT_REFUSALS, application_get_for_user
from casereview.applications.services import person_contact_update, person_contact_version
from casereview.web.concurrency import StaleRecord, VersionedForm, submission_token_from, submission_token_new
from casereview.web.forms import add_service_errors
from casereview.web.pagination import CappedPaginator
from casereview.web.views import file_missing_page

from .context import correctable_kinds, recipient_for_perpetrator, registered_extra_providers
from .dispatch import (
    contact_details_url,
    dispatch_channel_default,
    letter_dispatch_mark_printed,
    letter_dispatch_mark_returned,
    letter_dispatch_mark_sent,
    letter_dispatch_redirect,
)
from .kinds import KINDS
from .models import DispatchChannel
from .rendering import (
    LetterError,
    Recipient,
    block_list,
    demote_headings,
    fill_subject,
    render_body,
    template_problems,
)
from .selectors import (
    dispatch_get_for_user,
    dispatch_queue_for,
    dispatches_for_letter,
    letter_get_for_user,
    letter_template_current,
    letter_template_versions,
    letters_for_application,
    letters_held_for,
    letters_hidden_count,
    letters_visible_to,
    user_can_edit_templates,
    user_can_issue_letters,
    user_can_release_letters,
)
from .services import letter_correct, letter_issue, letter_preview, letter_release, letter_template_save

# Kinds written from the letters pages: those whose content comes from the case's own records.
# The others are issued from the part of the product that owns their content (next steps and the
# closure letter from the review, the outcome and minutes from the panel, the appeal decision from
# the appeal, the review explained from the ASB report log), with its own checks — unless that part
# registers an extra provider (context.register_extra_provider), which makes the kind available here.
OWN_KINDS = ("acknowledgement", "threshold_not_met", "ineligible", "accepted")


def case_kinds() -> list[str]:
    return [
        kind
        for kind, spec in KINDS.items()
        if spec.needs_application
        and spec.default_recipient != "given"
        and (kind in OWN_KINDS or kind in registered_extra_providers())
    ]


def _kind_or_404(kind: str | None, allowed) -> str:
    if kind not in allowed:
        raise Http404("No such kind of letter")
    return kind


def _case_url(case) -> str:
    """The case page (the staff workspace's), or the case's letters until that page exists."""
    try:
        return reverse("applications:detail", args=[case.reference])
    except NoReverseMatch:
        return reverse("letters:case", args=[case.reference])


def _fingerprint(rendered) -> str:
    return hashlib.sha256(rendered.body_html.encode()).hexdigest()


PAGE_SIZE = 25


@login_required
def letter_list(request):
    """Every letter this user may open, newest first: filter by kind, search by case reference
    (never by name: a search goes in the address), 25 to a page."""
    letters = letters_visible_to(request.user).select_related("case", "issued_by", "superseded_by")
    reference = request.GET.get("reference", "").strip()[:20]
    kind = request.GET.get("kind", "")
    if reference:
        letters = letters.filter(case__reference__icontains=reference)
    if kind in KINDS:
        letters = letters.filter(kind=kind)
    page = CappedPaginator(letters.order_by("-issued_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in (("reference", reference), ("kind", kind if kind in KINDS else "")) if v}
    return render(
        request,
        "letters/letter_list.html",
        {
            "page": page,
            "reference": reference,
            "kind": kind,
            "kinds": list(KINDS.values()),
            "query": urlencode(query),
            "filtered": bool(query),
            "can_edit_templates": user_can_edit_templates(request.user),
        },
    )


@login_required
def case_letters(request, reference):
    application = application_get_for_user(request.user, reference)
    return render(
        request,
        "letters/case_letters.html",
        {
            "application": application,
            "case_url": _case_url(application),
            "letters": letters_for_application(request.user, application),
            "hidden": letters_hidden_count(request.user, application),
            "can_issue": user_can_issue_letters(request.user),
            "can_edit_templates": user_can_edit_templates(request.user),
            "kinds": [KINDS[k] for k in case_kinds()],
        },
    )


def _preview_or_problem(request, case, kind):
    try:
        return letter_preview(case=case, kind=kind, actor=request.user), None
    except LetterError as error:
        return None, error.message


@login_required
def letter_preview_page(request, reference):
    application = application_get_for_user(request.user, reference)
    if not user_can_issue_letters(request.user):
        raise Http404("No such page")
    kind = request.GET.get("kind")
    if kind is None:
        return render(
            request,
            "letters/case_letters.html",
            {
                "application": application,
                "case_url": _case_url(application),
                "letters": letters_for_application(request.user, application),
                "hidden": letters_hidden_count(request.user, application),
                "can_issue": True,
                "kinds": [KINDS[k] for k in case_kinds()],
                "kind_error": "Select the letter you want to write",
            },
            status=400,
        )
    kind = _kind_or_404(kind, case_kinds())
    rendered, problem = _preview_or_problem(request, application, kind)
    return render(
        request,
        "letters/preview.html",
        {
            "application": application,
            "case_url": _case_url(application),
            "spec": KINDS[kind],
            "rendered": rendered,
            "letter_html": demote_headings(rendered.body_html) if rendered else "",
            "problem": problem,
            "fingerprint": _fingerprint(rendered) if rendered else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_issue_page(request, reference):
    """The confirmation before issuing (GET) and the issue itself (POST)."""
    application = application_get_for_user(request.user, reference)
    if not user_can_issue_letters(request.user):
        raise Http404("No such page")
    kind = _kind_or_404(request.POST.get("kind") or request.GET.get("kind"), case_kinds())
    preview_url = reverse("letters:preview", args=[application.reference]) + f"?kind={kind}"
    rendered, problem = _preview_or_problem(request, application, kind)
    if rendered is None or not rendered.issuable:
        return redirect(preview_url)
    form = ChannelForm(
        request.POST if request.method == "POST" else None,
        initial={"channel": dispatch_channel_default(rendered.recipient)},
        recipient=rendered.recipient,
    )
    if request.method == "POST":
        if request.POST.get("fingerprint") != _fingerprint(rendered):
            messages.warning(
                request, "The letter changed after you previewed it. Check it again before issuing."
            )
            return redirect(preview_url)
        if form.is_valid():
            try:
                letter = letter_issue(
                    case=application,
                    kind=kind,
                    actor=request.user,
                    channel=form.cleaned_data["channel"] or None,  # none chosen: the person's own way
                    submission_token=submission_token_from(request.POST),
                )
            except LetterError as error:
                form.add_error("channel", error.message)
            else:
                if letter.is_held:
                    messages.warning(
                        request, f"{KINDS[kind].label} letter written and held for a manager to release"
                    )
                elif getattr(letter, "already_issued", False):
                    messages.success(request, f"{KINDS[kind].label} letter already issued: this is it")
                else:
                    messages.success(request, f"{KINDS[kind].label} letter issued")
                return redirect("letters:detail", letter_id=letter.pk)
    return render(
        request,
        "letters/confirm_issue.html",
        {
            "application": application,
            "case_url": _case_url(application),
            "spec": KINDS[kind],
            "rendered": rendered,
            "fingerprint": _fingerprint(rendered),
            "preview_url": preview_url,
            "submission_token": submission_token_new(),
            "form": form,
            "contact_url": contact_details_url(application, rendered.recipient),
        },
        status=400 if form.errors else 200,
    )


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        required=False,
        label="How will the letter be sent?",
        choices=DispatchChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the letter will be sent",
            "invalid_choice": "Select how the letter will be sent",
        },
        help_text="The deadline the letter meets is met when it is sent: an email when the mail "
        "server accepts it, a letter by post when it is marked posted, by hand when recorded.",
    )

    def __init__(self, *args, recipient: Recipient | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if recipient is not None:
            words = {
                DispatchChannel.EMAIL: "Email, with the PDF attached "
                f"({recipient.email or 'no address recorded'})",
                DispatchChannel.POST: "Post: printed"
                + (" in large print" if recipient.large_print else "")
                + " and posted by staff from the print queue"
                + ("" if recipient.address_lines else " (no address recorded)"),
                DispatchChannel.BY_HAND: "By hand: a member of staff hands it over and records it",
            }
            self.fields["channel"].choices = [(value, words[value]) for value, _ in DispatchChannel.choices]


@login_required
def letter_detail(request, letter_id):
    letter = letter_get_for_user(request.user, letter_id)
    return render(
        request,
        "letters/detail.html",
        {
            "letter": letter,
            "application": letter.case,
            "spec": KINDS[letter.kind],
            "letter_html": demote_headings(letter.body_html),
            "can_correct": user_can_issue_letters(request.user, letter.kind) and not letter.is_superseded,
            "dispatches": list(dispatches_for_letter(request.user, letter)),
            "can_release": letter.is_held and user_can_release_letters(request.user),
        },
    )


@login_required
def letters_held(request):
    """The letters held by the disclosure check, for a manager to release."""
    if not user_can_release_letters(request.user):
        raise Http404("No such page")
    return render(request, "letters/held.html", {"letters": letters_held_for(request.user)})


class ReleaseForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Say why this detail may be sent to the recipient"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_release_page(request, letter_id):
    """A manager reads what the check found, and releases the letter with the reason."""
    letter = letter_get_for_user(request.user, letter_id)
    if not user_can_release_letters(request.user):
        raise Http404("No such page")
    if not letter.is_held:
        messages.info(request, "This letter is not held.")
        return redirect("letters:detail", letter_id=letter.pk)
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter_release(letter=letter, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        except LetterError as error:
            messages.error(request, error.message)
            return redirect("letters:detail", letter_id=letter.pk)
        else:
            messages.success(request, "Letter released. It can now be sent.")
            return redirect("letters:detail", letter_id=letter.pk)
    return render(
        request,
        "letters/release.html",
        {
            "letter": letter,
            "application": letter.case,
            "spec": KINDS[letter.kind],
            "form": form,
            "held": letter.held_findings.splitlines(),
            "letter_html": demote_headings(letter.body_html),
        },
    )


@login_required
def letter_download(request, letter_id):
    letter = letter_get_for_user(request.user, letter_id)
    missing = {
        "what": "letter",
        "label": f"letter {letter.pk}, {letter.get_kind_display()}",
        "reference": letter.case.reference if letter.case_id else letter.partnership.name,
        "partnership": letter.partnership,
        "back_url": reverse("letters:detail", args=[letter.pk]),
    }
    try:
        with letter.pdf.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):  # no file on disk, or no file name recorded
        return file_missing_page(request, **missing)
    if hashlib.sha256(data).hexdigest() != letter.pdf_sha256:
        # The stored file is not the one issued: refuse rather than send something else.
        return file_missing_page(request, damaged=True, **missing)
    response = FileResponse(iter([data]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter.download_filename}"'
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    return response


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter the reason for the correction"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_correct_page(request, letter_id):
    letter = letter_get_for_user(request.user, letter_id)
    if not user_can_issue_letters(request.user, letter.kind):
        raise Http404("No such page")
    if letter.is_superseded:
        messages.info(request, "This letter has already been corrected. This is the latest version.")
        return redirect("letters:detail", letter_id=letter.superseded_by.pk)
    recipient = None
    if KINDS[letter.kind].default_recipient == "given" or letter.case_id is None:
        recipient = Recipient(
            name=letter.recipient_name, address=letter.recipient_address, email=letter.recipient_email
        )
    rendered, problem = None, None
    try:
        rendered = letter_preview(
            case=letter.case,
            kind=letter.kind,
            actor=request.user,
            recipient=recipient,
            partnership=letter.partnership,
        )
    except LetterError as error:
        problem = error.message
        if letter.kind not in case_kinds() and letter.kind not in correctable_kinds():
            problem += (
                " This letter's content comes from another part of the case (the review, the panel or the "
                "appeal): issue the correction from there."
            )
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and rendered is not None and rendered.issuable:
        try:
            corrected = letter_correct(letter=letter, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error.messages[0])
        except LetterError as error:
            problem = error.message
        else:
            messages.success(
                request, "Corrected letter issued. The first letter is kept, marked as corrected."
            )
            return redirect("letters:detail", letter_id=corrected.pk)
    return render(
        request,
        "letters/correct.html",
        {
            "letter": letter,
            "application": letter.case,
            "spec": KINDS[letter.kind],
            "form": form,
            "rendered": rendered,
            "letter_html": demote_headings(rendered.body_html) if rendered else "",
            "problem": problem,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- Templates -------------------------------------------------------------------------------------


def _template_editor(request):
    if not user_can_edit_templates(request.user):
        raise PermissionDenied("Only the community safety manager or an administrator may edit letters.")


@login_required
def template_list(request):
    _template_editor(request)
    partnership = request.user.partnership
    rows = [
        {"spec": spec, "current": letter_template_current(partnership=partnership, kind=kind)}
        for kind, spec in KINDS.items()
    ]
    return render(request, "letters/template_list.html", {"rows": rows})


class TemplateForm(VersionedForm):
    """The wording of one kind of letter; its version is the number of the partnership's latest
    saved version (0 before the first), so two editors at once do not overwrite each other."""

    subject = forms.CharField(label="Subject", max_length=200, required=False)
    body = forms.CharField(label="The letter", widget=forms.Textarea, required=False)
    change_note = forms.CharField(label="What changed, and why", max_length=300, required=False)


def _sample_values(spec, partnership) -> dict:
    values = {p.name: p.sample for p in spec.placeholder_specs()}
    values.update(
        partnership_name=partnership.name,
        partnership_phone=partnership.contact_phone,
        partnership_email=partnership.contact_email,
    )
    for placeholder in spec.placeholder_specs():
        if placeholder.block:
            values[placeholder.name] = block_list([(f"sample {placeholder.name}", placeholder.sample)])
    return values


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request, kind):
    _template_editor(request)
    kind = _kind_or_404(kind, KINDS)
    spec = KINDS[kind]
    partnership = request.user.partnership
    current = letter_template_current(partnership=partnership, kind=kind)
    initial = {
        "subject": current.subject if current else spec.default_subject,
        "body": current.body if current else spec.default_body,
        "version": current.version if current else 0,
    }
    form = TemplateForm(request.POST or None, initial=initial)
    errors: dict[str, list[str]] = {}
    sample_html = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "restore_default" in request.POST:
            form = TemplateForm(
                initial={
                    "subject": spec.default_subject,
                    "body": spec.default_body,
                    "version": form.read_version,
                }
            )
            messages.info(request, "The product's default wording is in the form. Save it to use it.")
        elif "save" in request.POST:
            try:
                saved = letter_template_save(
                    partnership=partnership,
                    kind=kind,
                    subject=data["subject"],
                    body=data["body"],
                    actor=request.user,
                    change_note=data["change_note"],
                    read_version=form.read_version,
                )
            except StaleRecord as error:
                form.show_stale(error)
                errors = {"saved-since": form.non_field_errors()}
            except ValidationError as error:
                errors = error.message_dict
            else:
                messages.success(request, f"Version {saved.version} of the “{spec.label}” letter saved")
                return redirect("letters:template_edit", kind=kind)
        if not errors:
            errors = template_problems(spec, subject=data["subject"], body=data["body"])
        if not errors and "preview" in request.POST:
            values = _sample_values(spec, partnership)
            block_names = {p.name for p in spec.placeholder_specs() if p.block}
            sample_html = demote_headings(
                format_html('<h1 class="letter__subject">{}</h1>', fill_subject(data["subject"], values))
                + render_body(data["body"], values, block_names)
            )
    return render(
        request,
        "letters/template_edit.html",
        {
            "spec": spec,
            "form": form,
            "errors": errors,
            "current": current,
            "versions": letter_template_versions(partnership=partnership, kind=kind),
            "placeholders": spec.placeholder_specs(),
            "sample_html": sample_html,
        },
        status=400 if errors else 200,
    )


# --- Dispatch: the print queue, letters to hand over, held and returned letters ---------------------


@login_required
def dispatch_queue(request):
    if not user_can_issue_letters(request.user):
        raise Http404("No such page")
    return render(request, "letters/dispatch_queue.html", dispatch_queue_for(request.user))


class ReturnedForm(forms.Form):
    reason = forms.CharField(
        label="Why did it come back, or how do you know it was not received?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=300,
        error_messages={
            "required": "Enter why the letter came back or was not received",
            "max_length": "The reason must be 300 characters or fewer",
        },
    )


class RedirectForm(forms.Form):
    channel = forms.ChoiceField(
        label="How will it be sent now?",
        choices=DispatchChannel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how the letter will be sent",
            "invalid_choice": "Select how the letter will be sent",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dispatch_detail(request, dispatch_id):
    dispatch = dispatch_get_for_user(request.user, dispatch_id)
    action = request.POST.get("action") if request.method == "POST" else None
    returned_form = ReturnedForm(request.POST if action == "returned" else None)
    redirect_form = RedirectForm(request.POST if action == "redirect" else None)
    problem = ""
    if action:
        try:
            if action == "printed":
                letter_dispatch_mark_printed(dispatch=dispatch, actor=request.user)
                messages.success(request, "Marked printed. Mark it posted when it is in the post.")
                return redirect("letters:dispatch_detail", dispatch_id=dispatch.pk)
            if action == "sent":
                letter_dispatch_mark_sent(dispatch=dispatch, actor=request.user)
                messages.success(
                    request,
                    "Recorded as posted."
                    if dispatch.channel == DispatchChannel.POST
                    else "Recorded as handed over.",
                )
                return redirect("letters:dispatch_queue")
            if action == "returned" and returned_form.is_valid():
                letter_dispatch_mark_returned(
                    dispatch=dispatch, actor=request.user, reason=returned_form.cleaned_data["reason"]
                )
                messages.success(request, "Recorded as not received. Send it another way below.")
                return redirect("letters:dispatch_detail", dispatch_id=dispatch.pk)
            if action == "redirect" and redirect_form.is_valid():
                new = letter_dispatch_redirect(
                    dispatch=dispatch, actor=request.user, channel=redirect_form.cleaned_data["channel"]
                )
                messages.success(request, f"The letter will be sent {new.get_channel_display().lower()}.")
                return redirect("letters:dispatch_detail", dispatch_id=new.pk)
        except LetterError as error:
            redirect_form.add_error("channel", error.message)
        except ValidationError as error:
            problem = " ".join(error.messages)
    dispatch.refresh_from_db()
    status = 400 if (problem or returned_form.errors or redirect_form.errors) else 200
    return render(
        request,
        "letters/dispatch_detail.html",
        {
            "dispatch": dispatch,
            "letter": dispatch.letter,
            "application": dispatch.letter.case,
            "spec": KINDS[dispatch.letter.kind],
            "returned_form": returned_form,
            "redirect_form": redirect_form,
            "problem": problem,
        },
        status=status,
    )


# --- Contact details for letters: address, email, ways not to contact ---------------------------------


class ContactForm(VersionedForm):
    address = forms.CharField(
        label="Postal address",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="Without the postcode. Leave blank if letters must not be posted.",
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=10)
    email = forms.CharField(label="Email address", required=False, max_length=254)
    refusals = forms.MultipleChoiceField(
        label="Ways they must not be contacted",
        required=False,
        choices=list(SAFE_CONTACT_REFUSALS.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Letters and messages never use these; they become a task for staff instead.",
    )

    @classmethod
    def initial_from(cls, record) -> dict:
        return {
            "address": record.address,
            "postcode": record.postcode,
            "email": record.email,
            "refusals": sorted(record.refused_contact),
        }


@login_required
@require_http_methods(["GET", "POST"])
def contact_details(request, reference, person_id):
    """Where letters to the victim or the applicant go, and how not to contact them: the page a
    refused letter ("no postal address recorded") links to."""
    application = application_get_for_user(request.user, reference)
    if not user_can_issue_letters(request.user) or person_id not in (
        application.victim_id,
        application.applicant_id,
    ):
        raise Http404("No such page")
    person = application.victim if person_id == application.victim_id else application.applicant
    initial = {
        "address": person.address,
        "postcode": person.postcode,
        "email": person.email,
        "refusals": sorted(person.refused_contact),
        "version": person_contact_version(person),
    }
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            person_contact_update(
                application=application,
                person=person,
                actor=request.user,
                address=form.cleaned_data["address"],
                postcode=form.cleaned_data["postcode"],
                email=form.cleaned_data["email"],
                contact_refusals=form.cleaned_data["refusals"],
                read_version=form.read_version,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Contact details saved.")
            return redirect("letters:case", reference=application.reference)
    return render(
        request,
        "letters/contact_details.html",
        {
            "application": application,
            "person": person,
            "who": "the applicant" if person_id == application.applicant_id else "the victim",
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- The warning letter to an alleged perpetrator (the disclosure check the other way round) -------


class WarningForm(forms.Form):
    warning_text = forms.CharField(
        label="What the letter says about the behaviour",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=3000,
        help_text="The behaviour reported and what happens if it goes on. Never who reported it: the "
        "letter is refused if it holds the victim's or the applicant's name, address, postcode, phone "
        "number or date of birth.",
        error_messages={
            "required": "Enter what the letter says about the behaviour",
            "max_length": "What the letter says must be 3,000 characters or fewer",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def warning_page(request, reference, perpetrator_id):
    """Write, check, confirm and issue a warning letter to one alleged perpetrator of the case: the
    wording first, then the letter as it will be posted with a confirmation, then the issue (one
    letter per submission, dispatched as every letter is). The letter is checked against the
    victim's and the applicant's details (letters.services, the other direction)."""
    application = application_get_for_user(request.user, reference)
    if not user_can_issue_letters(request.user, "warning"):
        raise Http404("No such page")
    perpetrator = application.perpetrators.filter(pk=perpetrator_id).first()
    if perpetrator is None:
        raise Http404("No such alleged perpetrator on this case")
    spec = KINDS["warning"]
    recipient = recipient_for_perpetrator(perpetrator)
    posted = request.method == "POST"
    form = WarningForm(request.POST if posted else None)
    # Where to record what the letter needs: the perpetrator's edit page for whoever may still edit
    # the case's evidence, else the case page's perpetrators (a closed case: no dead end).
    if request.user.has_perm("applications.edit_evidence", application):
        edit_url = reverse("applications:perpetrator_edit", args=[application.reference, perpetrator.pk])
    else:
        edit_url = reverse("applications:detail", args=[application.reference]) + "#perpetrators"
    rendered, problem, confirm = None, None, False
    channel_form = None
    if posted and form.is_valid() and "change" not in request.POST:
        extra = {"warning_text": form.cleaned_data["warning_text"]}
        try:
            rendered = letter_preview(
                case=application, kind="warning", actor=request.user, recipient=recipient, extra=extra
            )
        except LetterError as error:
            problem = error.message
        if rendered is not None and rendered.refused:
            for finding in rendered.refused:
                form.add_error("warning_text", finding.message())
        elif rendered is not None:
            confirm = True
            channel_form = ChannelForm(
                request.POST if "issue" in request.POST else None,
                initial={"channel": dispatch_channel_default(recipient)},
                recipient=recipient,
            )
            if "issue" in request.POST:
                if request.POST.get("fingerprint") != _fingerprint(rendered):
                    messages.warning(
                        request, "The letter changed after you checked it. Check it again before issuing."
                    )
                elif channel_form.is_valid():
                    try:
                        letter = letter_issue(
                            case=application,
                            kind="warning",
                            actor=request.user,
                            recipient=recipient,
                            extra=extra,
                            channel=channel_form.cleaned_data["channel"] or None,
                            submission_token=submission_token_from(request.POST),
                        )
                    except LetterError as error:
                        channel_form.add_error("channel", error.message)
                    else:
                        if letter.is_held:
                            messages.warning(
                                request, "Warning letter written and held for a manager to release"
                            )
                        elif getattr(letter, "already_issued", False):
                            messages.success(request, "Warning letter already issued: this is it")
                        else:
                            messages.success(request, "Warning letter issued")
                        return redirect("letters:detail", letter_id=letter.pk)
    refused = bool(form.errors or problem or (channel_form is not None and channel_form.errors))
    return render(
        request,
        "letters/warning.html",
        {
            "application": application,
            "case_url": _case_url(application),
            "perpetrator": perpetrator,
            "spec": spec,
            "form": form,
            "problem": problem,
            "rendered": rendered,
            "letter_html": demote_headings(rendered.body_html) if rendered else "",
            "confirm": confirm,
            "channel_form": channel_form,
            "fingerprint": _fingerprint(rendered) if rendered else "",
            "submission_token": submission_token_new(),
            "edit_url": edit_url,
        },
        status=400 if refused else 200,
    )

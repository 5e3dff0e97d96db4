"""The notices page (/notices/) and the tasks for staff to send messages by hand."""

import hmac
import json

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 25


@login_required
def notice_list(request):
    notices = selectors.notices_for(request.user).select_related("case")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notice_list.html",
        {
            "page": page,
            "unread": selectors.notices_unread_count(request.user),
            "tasks": selectors.staff_tasks_for(request.user).count(),
            "failed": selectors.failed_messages_for(request.user).count(),
        },
    )


@login_required
def notice_open(request, pk: int):
    """Follow a notice to its case or action, marking it read on the way."""
    notice = selectors.notice_get_for_user(request.user, pk)
    services.notices_mark_read(user=request.user, notice_ids=[notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
        return redirect(notice.url)
    return redirect("notifications:list")


@login_required
@require_POST
def notices_read(request):
    changed = services.notices_mark_read(user=request.user)
    flash.success(request, f"{changed} notice{'s' if changed != 1 else ''} marked as read.")
    return redirect("notifications:list")


@login_required
def task_list(request):
    tasks = selectors.staff_tasks_for(request.user)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/task_list.html", {"page": page})


@login_required
def task_detail(request, pk: int):
    message = selectors.message_get_for_user(request.user, pk)
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            services.message_mark_done_by_staff(message=message, actor=request.user)
            flash.success(request, "Recorded as sent. It is on the case's timeline.")
            return redirect("notifications:tasks")
        return render(
            request, "notifications/task_detail.html", {"message": message, "error": True}, status=400
        )
    return render(request, "notifications/task_detail.html", {"message": message})


@login_required
def failed_list(request):
    """Messages that could not be sent after every retry, with a Resend button for each."""
    failed = selectors.failed_messages_for(request.user)
    page = Paginator(failed, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/failed_list.html", {"page": page})


@login_required
@require_POST
def failed_resend(request, pk: int):
    message = selectors.failed_message_get_for_user(request.user, pk)
    try:
        services.message_resend(message=message, actor=request.user)
    except ValidationError as error:
        flash.error(request, " ".join(error.messages))
    else:
        flash.success(request, f"Message {message.reference} is back in the outbox and will be sent again.")
    return redirect("notifications:failed")


# --- GOV.UK Notify's callbacks (not a page: Notify calls them, with the bearer token) ---------------


def _notify_authorised(request) -> bool:
    """The bearer token set for the callback in Notify's settings (CASEREVIEW_NOTIFY_CALLBACK_TOKEN),
    compared in constant time. With no token configured every call is refused."""
    expected = getattr(settings, "CASEREVIEW_NOTIFY_CALLBACK_TOKEN", "") or ""
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _notify_callback(request, *, id_field: str, status_of) -> JsonResponse:
    if not _notify_authorised(request):
        response = JsonResponse({"error": "unauthorised"}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "the body is not JSON"}, status=400)
    if not isinstance(payload, dict) or not str(payload.get(id_field) or "").strip():
        return JsonResponse({"error": f"{id_field} is missing"}, status=400)
    notify_status = status_of(payload)
    message = services.message_provider_status_record(
        notification_id=str(payload[id_field]), notify_status=notify_status
    )
    if message is None:
        # Not (yet) ours: Notify retries a call that fails, which covers a callback that overtakes
        # the commit recording its notification id.
        return JsonResponse({"error": "no message has this notification id"}, status=404)
    return JsonResponse({"result": "recorded", "status": notify_status})


@csrf_exempt
@require_POST
def notify_delivery_status(request):
    """Notify's delivery receipts: {"id": <notification id>, "status": "delivered" | "permanent-failure"
    | "temporary-failure" | "technical-failure" | …, "reference", "notification_type", …}."""
    return _notify_callback(request, id_field="id", status_of=lambda p: str(p.get("status") or ""))


@csrf_exempt
@require_POST
def notify_returned_letter(request):
    """Notify's returned-letter callback: {"notification_id": <id>, "reference", "created_at", …}."""
    return _notify_callback(request, id_field="notification_id", status_of=lambda p: "returned-letter")

"""The notices page (/notices/) and the tasks for staff to send messages by hand."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 25


@login_required
def notice_list(request):
    notices = selectors.notices_for(request.user).select_related("application")
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

"""Bell and notifications page. Thin: selectors read, services write.

Mark-read and dismiss answer HTMX with the changed item plus the bell's fresh count (out of band), so the count is
right even when the WebSocket is down; without HTMX they redirect back to the list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from fincoach.htmx import render_page

from . import notifications as service
from .models import Notification
from .selectors import bell_for_user, notifications_for_user, unread_count

PAGE_SIZE = 25


def _own_notification(request: HttpRequest, notification_id: int) -> Notification:
    # Scoped to the person (stricter than the household): someone else's notification is a 404.
    return get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)


def _changed(request: HttpRequest, notification: Notification) -> HttpResponse:
    if not request.htmx:
        return redirect("insights:notification_list")
    context = {"n": notification, "bell_unread": unread_count(request.user)}
    return render(request, "insights/partials/notification_changed.html", context)


@login_required
@require_GET
def notification_bell(request: HttpRequest) -> HttpResponse:
    return render(request, "insights/partials/bell.html", bell_for_user(request.user))


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for_user(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "insights/notification_list.html",
        {"page": page},
        partial="insights/partials/notification_page.html",
    )


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = service.notification_mark_read(request.user, _own_notification(request, notification_id))
    return _changed(request, notification)


@login_required
@require_POST
def notification_dismiss(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = service.notification_dismiss(request.user, _own_notification(request, notification_id))
    return _changed(request, notification)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    service.notifications_mark_all_read(request.user)
    if not request.htmx:
        return redirect("insights:notification_list")
    return render(request, "insights/partials/bell.html", bell_for_user(request.user))

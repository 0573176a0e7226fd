"""Bell and notifications page. Thin: selectors read, services write."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from fincoach.htmx import render_page

from . import notifications as service
from .models import Notification
from .selectors import bell_for_user, notifications_for_user


def _own_notification(request, notification_id: int) -> Notification:
    # Scoped to the user (stricter than the household): another person's notification is a 404.
    return get_object_or_404(Notification.objects.for_user(request.user), pk=notification_id)


@login_required
def notification_bell(request):
    return render(request, "insights/partials/bell.html", bell_for_user(request.user))


@login_required
def notification_list(request):
    page = Paginator(notifications_for_user(request.user), 25).get_page(request.GET.get("page"))
    return render_page(
        request,
        "insights/notification_list.html",
        {"page": page},
        partial="insights/partials/notification_page.html",
    )


@login_required
@require_POST
def notification_read(request, notification_id: int):
    n = _own_notification(request, notification_id)
    service.notification_mark_read(request.user, n)
    n.refresh_from_db()
    return render(request, "insights/partials/notification_item.html", {"n": n})


@login_required
@require_POST
def notification_dismiss(request, notification_id: int):
    n = _own_notification(request, notification_id)
    service.notification_dismiss(request.user, n)
    return render(request, "insights/partials/empty.html")


@login_required
@require_POST
def notifications_read_all(request):
    service.notifications_mark_all_read(request.user)
    return render(request, "insights/partials/bell.html", bell_for_user(request.user))

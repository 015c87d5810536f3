"""The notification list, e-mail settings and one-click unsubscribe."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from community.actions import notifications as actions
from community.forms import NotificationSettingsForm
from community.models import EmailFrequency
from community.queries import notifications as queries


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.notifications_for(request.user), 30).get_page(
        request.GET.get("seite")
    )
    return render(request, "community/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    actions.mark_read(request.user, ids or None)
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect("community:notifications")


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    prefs = queries.email_settings(request.user)
    form = NotificationSettingsForm(
        request.POST or None,
        initial={"email": prefs.email, "missed_chat": prefs.email_missed_chat},
    )
    if request.method == "POST" and form.is_valid():
        actions.set_email_frequency(
            request.user,
            form.cleaned_data["email"],
            missed_chat=form.cleaned_data["missed_chat"],
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("community:notification_settings")
    return render(request, "community/notification_settings.html", {"form": form})


@csrf_exempt  # mail clients post one-click unsubscribes without a session (RFC 8058)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user = actions.user_for_unsubscribe_token(token)
    if user is None:
        return render(
            request, "community/unsubscribe.html", {"invalid": True}, status=400
        )
    if request.method == "POST":
        actions.set_email_frequency(user, EmailFrequency.NEVER)
        return render(request, "community/unsubscribe.html", {"done": True})
    return render(request, "community/unsubscribe.html", {"token": token})

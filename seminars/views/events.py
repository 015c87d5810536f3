"""Event lists, the event page, its calendar file and its chat room."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seminars import calendar
from seminars.actions import chat_rooms
from seminars.forms import EventFilterForm, RegisterForm
from seminars.models import Access, Material
from seminars.permissions import (
    access_event,
    can_access_material,
    is_insider,
    is_member,
)
from seminars.queries import events as queries
from seminars.queries.events import registration_of
from seminars.queries.staff import SECOND_DATE_HINT_AT
from seminars.views.common import back_to_event, serve_file


def _list(request: HttpRequest, *, past: bool) -> HttpResponse:
    filters = EventFilterForm(request.GET or None)
    options = filters.cleaned_data if filters.is_valid() else {}
    finder = queries.past_events if past else queries.upcoming_events
    events = finder(
        request.user, kind=options.get("kind", ""), topic=options.get("topic", "")
    )
    page = Paginator(events, queries.EVENTS_PER_PAGE).get_page(request.GET.get("seite"))
    query = request.GET.copy()
    query.pop("seite", None)
    return render(
        request,
        "seminars/event_list.html",
        {"page": page, "filters": filters, "past": past, "query": query.urlencode()},
    )


@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    """Coming events, open to everyone (registering needs an account)."""
    return _list(request, past=False)


@require_GET
def past_list(request: HttpRequest) -> HttpResponse:
    return _list(request, past=True)


@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    page = queries.event_page(request.user, event)
    form = RegisterForm(colleagues=page.colleagues) if is_member(request.user) else None
    return render(
        request,
        "seminars/event_detail.html",
        {
            "event": event,
            "page": page,
            "form": form,
            "second_date_hint": page.waiting_count >= SECOND_DATE_HINT_AT,
        },
    )


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """The public calendar file: never with the online link."""
    event = access_event(request.user, pk)
    response = HttpResponse(
        calendar.event_file(event, with_online_link=False),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="veranstaltung-{pk}.ics"'
    return response


@login_required
@require_GET
def event_chat(request: HttpRequest, pk: int) -> HttpResponse:
    """Into the event's chat room: participants, speakers and staff (staff
    become members when they first come in)."""
    event = access_event(request.user, pk)
    if not is_insider(request.user, event, registration_of(request.user, event)):
        raise Http404
    chat_rooms.admit(event, [request.user])
    return redirect("chat:room", pk=event.chat_room_id)


@require_GET
def material_download(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    material = Material.objects.select_related("event").filter(pk=pk).first()
    if material is None or not material.file:
        raise Http404
    event = access_event(request.user, material.event_id)
    insider = is_insider(request.user, event, registration_of(request.user, event))
    if not can_access_material(request.user, material, insider=insider):
        messages.error(request, refusal_for_material(material))
        return back_to_event(event.pk, "materialien")
    return serve_file(
        material.file, content_type=material.content_type, name=material.original_name
    )


def refusal_for_material(material: Material) -> str:
    if material.access == Access.MEMBERS:
        return _("Please log in to open this material.")
    return _("This material is for the participants of the event only.")

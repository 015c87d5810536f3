"""The Geschäftsstelle's tools: create and edit events, cancel them, the
participant list (CSV), attendance, demand per municipality, the quota,
materials, sessions and lessons."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from seminars.actions import attendance, courses, events, materials
from seminars.forms import (
    CancelEventForm,
    EventForm,
    LessonForm,
    MaterialForm,
    SessionForm,
)
from seminars.models import Event, Lesson, Material
from seminars.permissions import Refused, check_can_manage_events
from seminars.queries import staff as staff_queries
from seminars.views.common import back_to_event


def _staff_event(request: HttpRequest, pk: int) -> Event:
    check_can_manage_events(request.user)
    return get_object_or_404(Event, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest) -> HttpResponse:
    check_can_manage_events(request.user)
    # "Open a second date": the form starts as a copy of the full event.
    template = request.GET.get("vorlage", "")
    source = Event.objects.filter(pk=template).first() if template.isdigit() else None
    initial = events.second_date_initial(source) if source else {}
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = events.create_event(
            request.user,
            speakers=list(form.cleaned_data["speakers"]),
            **form.event_fields(),
        )
        messages.success(request, _("The event is saved."))
        return redirect("seminars:event", pk=event.pk)
    return render(request, "seminars/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    form = EventForm(request.POST or None, instance=Event.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            events.update_event(
                request.user,
                event,
                speakers=list(form.cleaned_data["speakers"]),
                **form.event_fields(),
            )
        except Refused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The event is saved."))
            return redirect("seminars:event", pk=event.pk)
    return render(request, "seminars/event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    form = CancelEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        events.cancel_event(request.user, event, reason=form.cleaned_data["reason"])
        messages.success(request, _("The event is cancelled; participants are told."))
        return redirect("seminars:event", pk=event.pk)
    return render(request, "seminars/event_cancel.html", {"form": form, "event": event})


@login_required
@require_POST
def release_quota(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    promoted = events.release_quota(request.user, event)
    messages.success(
        request,
        _("The seats are open to everyone; %(count)d moved up from the waiting list.")
        % {"count": promoted},
    )
    return redirect("seminars:participants", pk=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    """Participants and waiting list, attendance, demand per municipality."""
    event = _staff_event(request, pk)
    if request.method == "POST":
        present = [int(v) for v in request.POST.getlist("attended") if v.isdigit()]
        changed = attendance.mark_attendance(request.user, event, attended=present)
        messages.success(
            request, _("Attendance saved (%(count)d changed).") % {"count": changed}
        )
        return redirect("seminars:participants", pk=event.pk)
    registrations = staff_queries.participant_list(event)
    waiting = [r for r in registrations if r.is_waiting]
    return render(
        request,
        "seminars/participant_list.html",
        {
            "event": event,
            "confirmed": [r for r in registrations if r.is_confirmed],
            "waiting": waiting,
            "demand": staff_queries.demand_by_municipality(event),
            "second_date_hint": len(waiting) >= staff_queries.SECOND_DATE_HINT_AT,
        },
    )


@login_required
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="teilnehmende-{event.pk}.csv"'
    )
    # UTF-8 with BOM and semicolons: what German spreadsheet software opens as is.
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-mail address"),
            _("Municipality"),
            _("Status"),
            _("Position on the waiting list"),
            _("Registered at"),
            _("Registered by"),
            _("Attended"),
        ]
    )
    for r in staff_queries.participant_list(event):
        person = r.participant
        writer.writerow(
            [
                person.name if person else "",
                person.email if person else "",
                r.area_name,
                r.get_status_display(),
                r.position or "",
                timezone.localtime(r.queued_at).strftime("%d.%m.%Y %H:%M"),
                r.registered_by.name if r.registered_by else "",
                {True: _("yes"), False: _("no"), None: ""}[r.attended],
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        materials.add_material(
            request.user,
            event,
            title=data["title"],
            kind=data["kind"],
            access=data["access"],
            description=data["description"],
            upload=data["upload"],
            url=data["url"],
        )
        messages.success(request, _("The material is attached."))
        return back_to_event(event.pk, "materialien")
    return render(
        request, "seminars/material_form.html", {"form": form, "event": event}
    )


@login_required
@require_POST
def material_remove(request: HttpRequest, pk: int) -> HttpResponse:
    check_can_manage_events(request.user)
    material = get_object_or_404(Material, pk=pk)
    materials.remove_material(request.user, material)
    messages.success(request, _("The material is removed."))
    return back_to_event(material.event_id, "materialien")


@login_required
@require_http_methods(["GET", "POST"])
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _staff_event(request, pk)
    form = SessionForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        events.add_session(request.user, event, **form.cleaned_data)
        messages.success(request, _("The session is added to the timetable."))
        return back_to_event(event.pk, "programm")
    return render(request, "seminars/session_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def lesson_form(
    request: HttpRequest, pk: int, lesson_pk: int | None = None
) -> HttpResponse:
    event = _staff_event(request, pk)
    lesson = get_object_or_404(Lesson, pk=lesson_pk, event=event) if lesson_pk else None
    initial = {"title": lesson.title, "body": lesson.body} if lesson else None
    form = LessonForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        lesson = courses.save_lesson(
            request.user,
            event,
            lesson=lesson,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            uploads=form.cleaned_data["files"],
        )
        messages.success(request, _("The lesson is saved."))
        return redirect("seminars:lesson", pk=lesson.pk)
    return render(
        request,
        "seminars/lesson_form.html",
        {"form": form, "event": event, "lesson": lesson},
    )

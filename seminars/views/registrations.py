"""Registering (oneself or a colleague), cancelling, the waiting list, sessions,
"my events" with the personal calendar feed, and the confirmations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seminars import calendar
from seminars.actions import feeds, registrations, sessions
from seminars.forms import RegisterForm
from seminars.models import (
    EventSession,
    Registration,
    RegistrationStatus,
    SessionBooking,
)
from seminars.permissions import (
    Refused,
    access_event,
    access_registration,
    check_can_see_certificate,
)
from seminars.queries import events as queries
from seminars.views.common import back_to_event, over_limit


def _too_often(request: HttpRequest, event_id: int) -> HttpResponse | None:
    if over_limit(request, "registrations"):
        messages.error(
            request, _("You have made many changes within a short time. Please wait.")
        )
        return back_to_event(event_id)
    return None


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = access_event(request.user, pk)
    if refused := _too_often(request, event.pk):
        return refused
    form = RegisterForm(request.POST, colleagues=queries.colleagues_of(request.user))
    if not form.is_valid():
        messages.error(request, _("Please choose a colleague from the list."))
        return back_to_event(event.pk, "anmeldung")
    colleague = form.cleaned_data.get("colleague")
    try:
        registration = registrations.register(
            request.user,
            event,
            participant=colleague,
            listed=form.cleaned_data["listed"] and colleague is None,
        )
    except Refused as refusal:
        messages.error(request, str(refusal))
        return back_to_event(event.pk, "anmeldung")
    name = registration.participant.name
    if registration.is_confirmed:
        text = (
            _("You are registered. A confirmation is on its way by e-mail.")
            if colleague is None
            else _("%(name)s is registered and gets a confirmation by e-mail.")
            % {"name": name}
        )
    else:
        text = (
            _("The event is full: you are on the waiting list.")
            if colleague is None
            else _("The event is full: %(name)s is on the waiting list.")
            % {"name": name}
        )
    messages.success(request, text)
    return back_to_event(event.pk, "anmeldung")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a registration (someone else's is refused with a message)."""
    registration = Registration.objects.filter(pk=pk).first()
    if registration is None:
        raise Http404
    event_id = registration.event_id
    if refused := _too_often(request, event_id):
        return refused
    try:
        registration = access_registration(request.user, pk)
        registrations.cancel(request.user, registration)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return back_to_event(event_id, "anmeldung")
    messages.success(request, _("The registration is cancelled."))
    return back_to_event(event_id, "anmeldung")


@login_required
@require_POST
def set_listed(request: HttpRequest, pk: int) -> HttpResponse:
    """A participant agrees (or no longer) to appear on the participant list."""
    registration = get_object_or_404(Registration, pk=pk, participant=request.user)
    registrations.set_listed(
        request.user, registration, listed=request.POST.get("listed") == "1"
    )
    messages.success(request, _("Your choice is saved."))
    return back_to_event(registration.event_id, "teilnehmende")


@login_required
@require_POST
def book_session(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(EventSession, pk=pk)
    access_event(request.user, session.event_id)
    if refused := _too_often(request, session.event_id):
        return refused
    try:
        booking = sessions.book_session(request.user, session)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        text = (
            _("You have a place in “%(title)s”.")
            if booking.status == RegistrationStatus.CONFIRMED
            else _("“%(title)s” is full: you are on its waiting list.")
        )
        messages.success(request, text % {"title": session.title})
    return back_to_event(session.event_id, "programm")


@login_required
@require_POST
def cancel_session(request: HttpRequest, pk: int) -> HttpResponse:
    booking = get_object_or_404(
        SessionBooking.objects.select_related("session", "registration"), pk=pk
    )
    try:
        sessions.cancel_booking(request.user, booking)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("You have left the session."))
    return back_to_event(booking.session.event_id, "programm")


@login_required
@require_GET
def my_events(request: HttpRequest) -> HttpResponse:
    token = feeds.feed_token(request.user)
    feed_url = calendar.absolute(reverse("seminars:feed", args=[token]))
    return render(
        request,
        "seminars/my_events.html",
        {
            "registrations": queries.my_registrations(request.user),
            "feed_url": feed_url,
        },
    )


@login_required
@require_POST
def renew_feed(request: HttpRequest) -> HttpResponse:
    feeds.renew_feed(request.user)
    messages.success(
        request,
        _("Your calendar has a new address; the old one no longer works."),
    )
    return redirect("seminars:my_events")


@require_GET
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A member's events with seats, for calendar apps (no login: the secret
    URL is the key). Includes the online links, as only they see this."""
    member = feeds.member_for_feed_token(token)
    if member is None:
        raise Http404
    body = calendar.calendar_bytes(
        queries.feed_events(member),
        with_online_link=True,
        name=_("Zukunftsraum: my events"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The Teilnahmebescheinigung: a page made for printing."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "participant"),
        pk=pk,
        participant__isnull=False,
    )
    try:
        check_can_see_certificate(request.user, registration)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return back_to_event(registration.event_id)
    return render(
        request, "seminars/certificate_detail.html", {"registration": registration}
    )

"""Sessions of a meeting's timetable: participants book the ones they attend.

A session has a capacity and a waiting list of its own; the same locks (event,
then session) and the same promotion order as the event's seats.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from seminars.actions.locks import lock_event, lock_sessions
from seminars.models import (
    EventSession,
    Registration,
    RegistrationStatus,
    SessionBooking,
)
from seminars.permissions import Refused, is_participant
from seminars.waiting_list import promotion_order


def _registration_of(member: User, session: EventSession) -> Registration:
    registration = Registration.objects.filter(
        event_id=session.event_id, participant=member
    ).first()
    if not is_participant(member, registration):
        raise Refused(
            _("Please register for the event before you choose its sessions.")
        )
    return registration


@transaction.atomic
def book_session(member: User, session: EventSession) -> SessionBooking:
    """A place in `session` for a participant of its event, or on its list."""
    event = lock_event(session.event_id)
    registration = _registration_of(member, session)
    [session] = lock_sessions(event, [session.pk])
    if event.ends_at <= timezone.now():
        raise Refused(_("This event is over; registration is closed."))
    booking = SessionBooking.objects.filter(
        session=session, registration=registration
    ).first()
    if booking is not None and booking.status != RegistrationStatus.CANCELLED:
        raise Refused(_("You have chosen this session already."))
    seat = session.capacity is None or session.confirmed_count < session.capacity
    if booking is None:
        booking = SessionBooking(session=session, registration=registration)
    booking.status = (
        RegistrationStatus.CONFIRMED if seat else RegistrationStatus.WAITING
    )
    booking.queued_at = timezone.now()
    booking.save()
    if seat:
        session.confirmed_count += 1
        session.save(update_fields=["confirmed_count"])
    return booking


@transaction.atomic
def cancel_booking(member: User, booking: SessionBooking) -> bool:
    if booking.registration.participant_id != member.pk and not member.is_staff:
        raise Refused(_("You cannot cancel someone else's registration."))
    event = lock_event(booking.session.event_id)
    [session] = lock_sessions(event, [booking.session_id])
    return _cancel(session, SessionBooking.objects.get(pk=booking.pk))


def cancel_bookings_of(registration: Registration) -> None:
    """A participant gave up their seat: their sessions go to the next ones.
    Call under the event's lock."""
    bookings = {
        b.session_id: b
        for b in SessionBooking.objects.filter(registration=registration).exclude(
            status=RegistrationStatus.CANCELLED
        )
    }
    if not bookings:
        return
    for session in lock_sessions(registration.event, sorted(bookings)):
        _cancel(session, bookings[session.pk])


def _cancel(session: EventSession, booking: SessionBooking) -> bool:
    if booking.status == RegistrationStatus.CANCELLED:
        return False
    was_confirmed = booking.status == RegistrationStatus.CONFIRMED
    booking.status = RegistrationStatus.CANCELLED
    booking.save(update_fields=["status"])
    if was_confirmed:
        session.confirmed_count -= 1
        session.save(update_fields=["confirmed_count"])
        promote_session(session)
    return True


class _Queued:
    def __init__(self, booking: SessionBooking) -> None:
        self.booking = booking
        self.area_key = booking.registration.area_key


def promote_session(session: EventSession) -> list[SessionBooking]:
    """Give the session's free places to its list (call with it locked)."""
    free = session.free_seats
    if free == 0:
        return []
    waiting = [
        _Queued(b)
        for b in SessionBooking.objects.filter(
            session=session, status=RegistrationStatus.WAITING
        )
        .select_related("registration")
        .order_by("queued_at", "pk")
    ]
    held: dict[str, int] = {}
    for key in SessionBooking.objects.filter(
        session=session, status=RegistrationStatus.CONFIRMED
    ).values_list("registration__area_key", flat=True):
        held[key] = held.get(key, 0) + 1
    order, _blocked = promotion_order(waiting, held, None)
    chosen = [q.booking for q in (order if free is None else order[:free])]
    for booking in chosen:
        booking.status = RegistrationStatus.CONFIRMED
    SessionBooking.objects.bulk_update(chosen, ["status"])
    session.confirmed_count += len(chosen)
    session.save(update_fields=["confirmed_count"])
    return chosen

"""Registering, cancelling and moving up from the waiting list.

Seats are never given twice. Every write that changes an event's seats takes
the same locks in the same order, as pretix does: the event row first, then
the event's municipality rows sorted by key, then session rows by id, all with
SELECT ... FOR UPDATE in one transaction. The counters they hold carry CHECK
constraints (seminars.models), so even a bug here could not overbook: the
database would refuse the transaction. On SQLite (the embedded default) the
IMMEDIATE transactions serialise writers instead.

Freed seats (a cancellation, more capacity, a released quota) go to the
waiting list in the same transaction, in the order of
seminars.waiting_list.promotion_order.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from community.actions.notifications import notify
from community.models import Notification, NotificationKind
from seminars.actions import chat_rooms
from seminars.actions.locks import lock_areas, lock_event
from seminars.actions.mails import mail_on_commit
from seminars.actions.sessions import cancel_bookings_of
from seminars.models import (
    Event,
    EventMunicipality,
    EventStatus,
    Registration,
    RegistrationStatus,
)
from seminars.permissions import Refused, area_of, check_can_cancel, check_can_register
from seminars.waiting_list import promotion_order, quota_used_up


def _area_row(event: Event, key: str, name: str) -> EventMunicipality:
    """The locked row of one municipality, made on its first registration.

    Made under the event's lock, so two first registrations of a municipality
    cannot both create it.
    """
    row = (
        EventMunicipality.objects.select_for_update()
        .filter(event=event, area_key=key)
        .first()
    )
    if row is None:
        row = EventMunicipality.objects.create(
            event=event,
            area_key=key,
            area_name=name,
            quota=event.quota if key else None,
        )
    return row


def _check_open(event: Event, now) -> None:
    if event.status == EventStatus.CANCELLED:
        raise Refused(_("This event has been cancelled."))
    if event.status != EventStatus.PUBLISHED:
        raise Refused(_("This event is not open for registration."))
    if event.ends_at <= now or (not event.is_course and event.starts_at <= now):
        raise Refused(_("This event is over; registration is closed."))
    if event.closes_at <= now:
        raise Refused(_("The registration deadline for this event has passed."))


@transaction.atomic
def register(
    actor: User,
    event: Event,
    *,
    participant: User | None = None,
    listed: bool = False,
) -> Registration:
    """A seat for `participant` (default: the actor), or a place on the
    waiting list when the event is full.

    Refused (with a sentence for the member, and no change) when registered
    already, after the deadline, for a past, cancelled or unpublished event,
    beyond the municipality's quota, or for a colleague of another
    municipality.
    """
    participant = participant or actor
    check_can_register(actor, participant)
    event = lock_event(event.pk)
    # Read the clock under the lock: queue times then follow the order in
    # which registrations were decided.
    now = timezone.now()
    _check_open(event, now)
    registration = (
        Registration.objects.select_for_update()
        .filter(event=event, participant=participant)
        .first()
    )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        if participant.pk == actor.pk:
            raise Refused(_("You are registered for this event already."))
        raise Refused(
            _("%(name)s is registered for this event already.")
            % {"name": participant.name}
        )
    key, name = area_of(participant)
    area = _area_row(event, key, name)
    if quota_used_up(key, {key: area.confirmed_count}, event.quota):
        raise Refused(
            _(
                "The seats for %(municipality)s at this event are taken "
                "(%(quota)d per municipality). The Geschäftsstelle may release "
                "the remaining seats to everyone shortly before the event."
            )
            % {"municipality": name, "quota": event.quota}
        )
    seat = event.capacity is None or event.confirmed_count < event.capacity
    if registration is None:
        registration = Registration(event=event, participant=participant)
    registration.registered_by = actor
    registration.area_key, registration.area_name = key, name
    registration.status = (
        RegistrationStatus.CONFIRMED if seat else RegistrationStatus.WAITING
    )
    registration.queued_at = now
    registration.confirmed_at = now if seat else None
    registration.promoted_at = None
    registration.cancelled_at = None
    registration.attended = None
    registration.reminder_sent_at = None
    registration.listed = listed
    registration.save()
    if seat:
        _take_seats(event, {key: area}, [registration])
        chat_rooms.admit(event, [participant])
    inform(actor, registration, "confirmed" if seat else "waiting")
    return registration


@transaction.atomic
def cancel(actor: User, registration: Registration) -> bool:
    """Give up a seat (or a waiting-list place); the next ones move up in the
    same transaction. False if it was cancelled already."""
    check_can_cancel(actor, registration)
    event = lock_event(registration.event_id)
    areas = lock_areas(event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return False
    if event.ends_at <= timezone.now():
        raise Refused(_("This event is over; registrations can no longer change."))
    was_confirmed = registration.is_confirmed
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if was_confirmed:
        _free_seat(event, areas, registration)
        promote(event, areas)
    if registration.participant is not None and actor.pk != registration.participant_id:
        inform(actor, registration, "cancelled")
    return True


def _take_seats(
    event: Event, areas: dict[str, EventMunicipality], chosen: list[Registration]
) -> None:
    for registration in chosen:
        area = areas[registration.area_key]
        area.confirmed_count += 1
        area.save(update_fields=["confirmed_count"])
    event.confirmed_count += len(chosen)
    event.save(update_fields=["confirmed_count"])


def _free_seat(
    event: Event, areas: dict[str, EventMunicipality], registration: Registration
) -> None:
    area = areas[registration.area_key]
    area.confirmed_count -= 1
    area.save(update_fields=["confirmed_count"])
    event.confirmed_count -= 1
    event.save(update_fields=["confirmed_count"])
    cancel_bookings_of(registration)
    if registration.participant is not None:
        chat_rooms.dismiss(event, [registration.participant])


def promote(event: Event, areas: dict[str, EventMunicipality]) -> list[Registration]:
    """Give the event's free seats to its waiting list.

    Call with the event and its municipality rows locked (`lock_event`,
    `lock_areas`), inside the transaction that freed the seats.
    """
    free = event.free_seats
    if free == 0 or event.status != EventStatus.PUBLISHED:
        return []
    waiting = list(
        Registration.objects.filter(event=event, status=RegistrationStatus.WAITING)
        .select_related("participant")
        .order_by("queued_at", "pk")
    )
    held = {key: row.confirmed_count for key, row in areas.items()}
    order, _blocked = promotion_order(waiting, held, event.quota)
    chosen = order if free is None else order[:free]
    if not chosen:
        return []
    now = timezone.now()
    for registration in chosen:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.promoted_at = now
    Registration.objects.bulk_update(chosen, ["status", "confirmed_at", "promoted_at"])
    _take_seats(event, areas, chosen)
    chat_rooms.admit(event, [r.participant for r in chosen if r.participant])
    for registration in chosen:
        inform(None, registration, "promoted")
    return chosen


NOTIFICATIONS = {
    "confirmed": NotificationKind.EVENT_REGISTRATION,
    "waiting": NotificationKind.EVENT_REGISTRATION,
    "promoted": NotificationKind.EVENT_PROMOTED,
    "cancelled": NotificationKind.EVENT_REGISTRATION,
    "changed": NotificationKind.EVENT_CHANGED,
    "event_cancelled": NotificationKind.EVENT_CHANGED,
    "reminder": NotificationKind.EVENT_REMINDER,
}


def notification_title(kind: str, event: Event) -> str:
    titles = {
        "confirmed": _("You are registered for “%(title)s”"),
        "waiting": _("You are on the waiting list for “%(title)s”"),
        "promoted": _("You have moved up: a seat at “%(title)s” is yours"),
        "cancelled": _("Your registration for “%(title)s” was cancelled"),
        "changed": _("“%(title)s” has changed"),
        "event_cancelled": _("“%(title)s” has been cancelled"),
        "reminder": _("Reminder: “%(title)s” begins soon"),
    }
    return titles[kind] % {"title": event.title}


def inform(actor: User | None, registration: Registration, kind: str) -> None:
    """In the app and by e-mail (with the calendar file where it helps)."""
    participant = registration.participant
    if participant is None:
        return
    event = registration.event
    created = notify(
        [participant],
        kind=NOTIFICATIONS[kind],
        # A member's own registration is news to them all the same.
        actor=actor if actor is not None and actor.pk != participant.pk else None,
        title=notification_title(kind, event),
        url=reverse("seminars:event", args=[event.pk]),
    )
    Notification.objects.filter(pk__in=[n.pk for n in created]).update(
        emailed_at=timezone.now()
    )
    mail_on_commit(registration, kind)


def inform_all(
    actor: User, event: Event, kind: str, *, include_waiting: bool = False
) -> int:
    """Tell every participant (and the waiting list) about the event."""
    statuses = [RegistrationStatus.CONFIRMED]
    if include_waiting:
        statuses.append(RegistrationStatus.WAITING)
    registrations = list(
        Registration.objects.filter(
            event=event, status__in=statuses, participant__isnull=False
        ).select_related("participant", "event")
    )
    for registration in registrations:
        inform(actor, registration, kind)
    return len(registrations)


@transaction.atomic
def set_listed(member: User, registration: Registration, *, listed: bool) -> bool:
    """The participant's consent to appear on the list other participants see."""
    if registration.participant_id != member.pk:
        raise Refused(_("You cannot change someone else's registration."))
    if registration.listed == listed:
        return False
    registration.listed = listed
    registration.save(update_fields=["listed"])
    return True

"""Event lists and what an event page shows a given viewer."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from seminars.models import (
    Event,
    EventSession,
    EventStatus,
    Material,
    Registration,
    RegistrationStatus,
    SessionBooking,
)
from seminars.permissions import can_access_material, is_member, is_staff
from seminars.queries.courses import course_progress
from seminars.queries.waiting import waiting_positions

EVENTS_PER_PAGE = 20


def upcoming_events(viewer: User, *, kind: str = "", topic: str = "") -> QuerySet:
    """Events that have not ended, soonest first (drafts for staff only)."""
    events = Event.objects.filter(ends_at__gte=timezone.now())
    return _listed(events, viewer, kind, topic).order_by("starts_at", "pk")


def past_events(viewer: User, *, kind: str = "", topic: str = "") -> QuerySet:
    """Events that have ended, latest first, with how many materials each has."""
    events = Event.objects.filter(ends_at__lt=timezone.now())
    return (
        _listed(events, viewer, kind, topic)
        .annotate(material_count=Count("materials"))
        .order_by("-starts_at", "-pk")
    )


def _listed(events: QuerySet, viewer: User, kind: str, topic: str) -> QuerySet:
    if not is_staff(viewer):
        events = events.exclude(status=EventStatus.DRAFT)
    if kind:
        events = events.filter(kind=kind)
    if topic:
        events = events.filter(topic=topic)
    if is_member(viewer):
        mine = Registration.objects.filter(
            event=OuterRef("pk"),
            participant=viewer,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        events = events.annotate(
            my_status=Exists(mine.filter(status=RegistrationStatus.CONFIRMED)),
            my_waiting=Exists(mine.filter(status=RegistrationStatus.WAITING)),
        )
    return events


def registration_of(viewer: User, event: Event) -> Registration | None:
    """The viewer's registration (any status), or None."""
    if not is_member(viewer):
        return None
    return Registration.objects.filter(event=event, participant=viewer).first()


@dataclass
class EventPage:
    """Everything an event page shows one viewer, read in a fixed few queries."""

    event: Event
    registration: Registration | None
    insider: bool
    speakers: list[User]
    waiting_position: int | None = None
    waiting_blocked: bool = False
    sessions: list[EventSession] = field(default_factory=list)
    bookings: dict[int, SessionBooking] = field(default_factory=dict)
    materials: list[Material] = field(default_factory=list)
    hidden_materials: int = 0
    listed_participants: list[Registration] = field(default_factory=list)
    colleagues: list[User] = field(default_factory=list)
    registered_colleagues: list[Registration] = field(default_factory=list)
    lessons: list = field(default_factory=list)
    lessons_done: set[int] = field(default_factory=set)
    waiting_count: int = 0


def event_page(viewer: User, event: Event) -> EventPage:
    registration = registration_of(viewer, event)
    speakers = list(event.speakers.filter(is_active=True))
    insider = is_staff(viewer) or (
        is_member(viewer)
        and (
            any(s.pk == viewer.pk for s in speakers)
            or (registration is not None and registration.is_confirmed)
        )
    )
    page = EventPage(
        event=event, registration=registration, insider=insider, speakers=speakers
    )
    if registration is not None and registration.is_waiting:
        position = waiting_positions(event).get(registration.pk)
        page.waiting_position = position
        page.waiting_blocked = position is None
    page.sessions = list(event.sessions.all())
    if registration is not None and page.sessions:
        page.bookings = {
            b.session_id: b
            for b in SessionBooking.objects.filter(registration=registration).exclude(
                status=RegistrationStatus.CANCELLED
            )
        }
    materials = list(event.materials.all())
    page.materials = [
        m for m in materials if can_access_material(viewer, m, insider=insider)
    ]
    page.hidden_materials = len(materials) - len(page.materials)
    if insider:
        page.listed_participants = list(
            Registration.objects.filter(
                event=event,
                status=RegistrationStatus.CONFIRMED,
                listed=True,
                participant__isnull=False,
            ).select_related("participant")
        )
    if is_member(viewer):
        page.colleagues = colleagues_of(viewer)
        page.registered_colleagues = list(
            Registration.objects.filter(
                event=event,
                registered_by=viewer,
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
            )
            .exclude(participant=viewer)
            .select_related("participant")
        )
    if event.is_course:
        page.lessons, page.lessons_done = course_progress(viewer, event)
    if is_staff(viewer):
        page.waiting_count = event.registrations.filter(
            status=RegistrationStatus.WAITING
        ).count()
    return page


def colleagues_of(member: User) -> list[User]:
    """Active members of the same municipality (or district), for "register
    a colleague"."""
    if member.municipality_id:
        same = Q(municipality_id=member.municipality_id)
    elif member.district_id:
        same = Q(district_id=member.district_id)
    else:
        return []
    return list(
        User.objects.filter(same, is_active=True, deleted_at__isnull=True)
        .exclude(pk=member.pk)
        .order_by("name")
        .only("pk", "name")
    )


def my_registrations(member: User) -> QuerySet:
    """The member's registrations that are not cancelled, coming ones first."""
    return (
        Registration.objects.filter(
            participant=member,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        )
        .select_related("event")
        .order_by("-event__ends_at")
    )


def feed_events(member: User) -> QuerySet:
    """The events of a member's personal calendar: those with a seat."""
    return Event.objects.filter(
        registrations__participant=member,
        registrations__status=RegistrationStatus.CONFIRMED,
    ).exclude(status=EventStatus.DRAFT)

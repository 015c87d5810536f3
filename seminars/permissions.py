"""Who may see or do what with events, registrations, materials and lessons.

Refusals a member should understand raise `Refused` with a German sentence
(views show it as a message); what a member may not even see is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from seminars.models import (
    Access,
    Event,
    EventStatus,
    Lesson,
    Material,
    Registration,
    RegistrationStatus,
)


class Refused(PermissionDenied):
    """Refused with a sentence for the member (`str(exc)`)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def is_member(user: User) -> bool:
    return user.is_authenticated and user.is_active


def is_staff(user: User) -> bool:
    return is_member(user) and user.is_staff


def area_of(member: User) -> tuple[str, str]:
    """The municipality a member's seat counts for: (AGS or district key, name)."""
    if member.municipality_id:
        return member.municipality_id, member.municipality.name
    if member.district_id:
        return member.district_id, str(member.district)
    return "", ""


def can_view_event(user: User, event: Event) -> bool:
    """Published and cancelled events are public; drafts are the staff's."""
    if event.status != EventStatus.DRAFT:
        return True
    return is_staff(user)


def access_event(user: User, pk: int) -> Event:
    event = Event.objects.filter(pk=pk).first()
    if event is None or not can_view_event(user, event):
        raise Http404
    return event


def check_can_manage_events(user: User) -> None:
    """The Geschäftsstelle runs the seminars."""
    if not is_member(user):
        raise PermissionDenied
    if not user.is_staff:
        raise PermissionDenied


def is_speaker(user: User, event: Event) -> bool:
    if not is_member(user):
        return False
    return event.speakers.filter(pk=user.pk).exists()


def is_participant(user: User, registration: Registration | None) -> bool:
    """A confirmed seat (not the waiting list)."""
    return (
        is_member(user)
        and registration is not None
        and registration.participant_id == user.pk
        and registration.status == RegistrationStatus.CONFIRMED
    )


def is_insider(user: User, event: Event, registration: Registration | None) -> bool:
    """Participants, speakers and staff: who gets the online link, the chat
    room and the participants' materials."""
    return (
        is_staff(user) or is_participant(user, registration) or is_speaker(user, event)
    )


def check_can_register(actor: User, participant: User) -> None:
    """Members register themselves, or a colleague of their own municipality.

    Whether the event still takes registrations is decided under its lock
    (seminars.actions.registrations).
    """
    if not is_member(actor):
        raise PermissionDenied
    if not participant.is_active or participant.is_deleted:
        raise Refused(_("This member cannot be registered."))
    if participant.pk == actor.pk:
        return
    actor_area, _name = area_of(actor)
    if not actor_area or area_of(participant)[0] != actor_area:
        raise Refused(_("You can only register colleagues of your own municipality."))


def check_can_cancel(actor: User, registration: Registration) -> None:
    """The participant, the colleague who registered them, or staff."""
    if not is_member(actor):
        raise PermissionDenied
    if actor.is_staff:
        return
    if actor.pk in (registration.participant_id, registration.registered_by_id):
        return
    raise Refused(_("You cannot cancel someone else's registration."))


def access_registration(actor: User, pk: int) -> Registration:
    """A registration its participant, registrar or staff may act on."""
    registration = (
        Registration.objects.select_related("event", "participant")
        .filter(pk=pk)
        .first()
    )
    if registration is None or not is_member(actor):
        raise Http404
    check_can_cancel(actor, registration)
    return registration


def can_access_material(user: User, material: Material, *, insider: bool) -> bool:
    """`insider`: `is_insider` for the material's event, known to the caller."""
    if material.access == Access.PUBLIC:
        return True
    if material.access == Access.MEMBERS:
        return is_member(user)
    return insider


def check_can_open_lessons(
    user: User, event: Event, registration: Registration | None
) -> None:
    """Lessons are for the course's participants (and speakers, staff)."""
    if not is_insider(user, event, registration):
        raise Refused(_("Please enrol in the course to open its lessons."))


def check_can_mark_lesson(user: User, lesson: Lesson, registration) -> None:
    """Progress is recorded for enrolled participants only."""
    if not is_participant(user, registration):
        raise Refused(_("You can only mark lessons of a course you are enrolled in."))
    if registration.event_id != lesson.event_id:
        raise Refused(_("You can only mark lessons of a course you are enrolled in."))


def check_can_see_certificate(user: User, registration: Registration) -> None:
    """Staff print any; a participant their own once attendance was marked."""
    if is_staff(user):
        return
    if registration.participant_id != user.pk or not is_member(user):
        raise Http404
    if not registration.attended:
        raise Refused(
            _("A confirmation is available once your attendance has been recorded.")
        )

"""The seminars' part of an account deletion (accounts.personal_data)."""

from __future__ import annotations

from django.utils import timezone

from accounts.models import User
from seminars.actions.registrations import cancel
from seminars.models import (
    CalendarFeed,
    LessonProgress,
    Registration,
    RegistrationStatus,
)


def erase_seminar_data(member: User) -> str | None:
    """Seats at coming events are given up (the waiting list moves up);
    registrations of past events lose the person, keeping the municipality
    and attendance for the statistics; course progress and the calendar
    feed go."""
    upcoming = Registration.objects.filter(
        participant=member,
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
        event__ends_at__gt=timezone.now(),
    ).select_related("event", "participant")
    for registration in upcoming:
        cancel(member, registration)
    Registration.objects.filter(participant=member).update(
        participant=None, listed=False, reduced_at=timezone.now()
    )
    Registration.objects.filter(registered_by=member).update(registered_by=None)
    LessonProgress.objects.filter(user=member).delete()
    CalendarFeed.objects.filter(user=member).delete()
    return None

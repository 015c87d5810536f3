"""Registrations of past events are reduced after a retention period
(SEMINARS_REGISTRATION_RETENTION_DAYS, `manage.py reduce_event_registrations`):
the person goes, the municipality and attendance stay for the statistics."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from seminars.models import LessonProgress, Registration, SessionBooking


@transaction.atomic
def reduce_past_registrations() -> int:
    """Returns how many registrations were reduced now."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.SEMINARS_REGISTRATION_RETENTION_DAYS)
    expired = Registration.objects.filter(
        event__ends_at__lt=cutoff, reduced_at__isnull=True
    )
    pairs = list(expired.values_list("event_id", "participant_id"))
    SessionBooking.objects.filter(registration__in=expired).delete()
    for event_id, participant_id in pairs:
        if participant_id is not None:
            LessonProgress.objects.filter(
                lesson__event_id=event_id, user_id=participant_id
            ).delete()
    return expired.update(
        participant=None, registered_by=None, listed=False, reduced_at=now
    )

"""The reminder the day before (`manage.py send_event_reminders`, from cron)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from seminars.actions.registrations import inform
from seminars.models import EventKind, EventStatus, Registration, RegistrationStatus


def due_reminders():
    now = timezone.now()
    soon = now + timedelta(hours=settings.SEMINARS_REMINDER_HOURS)
    return Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminder_sent_at__isnull=True,
        participant__isnull=False,
        participant__is_active=True,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=now,
        event__starts_at__lte=soon,
    ).exclude(event__kind=EventKind.COURSE)


def send_reminders() -> int:
    """Remind each participant once: a registration is claimed (its
    `reminder_sent_at` set where it was empty) before its reminder goes out,
    so overlapping runs never send one twice. Returns how many were sent."""
    sent = 0
    for registration in due_reminders().select_related("event", "participant"):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if claimed:
                inform(None, registration, "reminder")
                sent += 1
    return sent

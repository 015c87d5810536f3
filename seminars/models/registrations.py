"""Registrations, the waiting list, seats per municipality, session bookings
and each member's calendar feed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from seminars.models.events import Event, EventSession


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    """A member's place at an event, or on its waiting list.

    One row per member and event: cancelling and registering again reuse it.
    Past events' rows are reduced after SEMINARS_REGISTRATION_RETENTION_DAYS
    (the person is removed, the municipality and attendance stay for the
    programme's statistics).
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations"
    )
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("participant"),
    )
    # Who registered them: themselves, or a colleague of their municipality.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # The municipality's AGS (or, for Landkreis staff, the district key) the
    # seat counts for, and its name as it was; "" for members without one.
    area_key = models.CharField(_("municipality key"), max_length=8, blank=True)
    area_name = models.CharField(_("municipality"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices
    )
    # Place in the queue: set under the event's lock, so it is also the order
    # in which the registrations were decided.
    queued_at = models.DateTimeField(_("registered at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("moved up from the waiting list at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Attendance as staff marked it (None: not marked).
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # The participant agreed to appear on the list other participants see.
    listed = models.BooleanField(_("shown to other participants"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # E-learning courses: when the participant finished every lesson.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    reduced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        indexes = [models.Index(fields=["event", "status", "queued_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "participant"], name="seminars_registration_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} @ {self.event_id} ({self.status})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waiting(self) -> bool:
        return self.status == RegistrationStatus.WAITING


class EventMunicipality(models.Model):
    """The seats one municipality holds at one event.

    `quota` is the event's quota copied here while it is in force (None once
    released), so the database itself refuses a count above it.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="municipalities"
    )
    area_key = models.CharField(max_length=8, blank=True)
    area_name = models.CharField(max_length=150, blank=True)
    confirmed_count = models.PositiveIntegerField(default=0)
    quota = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["area_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "area_key"], name="seminars_event_municipality_once"
            ),
            models.CheckConstraint(
                condition=Q(quota__isnull=True) | Q(confirmed_count__lte=F("quota")),
                name="seminars_event_municipality_within_quota",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_name or '—'} @ {self.event_id}: {self.confirmed_count}"


class SessionBooking(models.Model):
    """A participant's place in one session of a meeting (or on its list)."""

    session = models.ForeignKey(
        EventSession, on_delete=models.CASCADE, related_name="bookings"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="bookings"
    )
    status = models.CharField(max_length=10, choices=RegistrationStatus.choices)
    queued_at = models.DateTimeField()

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "registration"], name="seminars_booking_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ session {self.session_id}"


def new_feed_key() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret behind a member's personal calendar URL; a new key revokes
    every URL given out before."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64, default=new_feed_key)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"

"""Events (online seminars, in-person meetings, e-learning courses) and the
sessions of a meeting's timetable.

Seats are counters on the rows whose availability a registration reduces
(`Event.confirmed_count`, `EventSession.confirmed_count`, and per
municipality `EventMunicipality.confirmed_count`), each held below its limit
by a CHECK constraint; seminars.actions.registrations locks those rows in a
fixed order before it changes them.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic

MAX_TITLE_LENGTH = 200


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), params={"value": value}
        )


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Online seminar")
    MEETING = "meeting", _("In-person meeting")
    COURSE = "course", _("E-learning course")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=EventKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
    )
    title = models.CharField(_("title"), max_length=MAX_TITLE_LENGTH)
    # Markdown, rendered once when saved by the platform's one pipeline.
    description = models.TextField(_("description"), max_length=20_000)
    description_html = models.TextField(editable=False, default="")
    topic = models.CharField(
        _("topic"), max_length=30, choices=Topic.choices, blank=True
    )
    # Speakers with an account get into the event's chat room; guests are
    # named in `speaker_names` (one per line).
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="events_speaking",
        blank=True,
        verbose_name=_("speakers (members)"),
    )
    speaker_names = models.TextField(_("speakers"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # The zone the event is planned in (and its calendar entries say); pages
    # show German local time.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        validators=[validate_time_zone],
    )
    location = models.CharField(_("place"), max_length=300, blank=True)
    # Shown to registered participants only, never in the public calendar file.
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    registration_deadline = models.DateTimeField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("Empty: until the event starts."),
    )
    # Seats one municipality (or district) may take, so that a large city
    # cannot fill a seminar meant for many small ones; staff release the
    # remaining seats to everyone shortly before the event.
    municipality_quota = models.PositiveIntegerField(
        _("seats per municipality"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit per municipality."),
    )
    quota_released_at = models.DateTimeField(
        _("quota released at"), null=True, blank=True
    )
    confirmed_count = models.PositiveIntegerField(_("participants"), default=0)
    # iCalendar SEQUENCE: raised on every change participants should know of.
    sequence = models.PositiveIntegerField(default=0)
    chat_room = models.OneToOneField(
        "chat.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True)
                | Q(confirmed_count__lte=F("capacity")),
                name="seminars_event_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="seminars_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_course(self) -> bool:
        return self.kind == EventKind.COURSE

    @property
    def has_ended(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def closes_at(self):
        """Registration closes at the deadline, else when the event starts
        (a self-paced course: when it ends)."""
        if self.registration_deadline:
            return self.registration_deadline
        return self.ends_at if self.is_course else self.starts_at

    @property
    def quota(self) -> int | None:
        """The seats per municipality in force now (None: no limit)."""
        if self.quota_released_at is not None:
            return None
        return self.municipality_quota

    @property
    def free_seats(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_count)

    @property
    def speaker_list(self) -> list[str]:
        return [
            line.strip() for line in self.speaker_names.splitlines() if line.strip()
        ]


class EventSession(models.Model):
    """One slot of a meeting's timetable, with a capacity of its own."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=MAX_TITLE_LENGTH)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    confirmed_count = models.PositiveIntegerField(_("participants"), default=0)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True)
                | Q(confirmed_count__lte=F("capacity")),
                name="seminars_session_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="seminars_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def free_seats(self) -> int | None:
        if self.capacity is None:
            return None
        return max(0, self.capacity - self.confirmed_count)

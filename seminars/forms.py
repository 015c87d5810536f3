"""Forms for events, registrations, materials, sessions and lessons."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Topic, User
from community import knowledge
from community.uploads import AttachmentsField, check_attachment
from seminars.models import (
    Access,
    Event,
    EventKind,
    EventSession,
    EventStatus,
    MaterialKind,
)

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_FORMAT, **kwargs)


def in_zone(value: datetime | None, zone: str) -> datetime | None:
    """Re-read a time entered as local time of the event's `zone` (the form
    field made it aware in the site's zone)."""
    if value is None:
        return None
    naive = timezone.make_naive(value, timezone.get_current_timezone())
    return timezone.make_aware(naive, zoneinfo.ZoneInfo(zone))


class HttpsURLField(forms.URLField):
    """Links typed without a scheme are https (Django 6's default)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class ZonedTimesMixin:
    """Date-time fields entered and shown in the event's own time zone."""

    zoned_fields: tuple[str, ...] = ()

    def show_in_zone(self, instance, zone: str) -> None:
        for name in self.zoned_fields:
            value = getattr(instance, name, None)
            if value is not None:
                local = value.astimezone(zoneinfo.ZoneInfo(zone))
                self.initial[name] = local.replace(tzinfo=None).strftime(LOCAL_FORMAT)

    def clean_zoned(self, data: dict, zone: str) -> None:
        for name in self.zoned_fields:
            data[name] = in_zone(data.get(name), zone)


class EventForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at", "registration_deadline")

    speakers = forms.ModelMultipleChoiceField(
        label=_("Speakers with an account (they get into the event's chat)"),
        queryset=User.objects.filter(is_active=True, deleted_at__isnull=True),
        required=False,
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "status",
            "title",
            "description",
            "topic",
            "speaker_names",
            "speakers",
            "starts_at",
            "ends_at",
            "time_zone",
            "location",
            "online_url",
            "capacity",
            "registration_deadline",
            "municipality_quota",
        ]
        field_classes = {"online_url": HttpsURLField}
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "registration_deadline": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 10}),
            "speaker_names": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "description": _(
                "Markdown: **bold**, *italic*, - list, [link](https://…)."
            ),
            "speaker_names": _("One per line, e.g. “Dr. Eva Roth, Landkreis Görlitz”."),
            "online_url": _("Shown only to registered participants."),
            "time_zone": _("Times are entered in this zone, e.g. Europe/Berlin."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (EventStatus.DRAFT, EventStatus.DRAFT.label),
            (EventStatus.PUBLISHED, EventStatus.PUBLISHED.label),
        ]
        self.fields["topic"].choices = [("", "—"), *Topic.choices]
        for name in ("starts_at", "ends_at", "registration_deadline"):
            self.fields[name].input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            self.show_in_zone(self.instance, self.instance.time_zone)

    def clean(self):
        data = super().clean()
        zone = data.get("time_zone") or "Europe/Berlin"
        self.clean_zoned(data, zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must be after the start."))
        deadline = data.get("registration_deadline")
        if deadline and ends and deadline > ends:
            self.add_error(
                "registration_deadline",
                _("The registration deadline must be before the end."),
            )
        kind = data.get("kind")
        if kind == EventKind.SEMINAR and not data.get("online_url"):
            self.add_error("online_url", _("An online seminar needs a meeting link."))
        if kind == EventKind.MEETING and not data.get("location"):
            self.add_error("location", _("An in-person meeting needs a place."))
        return data

    def event_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("speakers", None)
        return data


class RegisterForm(forms.Form):
    """One click for oneself; optionally a colleague instead."""

    colleague = forms.ModelChoiceField(
        label=_("Register a colleague instead"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— myself —"),
    )
    listed = forms.BooleanField(
        label=_("Show my name and municipality to the other participants"),
        required=False,
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        ids = [member.pk for member in colleagues]
        self.fields["colleague"].queryset = User.objects.filter(pk__in=ids)
        if not ids:
            del self.fields["colleague"]


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the participants)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please give a reason.")},
    )


class SessionForm(ZonedTimesMixin, forms.ModelForm):
    zoned_fields = ("starts_at", "ends_at")

    class Meta:
        model = EventSession
        fields = ["title", "starts_at", "ends_at", "room", "capacity"]
        widgets = {"starts_at": LocalDateTimeInput(), "ends_at": LocalDateTimeInput()}

    def __init__(self, *args, event: Event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        for name in self.zoned_fields:
            self.fields[name].input_formats = [LOCAL_FORMAT, "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        self.clean_zoned(data, self.event.time_zone)
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    access = forms.ChoiceField(
        label=_("Who may see it"), choices=Access.choices, initial=Access.PARTICIPANTS
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    upload = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("Or a link (e.g. to the recording)"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        return check_attachment(upload) if upload else None

    def clean(self):
        data = super().clean()
        if not data.get("upload") and not data.get("url"):
            raise forms.ValidationError(_("Please attach a file or give a link."))
        return data


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=50_000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Markdown: **bold**, *italic*, - list, [link](https://…)."),
    )
    files = AttachmentsField(label=_("Attachments"), required=False)


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *EventKind.choices],
        required=False,
    )
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("All topics")), *Topic.choices],
        required=False,
    )


class LibraryForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    topic = forms.ChoiceField(
        label=_("Topic"),
        choices=[("", _("All topics")), *Topic.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("All kinds")),
            *((source.key, source.label) for source in knowledge.sources()),
        ]

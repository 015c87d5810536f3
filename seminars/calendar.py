"""Calendar files (RFC 5545) of events, made with the icalendar library.

- UIDs are stable (`event-<id>@<host>`), so a calendar updates the entry it
  has instead of adding another; SEQUENCE is the event's change counter.
- A cancelled event is STATUS:CANCELLED, and its single-event file (and the
  cancellation e-mail) METHOD:CANCEL, so calendars remove it.
- The online meeting link goes only into files made for a participant (their
  confirmation e-mail, their personal feed), never into the public file.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from seminars.models import Event, EventStatus

PRODID = "-//Zukunftsraum//Seminare//DE"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "zukunftsraum"
    return f"event-{event.pk}@{host}"


def _organizer() -> icalendar.vCalAddress:
    address = settings.DEFAULT_FROM_EMAIL
    if "<" in address:
        address = address.split("<", 1)[1].rstrip(">")
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["CN"] = icalendar.vText(settings.SITE_NAME)
    return organizer


def vevent(event: Event, *, with_online_link: bool) -> icalendar.Event:
    zone = ZoneInfo(event.time_zone)
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", timezone.now())
    entry.add("last-modified", event.updated_at or timezone.now())
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("summary", event.title)
    page = absolute(reverse("seminars:event", args=[event.pk]))
    entry.add("url", page)
    lines = [event.description.strip(), "", page]
    location = event.location
    if with_online_link and event.online_url:
        lines[-1:-1] = [_("Online meeting link: %(url)s") % {"url": event.online_url}]
        location = location or event.online_url
    elif event.online_url and not location:
        location = _("Online (the link is in your registration)")
    entry.add("description", "\n".join(lines))
    if location:
        entry.add("location", location)
    cancelled = event.status == EventStatus.CANCELLED
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    entry.add("organizer", _organizer())
    return entry


def calendar_bytes(
    events: Iterable[Event],
    *,
    with_online_link: bool,
    method: str | None = None,
    name: str = "",
) -> bytes:
    """A VCALENDAR with one VEVENT per event and the time zones they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(vevent(event, with_online_link=with_online_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_file(event: Event, *, with_online_link: bool = False) -> bytes:
    """One event's file: CANCEL once it is cancelled, else PUBLISH."""
    method = "CANCEL" if event.status == EventStatus.CANCELLED else "PUBLISH"
    return calendar_bytes([event], with_online_link=with_online_link, method=method)

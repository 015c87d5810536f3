"""Calendar files: the public .ics, the personal feed, SEQUENCE and CANCEL,
read back with the icalendar library."""

from datetime import timedelta

import icalendar
from django.core import mail

from seminars.actions.events import cancel_event, update_event
from seminars.actions.registrations import register
from seminars.models import EventStatus

LINK = "https://konferenz.example/raum-42"


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    [entry] = calendar.walk("VEVENT")
    return entry


def public_file(client, event) -> bytes:
    response = client.get(f"/veranstaltungen/{event.pk}/termin.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_public_file_round_trips_with_uid_times_sequence_and_no_link(client, event):
    content = public_file(client, event)
    calendar = parse(content)
    entry = only_event(calendar)

    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Zukunftsraum//Seminare//DE"
    assert calendar["METHOD"] == "PUBLISH"
    assert str(entry["UID"]) == f"event-{event.pk}@testserver"
    assert entry.decoded("DTSTART") == event.starts_at
    assert entry.decoded("DTEND") == event.ends_at
    assert entry["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert entry["SEQUENCE"] == 0
    assert "DTSTAMP" in entry
    assert str(entry["SUMMARY"]) == "Pflege vor Ort organisieren"
    assert str(entry["STATUS"]) == "CONFIRMED"
    # Not in the public file, not even for registered visitors of the URL.
    assert LINK.encode() not in content
    assert b"konferenz.example" not in content


def test_a_change_raises_the_sequence_and_keeps_the_uid(client, event, staff_member):
    before = only_event(parse(public_file(client, event)))
    later = event.starts_at + timedelta(hours=1)

    update_event(
        staff_member, event, starts_at=later, ends_at=later + timedelta(hours=2)
    )

    after = only_event(parse(public_file(client, event)))
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] == 1
    assert after.decoded("DTSTART") == later


def test_a_cancelled_event_is_a_cancel_with_a_higher_sequence(
    client, event, staff_member, member, django_capture_on_commit_callbacks
):
    register(member, event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(staff_member, event, reason="Referentin erkrankt")

    calendar = parse(public_file(client, event))
    entry = only_event(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert str(entry["STATUS"]) == "CANCELLED"
    assert entry["SEQUENCE"] == 1
    [message] = mail.outbox
    assert message.subject == "[Zukunftsraum] Abgesagt: Pflege vor Ort organisieren"
    [(_name, content, mimetype)] = message.attachments
    assert "method=CANCEL" in mimetype
    assert parse(content.encode())["METHOD"] == "CANCEL"


def test_drafts_have_no_public_file(client, make_event):
    draft = make_event(status=EventStatus.DRAFT)
    assert client.get(f"/veranstaltungen/{draft.pk}/termin.ics").status_code == 404


def feed_url(client) -> str:
    page = client.get("/veranstaltungen/meine/").content.decode()
    start = page.index("http://testserver/veranstaltungen/kalender/")
    return page[start : page.index('"', start)].removeprefix("http://testserver")


def test_personal_feed_lists_my_seats_with_their_links(
    client, member, member_client, make_event
):
    mine = make_event(title="Mein Seminar")
    make_event(title="Fremdes Seminar")
    full = make_event(title="Ausgebucht", capacity=0)
    register(member, mine)
    register(member, full)  # only the waiting list: not in the calendar

    response = client.get(feed_url(member_client))  # no login: the URL is the key

    assert response.status_code == 200
    calendar = parse(response.content)
    entry = only_event(calendar)
    assert str(entry["SUMMARY"]) == "Mein Seminar"
    assert LINK in str(entry["DESCRIPTION"])
    assert str(calendar["X-WR-CALNAME"]) == "Zukunftsraum: meine Veranstaltungen"


def test_a_new_feed_address_revokes_the_old_one(client, member, member_client, event):
    register(member, event)
    old = feed_url(member_client)

    member_client.post("/veranstaltungen/kalender/erneuern/")

    new = feed_url(member_client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_forged_feed_token_finds_nothing(client, db):
    assert client.get("/veranstaltungen/kalender/abc:def.ics").status_code == 404

"""Privacy: the participant list by consent, the data export, account
deletion and the retention period."""

import io
import json
import zipfile
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from seminars.actions.courses import mark_lesson_done, save_lesson
from seminars.actions.registrations import register
from seminars.models import Event, EventKind, LessonProgress, Registration


def test_participants_see_only_those_who_agreed(make_event, member_of, client_for):
    event = make_event()
    shy = member_of("musterau", name="Stille Teilnehmerin")
    open_ = member_of("bergdorf", name="Offener Teilnehmer")
    register(shy, event)
    register(open_, event, listed=True)

    page = client_for(shy).get(f"/veranstaltungen/{event.pk}/").content.decode()
    assert "Offener Teilnehmer (Bergdorf)" in page
    assert "Stille Teilnehmerin (Musterau)" not in page

    outsider = client_for(member_of("talheim"))
    assert (
        "Offener Teilnehmer"
        not in outsider.get(f"/veranstaltungen/{event.pk}/").content.decode()
    )

    registration = Registration.objects.get(participant=shy)
    client_for(shy).post(
        f"/veranstaltungen/anmeldung/{registration.pk}/sichtbarkeit/", {"listed": "1"}
    )
    page = client_for(open_).get(f"/veranstaltungen/{event.pk}/").content.decode()
    assert "Stille Teilnehmerin (Musterau)" in page


def export(client) -> dict:
    archive = zipfile.ZipFile(io.BytesIO(client.get("/meine-daten/export/").content))
    return json.loads(archive.read("data.json"))["parts"]


def test_the_export_holds_registrations_and_course_progress(
    make_event, staff_member, member, member_client
):
    course = make_event(kind=EventKind.COURSE, title="Kurs", online_url="")
    lesson = save_lesson(staff_member, course, title="Eins", body="Text")
    register(member, course)
    mark_lesson_done(member, lesson)

    parts = export(member_client)

    [registration] = parts["event_registrations"]
    assert registration["event"] == "Kurs"
    assert registration["status"] == "confirmed"
    assert registration["municipality"] == "Musterau"
    assert registration["completed_at"] is not None
    assert [p["lesson"] for p in parts["course_progress"]] == ["Eins"]


def test_account_deletion_gives_up_seats_and_removes_the_person(
    make_event, member, member_client, member_of, password
):
    event = make_event(capacity=1)
    register(member, event)
    waiting = member_of("bergdorf")
    register(waiting, event)

    member_client.post(
        "/meine-daten/konto-loeschen/", {"password": password, "confirm": "on"}
    )

    assert not Registration.objects.filter(participant=member).exists()
    assert Registration.objects.get(participant=waiting).is_confirmed
    kept = Registration.objects.get(participant__isnull=True)
    assert kept.status == "cancelled" and kept.area_name == "Musterau"
    assert not LessonProgress.objects.filter(user=member).exists()


def test_registrations_are_reduced_after_the_retention_period(
    make_event, member, staff_member, settings
):
    settings.SEMINARS_REGISTRATION_RETENTION_DAYS = 30
    old, recent = make_event(title="Alt"), make_event(title="Neu")
    for event in (old, recent):
        register(member, event, listed=True)
    long_ago = timezone.now() - timedelta(days=40)
    Event.objects.filter(pk=old.pk).update(
        starts_at=long_ago, ends_at=long_ago + timedelta(hours=2)
    )
    Registration.objects.filter(event=old).update(attended=True)

    call_command("reduce_event_registrations")

    reduced = Registration.objects.get(event=old)
    assert reduced.participant is None and reduced.registered_by is None
    assert reduced.area_key == "09187117" and reduced.attended is True
    assert not reduced.listed
    assert Registration.objects.get(event=recent).participant == member


def test_the_privacy_notice_states_the_retention_period(client, db, settings):
    settings.SEMINARS_REGISTRATION_RETENTION_DAYS = 400
    page = client.get("/datenschutz/").content.decode()
    assert "bis 400 Tage nach dem Ende der Veranstaltung" in page

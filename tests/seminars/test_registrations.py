"""Registering, the waiting list and cancelling, through the real views."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditLogEntry
from chat.models import Membership
from community.models import Notification, NotificationKind
from seminars.actions.events import cancel_event, release_quota, update_event
from seminars.actions.registrations import register as register_action
from seminars.models import EventMunicipality, Registration, RegistrationStatus
from seminars.permissions import Refused


def register(client, event, **data):
    return client.post(f"/veranstaltungen/{event.pk}/anmelden/", data, follow=True)


def cancel(client, registration):
    return client.post(
        f"/veranstaltungen/anmeldung/{registration.pk}/stornieren/", follow=True
    )


def page_text(response) -> str:
    return response.content.decode()


def status_of(member, event) -> str | None:
    registration = Registration.objects.filter(event=event, participant=member).first()
    return registration.status if registration else None


def test_one_click_registers_with_confirmation_in_app_and_by_mail_with_ics(
    event, member, member_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = register(member_client, event)

    assert "Sie sind angemeldet" in page_text(response)
    assert status_of(member, event) == RegistrationStatus.CONFIRMED
    event.refresh_from_db()
    assert event.confirmed_count == 1
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == NotificationKind.EVENT_REGISTRATION
    assert "Pflege vor Ort organisieren" in notification.title
    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == (
        "[Zukunftsraum] Anmeldung bestätigt: Pflege vor Ort organisieren"
    )
    [(name, content, mimetype)] = message.attachments
    assert name == "veranstaltung.ics"
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in content
    # Registered participants get the link in their confirmation.
    assert "https://konferenz.example/raum-42" in message.body


def test_registering_twice_is_refused_without_a_change(event, member, member_client):
    register(member_client, event)
    response = register(member_client, event)

    assert "Sie sind für diese Veranstaltung bereits angemeldet." in page_text(response)
    assert Registration.objects.filter(event=event).count() == 1
    event.refresh_from_db()
    assert event.confirmed_count == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"registration_deadline": timezone.now() - timedelta(hours=1)},
            "Die Anmeldefrist für diese Veranstaltung ist abgelaufen.",
        ),
        (
            {
                "starts_at": timezone.now() - timedelta(days=2),
                "ends_at": timezone.now() - timedelta(days=2, hours=-2),
            },
            "Diese Veranstaltung ist vorbei; die Anmeldung ist geschlossen.",
        ),
    ],
)
def test_registration_after_the_deadline_or_for_a_past_event_is_refused(
    make_event, member_client, member, change, message
):
    event = make_event()
    type(event).objects.filter(pk=event.pk).update(**change)

    response = register(member_client, event)

    assert message in page_text(response)
    assert status_of(member, event) is None


def test_registration_for_a_cancelled_event_is_refused(
    event, staff_member, member, member_client
):
    cancel_event(staff_member, event, reason="Referentin erkrankt")

    response = register(member_client, event)

    assert "Diese Veranstaltung wurde abgesagt." in page_text(response)
    assert status_of(member, event) is None


def test_a_full_event_puts_members_on_the_waiting_list_with_their_position(
    make_event, member_of, client_for, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    first, second, third = (member_of(p) for p in ("musterau", "bergdorf", "talheim"))
    register(client_for(first), event)
    register(client_for(second), event)
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client_for(third), event)

    assert status_of(third, event) == RegistrationStatus.WAITING
    page = page_text(client_for(third).get(f"/veranstaltungen/{event.pk}/"))
    assert "Sie stehen auf der Warteliste, auf Platz 2." in page
    assert "Die Veranstaltung ist ausgebucht" in page_text(response)
    assert mail.outbox[-1].subject.startswith("[Zukunftsraum] Auf der Warteliste")
    assert mail.outbox[-1].attachments == []


def test_a_cancellation_promotes_the_next_in_the_same_transaction_with_mail(
    make_event, member_of, client_for, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    holder, waiting = member_of("musterau"), member_of("bergdorf")
    register(client_for(holder), event)
    register(client_for(waiting), event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = cancel(
            client_for(holder), Registration.objects.get(participant=holder)
        )

    assert "Die Anmeldung ist storniert." in page_text(response)
    assert status_of(holder, event) == RegistrationStatus.CANCELLED
    assert status_of(waiting, event) == RegistrationStatus.CONFIRMED
    event.refresh_from_db()
    assert event.confirmed_count == 1
    [message] = mail.outbox
    assert message.to == [waiting.email]
    assert message.subject.startswith("[Zukunftsraum] Sie haben einen Platz")
    assert Notification.objects.filter(
        recipient=waiting, kind=NotificationKind.EVENT_PROMOTED
    ).exists()


def test_promotion_prefers_municipalities_not_yet_represented(
    make_event, member_of, client_for
):
    event = make_event(capacity=2)
    city_a, city_b = member_of("grossstadt"), member_of("grossstadt")
    register(client_for(city_a), event)
    register(client_for(city_b), event)
    city_c = member_of("grossstadt")  # first on the list, but Großstadt has 2
    village = member_of("bergdorf")  # later, but Bergdorf has nobody yet
    register(client_for(city_c), event)
    register(client_for(village), event)

    cancel(client_for(city_a), Registration.objects.get(participant=city_a))

    assert status_of(village, event) == RegistrationStatus.CONFIRMED
    assert status_of(city_c, event) == RegistrationStatus.WAITING


def test_more_capacity_promotes_the_waiting_list_first_come_first_served(
    make_event, member_of, client_for, staff_member
):
    event = make_event(capacity=1)
    members = [member_of(p) for p in ("musterau", "bergdorf", "talheim", "grossstadt")]
    for person in members:
        register(client_for(person), event)

    update_event(staff_member, event, capacity=3)

    statuses = [status_of(person, event) for person in members]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]


def test_registration_beyond_the_municipality_quota_is_refused(
    make_event, member_of, client_for
):
    event = make_event(capacity=10, municipality_quota=2)
    first, second, third = (member_of("grossstadt") for _ in range(3))
    register(client_for(first), event)
    register(client_for(second), event)

    response = register(client_for(third), event)

    assert "Die Plätze für Großstadt bei dieser Veranstaltung sind vergeben" in (
        page_text(response)
    )
    assert status_of(third, event) is None
    area = EventMunicipality.objects.get(event=event, area_key="09162000")
    assert area.confirmed_count == 2


def test_released_quota_lets_everyone_register_and_promotes_blocked_entries(
    make_event, member_of, client_for, staff_member
):
    event = make_event(capacity=2, municipality_quota=1)
    first, second = member_of("grossstadt"), member_of("bergdorf")
    register(client_for(first), event)
    register(client_for(second), event)  # the event is full now
    waiting = member_of("talheim")
    register(client_for(waiting), event)
    cancel(client_for(second), Registration.objects.get(participant=second))
    assert status_of(waiting, event) == RegistrationStatus.CONFIRMED
    blocked = member_of("grossstadt")
    assert "sind vergeben" in page_text(register(client_for(blocked), event))

    release_quota(staff_member, event)

    assert status_of(blocked, event) is None
    register(client_for(member_of("grossstadt")), event)
    assert AuditLogEntry.objects.filter(action="seminars.event.quota_released").exists()


def test_members_register_a_colleague_of_their_own_municipality(
    event, member_of, client_for, django_capture_on_commit_callbacks
):
    actor, colleague = member_of("musterau"), member_of("musterau", name="Kollegin")
    with django_capture_on_commit_callbacks(execute=True):
        response = register(client_for(actor), event, colleague=colleague.pk)

    assert "Kollegin ist angemeldet" in page_text(response)
    registration = Registration.objects.get(participant=colleague)
    assert registration.registered_by == actor
    assert status_of(actor, event) is None
    assert mail.outbox[-1].to == [colleague.email]
    # The colleague who registered them may cancel it again.
    cancel(client_for(actor), registration)
    assert status_of(colleague, event) == RegistrationStatus.CANCELLED


def test_registering_a_member_of_another_municipality_is_refused(
    event, member_of, client_for
):
    actor, stranger = member_of("musterau"), member_of("grossstadt")

    response = register(client_for(actor), event, colleague=stranger.pk)

    assert "Bitte wählen Sie eine Kollegin oder einen Kollegen" in page_text(response)
    assert not Registration.objects.filter(event=event).exists()


def test_cancelling_someone_elses_registration_is_refused(event, member_of, client_for):
    owner, other = member_of("musterau"), member_of("musterau")
    register(client_for(owner), event)

    response = cancel(client_for(other), Registration.objects.get(participant=owner))

    assert "Sie können keine fremde Anmeldung stornieren." in page_text(response)
    assert status_of(owner, event) == RegistrationStatus.CONFIRMED


def test_participants_join_and_leave_the_events_chat_room(event, member, member_client):
    register(member_client, event)
    room = event.chat_room
    assert room.owner_key == f"seminars.event:{event.pk}"
    assert Membership.objects.filter(room=room, user=member).exists()

    cancel(member_client, Registration.objects.get(participant=member))

    assert not Membership.objects.filter(room=room, user=member).exists()


def test_waiting_members_are_not_in_the_chat_room_until_promoted(
    make_event, member_of, client_for
):
    event = make_event(capacity=1)
    holder, waiting = member_of("musterau"), member_of("bergdorf")
    register(client_for(holder), event)
    register(client_for(waiting), event)
    assert not Membership.objects.filter(room=event.chat_room, user=waiting).exists()

    cancel(client_for(holder), Registration.objects.get(participant=holder))

    assert Membership.objects.filter(room=event.chat_room, user=waiting).exists()
    response = client_for(waiting).get(f"/veranstaltungen/{event.pk}/chat/")
    assert response.status_code == 302
    assert response.url == f"/chat/{event.chat_room_id}/"


def test_the_chat_room_is_closed_to_members_without_a_seat(event, member_client):
    assert member_client.get(f"/veranstaltungen/{event.pk}/chat/").status_code == 404
    room = member_client.get(f"/chat/{event.chat_room_id}/")
    assert room.status_code == 404


def test_visitors_must_log_in_to_register(client, event):
    response = client.post(f"/veranstaltungen/{event.pk}/anmelden/")
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert not Registration.objects.exists()


def test_the_action_refuses_a_colleague_of_another_municipality_itself(
    event, member_of
):
    """The form offers only colleagues; the action holds the rule on its own."""
    actor, stranger = member_of("musterau"), member_of("grossstadt")

    with pytest.raises(Refused) as refusal:
        register_action(actor, event, participant=stranger)

    assert str(refusal.value) == (
        "Sie können nur Kolleginnen und Kollegen Ihrer eigenen Kommune anmelden."
    )
    assert not Registration.objects.exists()

"""Direct messages and chat mentions reach the member: in the header at once,
by e-mail when left unread for a few minutes (Zulip's missed-message e-mail)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from chat import actions
from community.actions.notifications import (
    send_missed_notifications,
    set_email_frequency,
)
from community.models import EmailFrequency, Notification, NotificationKind
from tests.chat.conftest import send

LATER = timedelta(minutes=6)


@pytest.fixture
def direct(member, colleague):
    return actions.start_direct(member, [colleague])


def test_a_direct_message_notifies_the_other_member_with_its_text(
    member, colleague, direct
):
    send(member, direct, "Haben Sie **morgen** Zeit?")

    notification = Notification.objects.get(recipient=colleague)
    assert notification.kind == NotificationKind.DIRECT_MESSAGE
    assert notification.title == (
        "Anna Beispiel hat Ihnen eine Direktnachricht geschickt"
    )
    assert notification.url == f"/chat/{direct.pk}/#m1"
    assert notification.excerpt == "Haben Sie morgen Zeit?"
    assert not Notification.objects.filter(recipient=member).exists()


def test_further_messages_join_the_one_unread_notification_of_the_conversation(
    member, colleague, direct
):
    send(member, direct, "Erste Frage")
    send(member, direct, "Zweite Frage")

    notification = Notification.objects.get(recipient=colleague)
    assert notification.excerpt == "Erste Frage\n\nZweite Frage"
    assert notification.url.endswith("#m1"), "leads to the first unread message"


def test_opening_the_conversation_reads_its_notification(
    client, member, colleague, direct
):
    send(member, direct, "Hallo")
    client.force_login(colleague)

    page = client.get("/uebersicht/").content.decode()
    assert 'id="chat-count">1<' in page, "the header's badge on Chat"

    client.get(f"/chat/{direct.pk}/")

    assert Notification.objects.get(recipient=colleague).read_at is not None
    assert 'id="chat-count"' not in client.get("/uebersicht/").content.decode()
    send(member, direct, "Noch etwas")
    assert Notification.objects.filter(recipient=colleague, read_at=None).count() == 1


def test_a_mention_in_a_direct_conversation_notifies_once(member, colleague, direct):
    send(member, direct, "@**Bernd Kollege** schauen Sie mal")

    assert Notification.objects.filter(recipient=colleague).count() == 1


def test_an_unread_direct_message_is_emailed_after_the_delay_with_its_text(
    member, colleague, direct
):
    send(member, direct, "Können wir telefonieren?")

    assert send_missed_notifications() == 0, "not before the delay"
    assert send_missed_notifications(timezone.now() + LATER) == 1

    (message,) = mail.outbox
    assert message.to == ["bernd@example.org"]
    assert "Anna Beispiel hat Ihnen eine Direktnachricht geschickt" in message.subject
    assert "Können wir telefonieren?" in message.body
    assert f"/chat/{direct.pk}/#m1" in message.body
    assert send_missed_notifications(timezone.now() + LATER) == 0, "only once"


def test_a_direct_message_read_in_time_is_never_emailed(
    client, member, colleague, direct
):
    send(member, direct, "Kurze Frage")
    client.force_login(colleague)
    client.get(f"/chat/{direct.pk}/")

    assert send_missed_notifications(timezone.now() + LATER) == 0
    assert mail.outbox == []


def test_an_unread_chat_mention_is_emailed_too(member, colleague, space_room):
    send(member, space_room, "@**Bernd Kollege** was meinen Sie?")

    call_command("send_missed_messages", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert mail.outbox == []
    assert send_missed_notifications(timezone.now() + LATER) == 1
    assert "was meinen Sie?" in mail.outbox[0].body


@pytest.mark.parametrize(
    "choice", [{"frequency": EmailFrequency.NEVER}, {"missed_chat": False}]
)
def test_missed_message_emails_respect_the_members_setting(
    member, colleague, direct, choice
):
    set_email_frequency(
        colleague,
        choice.get("frequency", EmailFrequency.DAILY),
        missed_chat=choice.get("missed_chat", True),
    )
    send(member, direct, "Hallo")

    assert send_missed_notifications(timezone.now() + LATER) == 0
    assert mail.outbox == []


def test_immediate_email_members_wait_for_the_delay_too(member, colleague, direct):
    set_email_frequency(colleague, EmailFrequency.IMMEDIATELY)
    send(member, direct, "Hallo")

    assert mail.outbox == [], "not while the member may still be reading"


def test_the_notification_settings_switch_missed_message_emails(member_client, member):
    page = member_client.get("/benachrichtigungen/einstellungen/").content.decode()
    assert "ungelesene Direktnachrichten" in page

    member_client.post(
        "/benachrichtigungen/einstellungen/", {"email": EmailFrequency.DAILY}
    )

    assert member.notification_settings.email_missed_chat is False


def test_a_profile_offers_send_a_message_which_opens_the_conversation(
    member_client, member, colleague
):
    page = member_client.get(f"/mitglieder/{colleague.pk}/").content.decode()
    assert "Nachricht senden" in page
    assert (
        "Nachricht senden"
        not in member_client.get(f"/mitglieder/{member.pk}/").content.decode()
    ), "not on one's own profile"

    response = member_client.post(f"/chat/direkt/mit/{colleague.pk}/")

    room = actions.start_direct(member, [colleague])
    assert response.url == f"/chat/{room.pk}/"


def test_the_member_search_suggests_directory_members_by_name(
    member_client, member, make_member
):
    make_member(name="Bernd Kollege")
    make_member(name="Bernadette Ungelistet", show_in_directory=False)
    make_member(name="Ann Bernstein")

    found = member_client.get("/mitglieder/suche/", {"q": "bern"}).json()

    assert [m["name"] for m in found] == ["Bernd Kollege", "Ann Bernstein"]
    assert found[0]["mention"] == "@**Bernd Kollege**"
    assert member_client.get("/mitglieder/suche/", {"q": "anna"}).json() == [], (
        "not oneself"
    )


def test_namesakes_are_suggested_with_the_id_in_the_mention(member_client, make_member):
    first = make_member(name="Jana Meier")
    make_member(name="Jana Meier")

    found = member_client.get("/mitglieder/suche/", {"q": "jana"}).json()

    assert found[0]["mention"] == f"@**Jana Meier|{first.pk}**"


def test_starting_a_conversation_without_script_searches_and_keeps_the_chosen(
    member_client, member, colleague, make_member, django_assert_max_num_queries
):
    for n in range(30):
        make_member(name=f"Weiteres Mitglied {n}")

    page = member_client.get("/chat/direkt/", {"suche": "Bernd"}).content.decode()
    assert f'value="{colleague.pk}"' in page
    assert "Weiteres Mitglied" not in page, "no list of every member"

    response = member_client.post("/chat/direkt/", {"members": [colleague.pk]})

    room = actions.start_direct(member, [colleague])
    assert response.url == f"/chat/{room.pk}/"

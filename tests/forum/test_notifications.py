"""Following, the notification list, e-mail immediately or as a digest."""

import pytest
from django.core import mail
from django.core.management import call_command

from community.actions.notifications import unsubscribe_token
from community.markup import mention_token
from community.models import EmailFrequency, Notification, NotificationKind
from forum.actions.posts import reply


def test_followers_of_a_thread_hear_about_replies(member, make_thread, make_member):
    thread = make_thread()  # authors follow their own threads
    replier = make_member(name="Jonas Peer")
    reply(replier, thread, source="Antwort")
    notification = Notification.objects.get(recipient=member)
    assert notification.kind == NotificationKind.REPLY
    assert (
        notification.title == "Jonas Peer hat in „Bürgerbus: Erfahrungen?“ geantwortet"
    )
    assert not Notification.objects.filter(recipient=replier).exists()


def test_following_a_space_brings_its_replies(
    member_client, member, make_thread, make_member, space
):
    member_client.post(f"/forum/{space.slug}/folgen/", {"on": "1"})
    other = make_member()
    thread = make_thread(author=other)
    reply(make_member(), thread, source="Antwort")
    assert Notification.objects.filter(recipient=member).count() == 1
    member_client.post(f"/forum/{space.slug}/folgen/", {"on": "0"})
    reply(make_member(), thread, source="Noch eine")
    assert Notification.objects.filter(recipient=member).count() == 1


def test_unfollowing_a_thread_stops_reply_notifications(
    member_client, member, make_thread, make_member
):
    thread = make_thread()
    member_client.post(f"/forum/thema/{thread.pk}/folgen/", {"on": "0"})
    reply(make_member(), thread, source="Antwort")
    assert not Notification.objects.filter(recipient=member).exists()


def test_a_mention_notifies_the_member_once(member, make_thread, make_member):
    jonas = make_member(name="Jonas Peer")
    thread = make_thread()
    reply(member, thread, source=f"{mention_token(jonas)} kennen Sie das?")
    notification = Notification.objects.get(recipient=jonas)
    assert notification.kind == NotificationKind.MENTION
    assert notification.url.startswith("/forum/beitrag/")


def test_mentioning_someone_who_cannot_see_the_space_tells_them_nothing(
    member, make_space, make_thread, make_member
):
    project = make_space(is_restricted=True)
    project.members.add(member)
    outsider = make_member(name="Außen Stehend")
    make_thread(in_space=project, source=f"Hallo {mention_token(outsider)}")
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_the_header_shows_the_unread_count_and_the_list_marks_read(
    member, member_client, make_thread, make_member
):
    thread = make_thread()
    reply(make_member(), thread, source="Antwort 1")
    reply(make_member(), thread, source="Antwort 2")
    html = member_client.get("/forum/").content.decode()
    assert 'id="notification-count">2' in html
    listing = member_client.get("/benachrichtigungen/").content.decode()
    assert listing.count("geantwortet") == 2
    member_client.post("/benachrichtigungen/gelesen/")
    assert (
        'id="notification-count"' not in member_client.get("/forum/").content.decode()
    )


def test_the_cached_header_count_follows_new_and_withdrawn_notifications(
    member_client, make_thread, make_member, staff_member
):
    """The count is cached per member; every change of the list drops it."""
    from forum.actions.moderation import hide_post

    thread = make_thread()
    assert (
        'id="notification-count"' not in member_client.get("/forum/").content.decode()
    )
    answer = reply(make_member(), thread, source="Antwort")
    html = member_client.get("/forum/").content.decode()
    assert 'id="notification-count">1' in html
    hide_post(staff_member, answer)  # its reply notification is withdrawn
    assert (
        'id="notification-count"' not in member_client.get("/forum/").content.decode()
    )


def test_immediate_email_with_unsubscribe_link(
    member, member_client, make_thread, make_member, django_capture_on_commit_callbacks
):
    member_client.post("/benachrichtigungen/einstellungen/", {"email": "immediately"})
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        reply(make_member(name="Jonas Peer"), thread, source="Antwort")
    [message] = mail.outbox
    assert message.to == [member.email]
    assert "Jonas Peer hat in „Bürgerbus: Erfahrungen?“ geantwortet" in message.body
    assert "Guten Tag Anna Beispiel," in message.body
    token = unsubscribe_token(member)
    assert f"/benachrichtigungen/abbestellen/{token}/" in message.body
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )


def test_the_daily_digest_collects_unread_notifications_once(
    member, make_thread, make_member
):
    thread = make_thread()
    reply(make_member(), thread, source="Eins")
    reply(make_member(), thread, source="Zwei")
    call_command("send_digests")
    [digest] = [m for m in mail.outbox if m.to == [member.email]]
    assert digest.subject == "Zukunftsraum: Ihre tägliche Zusammenfassung"
    assert digest.body.count("geantwortet") == 2
    sent = len(mail.outbox)
    call_command("send_digests")
    assert len(mail.outbox) == sent  # nothing new, no second mail


def test_members_who_chose_never_get_no_mail(
    member, member_client, make_thread, make_member
):
    member_client.post("/benachrichtigungen/einstellungen/", {"email": "never"})
    reply(make_member(), make_thread(), source="Antwort")
    call_command("send_digests")
    assert mail.outbox == []


def test_one_click_unsubscribe_without_login(client, member):
    token = unsubscribe_token(member)
    response = client.post(f"/benachrichtigungen/abbestellen/{token}/")
    assert response.status_code == 200
    assert member.notification_settings.email == EmailFrequency.NEVER


def test_a_forged_unsubscribe_token_changes_nothing(client, member):
    response = client.post("/benachrichtigungen/abbestellen/falsch/")
    assert response.status_code == 400


@pytest.mark.django_db
def test_expiring_offers_remind_their_author_once(member, make_thread):
    from datetime import timedelta

    from django.utils import timezone

    soon = timezone.localdate() + timedelta(days=3)
    make_thread(kind="offer", topic="mobility", title="Vorlage", expires_on=soon)
    call_command("remind_expiring")
    call_command("remind_expiring")
    reminder = Notification.objects.get(recipient=member)
    assert reminder.kind == NotificationKind.EXPIRY
    assert soon.strftime("%d.%m.%Y") in reminder.title


def test_notification_emails_quote_the_posts_text_without_markdown(
    member, member_client, make_thread, make_member, django_capture_on_commit_callbacks
):
    member_client.post("/benachrichtigungen/einstellungen/", {"email": "immediately"})
    thread = make_thread()
    with django_capture_on_commit_callbacks(execute=True):
        reply(
            make_member(name="Jonas Peer"),
            thread,
            source="Wir fahren **dienstags** – siehe [Fahrplan](https://example.org).",
        )
        reply(
            make_member(name="Eva Nennt"),
            thread,
            source=f"Frage an {mention_token(member)}: passt das?",
        )
    replied, mentioned = mail.outbox
    assert "Wir fahren dienstags – siehe Fahrplan." in replied.body
    assert "**" not in replied.body and "](" not in replied.body
    assert "Frage an @Anna Beispiel: passt das?" in mentioned.body

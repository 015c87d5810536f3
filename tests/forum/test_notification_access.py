"""Every notification path asks whether the recipient may see the thing now
(community.notification_targets, with the views' permission functions): when
the notification is made, and again before it leaves by e-mail."""

from django.core import mail
from django.core.management import call_command

from chat import actions as chat_actions
from community.actions.notifications import send_notification_email
from community.markup import mention_token
from community.models import Notification
from forum.actions.posts import reply
from forum.actions.thread_tools import move_thread
from forum.actions.threads import change_status, set_following
from forum.models import ThreadKind


def test_a_follower_taken_off_a_restricted_space_hears_nothing_of_new_replies(
    member, make_member, make_space, make_thread
):
    author = make_member(name="Paula Projekt")
    project = make_space(title="Projekt Nord", is_restricted=True)
    project.members.add(author, member)
    thread = make_thread(author, in_space=project, title="Geheimer Plan")
    set_following(member, thread=thread, on=True)
    set_following(member, space=project, on=True)

    project.members.remove(member)  # as the admin's widget does
    reply(author, thread, source="Neuigkeiten")
    call_command("send_digests")

    assert not Notification.objects.filter(recipient=member).exists()
    assert not [m for m in mail.outbox if m.to == [member.email]]
    assert Notification.objects.filter(recipient=author).count() == 0  # own reply


def test_a_follower_of_a_thread_moved_into_a_restricted_space_hears_nothing(
    member, make_member, make_space, make_thread, staff_member
):
    author = make_member(name="Paula Projekt")
    thread = make_thread(author, title="Bürgerbus")
    set_following(member, thread=thread, on=True)
    closed = make_space(title="Intern", is_restricted=True)
    closed.members.add(author)
    move_thread(staff_member, thread, to=closed, reason="gehört ins Projekt")

    thread.title = "Bürgerbus (intern)"
    thread.save(update_fields=["title"])
    reply(author, thread, source="Nur für das Projekt")

    assert not Notification.objects.filter(recipient=member).exists()


def test_a_status_change_reaches_only_followers_who_still_see_the_thread(
    member, make_member, make_space, make_thread
):
    seeker = make_member(name="Sina Suche")
    project = make_space(title="Projekt Süd", is_restricted=True)
    project.members.add(seeker, member)
    thread = make_thread(seeker, in_space=project, kind=ThreadKind.SEEK)
    stays = make_member(name="Bleibt Dabei")
    project.members.add(stays)
    for follower in (member, stays):
        set_following(follower, thread=thread, on=True)
    project.members.remove(member)

    change_status(seeker, thread, status="in_conversation")

    assert not Notification.objects.filter(recipient=member).exists()
    assert Notification.objects.filter(recipient=stays).count() == 1


def test_a_notification_made_before_access_ended_is_not_emailed_after(
    member, make_member, make_space, make_thread
):
    author = make_member(name="Paula Projekt")
    project = make_space(title="Projekt West", is_restricted=True)
    project.members.add(author, member)
    thread = make_thread(author, in_space=project, title="Vertraulich")
    set_following(member, thread=thread, on=True)
    reply(author, thread, source="Erste Antwort")
    notification = Notification.objects.get(recipient=member)

    project.members.remove(member)
    sent_now = send_notification_email(notification.pk)
    call_command("send_digests")

    assert sent_now is False
    assert not [m for m in mail.outbox if m.to == [member.email]]
    # Withdrawn from the list too: its title named what they may not see.
    assert not Notification.objects.filter(recipient=member).exists()


def test_the_digest_keeps_what_the_member_still_sees(
    member, make_member, make_space, make_thread
):
    author = make_member(name="Paula Projekt")
    project = make_space(title="Projekt Ost", is_restricted=True)
    project.members.add(author, member)
    hidden = make_thread(author, in_space=project, title="Vertraulich")
    open_thread = make_thread(author, title="Für alle")
    for thread in (hidden, open_thread):
        set_following(member, thread=thread, on=True)
        reply(author, thread, source="Antwort")

    project.members.remove(member)
    call_command("send_digests")

    [digest] = [m for m in mail.outbox if m.to == [member.email]]
    assert "Für alle" in digest.body
    assert "Vertraulich" not in digest.body


def test_a_chat_mention_is_not_emailed_after_removal_from_the_room(
    member, make_member, make_space
):
    author = make_member(name="Paula Projekt")
    project = make_space(title="Projekt Chat", is_restricted=True)
    project.members.add(author, member)
    room = chat_actions.ensure_space_room(project)
    chat_actions.send_message(
        author, room, body=f"{mention_token(member)} schauen Sie mal", client_id="m1"
    )
    assert Notification.objects.filter(recipient=member).count() == 1

    project.members.remove(member)
    call_command("send_digests")

    assert not [m for m in mail.outbox if m.to == [member.email]]
    assert not Notification.objects.filter(recipient=member).exists()


def test_a_missed_chat_mention_is_not_emailed_after_removal_from_the_room(
    member, make_member, make_space
):
    from datetime import timedelta

    from django.utils import timezone

    from community.actions.notifications import send_missed_notifications

    author = make_member(name="Paula Projekt")
    project = make_space(title="Projekt Chat", is_restricted=True)
    project.members.add(author, member)
    room = chat_actions.ensure_space_room(project)
    chat_actions.send_message(
        author, room, body=f"{mention_token(member)} schauen Sie mal", client_id="m1"
    )
    project.members.remove(member)

    later = timezone.now() + timedelta(hours=1)
    assert send_missed_notifications(now=later) == 0
    assert not [m for m in mail.outbox if m.to == [member.email]]
    assert not Notification.objects.filter(recipient=member).exists()


def test_checking_followers_access_costs_no_query_per_follower_in_an_open_space(
    make_member, make_thread
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    author = make_member(name="Paula Projekt")
    thread = make_thread(author, title="Für alle")

    def queries_of_a_reply_with(followers: int) -> int:
        for _ in range(followers):
            set_following(make_member(), thread=thread, on=True)
        with CaptureQueriesContext(connection) as captured:
            reply(author, thread, source="Neuigkeiten")
        return len(captured.captured_queries)

    few = queries_of_a_reply_with(2)
    many = queries_of_a_reply_with(10)

    assert many == few
    assert Notification.objects.filter(kind="reply").count() == 2 + 12

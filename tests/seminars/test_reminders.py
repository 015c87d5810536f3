"""The reminder the day before: `manage.py send_event_reminders`, idempotent."""

from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.models import Notification, NotificationKind
from seminars.actions.registrations import register
from seminars.models import Event


def test_participants_are_reminded_once_the_day_before(
    make_event, member, member_of, django_capture_on_commit_callbacks
):
    tomorrow = make_event(title="Morgen", in_days=0)
    soon = timezone.now() + timedelta(hours=20)
    Event.objects.filter(pk=tomorrow.pk).update(
        starts_at=soon, ends_at=soon + timedelta(hours=2)
    )
    later = make_event(title="Nächsten Monat", in_days=30)
    register(member, tomorrow)
    register(member, later)
    waiting_event = make_event(title="Voll", capacity=0)
    Event.objects.filter(pk=waiting_event.pk).update(
        starts_at=soon, ends_at=soon + timedelta(hours=2)
    )
    register(member_of("bergdorf"), waiting_event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders")
        call_command("send_event_reminders")

    [message] = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "[Zukunftsraum] Erinnerung: Morgen"
    assert "https://konferenz.example/raum-42" in message.body
    assert (
        Notification.objects.filter(
            recipient=member, kind=NotificationKind.EVENT_REMINDER
        ).count()
        == 1
    )

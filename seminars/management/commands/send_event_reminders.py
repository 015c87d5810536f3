"""Remind participants of events starting within SEMINARS_REMINDER_HOURS.

Run it hourly from cron; a participant is reminded once, however often it runs.
"""

from django.core.management.base import BaseCommand

from seminars.actions.reminders import send_reminders


class Command(BaseCommand):
    help = "Send the reminders for events starting soon (idempotent, for cron)."

    def handle(self, *args, **options) -> None:
        sent = send_reminders()
        self.stdout.write(f"{sent} reminders sent.")

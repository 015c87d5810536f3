"""Remind municipalities of their usage reports (run daily from cron).

    0 7 * * *  manage.py grants_report_reminders

A month before the due date and on the day; a run that missed a day catches up,
and a second run on the same day sends nothing twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from grants.actions.reports import send_report_reminders


class Command(BaseCommand):
    help = "Send the reminders of usage reports due in a month or today."

    def handle(self, *args, **options) -> None:
        sent = send_report_reminders(timezone.localdate())
        self.stdout.write(f"{sent} reminder(s) sent.")

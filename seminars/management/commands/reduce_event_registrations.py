"""Reduce registrations of events that ended more than
SEMINARS_REGISTRATION_RETENTION_DAYS ago (daily, from cron)."""

from django.core.management.base import BaseCommand

from seminars.actions.retention import reduce_past_registrations


class Command(BaseCommand):
    help = "Remove the people from registrations past the retention period."

    def handle(self, *args, **options) -> None:
        reduced = reduce_past_registrations()
        self.stdout.write(f"{reduced} registrations reduced.")

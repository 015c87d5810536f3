"""Cron (daily): mail each member their unread notifications in one digest."""

from django.core.management.base import BaseCommand

from community.actions.notifications import send_digests


class Command(BaseCommand):
    help = "Send the daily notification digests that are due."

    def handle(self, *args, **options) -> None:
        sent = send_digests()
        self.stdout.write(f"{sent} digest(s) sent")

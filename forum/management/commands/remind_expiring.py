"""Cron (daily): remind authors a week before their offer or seek expires."""

from django.core.management.base import BaseCommand

from forum.actions.threads import remind_expiring


class Command(BaseCommand):
    help = "Remind authors of offers and seeks that expire within a week."

    def handle(self, *args, **options) -> None:
        count = remind_expiring()
        self.stdout.write(f"{count} reminder(s) sent")

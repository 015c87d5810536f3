"""Cron (daily): delete chat messages past the retention period."""

from django.conf import settings
from django.core.management.base import BaseCommand

from chat.actions.personal_data import purge_expired_messages


class Command(BaseCommand):
    help = "Delete chat messages older than CHAT_RETENTION_DAYS (default 365)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override the retention period for this run.",
        )

    def handle(self, *args, days: int | None, **options) -> None:
        days = days if days is not None else settings.CHAT_RETENTION_DAYS
        deleted = purge_expired_messages(days=days)
        self.stdout.write(f"{deleted} row(s) older than {days} days deleted")

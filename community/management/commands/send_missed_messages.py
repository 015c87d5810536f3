"""Cron (every minute), or a service with --every: missed-message e-mails for
direct messages and chat mentions left unread past their delay."""

import time

from django.core.management.base import BaseCommand

from community.actions.notifications import send_missed_notifications


class Command(BaseCommand):
    help = "E-mail members the chat notifications they have not read in time."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help="keep running and send every this many seconds (0: once)",
        )

    def handle(self, *args, every: float = 0, **options) -> None:
        while True:
            sent = send_missed_notifications()
            self.stdout.write(f"{sent} missed-message e-mail(s) sent")
            if not every:
                return
            time.sleep(every)

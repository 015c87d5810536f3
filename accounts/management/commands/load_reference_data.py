from django.core.management.base import BaseCommand

from accounts.reference_data import load_reference_data


class Command(BaseCommand):
    help = "Insert or update the 16 Länder and all Kreise shipped with the platform."

    def handle(self, *args, **options) -> None:
        states, districts = load_reference_data()
        self.stdout.write(f"{states} states, {districts} districts loaded.")

"""Demo data for a local instance: themed spaces, members, a staff account.

Idempotent: `make run` calls it every time. Existing accounts keep their
passwords and whatever their owners changed; missing records are created.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import District, MemberTopic, Role, Topic, User
from chat.actions import ensure_space_room
from community.models import Space
from demo.grants import ASSESSOR, GRANT_MEMBERS, seed_grants
from demo.seminars import seed_events
from demo.threads import seed_threads

STAFF_EMAIL = "geschaeftsstelle@zukunftsraum.example"
STAFF_PASSWORD = "zukunftsraum-demo"  # noqa: S105 - documented local demo account
MEMBER_PASSWORD = "zukunftsraum-mitglied"  # noqa: S105 - documented local demo
DISCARD_MAIL = "django.core.mail.backends.dummy.EmailBackend"

SPACES = [
    (
        "pflege-und-gesundheit",
        "Pflege und Gesundheit",
        Topic.CARE_HEALTH,
        "Pflege vor Ort, Gesundheitsversorgung auf dem Land, Gemeindeschwestern.",
    ),
    (
        "mobilitaet",
        "Mobilität im ländlichen Raum",
        Topic.MOBILITY,
        "Bürgerbusse, Rufbusse, Mitfahrbänke und Radwege zwischen den Orten.",
    ),
    (
        "fachkraefte",
        "Fachkräfte",
        Topic.SKILLED_WORKERS,
        "Fachkräfte gewinnen und halten: in der Verwaltung und vor Ort.",
    ),
    (
        "wohnen-im-alter",
        "Wohnen im Alter",
        Topic.HOUSING,
        "Barrierearme Wohnungen, Wohngemeinschaften, Umbau im Bestand.",
    ),
    (
        "digitale-verwaltung",
        "Digitale Verwaltung",
        Topic.DIGITAL,
        "Onlinezugangsgesetz, digitale Bürgerdienste, gemeinsame Lösungen.",
    ),
    (
        "ehrenamt",
        "Ehrenamt",
        Topic.VOLUNTEERING,
        "Engagement gewinnen, begleiten und anerkennen.",
    ),
    (
        "integration",
        "Integration",
        Topic.INTEGRATION,
        "Ankommen, Sprache, Arbeit und Nachbarschaft.",
    ),
    (
        "jugend-und-familie",
        "Jugend und Familie",
        Topic.YOUTH_FAMILIES,
        "Junge Menschen halten und gewinnen, Kinderbetreuung, Familienfreundlichkeit.",
    ),
    (
        "daseinsvorsorge",
        "Daseinsvorsorge vor Ort",
        Topic.LOCAL_SERVICES,
        "Dorfläden, Ärztinnen und Ärzte, Schulen und Treffpunkte erhalten.",
    ),
]

# name, e-mail, role, position, district key, topics, verified, offers, seeks
MEMBERS = [
    (
        "Katrin Vogel",
        "katrin.vogel@demo.zukunftsraum.example",
        Role.MAYOR,
        "Bürgermeisterin",
        "12073",
        [Topic.MOBILITY, Topic.LOCAL_SERVICES],
        True,
        "Erfahrungen mit einem ehrenamtlich betriebenen Bürgerbus.",
        "Ideen für einen Dorfladen mit Postfiliale.",
    ),
    (
        "Thomas Berger",
        "thomas.berger@demo.zukunftsraum.example",
        Role.DISTRICT_ADMINISTRATOR,
        "Landrat",
        "09187",
        [Topic.SKILLED_WORKERS, Topic.DIGITAL],
        True,
        "Ein kreisweites Portal für Ausbildungsplätze.",
        "Partner für eine gemeinsame digitale Bauantragsstelle.",
    ),
    (
        "Aylin Demir",
        "aylin.demir@demo.zukunftsraum.example",
        Role.ADMINISTRATION,
        "Integrationsbeauftragte",
        "05315",
        [Topic.INTEGRATION, Topic.YOUTH_FAMILIES],
        False,
        "Konzept für Sprachcafés in Stadtteilbibliotheken.",
        "",
    ),
    (
        "Jens Petersen",
        "jens.petersen@demo.zukunftsraum.example",
        Role.ADMINISTRATION,
        "Amt für Senioren",
        "01054",
        [Topic.HOUSING, Topic.CARE_HEALTH],
        True,
        "",
        "Beispiele für Wohngemeinschaften für Seniorinnen und Senioren.",
    ),
    (
        "Sabine Krause",
        "sabine.krause@demo.zukunftsraum.example",
        Role.VOLUNTEER,
        "Vorsitzende Heimatverein",
        "14626",
        [Topic.VOLUNTEERING],
        False,
        "Eine Ehrenamtsbörse, die ohne Software auskommt.",
        "Wege, junge Menschen für das Ehrenamt zu gewinnen.",
    ),
    (
        "Michael Hoffmann",
        "michael.hoffmann@demo.zukunftsraum.example",
        Role.ADMINISTRATION,
        "Wirtschaftsförderung",
        "16061",
        [Topic.SKILLED_WORKERS, Topic.YOUTH_FAMILIES],
        False,
        "",
        "Rückkehrerinnen und Rückkehrer gewinnen: Was wirkt?",
    ),
]


class Command(BaseCommand):
    help = "Create demo spaces, demo members and a staff account (local use only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run without DEBUG (creates accounts with known passwords).",
        )

    def handle(self, *args, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with published passwords and refuses to "
                "run without DEBUG=1. Use --force only on a throwaway instance."
            )
        keys = {row[4] for row in MEMBERS}
        districts = District.objects.in_bulk(keys)
        if len(districts) != len(keys):
            raise CommandError(
                "The districts are missing. Run `manage.py migrate` first."
            )
        # Demo registrations are news to nobody: their confirmation e-mails
        # (sent when the transaction commits) go nowhere.
        with override_settings(EMAIL_BACKEND=DISCARD_MAIL), transaction.atomic():
            spaces = self._spaces()
            staff = self._account(
                STAFF_EMAIL,
                STAFF_PASSWORD,
                name="Geschäftsstelle Zukunftsraum",
                role=Role.OTHER,
                is_staff=True,
                is_superuser=True,
            )
            members = [self._member(row, districts, staff) for row in MEMBERS]
            threads = seed_threads([member for member, _ in members])
            events = seed_events(staff, [member for member, _ in members])
            applications = seed_grants(
                staff, staff_password=STAFF_PASSWORD, member_password=MEMBER_PASSWORD
            )
        created = sum(1 for _, is_new in members if is_new)
        self.stdout.write(
            f"{spaces} new spaces, {created} new demo members ({len(MEMBERS)} in all), "
            f"{threads} new demo threads, {events} new demo events, "
            f"{applications} new grant applications."
        )
        self.stdout.write(
            "Local use only. Staff account: "
            f"{STAFF_EMAIL} / {STAFF_PASSWORD}; demo members (e.g. "
            f"{MEMBERS[0][1]}) use the password {MEMBER_PASSWORD}. Micro-grants: "
            f"{GRANT_MEMBERS[0][1]} signs for Templin, {ASSESSOR[1]} is a second "
            "staff account (four eyes), with the staff password."
        )

    def _spaces(self) -> int:
        created = 0
        for position, (slug, title, topic, description) in enumerate(SPACES):
            space, is_new = Space.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "topic": topic,
                    "description": description,
                    "position": position,
                },
            )
            ensure_space_room(space)
            created += is_new
        return created

    def _account(self, email: str, password: str, **fields) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=password, **fields)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _member(self, row, districts, staff: User) -> tuple[User, bool]:
        name, email, role, title, key, topics, verified, offers, seeks = row
        is_new = not User.objects.filter(email=email).exists()
        member = self._account(
            email,
            MEMBER_PASSWORD,
            name=name,
            role=role,
            job_title=title,
            district=districts[key],
            offers_text=offers,
            seeks_text=seeks,
        )
        if is_new:
            MemberTopic.objects.bulk_create(
                [MemberTopic(user=member, topic=topic) for topic in topics]
            )
            if verified:
                # Demo state, not a staff decision: no audit row, no e-mail.
                member.affiliation_verified_at = timezone.now()
                member.affiliation_verified_by = staff
                member.save(
                    update_fields=["affiliation_verified_at", "affiliation_verified_by"]
                )
        return member, is_new

"""Demo micro-grants for a local instance (called by `manage.py seed_demo`).

A programme for the current year, a structural-weakness record for the
Uckermark, three municipalities with verified members and applications in
several states, all made through the real actions (ledger, audit log and
history are as real as on a production instance). Idempotent: an application
whose title exists already is not created again.

Populations are rounded figures for the demo; `import_gv100ad` replaces them
with the official ones.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import (
    District,
    Municipality,
    Role,
    StructuralWeaknessRecord,
    User,
)
from grants.actions import payouts, workflow
from grants.actions.drafts import (
    CostLineData,
    DraftContent,
    FundingLineData,
    confirm_partner,
    create_draft,
)
from grants.actions.programmes import save_programme
from grants.models import Application, AttachmentKind, Programme, Purpose, Vote

# ags, name, district key, population
MUNICIPALITIES = [
    ("12073572", "Templin", "12073", 15800),
    ("12073008", "Angermünde", "12073", 13400),
    ("09187125", "Bad Feilnbach", "09187", 8200),
]
# name, e-mail, role, position, ags
GRANT_MEMBERS = [
    (
        "Anja Schulz",
        "anja.schulz@demo.zukunftsraum.example",
        Role.MAYOR,
        "Bürgermeisterin",
        "12073572",
    ),
    (
        "Tobias Lehmann",
        "tobias.lehmann@demo.zukunftsraum.example",
        Role.ADMINISTRATION,
        "Hauptamt",
        "12073572",
    ),
    (
        "Frank Neumann",
        "frank.neumann@demo.zukunftsraum.example",
        Role.MAYOR,
        "Bürgermeister",
        "12073008",
    ),
    (
        "Stefan Huber",
        "stefan.huber@demo.zukunftsraum.example",
        Role.MAYOR,
        "Erster Bürgermeister",
        "09187125",
    ),
]
# The second person of the Geschäftsstelle: votes, so that the demo staff
# account can decide (four eyes by person).
ASSESSOR = ("Petra Prüfer", "pruefung@zukunftsraum.example")

CALL = (
    "Gefördert werden externe Beratung und die Vernetzung von Kommunen, die den "
    "demografischen Wandel gestalten: bis zu 5.000 Euro je Kommune und "
    "Kalenderjahr. Strukturschwache Regionen haben Vorrang."
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@dataclass
class DemoApplication:
    ags: str
    title: str
    summary: str
    purpose: str
    topic: str
    costs: list[tuple[str, str, str]]
    own_funds: str
    requested: str
    # how far it gets: draft, submitted, query, assessed, approved, paid_out,
    # rejected
    stage: str
    partners: list[str] = field(default_factory=list)
    approved: str = ""
    other_funding: list[tuple[str, str]] = field(default_factory=list)


APPLICATIONS = [
    DemoApplication(
        "12073572",
        "Beratung: Wohnen im Alter im Bestand",
        "Ein Planungsbüro prüft mit den Eigentümern, wie leer stehende Wohnungen in "
        "der Altstadt barrierearm umgebaut werden können.",
        Purpose.CONSULTANCY,
        "housing",
        [
            ("consultancy_fees", "Planungsbüro, 6 Beratungstage", "4500.00"),
            ("events", "Eigentümerversammlung", "500.00"),
        ],
        "750.00",
        "4250.00",
        "approved",
        approved="4250.00",
    ),
    DemoApplication(
        "12073572",
        "Mitfahrbänke für die Ortsteile",
        "Eine Beratung zur Standortwahl und Beschilderung von Mitfahrbänken in den "
        "23 Ortsteilen.",
        Purpose.CONSULTANCY,
        "mobility",
        [("consultancy_fees", "Verkehrsplanung, 2 Tage", "700.00")],
        "0.00",
        "700.00",
        "draft",
    ),
    DemoApplication(
        "12073008",
        "Netzwerk Dorfläden Uckermark",
        "Drei Kommunen tauschen Erfahrungen mit genossenschaftlichen Dorfläden aus "
        "und besuchen einander.",
        Purpose.NETWORKING,
        "local-services",
        [
            ("travel", "Exkursionen zu drei Dorfläden", "900.00"),
            ("events", "Abschlusswerkstatt", "1100.00"),
        ],
        "400.00",
        "1600.00",
        "query",
        partners=["12073572"],
    ),
    DemoApplication(
        "12073008",
        "Beratung: Leerstandskataster für die Ortsteile",
        "Ein Büro zeigt, wie die Stadt leer stehende Gebäude erfasst und mit "
        "Eigentümern ins Gespräch kommt.",
        Purpose.CONSULTANCY,
        "housing",
        [("consultancy_fees", "Stadtplanungsbüro, 3 Beratungstage", "2000.00")],
        "500.00",
        "1500.00",
        "paid_out",
        approved="1500.00",
    ),
    DemoApplication(
        "09187125",
        "Digitale Sprechstunde im Rathaus",
        "Externe Beratung zur Einführung einer Videosprechstunde für ältere "
        "Bürgerinnen und Bürger.",
        Purpose.CONSULTANCY,
        "digital",
        [("consultancy_fees", "IT-Beratung, 4 Tage", "3200.00")],
        "200.00",
        "2000.00",
        "assessed",
        other_funding=[("Landesprogramm Digitale Kommune", "1000.00")],
    ),
    DemoApplication(
        "09187125",
        "Imagefilm für Fachkräfte",
        "Ein Film, der junge Fachkräfte für die Verwaltung gewinnen soll.",
        Purpose.CONSULTANCY,
        "skilled-workers",
        [("consultancy_fees", "Filmproduktion", "3000.00")],
        "500.00",
        "2500.00",
        "rejected",
    ),
]


def _programme(staff: User, today: date) -> Programme:
    programme = Programme.objects.filter(year=today.year).first()
    if programme is not None:
        return programme
    return save_programme(
        staff,
        Programme(
            title=f"Mikroförderung {today.year}",
            year=today.year,
            call_text=CALL,
            budget=Decimal("150000.00"),
            opens_on=date(today.year, 1, 1),
            closes_on=date(today.year, 12, 31),
        ),
    )


def _places() -> dict[str, Municipality]:
    districts = District.objects.in_bulk({row[2] for row in MUNICIPALITIES})
    places = {}
    for ags, name, key, population in MUNICIPALITIES:
        places[ags], _ = Municipality.objects.get_or_create(
            ags=ags,
            defaults={
                "district": districts[key],
                "name": name,
                "population": population,
            },
        )
    StructuralWeaknessRecord.objects.get_or_create(
        district=districts["12073"],
        programme="GRW",
        valid_from=date(2022, 1, 1),
        defaults={
            "status": "GRW-Fördergebiet",
            "valid_until": date(2027, 12, 31),
            "source": "Koordinierungsrahmen der Gemeinschaftsaufgabe GRW, "
            "Fördergebietskarte 2022–2027 (Demo-Eintrag)",
        },
    )
    return places


def _account(email: str, password: str, **fields) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, **fields)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _members(places, staff: User, password: str) -> dict[str, list[User]]:
    by_place: dict[str, list[User]] = {}
    for name, email, role, title, ags in GRANT_MEMBERS:
        member = _account(
            email,
            password,
            name=name,
            role=role,
            job_title=title,
            municipality=places[ags],
        )
        if member.affiliation_verified_at is None and member.municipality_id == ags:
            # Demo state, not a staff decision: no audit row, no e-mail.
            member.affiliation_verified_at = timezone.now()
            member.affiliation_verified_by = staff
            member.save(
                update_fields=["affiliation_verified_at", "affiliation_verified_by"]
            )
        by_place.setdefault(ags, []).append(member)
    return by_place


def _content(demo: DemoApplication, signatory: User, places, today) -> DraftContent:
    quotes = []
    if any(category == "consultancy_fees" for category, _, _ in demo.costs):
        quotes = [
            (
                AttachmentKind.QUOTE,
                SimpleUploadedFile("angebot.pdf", PDF, content_type="application/pdf"),
            )
        ]
    return DraftContent(
        title=demo.title,
        summary=demo.summary,
        demographic_change=(
            "Die Gemeinde wird älter und kleiner; das Vorhaben hilft, dass Menschen "
            "im Ort bleiben können."
        ),
        purpose=demo.purpose,
        topic=demo.topic,
        starts_on=today + timedelta(days=45),
        ends_on=today + timedelta(days=200),
        own_funds=Decimal(demo.own_funds),
        requested_amount=Decimal(demo.requested),
        declares_not_started=True,
        declares_no_double_funding=True,
        declares_procurement=True,
        consents_to_publication=True,
        signatory=signatory,
        cost_lines=[
            CostLineData(category, description, Decimal(amount))
            for category, description, amount in demo.costs
        ],
        funding_lines=[
            FundingLineData(source, Decimal(amount))
            for source, amount in demo.other_funding
        ],
        partners=[places[ags] for ags in demo.partners],
        new_attachments=quotes,
    )


def _advance(
    application: Application,
    demo: DemoApplication,
    *,
    signatory: User,
    assessor: User,
    staff: User,
    members,
) -> None:
    if demo.stage == "draft":
        return
    for partner in application.partners.all():
        confirm_partner(members[partner.municipality_id][0], application, partner)
    application.refresh_from_db()
    key = hashlib.sha256(f"demo-{application.pk}".encode()).hexdigest()[:32]
    workflow.submit(signatory, application, key=key, version=application.version)
    workflow.start_check(assessor, application)
    if demo.stage == "query":
        workflow.send_query(
            assessor,
            application,
            question="Bitte nennen Sie die Termine der Exkursionen.",
            deadline=timezone.localdate() + timedelta(days=14),
        )
        return
    workflow.pass_check(assessor, application, note="Vollständig.")
    rejected = demo.stage == "rejected"
    workflow.assess(
        assessor,
        application,
        vote=Vote.REJECT if rejected else Vote.APPROVE,
        reasons=(
            "Ein Imagefilm ist keine Beratung im Sinne des Aufrufs."
            if rejected
            else "Schlüssiges Vorhaben, angemessene Kosten."
        ),
    )
    if rejected:
        workflow.reject(
            staff,
            application,
            reasons="Der Aufruf fördert externe Beratung und Vernetzung; die "
            "Produktion eines Films gehört nicht dazu.",
        )
    elif demo.stage in ("approved", "paid_out"):
        workflow.approve(
            staff,
            application,
            amount=Decimal(demo.approved),
            reasons="Die Fördervoraussetzungen sind erfüllt.",
            conditions="Die Ergebnisse werden in der Wissenssammlung veröffentlicht.",
        )
    if demo.stage == "paid_out":
        # The municipality calls off, the second person of the Geschäftsstelle
        # (not the approver) pays out.
        call_off = payouts.request_call_off(
            members[demo.ags][-1],
            application,
            amount=Decimal(demo.approved),
            reason="Honorar des Stadtplanungsbüros",
            needed_on=timezone.localdate(),
        )
        payouts.release_payout(assessor, call_off, paid_on=timezone.localdate())


def seed_grants(staff: User, *, staff_password: str, member_password: str) -> int:
    """Create what is missing; returns the number of new applications."""
    today = timezone.localdate()
    places = _places()
    assessor = _account(
        ASSESSOR[1], staff_password, name=ASSESSOR[0], role=Role.OTHER, is_staff=True
    )
    programme = _programme(staff, today)
    members = _members(places, staff, member_password)
    created = 0
    for demo in APPLICATIONS:
        if Application.objects.filter(
            title=demo.title, municipality_id=demo.ags
        ).exists():
            continue
        people = members[demo.ags]
        signatory, colleague = people[0], people[-1]
        application, _ = create_draft(
            colleague,
            programme,
            key=f"demo-{hashlib.sha256(demo.title.encode()).hexdigest()[:24]}",
            content=_content(demo, signatory, places, today),
        )
        _advance(
            application,
            demo,
            signatory=signatory,
            assessor=assessor,
            staff=staff,
            members=members,
        )
        created += 1
    return created

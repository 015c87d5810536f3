"""Factories for the grants tests: a programme of this year, a municipality
with verified members and its signatory, two staff members, and applications
in each state of the workflow, made through the real actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Municipality, Role, User
from grants.actions import workflow
from grants.actions.drafts import (
    CostLineData,
    DraftContent,
    FundingLineData,
    create_draft,
)
from grants.actions.programmes import save_programme
from grants.models import Application, AttachmentKind, Programme, Purpose, Vote

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    """Attachments land in a throwaway directory, outside MEDIA_ROOT."""
    settings.GRANTS_FILES_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.GRANTS_FILES_ROOT


def quote(name: str = "angebot.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def make_programme(db, today) -> Callable[..., Programme]:
    def make(**fields) -> Programme:
        fields.setdefault("title", f"Mikroförderung {today.year}")
        fields.setdefault("year", today.year)
        fields.setdefault("budget", Decimal("100000.00"))
        fields.setdefault("opens_on", date(today.year, 1, 1))
        fields.setdefault("closes_on", date(today.year, 12, 31))
        fields.setdefault("call_text", "Gefördert werden Beratung und Vernetzung.")
        return save_programme(None, Programme(**fields))

    return make


@pytest.fixture
def programme(make_programme) -> Programme:
    return make_programme()


@pytest.fixture
def musterau(make_municipality) -> Municipality:
    return make_municipality("09187117", "Musterau", 4200)


@pytest.fixture
def make_verified(make_member) -> Callable[..., User]:
    """A member whose affiliation with `municipality` staff have verified."""

    def make(municipality: Municipality, **fields) -> User:
        fields.setdefault("affiliation_verified_at", timezone.now())
        return make_member(municipality=municipality, **fields)

    return make


@pytest.fixture
def mayor(make_verified, musterau) -> User:
    return make_verified(
        musterau,
        name="Maria Meier",
        email="meier@musterau.example",
        role=Role.MAYOR,
        job_title="Bürgermeisterin",
    )


@pytest.fixture
def clerk(make_verified, musterau) -> User:
    return make_verified(musterau, name="Karl Klein", email="klein@musterau.example")


@pytest.fixture
def assessor(make_member) -> User:
    return make_member(
        name="Paula Prüfer",
        email="pruefer@zukunftsraum.example",
        is_staff=True,
        municipality=None,
    )


@pytest.fixture
def approver(make_member) -> User:
    return make_member(
        name="Bernd Bewilliger",
        email="bewilliger@zukunftsraum.example",
        is_staff=True,
        municipality=None,
    )


def complete_content(signatory: User | None, today: date, **overrides) -> DraftContent:
    """A draft that can be submitted as it is: costs 4.000,00 €, own funds
    1.000,00 €, requested 3.000,00 €, a quote attached."""
    fields = {
        "title": "Beratung zur Nachnutzung des Dorfgasthofs",
        "summary": "Ein externes Büro erarbeitet ein Nutzungskonzept.",
        "demographic_change": "Ein Treffpunkt für ältere Menschen bleibt im Ort.",
        "purpose": Purpose.CONSULTANCY,
        "topic": "local-services",
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=150),
        "own_funds": Decimal("1000.00"),
        "requested_amount": Decimal("3000.00"),
        "declares_not_started": True,
        "declares_no_double_funding": True,
        "declares_procurement": True,
        "consents_to_publication": True,
        "signatory": signatory,
        "cost_lines": [
            CostLineData(
                "consultancy_fees", "Beratungsbüro, 8 Tage", Decimal("3500.00")
            ),
            CostLineData("events", "Bürgerwerkstatt", Decimal("500.00")),
        ],
        "funding_lines": [],
        "new_attachments": [(AttachmentKind.QUOTE, quote())],
    }
    fields.update(overrides)
    return DraftContent(**fields)


@pytest.fixture
def content(mayor, today) -> Callable[..., DraftContent]:
    return lambda **overrides: complete_content(mayor, today, **overrides)


@pytest.fixture
def make_draft(programme, clerk, content) -> Callable[..., Application]:
    def make(author: User | None = None, **overrides) -> Application:
        draft, _created = create_draft(
            author or clerk,
            overrides.pop("programme", programme),
            key=uuid.uuid4().hex,
            content=content(**overrides),
        )
        return draft

    return make


@pytest.fixture
def draft(make_draft) -> Application:
    return make_draft()


def submit(application: Application, signatory: User) -> Application:
    application.refresh_from_db()
    submitted, _new = workflow.submit(
        signatory, application, key=uuid.uuid4().hex, version=application.version
    )
    return submitted


@pytest.fixture
def submitted(draft, mayor) -> Application:
    return submit(draft, mayor)


@pytest.fixture
def in_assessment(submitted, assessor) -> Application:
    workflow.start_check(assessor, submitted)
    return workflow.pass_check(assessor, submitted, note="Vollständig.")


@pytest.fixture
def assessed(in_assessment, assessor) -> Application:
    return workflow.assess(
        assessor,
        in_assessment,
        vote=Vote.APPROVE,
        reasons="Schlüssiges Konzept, Kosten angemessen.",
    )


@pytest.fixture
def approved(assessed, approver) -> Application:
    return workflow.approve(
        approver,
        assessed,
        amount=Decimal("3000.00"),
        reasons="Die Fördervoraussetzungen sind erfüllt.",
        conditions="Ergebnisbericht bis zum Projektende.",
    )


__all__ = ["PDF", "FundingLineData", "complete_content", "quote", "submit"]

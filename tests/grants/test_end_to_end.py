"""From the first draft to the decision, only through the real views, as the
municipality's members and two people of the Geschäftsstelle click through."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditLogEntry
from community.models import EmailFrequency, NotificationSettings
from grants.models import Application, BudgetLedger, State
from tests.grants.conftest import quote
from tests.grants.forms import form_data, step_data


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_an_application_from_draft_to_approval_through_the_pages(
    programme,
    clerk,
    mayor,
    assessor,
    approver,
    today,
    django_capture_on_commit_callbacks,
):
    NotificationSettings.objects.create(user=clerk, email=EmailFrequency.IMMEDIATELY)
    karl, maria = as_user(clerk), as_user(mayor)
    paula, bernd = as_user(assessor), as_user(approver)

    # Karl starts the draft; it saves incomplete.
    response = karl.post(
        "/foerderung/antraege/neu/",
        form_data(None, today=today, key="e2e", declares_procurement=None),
    )
    application = Application.objects.get()
    assert response.url == reverse("grants:edit", args=[application.pk])
    html = text(karl.get(response.url))
    assert "Bitte benennen Sie die zeichnungsberechtigte Person der Kommune." in html
    assert "Bitte erklären Sie, dass das Vergaberecht beachtet wird." in html

    # He completes it, names Maria as signatory, attaches the quote, asks her.
    karl.post(
        response.url,
        form_data(mayor, today=today, version="1", quotes=quote()),
    )
    karl.post(reverse("grants:request_signature", args=[application.pk]))

    # Maria reads it and confirms: the written-form step.
    page = maria.get(reverse("grants:submit", args=[application.pk]))
    assert "Beratungsbüro, 8 Tage" in text(page)
    assert "Für die Einreichung fehlt noch" not in text(page)
    key = page.context["submit_form"].initial["key"]
    with django_capture_on_commit_callbacks(execute=True):
        maria.post(
            reverse("grants:submit", args=[application.pk]),
            {"key": key, "version": "2", "confirm": "on"},
        )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert mail.outbox[-1].to == [clerk.email]

    # Paula checks, asks a question, Karl answers, Paula assesses.
    step = lambda client, name, **data: client.post(  # noqa: E731
        reverse("grants:step", args=[application.pk, name]), step_data(name, **data)
    )
    step(paula, "start_check")
    step(
        paula,
        "query",
        question="Bitte begründen Sie die Tagessätze.",
        deadline=(today + timedelta(days=14)).isoformat(),
    )
    detail = text(karl.get(application.get_absolute_url()))
    assert "Bitte begründen Sie die Tagessätze." in detail
    karl.post(
        reverse("grants:answer", args=[application.pk]),
        {"answer": "Die Sätze folgen dem Rahmenvertrag des Landkreises."},
    )
    step(paula, "pass_check", note="")
    step(
        paula, "assess", vote="approve", amount="", reasons="Angemessen, gut begründet."
    )

    # Bernd decides: four eyes by person.
    with django_capture_on_commit_callbacks(execute=True):
        step(
            bernd,
            "approve",
            amount="3.000,00",
            conditions="Ergebnisbericht für die Wissenssammlung.",
            reasons="Die Fördervoraussetzungen sind erfüllt.",
        )
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert application.assessed_by == assessor
    assert application.decided_by == approver

    # Karl sees the decision with its reasons, the priority and the budget.
    detail = text(karl.get(application.get_absolute_url()))
    assert "Bewilligt: 3.000,00 €" in detail
    assert "Die Fördervoraussetzungen sind erfüllt." in detail
    assert "Ergebnisbericht für die Wissenssammlung." in detail
    assert "ANBest-Gk" in detail
    assert "Priorität: 15 Punkte" in detail
    assert "Erstantrag" in detail
    overview = text(karl.get("/foerderung/"))
    assert f"Noch verfügbar {programme.year}: 2.000,00 €" in overview
    assert mail.outbox[-1].subject.endswith(": bewilligt")

    actions = list(
        AuditLogEntry.objects.filter(action__startswith="grants.application")
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "grants.application.submitted",
        "grants.application.check_started",
        "grants.application.queried",
        "grants.application.answered",
        "grants.application.check_passed",
        "grants.application.assessed",
        "grants.application.approved",
    ]
    pot = BudgetLedger.objects.get(municipality__isnull=True)
    assert pot.reserved == Decimal("3000.00")


@pytest.mark.django_db
def test_a_networking_application_with_a_partner_through_the_pages(
    make_programme,
    make_municipality,
    make_verified,
    clerk,
    mayor,
    assessor,
    approver,
    today,
):
    from grants.models import PartnerSplit

    make_programme(partner_split=PartnerSplit.SPLIT)
    abach = make_municipality("09187118", "Abach", 900)
    partner = make_verified(abach, name="Paul Partner")
    karl, maria, paul = as_user(clerk), as_user(mayor), as_user(partner)

    karl.post(
        "/foerderung/antraege/neu/",
        form_data(
            mayor,
            today=today,
            key="net",
            purpose="networking",
            partners="09187118",
            **{"cost-0-category": "travel", "cost-0-description": "Exkursion"},
        ),
    )
    application = Application.objects.get()
    assert (
        "Diese Partnerkommunen haben ihre Teilnahme noch nicht bestätigt: Abach."
        in text(karl.get(application.get_absolute_url()))
    )

    # Paul, in Abach, was invited and confirms for his municipality.
    assert "Anfragen zur Partnerschaft" in text(paul.get("/foerderung/"))
    page = text(paul.get(application.get_absolute_url()))
    assert "Teilnahme von Abach bestätigen" in page
    paul.post(reverse("grants:confirm_partner", args=[application.pk]))
    # He may read the application but not its attachments or the draft form.
    assert paul.get(reverse("grants:edit", args=[application.pk])).status_code == 403

    key = (
        maria.get(reverse("grants:submit", args=[application.pk]))
        .context["submit_form"]
        .initial["key"]
    )
    maria.post(
        reverse("grants:submit", args=[application.pk]),
        {"key": key, "version": "1", "confirm": "on"},
    )
    application.refresh_from_db()
    assert application.state == State.SUBMITTED

    for client, name, data in [
        (as_user(assessor), "start_check", {}),
        (as_user(assessor), "pass_check", {"note": ""}),
        (as_user(assessor), "assess", {"vote": "approve", "reasons": "Gut."}),
        (as_user(approver), "approve", {"amount": "3.000,00", "reasons": "Gut."}),
    ]:
        client.post(
            reverse("grants:step", args=[application.pk, name]),
            step_data(name, **data),
        )
    application.refresh_from_db()
    assert application.state == State.APPROVED
    shares = dict(
        BudgetLedger.objects.filter(municipality__isnull=False).values_list(
            "municipality_id", "reserved"
        )
    )
    assert shares == {"09187117": Decimal("1500.00"), "09187118": Decimal("1500.00")}

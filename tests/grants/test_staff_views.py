"""The Geschäftsstelle's queue and review steps through real HTTP."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import StructuralWeaknessRecord
from grants.actions import workflow
from grants.models import State
from tests.grants.conftest import complete_content, submit
from tests.grants.forms import step_data

QUEUE = "/foerderung/verwaltung/"


@pytest.fixture
def assessor_client(client, assessor):
    client.force_login(assessor)
    return client


def page(response) -> str:
    return response.content.decode()


def step(client, application, name, **data):
    return client.post(
        reverse("grants:step", args=[application.pk, name]),
        step_data(name, **data),
        follow=True,
    )


def test_the_queue_is_ordered_by_an_explained_priority(
    assessor_client,
    make_municipality,
    make_verified,
    programme,
    today,
    mayor,
    make_draft,
):
    from grants.actions.drafts import create_draft

    plain = submit(make_draft(), mayor)  # 15: first application, small
    weak_town = make_municipality("12073572", "Templin", 16000)
    StructuralWeaknessRecord.objects.create(
        municipality=weak_town,
        programme="GRW",
        status="GRW-Fördergebiet",
        valid_from=date(2022, 1, 1),
        source="GRW",
    )
    signatory = make_verified(weak_town, name="Tina Templin")
    draft, _ = create_draft(
        signatory, programme, key="t", content=complete_content(signatory, today)
    )
    weak = submit(draft, signatory)  # 42: weak, first, medium

    response = assessor_client.get(QUEUE)
    rows = [application for application, _ in response.context["rows"]]
    assert rows == [weak, plain]
    html = page(response)
    assert "+30</span> GRW-Fördergebiet" in html
    assert "+10</span> Erstantrag" in html
    assert "+2</span> 5.000 bis 20.000 Einwohnerinnen und Einwohner" in html


def test_the_queue_costs_the_same_queries_for_any_number_of_applications(
    assessor_client,
    make_draft,
    mayor,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    submit(make_draft(), mayor)
    assessor_client.get(QUEUE)  # the header's cached counts warm up
    with django_assert_max_num_queries(12) as few:
        assessor_client.get(QUEUE)
    queries_for_few = len(few.captured_queries)  # the next request resets the log
    for _ in range(4):
        submit(
            make_draft(
                requested_amount=Decimal("500.00"), own_funds=Decimal("3500.00")
            ),
            mayor,
        )
    assessor_client.get(QUEUE)
    with django_assert_num_queries(queries_for_few):
        assessor_client.get(QUEUE)


def test_members_have_no_queue(client, clerk):
    client.force_login(clerk)
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert "Nur die Geschäftsstelle prüft und entscheidet Anträge." in page(response)


def test_a_member_cannot_take_a_staff_step_through_the_url(client, clerk, submitted):
    client.force_login(clerk)
    response = client.post(reverse("grants:step", args=[submitted.pk, "start_check"]))
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_staff_work_an_application_step_by_step(
    client, assessor, approver, submitted, clerk
):
    client.force_login(assessor)
    html = page(client.get(submitted.get_absolute_url()))
    assert "Formale Prüfung beginnen" in html
    step(client, submitted, "start_check")
    deadline = (date.today() + timedelta(days=14)).isoformat()
    response = step(
        client,
        submitted,
        "query",
        question="Bitte ein zweites Angebot.",
        deadline=deadline,
    )
    assert "Erledigt: Die antragstellende Kommune wurde benachrichtigt." in page(
        response
    )
    workflow.answer_query(clerk, submitted, answer="Liegt bei.")
    step(client, submitted, "pass_check", note="")
    response = step(
        client,
        submitted,
        "assess",
        vote="partial",
        amount="2.500,00",
        reasons="Veranstaltung nicht förderfähig.",
    )
    submitted.refresh_from_db()
    assert submitted.state == State.ASSESSED
    # The assessor sees why they cannot decide, and no decision forms.
    html = page(response)
    assert "Sie haben das Votum zu diesem Antrag geschrieben" in html
    assert "Bewilligen und Betrag reservieren" not in html
    response = step(client, submitted, "approve", amount="2.500,00", reasons="x")
    assert "Vier-Augen-Prinzip" in page(response)
    submitted.refresh_from_db()
    assert submitted.state == State.ASSESSED

    client.force_login(approver)
    html = page(client.get(submitted.get_absolute_url()))
    assert 'value="2500,00"' in html  # the recommended amount, prefilled
    step(
        client,
        submitted,
        "approve",
        amount="2.500,00",
        conditions="",
        reasons="Teilbewilligung wie im Votum begründet.",
    )
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED
    assert submitted.approved_amount == Decimal("2500.00")


def test_an_invalid_step_form_comes_back_with_its_errors(
    assessor_client, in_assessment
):
    response = assessor_client.post(
        reverse("grants:step", args=[in_assessment.pk, "assess"]),
        step_data("assess", vote="", reasons=""),
    )
    assert response.status_code == 400
    html = page(response)
    assert "Bitte wählen Sie ein Votum." in html
    assert "Bitte geben Sie die Begründung des Votums an." in html


def test_early_start_is_granted_on_the_application_page(assessor_client, submitted):
    from grants.models import Application

    Application.objects.filter(pk=submitted.pk).update(
        early_start_requested=True, early_start_reason="Termin der Werkstatt."
    )
    html = page(assessor_client.get(submitted.get_absolute_url()))
    assert "Vorzeitigen Maßnahmebeginn zulassen" in html
    step(assessor_client, submitted, "early_start", reason="Plausibel.")
    submitted.refresh_from_db()
    assert submitted.early_start_granted_at is not None


def test_unknown_steps_do_not_exist(assessor_client, submitted):
    response = assessor_client.post(
        reverse("grants:step", args=[submitted.pk, "pay_out"])
    )
    assert response.status_code == 404


def test_the_applicant_sees_the_decision_with_its_reasons(
    client, clerk, assessed, approver
):
    workflow.reject(
        approver, assessed, reasons="Das Vorhaben ist bereits anderweitig finanziert."
    )
    client.force_login(clerk)
    html = page(client.get(assessed.get_absolute_url()))
    assert "Abgelehnt" in html
    assert "Das Vorhaben ist bereits anderweitig finanziert." in html
    # The internal vote stays with the Geschäftsstelle.
    assert "Schlüssiges Konzept" not in html


def test_the_vote_is_for_staff_eyes(client, clerk, assessed, approver):
    client.force_login(approver)
    assert "Schlüssiges Konzept, Kosten angemessen." in page(
        client.get(assessed.get_absolute_url())
    )

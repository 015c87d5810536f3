"""The municipality's pages through real HTTP: overview, drafts, submission,
and every refusal with a clear German message and no change."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from audit.models import AuditLogEntry
from grants.models import Application, HistoryEntry, State
from tests.grants.conftest import PDF, quote, submit
from tests.grants.forms import form_data

NEW = "/foerderung/antraege/neu/"


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def mayor_client(client, mayor):
    client.force_login(mayor)
    return client


def page(response) -> str:
    return response.content.decode()


def edit(client, application, **overrides):
    application.refresh_from_db()
    overrides.setdefault("version", str(application.version))
    signatory = overrides.pop("signatory", application.signatory)
    data = form_data(
        None, today=application.starts_on - timedelta(days=30), **overrides
    )
    data["signatory"] = getattr(signatory, "pk", signatory) or ""
    return client.post(reverse("grants:edit", args=[application.pk]), data)


# --- Overview -------------------------------------------------------------------------


def test_members_find_the_grants_in_the_main_navigation(clerk_client, programme):
    html = page(clerk_client.get("/uebersicht/"))
    assert '<a href="/foerderung/">Mikroförderung</a>' in html


def test_overview_shows_the_municipalitys_budget_and_applications(
    clerk_client, approved, programme, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = clerk_client.get("/foerderung/")
    html = page(response)
    assert f"Noch verfügbar {programme.year}: 2.000,00 €" in html
    assert "3.000,00 €" in html  # reserved
    assert "Gefördert werden Beratung und Vernetzung." in html
    assert approved.reference in html
    assert "Bewilligt" in html
    assert 'href="/foerderung/antraege/neu/"' in html


def test_overview_costs_the_same_queries_for_many_applications(
    clerk_client,
    make_draft,
    programme,
    django_assert_num_queries,
    django_assert_max_num_queries,
):
    make_draft()
    clerk_client.get("/foerderung/")  # the header's cached counts warm up
    with django_assert_max_num_queries(10) as few:
        clerk_client.get("/foerderung/")
    queries_for_few = len(few.captured_queries)  # the next request resets the log
    for _ in range(5):
        make_draft()
    clerk_client.get("/foerderung/")
    with django_assert_num_queries(queries_for_few):
        clerk_client.get("/foerderung/")


def test_an_unverified_member_is_told_why_they_cannot_apply(
    client, make_member, musterau, programme
):
    newcomer = make_member(name="Nina Neu", municipality=musterau)
    client.force_login(newcomer)
    html = page(client.get("/foerderung/"))
    assert "Ihre Zugehörigkeit zu Musterau ist noch nicht bestätigt" in html
    assert 'href="/foerderung/antraege/neu/"' not in html

    response = client.post(NEW, form_data(today=programme.opens_on, key="k1"))
    assert response.status_code == 403
    assert "Nur verifizierte Mitglieder können für ihre Kommune" in page(response)
    assert not Application.objects.exists()


def test_a_district_member_learns_that_municipalities_apply(
    client, make_member, programme
):
    from accounts.models import District

    district = District.objects.get(key="09187")
    member = make_member(name="Lena Landkreis", district=district)
    client.force_login(member)
    response = client.get(NEW)
    assert response.status_code == 403
    assert "In Ihrem Profil ist keine Gemeinde angegeben" in page(response)


# --- Drafts ---------------------------------------------------------------------------


def test_a_member_starts_a_draft_with_german_amounts_and_a_quote(
    clerk_client, mayor, programme, today
):
    data = form_data(mayor, today=today, key="draft-1", quotes=quote())
    response = clerk_client.post(NEW, data)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == f"/foerderung/antraege/{application.pk}/bearbeiten/"
    assert application.municipality_id == "09187117"
    assert application.own_funds == Decimal("1000.00")
    assert application.requested_amount == Decimal("3000.00")
    assert [line.amount for line in application.cost_lines.all()] == [
        Decimal("3500.00"),
        Decimal("500.00"),
    ]
    attachment = application.attachments.get()
    assert attachment.kind == "quote"
    assert attachment.content_type == "application/pdf"
    # Stored outside the media path, under a random name.
    assert "angebot" not in attachment.file.name
    assert attachment.file.storage.location.endswith("private")


def test_a_double_click_on_create_makes_one_draft(
    clerk_client, mayor, programme, today
):
    data = form_data(mayor, today=today, key="double-click")
    first = clerk_client.post(NEW, data)
    second = clerk_client.post(NEW, data)
    assert Application.objects.count() == 1
    assert first.url == second.url


def test_any_verified_member_of_the_municipality_saves_the_draft(client, draft, mayor):
    client.force_login(mayor)
    response = edit(client, draft, title="Nutzungskonzept Dorfgasthof")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Nutzungskonzept Dorfgasthof"
    assert draft.version == 2
    assert draft.updated_by == mayor


def test_a_stale_form_does_not_overwrite_a_colleagues_changes(
    client, draft, mayor, clerk
):
    client.force_login(mayor)
    edit(client, draft, title="Fassung der Bürgermeisterin")
    client.force_login(clerk)
    response = client.post(
        reverse("grants:edit", args=[draft.pk]),
        {
            **form_data(mayor, today=draft.starts_on - timedelta(days=30)),
            "title": "Alte Fassung",
            "version": "1",
        },
    )
    assert response.status_code == 200
    assert "Maria Meier hat diesen Entwurf am" in page(response)
    draft.refresh_from_db()
    assert draft.title == "Fassung der Bürgermeisterin"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-100,00", "Der Betrag muss größer als null sein."),
        ("0", "Der Betrag muss größer als null sein."),
        ("12,345", "Bitte geben Sie höchstens zwei Nachkommastellen (Cent) an."),
        ("1.000.000,01", "Beträge über 1.000.000,00 € sind hier nicht möglich."),
        ("viel", "Bitte geben Sie einen Betrag in Euro an, zum Beispiel 4.250,00."),
    ],
)
def test_bad_amounts_are_refused_field_by_field(clerk_client, draft, amount, message):
    response = edit(clerk_client, draft, requested_amount=amount, title="Geändert")
    assert response.status_code == 200
    assert message in page(response)
    draft.refresh_from_db()
    assert draft.version == 1
    assert draft.title != "Geändert"


def test_negative_own_funds_and_bad_cost_lines_are_refused(clerk_client, draft):
    response = edit(
        clerk_client,
        draft,
        own_funds="-1",
        **{
            "cost-2-category": "other",
            "cost-2-description": "Druck",
            "cost-2-amount": "100",
        },
    )
    html = page(response)
    assert "Der Betrag kann nicht negativ sein." in html
    assert "Bitte begründen Sie die sonstigen Kosten." in html
    assert "Bitte prüfen Sie die markierten Zeilen im Kosten- oder" in html
    draft.refresh_from_db()
    assert draft.version == 1


def test_the_signatory_must_be_a_verified_member_of_the_municipality(
    clerk_client, draft, make_member, make_verified, musterau, make_municipality
):
    unverified = make_member(name="Ulla Unbestätigt", municipality=musterau)
    elsewhere = make_verified(make_municipality("09187118", "Abach"), name="Fremd")
    for person in (unverified, elsewhere):
        response = edit(clerk_client, draft, signatory=str(person.pk))
        assert (
            "Die zeichnungsberechtigte Person muss ein verifiziertes Mitglied Ihrer "
            "Kommune sein." in page(response)
        )
    draft.refresh_from_db()
    assert draft.version == 1


def test_a_signatory_who_lost_verification_cannot_submit(draft, mayor):
    mayor.affiliation_verified_at = None
    mayor.save(update_fields=["affiliation_verified_at"])
    from grants.permissions import GrantRefused

    with pytest.raises(GrantRefused, match="noch nicht bestätigt"):
        submit(draft, mayor)


def test_editing_after_submission_is_refused(clerk_client, submitted):
    response = edit(clerk_client, submitted, title="Nachträglich geändert")
    assert response.status_code == 403
    assert "Ein eingereichter Antrag kann nicht mehr geändert werden" in page(response)
    submitted.refresh_from_db()
    assert submitted.title != "Nachträglich geändert"


def test_a_member_of_another_municipality_sees_nothing_and_changes_nothing(
    client, draft, make_verified, make_municipality
):
    other = make_verified(make_municipality("09187118", "Abach"), name="Otto Anders")
    client.force_login(other)
    for url in (
        reverse("grants:detail", args=[draft.pk]),
        reverse("grants:edit", args=[draft.pk]),
        draft.attachments.get().get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "anderen Kommune" in page(response) or "Anlagen eines Antrags" in page(
            response
        )
    response = edit(client, draft, title="Übernommen")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.title != "Übernommen"


# --- Attachments ----------------------------------------------------------------------


def test_attachments_are_checked_by_content_and_size(clerk_client, draft, settings):
    fake = quote("angebot.pdf", b"MZ\x90\x00 not a pdf at all")
    response = edit(clerk_client, draft, quotes=fake)
    assert "„angebot.pdf“ kann nicht angehängt werden" in page(response)

    settings.GRANTS_ATTACHMENT_MAX_BYTES = 20
    response = edit(clerk_client, draft, documents=quote("gross.pdf", PDF))
    assert "„gross.pdf“ ist zu groß" in page(response)
    assert draft.attachments.count() == 1


def test_attachments_are_served_to_the_municipality_and_staff_only(
    client, draft, clerk, staff_member, make_verified, make_municipality
):
    attachment = draft.attachments.get()
    url = attachment.get_absolute_url()
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"

    client.force_login(staff_member)
    assert client.get(url).status_code == 200

    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_removed_attachment_is_gone_from_disk_too(
    clerk_client, draft, django_capture_on_commit_callbacks
):
    attachment = draft.attachments.get()
    path = Path(attachment.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        edit(clerk_client, draft, remove_attachments=[str(attachment.pk)])
    assert not draft.attachments.exists()
    assert not path.exists()


# --- Submission -----------------------------------------------------------------------


def test_the_signatory_confirms_once_even_on_a_double_click(mayor_client, draft, mayor):
    url = reverse("grants:submit", args=[draft.pk])
    form = mayor_client.get(url)
    assert form.status_code == 200
    html = page(form)
    assert "Verbindlich einreichen" in html
    key = form.context["submit_form"].initial["key"]
    data = {"key": key, "version": str(draft.version), "confirm": "on"}

    first = mayor_client.post(url, data)
    second = mayor_client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert (
        AuditLogEntry.objects.filter(action="grants.application.submitted").count() == 1
    )
    assert HistoryEntry.objects.filter(application=draft, name="submit").count() == 1
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    assert draft.submission_key == key
    follow = page(mayor_client.get(first.url))
    assert "Der Antrag wurde eingereicht." in follow


def test_a_second_submission_from_another_tab_is_refused(mayor_client, submitted):
    url = reverse("grants:submit", args=[submitted.pk])
    response = mayor_client.post(
        url,
        {"key": "another-tab", "version": str(submitted.version), "confirm": "on"},
        follow=True,
    )
    assert "Dieser Antrag wurde bereits am" in page(response)
    assert (
        AuditLogEntry.objects.filter(action="grants.application.submitted").count() == 1
    )


def test_submission_needs_the_confirmation_box(mayor_client, draft):
    url = reverse("grants:submit", args=[draft.pk])
    response = mayor_client.post(url, {"key": "k", "version": str(draft.version)})
    assert "Bitte bestätigen Sie den Antrag, um ihn einzureichen." in page(response)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_the_signatory_confirms_the_version_they_read(mayor_client, clerk, draft):
    url = reverse("grants:submit", args=[draft.pk])
    key = mayor_client.get(url).context["submit_form"].initial["key"]
    from django.test import Client

    colleague = Client()
    colleague.force_login(clerk)
    edit(colleague, draft, requested_amount="2.500,00", own_funds="1.500,00")
    response = mayor_client.post(
        url, {"key": key, "version": "1", "confirm": "on"}, follow=True
    )
    assert "Der Antrag wurde geändert, nachdem Sie ihn geöffnet hatten." in page(
        response
    )
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_only_the_signatory_opens_the_confirmation(clerk_client, draft):
    response = clerk_client.get(reverse("grants:submit", args=[draft.pk]))
    assert response.status_code == 403
    assert "Nur die im Antrag benannte zeichnungsberechtigte Person" in page(response)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"own_funds": "500,00"},
            "Der Finanzierungsplan ist nicht ausgeglichen: Die Kosten betragen "
            "4.000,00 €, Eigenmittel, weitere Förderungen und der beantragte Betrag "
            "ergeben zusammen 3.500,00 € (Differenz 500,00 €).",
        ),
        (
            {"requested_amount": "400,00", "own_funds": "3.600,00"},
            "Der Mindestbetrag von Mikroförderung",
        ),
        (
            {
                "requested_amount": "5.000,01",
                "own_funds": "0",
                "cost-0-amount": "4.500,01",
                "cost-1-amount": "500,00",
            },
            "Eine Kommune kann höchstens 5.000,00 € je Kalenderjahr erhalten.",
        ),
        (
            {"declares_procurement": None},
            "Bitte erklären Sie, dass das Vergaberecht beachtet wird.",
        ),
    ],
)
def test_incomplete_or_unbalanced_applications_are_not_submitted(
    clerk_client, mayor_client, draft, mayor, change, message
):
    edit(clerk_client, draft, **change)
    draft.refresh_from_db()
    response = mayor_client.post(
        reverse("grants:submit", args=[draft.pk]),
        {"key": "k", "version": str(draft.version), "confirm": "on"},
        follow=True,
    )
    assert message in page(response)
    draft.refresh_from_db()
    assert draft.state == State.DRAFT
    assert not AuditLogEntry.objects.filter(action="grants.application.submitted")


def test_a_start_before_the_approval_needs_an_early_start(
    clerk_client, mayor, draft, today
):
    yesterday = (today - timedelta(days=1)).isoformat()
    edit(clerk_client, draft, starts_on=yesterday)
    from grants.permissions import GrantRefused

    with pytest.raises(GrantRefused, match="nicht vor der Bewilligung beginnen"):
        submit(draft, mayor)

    edit(
        clerk_client,
        draft,
        starts_on=yesterday,
        early_start_requested="on",
        early_start_reason="Die Bürgerwerkstatt ist an einen Termin gebunden.",
    )
    assert submit(draft, mayor).state == State.SUBMITTED


def test_a_member_asks_the_signatory_who_is_notified(clerk_client, draft, mayor):
    from community.models import Notification

    response = clerk_client.post(
        reverse("grants:request_signature", args=[draft.pk]), follow=True
    )
    assert "Maria Meier wurde gebeten, den Antrag zu bestätigen" in page(response)
    notification = Notification.objects.get(recipient=mayor)
    assert notification.title == (
        "Karl Klein bittet Sie, den Antrag „Beratung zur Nachnutzung des "
        "Dorfgasthofs“ zu bestätigen und einzureichen"
    )
    assert notification.url == f"/foerderung/antraege/{draft.pk}/"


def test_a_withdrawal_through_the_page(clerk_client, submitted):
    url = reverse("grants:withdraw", args=[submitted.pk])
    assert clerk_client.get(url).status_code == 200
    empty = clerk_client.post(url, {"reason": ""})
    assert "Bitte nennen Sie einen Grund." in page(empty)
    clerk_client.post(url, {"reason": "Förderung aus Landesmitteln erhalten."})
    submitted.refresh_from_db()
    assert submitted.state == State.WITHDRAWN


def test_the_application_page_costs_the_same_queries_however_long_it_is(
    client,
    clerk,
    assessor,
    make_draft,
    mayor,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    from grants.actions import workflow
    from grants.actions.drafts import CostLineData

    short = submit(make_draft(), mayor)
    workflow.start_check(assessor, short)
    lines = [
        CostLineData("events", f"Werkstatt {n}", Decimal("100.00")) for n in range(12)
    ]
    long = submit(
        make_draft(
            cost_lines=[
                CostLineData("consultancy_fees", "Büro", Decimal("2800.00")),
                *lines,
            ],
            own_funds=Decimal("1000.00"),
            new_attachments=[("quote", quote()), ("other", quote("plan.pdf"))],
        ),
        mayor,
    )
    workflow.start_check(assessor, long)
    client.force_login(clerk)
    client.get(short.get_absolute_url())  # the header's cached counts warm up
    with django_assert_max_num_queries(15) as few:
        client.get(short.get_absolute_url())
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(long.get_absolute_url())

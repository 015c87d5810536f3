"""Micro-grants in Chromium: a municipal member fills in the application form,
the signatory submits it, the Geschäftsstelle opens it in the queue.

Every page on the way is checked with axe-core for WCAG 2.1 A/AA.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.demo import log_in, seed_demo
from tests.browser.support import check_page, follow_main_nav

TOBIAS = "tobias.lehmann@demo.zukunftsraum.example"  # Templin, Hauptamt
ANJA = "anja.schulz@demo.zukunftsraum.example"  # Templin, signatory
PETRA = "pruefung@zukunftsraum.example"  # Geschäftsstelle, second person
STAFF_PASSWORD = "zukunftsraum-demo"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
TITLE = "Beratung: Ehrenamtsagentur für die Ortsteile"


@pytest.fixture(scope="module")
def demo_data(server):
    seed_demo(server)


def test_an_application_is_filled_in_signed_and_queued(page, second_page, demo_data):
    year = timezone.localdate().year
    today = timezone.localdate()
    log_in(page, TOBIAS)
    follow_main_nav(page, "Mikroförderung")
    page.wait_for_url("**/foerderung/")
    expect(page.locator(".available")).to_have_text(f"Noch verfügbar {year}: 750,00 €")
    check_page(page, "grants-overview")

    page.get_by_role("link", name="Neuer Antrag").click()
    page.wait_for_url("**/foerderung/antraege/neu/")
    check_page(page, "grants-new")
    page.get_by_role("button", name="Entwurf speichern").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Bitte geben Sie einen Titel ein."
    )
    check_page(page, "grants-new-errors")

    page.get_by_label("Titel des Vorhabens").fill(TITLE)
    page.get_by_label("Zusammenfassung").fill(
        "Eine Beraterin baut mit uns eine Agentur auf, die Ehrenamtliche vermittelt."
    )
    page.get_by_label("Wie greift das Vorhaben den demografischen Wandel auf?").fill(
        "Ältere Menschen bleiben mit ihren Erfahrungen aktiv im Ort."
    )
    page.get_by_label("Externe Beratung").check()
    page.locator("#id_topic").select_option("volunteering")
    page.locator("#id_starts_on").fill((today + timedelta(days=40)).isoformat())
    page.locator("#id_ends_on").fill((today + timedelta(days=160)).isoformat())
    page.locator("#id_cost-0-category").select_option("consultancy_fees")
    page.locator("#id_cost-0-description").fill("Beraterin, 2 Tage")
    page.locator("#id_cost-0-amount").fill("600,00")
    page.locator("#id_own_funds").fill("100")
    page.locator("#id_requested_amount").fill("500,00")
    for declaration in (
        "declares_not_started",
        "declares_no_double_funding",
        "declares_procurement",
        "consents_to_publication",
    ):
        page.locator(f"#id_{declaration}").check()
    page.get_by_label("Zeichnungsberechtigte Person").select_option(
        label="Anja Schulz, Bürgermeisterin"
    )
    page.locator("#id_quotes").set_input_files(
        files=[{"name": "angebot.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_url("**/bearbeiten/")
    expect(page.locator(".messages")).to_contain_text("Der Entwurf wurde gespeichert.")
    check_page(page, "grants-edit")

    page.get_by_role("link", name="Zurück zum Antrag").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text("Der Entwurf ist vollständig.")
    check_page(page, "grants-draft")
    page.get_by_role(
        "button", name="Zeichnungsberechtigte Person um Einreichung bitten"
    ).click()
    expect(page.locator(".messages")).to_contain_text("Anja Schulz wurde gebeten")
    draft_url = page.url

    log_in(second_page, ANJA)
    second_page.goto(draft_url)
    second_page.get_by_role("link", name="Bestätigen und einreichen").click()
    second_page.wait_for_url("**/einreichen/")
    check_page(second_page, "grants-submit")
    second_page.get_by_role("button", name="Verbindlich einreichen").click()
    expect(second_page.locator(".error-summary")).to_contain_text(
        "Bitte bestätigen Sie den Antrag"
    )
    second_page.locator("#id_confirm").check()
    second_page.get_by_role("button", name="Verbindlich einreichen").click()
    expect(second_page.locator(".messages")).to_contain_text(
        "Der Antrag wurde eingereicht."
    )
    expect(second_page.locator(".application-meta")).to_contain_text("Eingereicht")
    expect(second_page.locator("main")).to_contain_text("GRW-Fördergebiet")
    check_page(second_page, "grants-submitted")

    page.context.clear_cookies()  # Tobias leaves; Petra of the Geschäftsstelle
    log_in(page, PETRA, STAFF_PASSWORD)
    page.goto("/foerderung/verwaltung/")
    check_page(page, "grants-queue")
    page.get_by_role("link", name=TITLE).click()
    check_page(page, "grants-staff-detail")
    page.get_by_role("button", name="Formale Prüfung beginnen").click()
    expect(page.locator(".application-meta")).to_contain_text("Formale Prüfung")
    check_page(page, "grants-formal-check")


def test_the_decision_forms_and_the_query_answer_meet_wcag(page, demo_data):
    log_in(page, "geschaeftsstelle@zukunftsraum.example", STAFF_PASSWORD)
    page.goto("/foerderung/verwaltung/?status=assessed")
    page.get_by_role("link", name="Digitale Sprechstunde im Rathaus").click()
    expect(page.get_by_role("heading", name="Bewilligung")).to_be_visible()
    check_page(page, "grants-decision-forms")
    page.locator("#id_approve-reasons").fill("Die Fördervoraussetzungen sind erfüllt.")
    page.get_by_role("button", name="Bewilligen und Betrag reservieren").click()
    expect(page.locator("main")).to_contain_text("Bewilligt: 2.000,00 €")
    check_page(page, "grants-approved")

    page.context.clear_cookies()
    log_in(page, "frank.neumann@demo.zukunftsraum.example")
    page.goto("/foerderung/")
    page.get_by_role("link", name="Netzwerk Dorfläden Uckermark").click()
    expect(
        page.get_by_role("heading", name="Rückfrage der Geschäftsstelle")
    ).to_be_visible()
    check_page(page, "grants-query-answer")


def test_call_off_payout_report_and_the_funders_figures_meet_wcag(page, demo_data):
    """Mikroförderung II: the municipality calls off, the second person of the
    Geschäftsstelle pays out, the report form, the dashboard, the public list."""
    log_in(page, TOBIAS)
    page.goto("/foerderung/")
    page.get_by_role("link", name="Beratung: Wohnen im Alter im Bestand").click()
    detail = page.url
    expect(page.get_by_role("heading", name="Mittel abrufen")).to_be_visible()
    check_page(page, "grants-call-off")
    page.get_by_label("Abzurufender Betrag").fill("2.000,00")
    page.get_by_label("Wofür das Geld benötigt wird").fill("Erste Rate Planungsbüro")
    page.get_by_label("Benötigt am").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Abrufen", exact=True).click()
    expect(page.locator("main")).to_contain_text("wartet auf Auszahlung")
    check_page(page, "grants-called-off")

    page.context.clear_cookies()
    log_in(page, PETRA, STAFF_PASSWORD)
    page.goto(detail)
    page.get_by_role("button", name="Auszahlung von 2.000,00 € freigeben").click()
    expect(page.locator("main")).to_contain_text("ausgezahlt am")
    check_page(page, "grants-paid-out")
    page.goto("/foerderung/verwaltung/zahlen/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zahlen")
    check_page(page, "grants-dashboard")
    page.goto("/foerderung/bewilligungen/")
    expect(page.locator("main")).to_contain_text("Templin")
    check_page(page, "grants-public-list")

    page.context.clear_cookies()
    log_in(page, TOBIAS)
    page.goto(detail)
    page.get_by_role("link", name="Verwendungsnachweis schreiben").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verwendungsnachweis")
    check_page(page, "grants-report-form")
    page.goto("/foerderung/praxisbeispiele/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praxisbeispiele")
    check_page(page, "grants-practice-examples")

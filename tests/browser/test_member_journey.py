"""A member's way through the platform in Chromium, every page checked by axe-core."""

import io
import json
import re
import zipfile

from tests.browser.support import PASSWORD, check_page, register


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def account_menu(page):
    """The header's account menu, opened: profile, settings, data, log out."""
    menu = page.get_by_role("navigation", name="Ihr Konto")
    menu.locator("summary").click()
    return menu


def log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="Anmelden").click()


def test_visitor_registers_confirms_logs_in_and_reaches_the_member_area(page, server):
    register(page, server, "maria.muster@bad-aibling.example")

    assert page.locator("h1").inner_text() == "Willkommen, Maria Muster"
    check_page(page, "member-home")

    account_menu(page).get_by_role("link", name="Abmelden").click()
    page.wait_for_url("**/konto/logout/")
    check_page(page, "logout")
    page.locator("main").get_by_role("button", name="Abmelden").click()
    page.wait_for_url(re.compile(r"/$"))
    assert main_nav(page).get_by_role("link", name="Anmelden").is_visible()

    log_in(page, "maria.muster@bad-aibling.example")
    page.wait_for_url("**/uebersicht/")
    for path in [
        "/mitglieder/",
        "/profil/",
        "/meine-daten/",
        "/benachrichtigungen/",
        "/benachrichtigungen/einstellungen/",
        "/moderation/meine-meldungen/",
        "/chat/direkt/",
    ]:
        page.goto(path)
        check_page(page, path)
    account_menu(page).get_by_role("link", name="Mein Profil").click()
    check_page(page, "own-profile")


def test_member_downloads_everything_stored_about_them(page, server):
    register(page, server, "export@demo.example", name="Erika Export")
    page.goto("/meine-daten/")
    check_page(page, "my-data")

    with page.expect_download() as download:
        page.locator('a[href="/meine-daten/export/"]').click()

    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert download.value.suggested_filename.startswith("zukunftsraum-meine-daten-")
    data = json.loads(archive.read("data.json"))
    assert data["parts"]["profile"]["email"] == "export@demo.example"
    assert data["parts"]["profile"]["name"] == "Erika Export"
    assert data["parts"]["profile"]["district_key"] == "09187"
    assert {c["document"] for c in data["parts"]["consents"]} == {"terms", "privacy"}
    assert "consents.csv" in archive.namelist()


def test_member_deletes_their_account_and_cannot_log_in_again(page, server):
    register(page, server, "weg@demo.example", name="Werner Weg")
    page.goto("/meine-daten/")
    page.locator('a[href="/meine-daten/konto-loeschen/"]').click()
    page.wait_for_url("**/meine-daten/konto-loeschen/")
    check_page(page, "delete-account")

    page.locator("main button[type=submit]").click()
    assert page.locator("#id_password").get_attribute("aria-invalid") == "true"
    check_page(page, "delete-account-errors")

    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_confirm").check()
    page.locator("main button[type=submit]").click()

    page.wait_for_url("**/konto-geloescht/")
    check_page(page, "account-deleted")
    assert main_nav(page).get_by_role("link", name="Anmelden").is_visible()
    page.goto("/uebersicht/")
    assert "/konto/login/" in page.url
    log_in(page, "weg@demo.example")
    page.wait_for_load_state("load")
    assert "/konto/login/" in page.url
    assert page.locator(".alert, .errorlist, .error-summary").count() >= 1

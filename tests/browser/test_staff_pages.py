"""The Geschäftsstelle's pages in Chromium, checked by axe-core."""

import pytest

from tests.browser.support import check_page

# The documented local demo accounts (README), created by `manage.py seed_demo`.
STAFF = ("geschaeftsstelle@zukunftsraum.example", "zukunftsraum-demo")


@pytest.fixture(scope="module")
def demo_data(server):
    server.manage("seed_demo")


@pytest.fixture
def staff_page(page, demo_data):
    page.goto("/konto/login/")
    page.locator("#id_login").fill(STAFF[0])
    page.locator("#id_password").fill(STAFF[1])
    page.locator("main").get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/uebersicht/")
    return page


def test_staff_pages_meet_wcag_21_aa(staff_page):
    for path in [
        "/uebersicht/",
        "/mitglieder/",
        "/verwaltung/mitglieder/",
        "/moderation/",
        "/moderation/wortfilter/",
        "/verwaltung/protokoll/",
    ]:
        staff_page.goto(path)
        check_page(staff_page, path)
    staff_page.goto("/mitglieder/")
    staff_page.locator(".member-list a").first.click()
    check_page(staff_page, "member-profile")


def test_staff_delete_an_account_on_request(staff_page):
    staff_page.goto("/mitglieder/")
    staff_page.locator(".member-list a").first.click()
    member_id = staff_page.url.rstrip("/").rsplit("/", 1)[-1]
    staff_page.goto(f"/verwaltung/mitglieder/{member_id}/loeschen/")
    check_page(staff_page, "staff-delete")

    staff_page.locator("main button[type=submit]").click()
    assert staff_page.locator("#id_reason").get_attribute("aria-invalid") == "true"
    check_page(staff_page, "staff-delete-errors")
    staff_page.locator("#id_reason").fill("E-Mail des Mitglieds vom 3. März")
    staff_page.locator("main button[type=submit]").click()

    staff_page.wait_for_url("**/verwaltung/mitglieder/")
    check_page(staff_page, "after-staff-delete")
    assert staff_page.goto(f"/mitglieder/{member_id}/").status == 404

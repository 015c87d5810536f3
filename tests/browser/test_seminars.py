"""Events and the Wissenssammlung in Chromium: a member registers with one
click, staff see the participants; every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo import JENS, SABINE, log_in, seed_demo
from tests.browser.support import check_page, follow_main_nav

SEMINAR = "Online-Seminar: Bürgerbusse mit Ehrenamtlichen"
FULL = "Online-Seminar: Gemeindeschwestern finanzieren"
STAFF = ("geschaeftsstelle@zukunftsraum.example", "zukunftsraum-demo")


@pytest.fixture(scope="module")
def demo_data(server):
    seed_demo(server)


def test_a_member_registers_for_a_seminar_and_sees_the_online_link(page, demo_data):
    log_in(page, JENS)
    follow_main_nav(page, "Veranstaltungen")
    page.wait_for_url("**/veranstaltungen/")
    check_page(page, "events")

    page.get_by_role("link", name=SEMINAR).click()
    expect(page.locator("h1")).to_have_text(SEMINAR)
    expect(page.locator("main")).to_contain_text(
        "Der Link wird angemeldeten Teilnehmenden angezeigt"
    )
    check_page(page, "event")

    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_url(re.compile(r"/veranstaltungen/\d+/#anmeldung$"))
    expect(page.locator(".messages")).to_contain_text("Sie sind angemeldet.")
    expect(
        page.get_by_role("link", name="Am Online-Treffen teilnehmen")
    ).to_be_visible()
    check_page(page, "event-registered")

    page.goto("/veranstaltungen/")
    page.get_by_role("link", name="Meine Veranstaltungen und Kalender").click()
    expect(page.locator("main")).to_contain_text(SEMINAR)
    check_page(page, "my-events")

    page.goto("/veranstaltungen/vergangene/")
    check_page(page, "past-events")
    page.get_by_role("link", name=re.compile("Digitale Bürgerdienste")).click()
    expect(page.locator("#materialien")).to_contain_text("Folien")
    check_page(page, "past-event")


def test_a_member_on_the_waiting_list_sees_the_position_and_the_library(
    page, demo_data
):
    log_in(page, SABINE)
    page.goto("/veranstaltungen/")
    page.get_by_role("link", name=FULL).click()
    expect(page.locator("#anmeldung")).to_contain_text(
        "Sie stehen auf der Warteliste, auf Platz 1."
    )
    check_page(page, "event-waiting")

    follow_main_nav(page, "Wissen")
    page.wait_for_url("**/wissen/")
    expect(page.locator(".knowledge-list")).to_contain_text("Leitfaden: Bürgerbus")
    check_page(page, "library")
    page.locator("#id_q").fill("Bürgerbusse")
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator(".knowledge-list")).to_contain_text("Wissensartikel")
    check_page(page, "library-search")


def test_staff_pages_of_an_event_meet_wcag(page, demo_data):
    log_in(page, STAFF[0], STAFF[1])
    page.goto("/veranstaltungen/")
    page.get_by_role("link", name=FULL).click()
    check_page(page, "event-staff")
    page.get_by_role("link", name="Teilnehmende, Anwesenheit und Nachfrage").click()
    expect(page.locator("main")).to_contain_text("Nachfrage je Kommune")
    check_page(page, "participants")
    page.goto("/veranstaltungen/neu/")
    check_page(page, "event-form")
    page.goto("/veranstaltungen/")
    page.get_by_role("link", name=re.compile("E-Learning")).click()
    page.get_by_role("link", name=re.compile("Überblick")).click()
    expect(page.locator("h1")).to_contain_text("Lektion 1")
    check_page(page, "lesson")

"""Public pages in Chromium: WCAG 2.1 AA by axe-core, and the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.support import artifact_path, check_page

PUBLIC_PAGES = [
    "/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/leichte-sprache/",
    "/nutzungsbedingungen/",
    "/konto/login/",
    "/konto/signup/",
    "/konto/password/reset/",
]
FOCUS_VISIBLE = """() => {
    const style = getComputedStyle(document.activeElement);
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2
        || style.boxShadow !== "none";
}"""


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_meets_wcag_21_aa(page, path):
    page.goto(path)
    check_page(page, path)


def test_english_start_page_meets_wcag_21_aa(page):
    page.goto("/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Wechseln").click()
    page.wait_for_url("**/")
    assert page.locator("html").get_attribute("lang") == "en"
    check_page(page, "start-en")


def test_skip_link_is_the_first_stop_and_jumps_to_the_content(page):
    page.goto("/")

    page.keyboard.press("Tab")

    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.inner_text() == "Zum Inhalt springen"
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link is on screen"
    assert page.evaluate(FOCUS_VISIBLE)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_main_navigation_works_with_the_keyboard_alone(page):
    page.goto("/")
    stops = []
    for _ in range(6):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_VISIBLE), "every stop shows where the focus is"
        stops.append(page.evaluate("document.activeElement.textContent.trim()"))
        if stops[-1] == "Registrieren":
            break
    assert stops == ["Zum Inhalt springen", "Zukunftsraum", "Anmelden", "Registrieren"]

    page.keyboard.press("Enter")

    page.wait_for_url("**/konto/signup/")
    assert page.locator("h1").inner_text() == "Registrieren"
    assert page.locator('nav a[aria-current="page"]').inner_text() == "Registrieren"


def test_tab_reaches_the_end_of_the_page_without_a_trap(page):
    page.goto("/konto/signup/")
    last_footer_link = page.locator(".site-footer a").last
    last_footer_link.evaluate("element => element.setAttribute('data-last', '')")
    seen = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.hasAttribute('data-last')"):
            break
        seen.add(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
    else:
        pytest.fail(f"Tab never reached the footer; stuck among {sorted(seen)}")


def test_feedback_form_errors_are_announced_and_tied_to_their_fields(page):
    page.goto("/barrierefreiheit/")
    page.locator("#feedback button[type=submit]").click()

    page.wait_for_load_state("load")
    message = page.locator("#id_message")
    assert message.get_attribute("aria-invalid") == "true"
    assert "id_message_error" in message.get_attribute("aria-describedby")
    assert page.locator(".error-summary[role=alert]").count() == 1
    check_page(page, "accessibility-feedback-errors")


def test_feedback_reaches_the_thank_you_page(page):
    page.goto("/barrierefreiheit/")
    page.locator("#id_message").fill("Die Schrift im Kalender ist zu klein.")
    page.locator("#feedback button[type=submit]").click()
    # The redirect keeps the form's "#feedback" fragment, as browsers do.
    page.wait_for_url(re.compile(r"/barrierefreiheit/rueckmeldung-gesendet/(#.*)?$"))
    check_page(page, "accessibility-feedback-sent")


def test_the_accessibility_check_fails_on_a_violation(page):
    page.goto("/")
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.src = "/static/img/logo.svg";
            document.querySelector("main").append(image);
        }"""
    )
    with pytest.raises(pytest.fail.Exception, match="image-alt"):
        check_page(page, "deliberate-violation")
    # Not a failure of this test: no artefact to look at.
    artifact_path("axe-deliberate-violation-light", ".png").unlink()


def test_the_accessibility_check_covers_the_dark_colour_scheme(page):
    page.goto("/")
    # Grey on black only where the dark scheme applies: light passes, dark fails.
    page.evaluate(
        """() => {
            // Through the CSSOM: the strict CSP refuses inline <style> elements.
            document.styleSheets[0].insertRule(`@media (prefers-color-scheme: dark) {
                main p { color: #333 !important; background: #000 !important; } }`);
        }"""
    )
    with pytest.raises(pytest.fail.Exception, match="dark colour scheme"):
        check_page(page, "deliberate-dark-violation")
    artifact_path("axe-deliberate-dark-violation-dark", ".png").unlink()


def test_the_reflow_check_fails_on_sideways_scrolling(page):
    page.goto("/")
    page.evaluate(
        """() => {
            const wide = document.createElement("p");
            wide.id = "too-wide";
            wide.style.width = "400px";
            wide.textContent = "breit";
            document.querySelector("main").append(wide);
        }"""
    )
    with pytest.raises(pytest.fail.Exception, match="p#too-wide"):
        check_page(page, "deliberate-reflow-violation")
    artifact_path("reflow-deliberate-reflow-violation", ".png").unlink()


def test_signup_for_a_gemeinde_missing_from_the_list_keeps_what_was_typed(page):
    page.goto("/konto/signup/")
    page.locator("#id_name").fill("Gerda Stadtoberhaupt")
    page.locator("#id_email").fill("gerda@wittstock.example")
    page.locator("#id_password1").fill("Demografie-Wandel-2026")
    page.locator("#id_password2").fill("Demografie-Wandel-2026")
    page.locator("#id_role").select_option("mayor")
    page.locator("#id_municipality").fill("Wittstock/Dosse")
    page.get_by_role("button", name="Registrieren").click()

    page.wait_for_load_state("load")
    section = page.locator("details.unlisted-municipality")
    expect(section).to_have_attribute("open", "")
    expect(page.locator("#id_password1")).to_have_value("Demografie-Wandel-2026")
    check_page(page, "signup-with-an-unlisted-gemeinde")
    page.locator("#id_unlisted_district").select_option("12068")
    page.locator("#id_unlisted_name").fill("Wittstock/Dosse")
    page.locator("#id_accept_terms").check()
    page.locator("#id_accept_privacy").check()
    page.get_by_role("button", name="Registrieren").click()
    page.wait_for_url("**/konto/confirm-email/")

"""The forum in Chromium: a member's first post, replies, matching and search.

Every page on the way is checked with axe-core for WCAG 2.1 A/AA.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.demo import JENS, KATRIN, log_in, seed_demo
from tests.browser.support import check_page, register

DEMO_OFFER = "Wir bieten: Bürgerbus-Konzept mit ehrenamtlichen Fahrern"
DEMO_DISCUSSION = "Gemeindeschwester: Wie finanzieren Sie die Stelle?"
OPENING = """Wir möchten **Mitfahrbänke** aufstellen, und zwar:

- an der Kirche
- am Rathaus

Wer hat damit *Erfahrungen* gesammelt?"""
REPLY = """> Wer hat damit Erfahrungen gesammelt?

Wir! Die Bänke brauchen ein gut lesbares Schild."""


@pytest.fixture(scope="module")
def demo_data(server):
    seed_demo(server)


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def forum_nav(page):
    return page.get_by_role("navigation", name="Forum")


def open_space(page, title: str) -> None:
    main_nav(page).get_by_role("link", name="Forum").click()
    page.wait_for_url("**/forum/")
    check_page(page, "forum")
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    check_page(page, f"space {title}")


def test_a_new_member_starts_a_markdown_discussion_and_replies_both_rendered(
    page, server, demo_data
):
    register(page, server, "mitfahrbank@demo.example", name="Frieda Fahrbank")
    open_space(page, "Mobilität im ländlichen Raum")

    page.get_by_role("link", name="Diskussion beginnen").click()
    page.wait_for_url("**/mobilitaet/neues-thema/")
    check_page(page, "new-thread")
    assert page.locator("#id_kind").input_value() == "discussion"
    page.locator("#id_title").fill("Mitfahrbänke: Wo stellen wir sie auf?")
    page.locator("#id_source").fill(OPENING)
    page.get_by_role("button", name="Veröffentlichen").click()

    page.wait_for_url(re.compile(r"/forum/thema/\d+/$"))
    expect(page.locator("h1")).to_have_text("Mitfahrbänke: Wo stellen wir sie auf?")
    opening = page.locator(".post-body").first
    expect(opening.locator("strong")).to_have_text("Mitfahrbänke")
    expect(opening.locator("em")).to_have_text("Erfahrungen")
    expect(opening.locator("ul > li")).to_have_text(["an der Kirche", "am Rathaus"])
    assert "**" not in opening.inner_text()
    check_page(page, "thread")

    page.locator("#antwort ~ form textarea").fill(REPLY)
    page.get_by_role("button", name="Antwort veröffentlichen").click()

    page.wait_for_load_state("load")
    expect(page.locator(".post")).to_have_count(2)
    answer = page.locator(".post-body").nth(1)
    expect(answer.locator("blockquote")).to_have_text(
        "Wer hat damit Erfahrungen gesammelt?"
    )
    expect(answer).to_contain_text("Die Bänke brauchen ein gut lesbares Schild.")
    check_page(page, "thread-with-reply")


def test_search_finds_a_post_and_leads_to_it(page, server, demo_data):
    log_in(page, JENS)
    open_space(page, "Wohnen im Alter")
    page.get_by_role("link", name="Diskussion beginnen").click()
    page.locator("#id_title").fill("Wohnberatung im Rathaus")
    page.locator("#id_source").fill(
        "Seit März bieten wir eine **Wohnraumanpassungsberatung** an."
    )
    page.get_by_role("button", name="Veröffentlichen").click()
    page.wait_for_url(re.compile(r"/forum/thema/\d+/$"))
    thread_url = page.url

    main_nav(page).get_by_role("link", name="Forum").click()
    forum_nav(page).get_by_role("link", name="Suche").click()
    page.wait_for_url("**/suche/")
    check_page(page, "search")
    page.get_by_label("Suchen nach").fill("Wohnraumanpassungsberatung")
    page.locator("main form[role=search]").get_by_role("button", name="Suche").click()

    results = page.locator(".search-results > li")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text("Wohnberatung im Rathaus")
    expect(results.locator(".snippet mark")).to_have_text("Wohnraumanpassungsberatung")
    check_page(page, "search-results")
    results.get_by_role("link").click()
    page.wait_for_url(re.compile(re.escape(thread_url) + r"(\?.*)?#beitrag-\d+$"))
    expect(page.locator("h1")).to_have_text("Wohnberatung im Rathaus")


def test_a_seek_shows_the_fitting_offer_with_the_reasons(page, server, demo_data):
    log_in(page, JENS)
    open_space(page, "Mobilität im ländlichen Raum")

    page.get_by_role("link", name="Suche veröffentlichen").click()
    check_page(page, "new-seek")
    assert page.locator("#id_kind").input_value() == "seek"
    page.locator("#id_title").fill("Suche Erfahrungen mit einem Bürgerbus")
    page.locator("#id_source").fill(
        "Wir planen einen Bürgerbus mit ehrenamtlichen Fahrern. "
        "Wie haben Sie die Versicherung geregelt?"
    )
    page.locator("#id_topic").select_option("mobility")
    page.get_by_role("button", name="Veröffentlichen").click()

    page.wait_for_url(re.compile(r"/forum/thema/\d+/$"))
    matches = page.get_by_role("region", name="Angebote, die zu dieser Suche passen")
    offer = matches.locator(".match-list > li").filter(has_text=DEMO_OFFER)
    expect(offer).to_have_count(1)
    why = offer.locator(".why")
    expect(why).to_contain_text("Gemeinsame Begriffe:")
    expect(why).to_contain_text("Bürgerbus")
    expect(why).to_contain_text("Gleiches Thema: Mobilität")
    check_page(page, "seek-with-matches")

    offer.get_by_role("link", name=DEMO_OFFER).click()
    expect(page.locator("h1")).to_have_text(DEMO_OFFER)
    check_page(page, "offer")


def test_a_reaction_by_keyboard_counts_for_everyone_and_is_pressed_for_the_giver(
    page, second_page, server, demo_data
):
    """The posts' buttons submit the page's one form: real buttons, reached
    and pressed with the keyboard, no script needed."""
    log_in(page, JENS)
    open_space(page, "Pflege und Gesundheit")
    page.get_by_role("link", name=DEMO_DISCUSSION).click()
    expect(page.locator("h1")).to_have_text(DEMO_DISCUSSION)
    opening = page.locator(".post").first
    thanks = opening.get_by_role("button", name=re.compile("^Danke"))
    expect(thanks).to_have_attribute("aria-pressed", "false")
    thread_url = page.url
    thanks.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#beitrag-\d+$"))
    thanks = page.locator(".post").first.get_by_role(
        "button", name=re.compile("^Danke")
    )
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".count")).to_have_text("1")
    check_page(page, "thread-after-reaction")

    log_in(second_page, KATRIN)
    second_page.goto(thread_url)
    theirs = second_page.locator(".post").first.get_by_role(
        "button", name=re.compile("^Danke")
    )
    expect(theirs).to_have_attribute("aria-pressed", "false")
    expect(theirs.locator(".count")).to_have_text("1")
